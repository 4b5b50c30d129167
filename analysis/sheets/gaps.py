"""The sections of a gap notebook: the lead with its finding, the scoreboard, the
differences to each peer, the change since the report's year and who is closing in among
the domestic challengers.
"""

from __future__ import annotations

import pandas as pd

from .. import findings, metrics, narrative, selection
from .._frame import as_list
from ..formatting import Column, Prose, ReaderTable, marks
from ._base import (
    BASE_YEAR,
    GROWTH_WINDOW,
    WIDE_CITIES,
    change_flags,
    city_marks,
    gist,
    group_cities,
    legend_lines,
    other_levels,
    status_text,
    vintage_note,
)
from .charts import (
    leader_shares_figure,
)
from .context import ReportContext


def gap_lead(ctx: ReportContext, gap: str) -> None:
    """A gap notebook's opening: its title, the report's sentence on the gap (with the
    English gist in an English report), the finding computed from the data (recorded as
    ``finding`` for the landing page) and, except for R&D intensity, the chart of each city
    as a share of the leader on the gap's comparable series (on the landing page too)."""
    from IPython.display import display

    row = ctx.labels.gaps.loc[gap]
    finding = gap_finding(ctx, gap)
    ctx.recorder.value("finding", finding)
    sentences = narrative.finding_sentences(finding, ctx.msg, ctx.labels)
    title = ctx.msg("lead.gap_title", number=int(row["number"]), gap=ctx.labels.gap(gap))
    ctx.recorder.value("title", title)
    display(Prose("lead", title, quote=row["report_quote_zh"], gist=gist(ctx, row),
                  intro=ctx.msg("lead.gap_intro"), sentences=sentences))
    if gap != "rd_intensity":
        shares = findings.leader_shares(finding)
        if len(shares):
            ctx.show(leader_shares_figure(ctx, shares), "profile", landing=True,
                     caption=ctx.msg("caption.profile", gap=ctx.labels.gap(gap), focus=ctx.labels.city(ctx.focus)))


def gap_finding(ctx: ReportContext, gap: str) -> dict:
    """:func:`analysis.findings.gap_finding` (or :func:`~analysis.findings.rd_finding`) of the report's data."""
    if gap == "rd_intensity":
        return findings.rd_finding(ctx.data, ctx.catalogue, focus=ctx.focus, peers=ctx.peers,
                                   window=GROWTH_WINDOW)
    return findings.gap_finding(ctx.data, ctx.catalogue, gap=gap, focus=ctx.focus, peers=ctx.peers)


