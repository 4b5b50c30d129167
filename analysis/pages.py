"""Self-contained HTML pages for readers: the page shell and the notebook pages.

Every page declares its language, carries its own small style sheet and loads nothing
from the network (no scripts, fonts or style sheets fetched at view time), so it opens
on an offline or intranet machine as fast as a local file. Notebook pages show outputs
only: code cells, prompts and the parameters cells are for analysts and stay in the
executed ``.ipynb``.
"""

from __future__ import annotations

import html
import re

HTML_LANG = {"en": "en", "zh": "zh-CN"}
ANALYST_TAG = "analyst"
"""Cells with this tag (e.g. a notebook's note for analysts) are left out of reader pages."""

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Noto Sans SC","PingFang SC",
"Microsoft YaHei",sans-serif;margin:0 auto;padding:1.5em 2em 3em;max-width:1080px;color:#1d1d1f;
line-height:1.55;font-size:15px}
h1{font-size:1.7em;margin:.4em 0 .3em}h2{font-size:1.3em;margin:1.6em 0 .4em;border-bottom:1px solid #ddd}
h3{font-size:1.05em;margin:1.2em 0 .4em}a{color:#1f4e79}
nav{font-size:.9em;margin-bottom:1em}nav a{margin-right:1em}
.lead{font-size:1.05em}.meta{color:#555;font-size:.88em}
blockquote{margin:.6em 0;padding:.2em 1em;border-left:4px solid #c0392b;background:#faf6f5}
.finding{margin:.5em 0 1.2em;padding:.8em 1em;border:1px solid #e3e3e3;border-radius:6px;background:#fcfcfc}
.finding p{margin:.3em 0}.finding .coverage{color:#555;font-size:.9em}
.status-failed{color:#a00;font-weight:bold}
table.reader-table{border-collapse:collapse;margin:.4em 0;font-size:.9em;max-width:100%}
table.reader-table th{text-align:left;vertical-align:bottom;border-bottom:2px solid #999;padding:.3em .6em}
table.reader-table td{border-bottom:1px solid #e3e3e3;padding:.3em .6em;vertical-align:top}
table.reader-table td.kind-number,table.reader-table td.kind-year{text-align:right;white-space:nowrap}
table.reader-table td.kind-marks{text-align:center}table.reader-table td.kind-note{max-width:28em}
.legend{color:#555;font-size:.85em;margin:.2em 0}
figure{margin:1em 0}figure img{max-width:100%;height:auto}figcaption{color:#555;font-size:.88em}
pre{white-space:pre-wrap;font-size:.85em}pre.error{background:#fdecea;padding:.6em;border-left:4px solid #a00}
.gist{font-style:italic}
"""


def page(title: str, body: str, lang: str, *, nav: str = "") -> str:
    """A complete HTML page. ``title`` is plain text (escaped here); ``body`` and ``nav``
    are HTML this package built, with every data text already escaped."""
    return (f'<!doctype html>\n<html lang="{HTML_LANG[lang]}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>\n"
            f"<body>{f'<nav>{nav}</nav>' if nav else ''}\n{body}\n</body></html>\n")


HIDDEN_TAGS = {ANALYST_TAG, "parameters", "injected-parameters"}
"""Cells whose tag keeps them off a reader page (their outputs included)."""
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def notebook_body(notebook) -> str:
    """The reader's view of an executed notebook: the outputs of its cells, in order.

    Code, prompts and cells tagged :data:`HIDDEN_TAGS` are left out; markdown is rendered
    with raw HTML escaped. An output's ``text/html`` (what this package's tables, prose and
    charts produce, every data text already escaped) is kept as it is; an image without
    HTML gets an empty alternative text; plain text, streams and errors (with their
    traceback, so a failed notebook says where) are escaped.
    """
    import mistune

    markdown = mistune.create_markdown(escape=True)
    parts = []
    for cell in notebook.cells:
        if HIDDEN_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "markdown":
            parts.append(f'<div class="text">{markdown(cell.source)}</div>')
        elif cell.cell_type == "code":
            parts.extend(_output(output) for output in cell.get("outputs", []))
    return "\n".join(part for part in parts if part)


def _output(output) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        return f'<pre class="stream">{html.escape(output.get("text", ""))}</pre>'
    if kind == "error":
        trace = _ANSI.sub("", "\n".join(output.get("traceback", [])))
        return f'<pre class="error">{html.escape(trace)}</pre>'
    data = output.get("data", {})
    if "text/html" in data:
        return f'<div class="output">{_text(data["text/html"])}</div>'
    if "image/png" in data:
        png = _text(data["image/png"]).strip()
        return f'<figure class="chart"><img src="data:image/png;base64,{png}" alt=""></figure>'
    if "text/plain" in data:
        return f'<pre class="output">{html.escape(_text(data["text/plain"]))}</pre>'
    return ""


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)
