"""The report's landing page (``index.html``): the answer first, computed from the run.

The page opens with one block per gap in the report's order: the report's own sentence,
the finding in sentences (:mod:`analysis.narrative`, from the findings the notebooks
recorded), and the gap's figures with their captions; then the composite index, the
report's own claims, the data coverage and the files. It is built from ``summary.json``'s
content in the main process (no kernel), in the run's language, and is self-contained:
no script, font or style sheet is fetched when it is opened. Every text from the data is
escaped.
"""

from __future__ import annotations

import html

from . import narrative
from .formatting import format_value
from .pages import page
from .workbook import WORKBOOK


def landing_page(summary: dict, labels) -> str:
    """The HTML of ``index.html`` for a run's ``summary`` (see :mod:`analysis.summary`)."""
    msg = labels.msg
    params = summary["parameters"]
    focus, peers = labels.city(params["focus"]), [labels.city(p) for p in params["peers"]]
    notebooks = summary["notebooks"]
    by_gap = {f["gap"]: name for name, nb in notebooks.items()
              for f in [nb["values"].get("finding")] if f}
    meta = msg("landing.meta", start=params["start_year"], end=params["end_year"],
               generated=summary["generated"].replace("T", " "))
    parts = [f"<h1>{_e(msg('landing.title', focus=focus, peers=msg.join(peers)))}</h1>",
             f'<p class="meta">{_e(meta)}</p>', f'<p class="lead">{_e(msg("landing.intro", focus=focus))}</p>']
    failed = [name for name, nb in notebooks.items() if not nb["ok"]]
    if failed:
        items = "".join(f'<li><a href="html/{_e(n)}.html">{_e(notebooks[n]["title"])}</a>: '
                        f'{_e(notebooks[n]["error"] or "")}</li>' for n in failed)
        parts.append(f'<div class="failed"><p class="status-failed">{_e(msg("landing.failed", count=len(failed)))}'
                     f"</p><ul>{items}</ul></div>")
    for finding in summary["findings"]:
        parts.append(_gap_block(finding, notebooks.get(by_gap.get(finding["gap"], ""), {}),
                                by_gap.get(finding["gap"]), labels))
    parts += _group_blocks(summary, notebooks, labels)
    parts.append(_index_block(summary, notebooks, labels))
    parts.append(_claims_block(summary, notebooks, labels))
    parts.append(_coverage_block(summary, notebooks, labels))
    parts.append(_files_block(summary, labels))
    return page(msg("landing.title", focus=focus, peers=msg.join(peers)), "\n".join(parts), labels.lang)


def _gap_block(finding: dict, notebook: dict, name, labels) -> str:
    msg = labels.msg
    code = finding["gap"]
    row = labels.gaps.loc[code]
    head = f'<h2 id="gap-{_e(code)}">{_e(msg("lead.gap_title", number=int(row["number"]), gap=labels.gap(code)))}</h2>'
    quote = f'<blockquote lang="zh-CN"><p>{_e(row["report_quote_zh"])}</p>'
    if labels.lang == "en":
        quote += f'<p class="gist">{_e(row["gist_en"])}</p>'
    quote += "</blockquote>"
    if finding.get("missing"):
        body = f'<p class="status-failed">{_e(msg("landing.gap_failed"))}</p>'
    else:
        sentences = narrative.finding_sentences(finding, msg, labels)
        body = "".join(f"<p>{_e(s)}</p>" for s in sentences)
    link = (f'<p class="more"><a href="html/{_e(name)}.html">{_e(msg("landing.details"))}</a></p>'
            if name else "")
    return (f'<section class="gap" data-gap="{_e(code)}">{head}{quote}<div class="finding">{body}</div>'
            f"{_figures(notebook)}{link}</section>")


def _group_blocks(summary: dict, notebooks: dict, labels) -> list[str]:
    """A short block for each peer group the run compares with: the global hubs (from the
    global notebook's finding) and the domestic challengers (from the gap notebooks')."""
    from .catalogue import city_groups

    msg = labels.msg
    groups = city_groups(labels.cities)
    peers = set(summary["parameters"]["peers"])
    blocks = []
    name = next((n for n, nb in notebooks.items() if "global" in nb["values"]), None)
    if peers & set(groups.get("global", [])) and name:
        finding = notebooks[name]["values"]["global"]
        body = "".join(f"<p>{_e(s)}</p>" for s in narrative.global_sentences(finding, msg, labels))
        blocks.append(_section("group", msg("landing.global"), f'<div class="finding">{body}</div>', notebooks,
                               "global", labels, figures=("intensity",)))
    records = [r for nb in notebooks.values() for r in nb["values"].get("challengers", [])]
    if peers & set(groups.get("domestic", [])) and records:
        body = "".join(f"<p>{_e(s)}</p>" for s in narrative.challenger_sentences(records, msg, labels))
        blocks.append(f'<section class="group"><h2>{_e(msg("landing.challengers"))}</h2>'
                      f'<div class="finding">{body}</div></section>')
    return blocks


