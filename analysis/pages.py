"""Self-contained HTML pages for readers: the page shell and the notebook pages.

Every page declares its language, carries its own small style sheet and loads nothing
from the network (no scripts, fonts or style sheets fetched at view time), so it opens
on an offline or intranet machine as fast as a local file. Notebook pages show outputs
only: code cells, prompts and the parameters cells are for analysts and stay in the
executed ``.ipynb``.
"""

from __future__ import annotations

import html

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
.output_area pre{white-space:pre-wrap}.prompt{display:none}
.jp-RenderedHTMLCommon table,.rendered_html table{border-collapse:collapse}
"""


def page(title: str, body: str, lang: str, *, nav: str = "") -> str:
    """A complete HTML page. ``title`` is plain text (escaped here); ``body`` and ``nav``
    are HTML this package built, with every data text already escaped."""
    return (f'<!doctype html>\n<html lang="{HTML_LANG[lang]}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>\n"
            f"<body>{f'<nav>{nav}</nav>' if nav else ''}\n{body}\n</body></html>\n")


def notebook_body(notebook) -> str:
    """The reader's view of an executed notebook: outputs only, analyst cells left out."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    remove = TagRemovePreprocessor(remove_cell_tags={ANALYST_TAG, "parameters", "injected-parameters"},
                                   enabled=True)
    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, anchor_link_text="")
    exporter.register_preprocessor(remove, enabled=True)
    body, _ = exporter.from_notebook_node(notebook)
    return body