def scoreboard(ctx: ReportContext, indicators, *, name: str = "scoreboard", gap_column: bool = False) -> ReaderTable:
    """Focus vs peers per indicator, at the latest year every compared city has
    (:func:`analysis.selection.scoreboard_values`).

    One row per indicator: name with unit, year, each city's value (focus first), the
    focus city's rank (1 = best; blank for context indicators or without a shared year),
    the flags as marks and a note. Where the cities share no year, each city's own latest
    figure is shown, the year reads "—" and the note gives each city's year: figures of
    different years are shown, never ranked.
    """
    present = set(ctx.data["indicator"])
    codes = [code for code in as_list(indicators) if code in present]
    msg, labels = ctx.msg, ctx.labels
    values = (selection.scoreboard_values(ctx.data, ctx.catalogue, codes, focus=ctx.focus, peers=ctx.peers)
              if codes else pd.DataFrame(columns=["indicator", "city", "year", "value", "unit", "shared_year",
                                                  "rank"]))
    rows = []
    for code in codes:
        part = values.loc[values["indicator"] == code].set_index("city")
        shared = bool(part["shared_year"].all())
        row = {"code": code, "gap": labels.gap(ctx.catalogue.at[code, "gap"]),
               "indicator": labels.indicator(code, unit=True), "unit": ctx.catalogue.at[code, "unit"],
               "year": int(part["year"].iloc[0]) if shared else None, "rank": part.at[ctx.focus, "rank"]}
        for city in ctx.cities:
            row[f"value_{city}"] = part.at[city, "value"]
        row["marks"] = city_marks(part, labels)
        notes = []
        if not shared:
            notes.append(msg("note.own_years", years=msg.join(
                msg("finding.city_value", city=labels.city(c), value=int(y) if pd.notna(y) else "—")
                for c, y in part["year"].items())))
        if (part["lower_bound"] | part["approximate"]).any() and shared:
            notes.append(msg("note.rank_not_exact"))
        other = other_levels(ctx, code)
        if other:
            notes.append(msg("note.other_level", cities=other))
        row["note"] = msg("list.semicolon").join(notes)
        rows.append(row)
    legend = legend_lines(msg) if codes else [msg("legend.no_figures")]
    if len(ctx.cities) > WIDE_CITIES:   # one column per city would run off the page: one row per city instead
        return _long_scoreboard(ctx, name, rows, values, legend, gap_column)
    columns = ([Column("gap", msg("column.gap"))] if gap_column else []) + [
        Column("indicator", msg("column.indicator")), Column("year", msg("column.year"), "year"),
        *[Column(f"value_{city}", labels.city(city), "number", unit_column="unit") for city in ctx.cities],
        Column("rank", msg("column.focus_rank", focus=labels.city(ctx.focus)), "year"),
        Column("marks", msg("column.marks"), "marks"), Column("note", msg("column.note"), "note")]
    return ReaderTable(name, msg(f"table.{name}"), pd.DataFrame(rows, columns=[c.key for c in columns] + ["unit"]),
                       columns, legend=legend, raw=values)


def _long_scoreboard(ctx: ReportContext, name: str, rows: list[dict], values: pd.DataFrame, legend, gap_column):
    """The scoreboard with one row per indicator and city (for many compared cities)."""
    msg, labels = ctx.msg, ctx.labels
    long = []
    for row in rows:
        part = values.loc[values["indicator"] == row["code"]].set_index("city")
        for number, city in enumerate(ctx.cities):
            figure = part.loc[city]
            long.append({"gap": row["gap"] if number == 0 else "", "indicator": row["indicator"] if number == 0 else "",
                         "city": labels.city(city), "year": figure["year"], "value": figure["value"],
                         "unit": row["unit"], "rank": figure["rank"],
                         "marks": marks(figure), "note": row["note"] if number == 0 else ""})
    columns = ([Column("gap", msg("column.gap"))] if gap_column else []) + [
        Column("indicator", msg("column.indicator")), Column("city", msg("column.city")),
        Column("year", msg("column.year"), "year"), Column("value", msg("column.value"), "number", unit_column="unit"),
        Column("rank", msg("column.rank"), "year"), Column("marks", msg("column.marks"), "marks"),
        Column("note", msg("column.note"), "note")]
    return ReaderTable(name, msg(f"table.{name}"), pd.DataFrame(long, columns=[c.key for c in columns] + ["unit"]),
                       columns, legend=legend, raw=values)


def overview_scoreboard(ctx: ReportContext) -> ReaderTable:
    """:func:`scoreboard` of every indicator with data, grouped by the report's gaps."""
    codes = [code for gap in ctx.labels.gaps.index for code in ctx.gap_indicators(gap)]
    return scoreboard(ctx, codes, name="scoreboard", gap_column=True)


def differences(ctx: ReportContext, indicators, *, year="common") -> pd.DataFrame:
    """:func:`analysis.metrics.difference` of the focus city to its peers: computed once,
    then shown by :func:`difference_table` and :func:`difference_figure`."""
    return metrics.difference(ctx.data, focus=ctx.focus, peers=ctx.peers, indicators=as_list(indicators),
                              year=year)