def _index_block(summary: dict, notebooks: dict, labels) -> str:
    msg = labels.msg
    index = summary.get("index")
    body = ""
    if index and not index.get("computable", True):
        body = f"<p>{_e(msg('index.not_computable', cities=index['cities']))}</p>"
    elif index:
        gaps = [labels.gap(g) for g in index["gaps"]]
        body = (f"<p>{_e(narrative.index_sentence(index, msg, labels))}</p>"
                f"<p>{_e(msg('landing.index_gaps', gaps=msg.join(gaps), count=len(gaps)))}</p>")
    return _section("index", msg("landing.index"), body, notebooks, "index", labels, figures=("index_ranks",))


def _claims_block(summary: dict, notebooks: dict, labels) -> str:
    counts = summary.get("verdict_counts")
    body = f"<p>{_e(narrative.claims_sentence(counts, labels.msg))}</p>" if counts else ""
    return _section("claims", labels.msg("landing.claims"), body, notebooks, "verdict_counts", labels,
                    link_text=labels.msg("landing.claims_link"))


def _coverage_block(summary: dict, notebooks: dict, labels) -> str:
    msg = labels.msg
    coverage = summary.get("coverage")
    body = ""
    if coverage:
        cities = [summary["parameters"]["focus"], *summary["parameters"]["peers"]]
        head = "".join(f"<th>{_e(h)}</th>" for h in (msg("column.gap"), msg("column.indicators"),
                                                       *[labels.city(c) for c in cities]))
        rows = "".join(
            "<tr>" + f'<td>{_e(labels.gap(row["gap"]))}</td><td class="kind-number">{row["indicators"]}</td>'
            + "".join(f'<td class="kind-number">{_e(format_value(row.get(c), "percent", decimals=0))}%</td>'
                      for c in cities) + "</tr>"
            for row in coverage.get("by_gap", []))
        title = msg("table.coverage_by_gap", start=summary["parameters"]["start_year"],
                    end=summary["parameters"]["end_year"])
        body = (f"<p>{_e(narrative.coverage_overall(coverage, msg))}</p><h3>{_e(title)}</h3>"
                f'<table class="reader-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
                f'<p class="legend">{_e(msg("legend.coverage_by_gap"))}</p>')
    return _section("coverage", msg("landing.coverage"), body, notebooks, "coverage", labels)


def _section(css: str, title: str, body: str, notebooks: dict, recorded: str, labels, *, figures=(),
             link_text: str | None = None) -> str:
    """A landing-page section: ``body`` (or, when empty, a line saying the notebook that
    records ``recorded`` failed), the figures named in ``figures`` and a link to that notebook."""
    msg = labels.msg
    name = next((n for n, nb in notebooks.items() if recorded in nb["values"]), None)
    body = body or f'<p class="status-failed">{_e(msg("landing.section_failed"))}</p>'
    shown = _figures(notebooks.get(name, {}), only=figures) if figures else ""
    link = (f'<p class="more"><a href="html/{_e(name)}.html">{_e(link_text or msg("landing.details"))}</a></p>'
            if name else "")
    return f'<section class="{css}"><h2>{_e(title)}</h2>{body}{shown}{link}</section>'


def _files_block(summary: dict, labels) -> str:
    msg = labels.msg
    rows = []
    for name, nb in summary["notebooks"].items():
        status = msg("landing.status_ok") if nb["ok"] else msg("landing.status_failed")
        rows.append(f'<tr><td><a href="html/{_e(name)}.html">{_e(nb["title"])}</a></td>'
                    f'<td><a href="notebooks/{_e(name)}.ipynb" download>{_e(msg("landing.notebook_link"))}</a></td>'
                    f'<td class="{"" if nb["ok"] else "status-failed"}">{_e(status)}</td></tr>')
    head = (f"<tr><th>{_e(msg('landing.col_page'))}</th><th>{_e(msg('landing.col_notebook'))}</th>"
            f"<th>{_e(msg('landing.col_status'))}</th></tr>")
    files = " · ".join(f'<a href="{href}">{_e(msg(key))}</a>' for href, key in
                       [("summary.json", "landing.file_summary"), (WORKBOOK, "landing.file_workbook"),
                        ("tables/", "landing.file_tables")])
    return (f'<section class="files"><h2>{_e(msg("landing.files"))}</h2>'
            f'<table class="reader-table">{head}{"".join(rows)}</table>'
            f'<p>{_e(msg("landing.files_text"))} {files}</p></section>')


def _figures(notebook: dict, only=None) -> str:
    """The notebook's landing figures (or those whose name is in ``only``) with captions."""
    out = []
    for figure in notebook.get("values", {}).get("figures", []):
        name = figure["file"].rsplit("-", 1)[-1].removesuffix(".png")
        if (only is None and figure.get("landing")) or (only is not None and name in only):
            out.append(f'<figure><img src="{_e(figure["file"])}" alt="{_e(figure["caption"])}" loading="lazy">'
                       f"<figcaption>{_e(figure['caption'])}</figcaption></figure>")
    return "".join(out)


def _e(text) -> str:
    return html.escape(str(text))
