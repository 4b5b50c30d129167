"""Write the report notebooks (``notebooks/*.ipynb``) from the cell lists below.

Run after changing a notebook's cells, then execute them in place so the committed
copies carry the outputs nbval compares::

    python scripts/build_notebooks.py --execute

Each notebook: a markdown lead quoting the report's sentence on its gap (read from
``data/gaps.csv``), one ``parameters`` cell, a setup cell, then one call per section.
Logic lives in ``analysis/``; cells only call it.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

PARAMETERS = '''# Parameters (papermill injects new values after this cell)
focus = "Guangzhou"                              # focus city
peers = ["Beijing", "Shanghai", "Shenzhen"]      # peer cities
start_year = 2015                                # first year shown
end_year = 2024                                  # last year shown
data_dir = None                                  # None: $ANALYSIS_DATA_DIR or the shipped data/
lang = "en"                                      # "en" or "zh": language of charts and tables
output_dir = None                                # set by the report run; None writes nothing'''


def setup(name: str) -> str:
    return (f'from IPython.display import Markdown, display\n'
            f'from analysis import sheets\n\n'
            f'ctx = sheets.open_report("{name}", focus, peers, start_year, end_year, data_dir, lang, output_dir)')


def gap_lead(gap: dict, title: str, body: str) -> str:
    return (f"# {title}\n\n"
            f"The Guangzhou Science and Technology Bureau's 2018 work summary (section 二、存在的主要问题) names this gap:\n\n"
            f"> {gap['report_quote_zh']}\n>\n> *{gap['gist_en']}*\n\n{body}")


SINCE = ("## Since 2018\n\nWhat changed after the report's year, computed from the data "
         "(first figure from 2018 on, against the latest one).")


def gap_notebook(name: str, gap: dict, title: str, body: str) -> list:
    code = gap["code"]
    return [
        ("markdown", gap_lead(gap, title, body)),
        ("parameters", PARAMETERS),
        ("code", setup(name)),
        ("markdown", "## Where the focus city stands\n\nEach series at the latest year every compared "
                     "city has (\"differs\": no shared year, so each city's latest figure is shown and not "
                     "ranked). Series of one family (e.g. two unicorn indices) are different counts and are "
                     "never mixed."),
        ("code", f'codes = ctx.gap_indicators("{code}")\n'
                 f'board = ctx.recorder.table("scoreboard", sheets.scoreboard(ctx, codes))\n'
                 f'ctx.recorder.value("scoreboard", board.reset_index())\n'
                 f'board'),
        ("markdown", "## Trends\n\nSeries with at least two cities observed in two or more years "
                     "(▲ = lower bound; a line breaks where a year is missing)."),
        ("code", 'ctx.show(sheets.trend_figure(ctx, sheets.trend_series(ctx, codes)), "trends")'),
        ("markdown", "Series too sparse for a trend: each city's latest figure, with its year. "
                     "Years can differ between cities here, so read these as context, not as a ranking."),
        ("code", 'ctx.show(sheets.snapshot_figure(ctx, sheets.sparse_series(ctx, codes)), "latest")'),
        ("markdown", "## Gap to each peer\n\nFocus minus peer at the latest shared year "
                     "(negative: the focus city is lower). Rows with a lower bound are bounds, not point gaps."),
        ("code", 'ctx.recorder.table("gaps", sheets.gap_table(ctx, sheets.gaps(ctx, codes)))'),
        ("markdown", SINCE),
        ("code", 'display(Markdown(sheets.since_paragraph(ctx, codes)))'),
        ("markdown", "## What is known and what is missing\n\nYears with a figure per series and city. "
                     "An empty cell is a gap in the data, not a gap in performance."),
        ("code", 'ctx.show(sheets.coverage_figure(ctx, codes), "coverage")'),
    ]


def overview_notebook(gaps: dict) -> list:
    listed = "\n".join(f"{g['number']}. **{g['name_en']}** ({g['name_zh']}): {g['gist_en']}"
                        for g in sorted(gaps.values(), key=lambda g: g["number"]) if g["code"] != "context")
    return [
        ("markdown", "# Overview: the focus city against its peers on the report's five gaps\n\n"
                     "The Guangzhou Science and Technology Bureau's 2018 work summary (section 二、存在的主要问题) "
                     f"says:\n\n> {gaps['context']['report_quote_zh']}\n\nand lists five gaps:\n\n{listed}\n\n"
                     "This notebook puts every sourced series side by side, combines the comparable ones into a "
                     "composite index with its uncertainty, and shows what the data does not cover."),
        ("parameters", PARAMETERS),
        ("code", setup("00_overview")),
        ("markdown", "## Scoreboard\n\nEvery series with data, at the latest year all compared cities share "
                     "(or, where they share none, each city's own latest figure, marked and not ranked)."),
        ("code", 'board = ctx.recorder.table("scoreboard", sheets.overview_scoreboard(ctx))\n'
                 'ctx.recorder.value("scoreboard", board.reset_index())\n'
                 'board'),
        ("markdown", "## Composite index\n\nOne series per family that every compared city has in a common year, "
                     "each at its latest such year, normalised min-max across the cities (direction from the "
                     "catalogue), averaged within each gap and then across gaps with equal weights. Gaps without "
                     "such a series are left out. The inputs:"),
        ("code", 'inputs = sheets.index_inputs(ctx)\n'
                 'ctx.recorder.table("index_inputs", sheets.index_inputs_table(ctx, inputs))'),
        ("markdown", "The ranking under uncertainty: Monte Carlo draws over the weights (Dirichlet, within and "
                     "across gaps), the normalisation (min-max, z-score, rank, distance to the best peer) and the "
                     "aggregation (arithmetic or geometric mean), seeded so the run is reproducible."),
        ("code", 'scores, sensitivity = sheets.composite_index(ctx, inputs)\n'
                 'ranking = ctx.recorder.table("index", sheets.index_table(ctx, scores, sensitivity))\n'
                 'ctx.recorder.value("index_ranks", sensitivity.ranks)\n'
                 'ctx.recorder.value("index_rank_variance_share", sensitivity.factors)\n'
                 'ranking'),
        ("code", 'ctx.show(sheets.rank_figure(ctx, sensitivity), "index_ranks")'),
        ("markdown", "Which choices move the ranks most (share of the rank variance):"),
        ("code", 'sensitivity.factors'),
        ("markdown", "## What is known and what is missing\n\nYears with a figure per series and city. An empty "
                     "cell is a gap in the data, not a gap in performance: read the scoreboard with this chart."),
        ("code", 'ctx.show(sheets.coverage_figure(ctx), "coverage")'),
    ]


def rd_notebook(gaps: dict) -> list:
    return [
        ("markdown", gap_lead(gaps["rd_intensity"], "Gap 2: R&D intensity (flagship)",
                              "R&D intensity (研究与试验发展经费投入强度) is R&D expenditure as a percentage of GDP. "
                              "This notebook shows the trend for every city, the gap in percentage points, the "
                              "extra R&D spending the focus city would need at its own GDP to match each peer, "
                              "the catch-up years at current growth rates, and the basic-research share.")),
        ("parameters", PARAMETERS),
        ("code", setup("02_rd_intensity")),
        ("markdown", "## Trend"),
        ("code", 'ctx.show(sheets.trend_figure(ctx, ["rd_intensity", "rd_expenditure"]), "trend")'),
        ("markdown", "## Gap in percentage points\n\nAt the latest year every compared city has:"),
        ("code", 'latest = sheets.gaps(ctx, "rd_intensity")\n'
                 'ctx.recorder.value("rd_intensity_gap_latest", sheets.headline_gaps(latest, "rd_intensity"))\n'
                 'ctx.show(sheets.gap_figure(ctx, latest, "rd_intensity"), "gap")'),
        ("code", 'ctx.recorder.table("gap_latest", sheets.gap_table(ctx, latest))'),
        ("markdown", "In 2018, the report's own year (approximate or preliminary peer figures are flagged):"),
        ("code", 'in_2018 = sheets.gaps(ctx, "rd_intensity", year=2018)\n'
                 'ctx.recorder.value("rd_intensity_gap_2018", sheets.headline_gaps(in_2018, "rd_intensity"))\n'
                 'ctx.recorder.table("gap_2018", sheets.gap_table(ctx, in_2018))'),
        ("markdown", "## What it would take\n\nExtra R&D expenditure (100 million yuan, 亿元) the focus city "
                     "would need, at its own GDP of that year, to reach each peer's R&D intensity."),
        ("code", 'extra = ctx.recorder.table("extra_spending", sheets.extra_spending_table(ctx))\n'
                 'ctx.recorder.value("extra_rd_expenditure", extra)\n'
                 'extra'),
        ("markdown", "## Catch-up\n\nAt each city's own compound growth over its last five years of data, the "
                     "year the focus city would reach the peer's current level and the year it would overtake "
                     "the (still growing) peer; \"never\" when the focus city does not grow faster."),
        ("code", 'catch = ctx.recorder.table("catch_up", sheets.catch_up_table(ctx, ["rd_intensity", "rd_expenditure"]))\n'
                 'ctx.recorder.value("catch_up", catch)\n'
                 'catch'),
        ("markdown", "## Basic-research share\n\nShare of R&D expenditure spent on basic research (基础研究经费占比)."),
        ("code", 'ctx.recorder.table("basic_research", sheets.scoreboard(ctx, sheets.comparable(ctx, ["basic_research_share"], min_cities=1)))'),
        ("code", 'ctx.show(sheets.trend_figure(ctx, ["basic_research_share"], ncols=1), "basic_research")'),
        ("markdown", SINCE),
        ("code", 'display(Markdown(sheets.since_paragraph(ctx, ["rd_intensity", "rd_expenditure", "basic_research_share"])))'),
        ("markdown", "## What is known and what is missing"),
        ("code", 'ctx.show(sheets.coverage_figure(ctx, ctx.gap_indicators("rd_intensity") + ["gdp"]), "coverage")'),
    ]


def claims_notebook() -> list:
    return [
        ("markdown", "# Checking the report's own claims\n\n"
                     "The 2018 work summary states figures an analyst will want verified before quoting "
                     "them (高新技术企业总数突破1.1万家，居全国第三; 技术合同成交额从2017年的357亿元翻番至2018年的"
                     "719亿元; 研发投入强度……低于北京、上海、深圳; 全球科研城市50强（排名第25位）...). "
                     "Each claim in the ledger (`data/claims.csv`) is checked against the data:\n\n"
                     "- **supported** only when every value the evidence allows satisfies the claim (a lower "
                     "bound can prove \"超过 X\", never \"= X\"; a rounded figure counts as a range);\n"
                     "- **contradicted** only when no allowed value does;\n"
                     "- **not verifiable** otherwise, saying what is missing. Figures typed from the report "
                     "itself are shown but never count as evidence for it, and a national rank cannot be "
                     "proved from four cities.\n\n"
                     "Where a peer lacks the claim's year, a separate line checks the nearest year every "
                     "city has; it never replaces the verdict on the claim as stated. The ledger is about "
                     "Guangzhou as the report wrote it, whatever the focus and peers."),
        ("parameters", PARAMETERS),
        ("code", setup("06_claims") + "\nfrom analysis import claims"),
        ("markdown", "## Verdicts"),
        ("code", 'verdicts = sheets.claim_verdicts(ctx)\n'
                 'counts = claims.verdict_counts(verdicts)\n'
                 'ctx.recorder.value("verdict_counts", dict(zip(counts["verdict"], counts["count"])))\n'
                 'ctx.recorder.table("verdict_counts", counts.set_index("verdict"))'),
        ("markdown", "## Each claim with its evidence and sources"),
        ("code", 'table = ctx.recorder.table("claims", claims.claims_table(verdicts, lang=ctx.params.lang))\n'
                 'ctx.recorder.value("claims", table)\n'
                 'table'),
    ]


def notebooks(gaps: dict) -> dict[str, list]:
    return {
        "06_claims": claims_notebook(),
        "00_overview": overview_notebook(gaps),
        "02_rd_intensity": rd_notebook(gaps),
        "01_strategic": gap_notebook(
            "01_strategic", gaps["strategic"], "Gap 1: national strategic S&T strength",
            "Measured by state key laboratories, major science facilities, comprehensive national science "
            "centres, national S&T awards, the Nature Index science-city rank, Double First-Class "
            "universities, and invention patents and PCT filings as signs of core-technology capability."),
        "03_leading_firms": gap_notebook(
            "03_leading_firms", gaps["leading_firms"], "Gap 3: leading enterprises",
            "Measured by Fortune Global 500 headquarters, A-share listed companies, national high-tech "
            "enterprises and the business sector's share of R&D spending."),
        "04_talent_capital": gap_notebook(
            "04_talent_capital", gaps["talent_capital"], "Gap 4: agglomeration of talent and capital",
            "Measured by academicians, R&D personnel and venture-capital investment. Venture-capital "
            "figures come from different databases with different scopes; each database is its own series."),
        "05_culture": gap_notebook(
            "05_culture", gaps["culture"], "Gap 5: innovation culture",
            "Culture has no official statistic. Proxies: incubators and maker spaces (support for "
            "founders), unicorn start-ups (entrepreneurial success; one series per index) and the "
            "technology market (contract turnover)."),
    }


def build(execute: bool) -> None:
    with (ROOT / "data" / "gaps.csv").open(encoding="utf-8", newline="") as handle:
        gaps = {row["code"]: row for row in csv.DictReader(handle)}
    written = []
    for name, cells in notebooks(gaps).items():
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.metadata["language_info"] = {"name": "python"}
        for number, (kind, source) in enumerate(cells, 1):
            cell_id = f"cell-{number:02d}"   # fixed ids: a rebuild diffs only where content changed
            if kind == "markdown":
                nb.cells.append(nbformat.v4.new_markdown_cell(source, id=cell_id))
            else:
                cell = nbformat.v4.new_code_cell(source, id=cell_id)
                if kind == "parameters":
                    cell.metadata["tags"] = ["parameters"]
                nb.cells.append(cell)
        path = NOTEBOOKS / f"{name}.ipynb"
        nbformat.write(nb, path)
        written.append(path)
    if execute:
        import papermill

        for path in written:
            papermill.execute_notebook(str(path), str(path), cwd=str(NOTEBOOKS), progress_bar=False,
                                       kernel_name="python3")
            _strip_volatile(path)
    print("\n".join(str(p.relative_to(ROOT)) for p in written))


def _strip_volatile(path: Path) -> None:
    """Drop papermill's timing metadata so re-executing gives a minimal git diff."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--execute", action="store_true", help="execute the notebooks in place")
    build(parser.parse_args().execute)