def difference_table(ctx: ReportContext, result: pd.DataFrame, *, name: str = "differences") -> ReaderTable:
    """:func:`differences` for reading: one row per indicator and peer that has a difference.

    Pairs without a figure in a common year are left out (the legend says how many and
    the notebook's finding names them), so a gap the data cannot measure shows no empty rows.
    """
    msg, labels = ctx.msg, ctx.labels
    shown = result.loc[result["difference"].notna()]
    frame = pd.DataFrame({
        "indicator": shown["indicator"].map(lambda c: labels.indicator(c, unit=True)),
        "peer": shown["peer"].map(labels.city),
        "year": [int(f) if f == p else f"{int(f)} / {int(p)}" for f, p in zip(shown["focus_year"], shown["peer_year"])],
        "focus_value": shown["focus_value"], "peer_value": shown["peer_value"],
        "difference": shown["difference"], "difference_pct": shown["difference_pct"],
        "unit": shown["unit"], "difference_unit": shown["difference_unit"],
        "marks": [marks(row) for _, row in shown.iterrows()],
        "note": [vintage_note(row, labels) for _, row in shown.iterrows()],
    })
    columns = [Column("indicator", msg("column.indicator")), Column("peer", msg("column.peer")),
               Column("year", msg("column.year"), "year"),
               Column("focus_value", labels.city(ctx.focus), "number", unit_column="unit"),
               Column("peer_value", msg("column.peer_value"), "number", unit_column="unit"),
               Column("difference", msg("column.difference"), "number", unit_column="difference_unit", signed=True),
               Column("difference_pct", msg("column.difference_pct"), "number", unit="percent", signed=True),
               Column("marks", msg("column.marks"), "marks"), Column("note", msg("column.note"), "note")]
    left_out = len(result) - len(shown)
    if shown.empty:
        legend = [msg("legend.pairs_none", count=left_out)]
    else:
        legend = ([msg("legend.pairs_left_out", count=left_out)] if left_out else []) + legend_lines(msg)
    return ReaderTable(name, msg(f"table.{name}"), frame, columns, legend=legend, raw=result)


def since_paragraph(ctx: ReportContext, indicators, *, base_year: int = BASE_YEAR) -> Prose:
    """One sentence per comparable indicator on how it moved since ``base_year``
    (:func:`analysis.metrics.change_since`): each city's first figure from ``base_year``
    on against its latest, or why the two cannot be compared (releases differ)."""
    codes = selection.comparable(ctx.data, indicators)
    if not codes:
        return Prose("paragraph", ctx.msg("since.none"))
    changes = metrics.change_since(ctx.data, start_year=base_year, focus=ctx.focus, peers=ctx.peers,
                                   indicators=codes)
    items = [_since_sentence(ctx, code, changes.loc[changes["indicator"] == code], base_year) for code in codes]
    return Prose("list", "", sentences=items + [ctx.msg("since.legend")])


def _since_sentence(ctx: ReportContext, indicator: str, changes: pd.DataFrame, base_year: int) -> str:
    msg, labels = ctx.msg, ctx.labels
    parts, missing = [], []
    for row in changes.itertuples():
        city = labels.city(row.city)
        if pd.isna(row.change):
            two_figures = pd.notna(row.start_year) and row.end_year > row.start_year
            missing.append(msg("since.releases_differ", city=city,
                               start=labels.vintage(row.start_vintage) if row.start_vintage else msg("vintage.none"),
                               end=labels.vintage(row.end_vintage) if row.end_vintage else msg("vintage.none"))
                           if two_figures else city)
            continue
        bound = {"at most": "≤", "at least": "≥", "unknown": "?"}.get(row.change_bound, "")
        unit = labels.unit_name(row.change_unit)
        parts.append(msg("since.change", city=city,
                         first=narrative.figure(row.start_value, row.unit, change_flags(row, "start")),
                         first_year=row.start_year,
                         last=narrative.figure(row.end_value, row.unit, change_flags(row, "end")),
                         last_year=row.end_year,
                         change=bound + narrative.signed(row.change, row.change_unit), unit=unit))
    text = msg("since.head", year=base_year, indicator=labels.indicator(indicator, unit=True))
    text += msg("list.semicolon").join(parts) if parts else msg("since.no_pair")
    if missing:
        text += msg("since.missing", year=base_year, cities=msg.join(missing))
    return text + msg("sentence.end")


def challengers_table(ctx: ReportContext, indicators) -> ReaderTable | None:
    """Who among the domestic challengers leads the focus city on each ranked indicator, and
    when the one behind would overtake the other at both cities' current growth (catch-up in
    both directions); recorded as ``challengers`` for the landing page. None when no peer is
    a domestic challenger."""
    msg, labels = ctx.msg, ctx.labels
    challengers = [p for p in ctx.peers if p in group_cities(ctx, "domestic")]
    codes = [c for c in selection.comparable(ctx.data, indicators) if ctx.catalogue.at[c, "direction"] != 0]
    if not challengers or not codes:
        return None
    forward = metrics.catch_up(ctx.data, ctx.catalogue, focus=ctx.focus, peers=challengers, indicators=codes,
                               window=GROWTH_WINDOW)
    backward = {}   # per challenger: when would it overtake the focus city where the focus city leads?
    rows, records = [], []
    for row in forward.itertuples():
        if pd.isna(row.focus_value) or pd.isna(row.peer_value):
            continue
        focus_leads = row.reach_status == "already"
        if focus_leads:
            if row.peer not in backward:
                backward[row.peer] = metrics.catch_up(ctx.data, ctx.catalogue, focus=row.peer, peers=[ctx.focus],
                                                      indicators=codes, window=GROWTH_WINDOW).set_index("indicator")
            back = backward[row.peer].loc[row.indicator]
            status, year = back["overtake_status"], back["overtake_year"]
        else:
            status, year = row.overtake_status, row.overtake_year
        leader = ctx.focus if focus_leads else row.peer
        records.append({"focus": ctx.focus, "indicator": row.indicator, "challenger": row.peer, "leader": leader,
                        "crossing_status": status, "crossing_year": None if pd.isna(year) else int(year)})
        rows.append({"indicator": labels.indicator(row.indicator, unit=True), "challenger": labels.city(row.peer),
                     "leader": labels.city(leader), "peer_year": row.peer_year, "peer_value": row.peer_value,
                     "focus_value": row.focus_value, "unit": row.unit,
                     "peer_growth": row.peer_cagr_pct, "focus_growth": row.focus_cagr_pct,
                     "crossing": status_text(status, year, msg), "marks": marks(row._asdict())})
    ctx.recorder.value("challengers", records)
    focus = labels.city(ctx.focus)
    columns = [Column("indicator", msg("column.indicator")), Column("challenger", msg("column.challenger")),
               Column("leader", msg("column.leader")), Column("peer_year", msg("column.year"), "year"),
               Column("peer_value", msg("column.challenger_value"), "number", unit_column="unit"),
               Column("focus_value", msg("column.city_value", city=focus), "number", unit_column="unit"),
               Column("peer_growth", msg("column.challenger_growth"), "number", unit="percent per year"),
               Column("focus_growth", msg("column.city_growth", city=focus), "number", unit="percent per year"),
               Column("crossing", msg("column.crossing")), Column("marks", msg("column.marks"), "marks")]
    return ReaderTable("challengers", msg("table.challengers", focus=focus), pd.DataFrame(rows), columns,
                       legend=[msg("legend.challengers", window=GROWTH_WINDOW, horizon=metrics.CATCH_UP_HORIZON),
                               *legend_lines(msg)], raw=pd.DataFrame(records))


def show_challengers(ctx: ReportContext, indicators) -> None:
    """The :func:`challengers_table` under its heading, when a peer is a domestic challenger."""
    from IPython.display import display

    table = challengers_table(ctx, indicators)
    if table is not None:
        ctx.section("challengers", focus=ctx.labels.city(ctx.focus))
        display(ctx.table(table))
