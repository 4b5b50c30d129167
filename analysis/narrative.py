"""The findings as sentences in the reader's language.

Each function takes a finding from :mod:`analysis.findings` (plain codes and numbers), a
:class:`~analysis.messages.Messages` for the wording and a
:class:`~analysis.catalogue.Labels` for city and indicator names, and returns plain text.
Every page escapes the text where it places it.
"""

from __future__ import annotations

from .formatting import format_value

FLAG_SIGNS = {"lower_bound": "≥", "approximate": "≈"}
SHOWN_NOT_COMPARABLE = 4
"""Series named in a coverage sentence before "and N more"."""


def ordinal(rank: int, msg) -> str:
    """``1st`` / ``第1``."""
    key = f"ordinal.{rank}" if rank in (1, 2, 3) else "ordinal.n"
    return msg(key, n=rank)


def figure(value, unit, flags=()) -> str:
    """A value as written in a sentence: ``3.44%``, ``≥11,000`` (a lower bound), ``≈4.2%``."""
    sign = next((FLAG_SIGNS[f] for f in ("lower_bound", "approximate") if f in flags), "")
    return sign + format_value(value, unit) + ("%" if unit == "percent" else "")


def signed(value, unit) -> str:
    """A change as written in a sentence: ``+0.42``, ``−1,250``."""
    return format_value(value, unit, signed=True)


def clauses(parts, msg) -> str:
    """Clauses in running text: ``"A, B and C"`` / ``"A，B，C"``."""
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return msg("clauses.join", head=msg("clauses.separator").join(parts[:-1]), last=parts[-1])


def indicator_with_unit(code: str, labels) -> str:
    return labels.indicator(code, unit=True)


def values_text(entry: dict, focus: str, msg, labels) -> str:
    """``"Guangzhou 12, Beijing 60 and Shanghai 40"``: the focus city first, then the peers."""
    cities = [focus, *[c for c in entry["values"] if c != focus]]
    return msg.join(msg("finding.city_value", city=labels.city(city),
                        value=figure(entry["values"][city], entry["unit"], entry["flags"].get(city, ())))
                    for city in cities)


def rank_text(entry: dict, msg) -> str:
    rank = ordinal(entry["focus_rank"], msg)
    return msg("finding.rank_tied", rank=rank) if entry["position"] == "tied" else rank


def rank_caveat(entry: dict, msg) -> str:
    """The sentence that follows a rank built on a bound or an approximate figure ("" if none)."""
    return "" if entry["rank_exact"] else msg("sentence.space") + msg("finding.rank_not_exact")


def gap_sentences(finding: dict, msg, labels) -> list[str]:
    """The finding of one gap: the headline series with the focus city's rank, its position
    across all comparable series, then what the data covers."""
    focus, count = finding["focus"], 1 + len(finding["peers"])
    comparable = {entry["indicator"]: entry for entry in finding["comparable"]}
    sentences = []
    if not comparable:
        sentences.append(msg("finding.not_measurable", focus=labels.city(focus), series=len(finding["series"]),
                             cities=count))
    else:
        entry = comparable.get(finding["headline"]) or next(iter(comparable.values()))
        if entry["focus_rank"] is None:
            sentences.append(msg("finding.headline_unranked", indicator=indicator_with_unit(entry["indicator"], labels),
                                 year=entry["year"], values=values_text(entry, focus, msg, labels)))
        else:
            sentences.append(msg("finding.headline", focus=labels.city(focus), rank=rank_text(entry, msg),
                                 cities=count, indicator=indicator_with_unit(entry["indicator"], labels),
                                 year=entry["year"], values=values_text(entry, focus, msg, labels))
                             + rank_caveat(entry, msg))
        summarised = sum(len(codes) for codes in finding["positions"].values())
        if summarised > 1:
            sentences.append(position_sentence(finding, msg, labels))
    sentences.append(coverage_sentence(finding, msg, labels))
    return sentences


def position_sentence(finding: dict, msg, labels) -> str:
    """Where the focus city stands across the ranked comparable series (one per family)."""
    positions = finding["positions"]
    parts = [msg(f"finding.position.{position}", series=msg.join(labels.indicator(c) for c in positions[position]))
             for position in ("ahead", "tied", "behind", "between") if positions.get(position)]
    return msg("finding.positions", focus=labels.city(finding["focus"]),
               series=sum(len(codes) for codes in positions.values()),
               cities=1 + len(finding["peers"]), parts=clauses(parts, msg))


def coverage_sentence(finding: dict, msg, labels) -> str:
    """How much of the gap the data covers, and which series cannot be compared."""
    missing = finding["not_comparable"]
    shown = [(msg("finding.no_figure_for", indicator=labels.indicator(item["indicator"]),
                  cities=msg.join(labels.city(c) for c in item["cities_without_figure"]))
              if item["reason"] == "no_figure" else
              msg("finding.no_common_year", indicator=labels.indicator(item["indicator"])))
             for item in missing[:SHOWN_NOT_COMPARABLE]]
    if len(missing) > SHOWN_NOT_COMPARABLE:
        shown.append(msg("finding.more_series", count=len(missing) - SHOWN_NOT_COMPARABLE))
    text = msg("finding.coverage", comparable=len(finding["comparable"]), series=len(finding["series"]))
    if shown:
        text += msg("finding.coverage_missing", items=msg("list.semicolon").join(shown))
    return text + msg("sentence.end")


def finding_sentences(finding: dict, msg, labels) -> list[str]:
    """A gap's finding in sentences: for R&D intensity (a finding with ``rd``, see
    :func:`analysis.findings.rd_finding`) the values and differences, extra spending and
    catch-up years; for any other gap :func:`gap_sentences`."""
    rd = finding.get("rd")
    if not rd or rd["focus"]["value"] is None:
        return gap_sentences(finding, msg, labels)
    focus = labels.city(finding["focus"])
    sentences = [_rd_values(rd, focus, msg, labels)]
    extra = _rd_extra(rd, focus, msg, labels)
    if extra:
        sentences.append(extra)
    catch = _rd_catch_up(rd, focus, msg, labels)
    if catch:
        sentences.append(catch)
    ranked = [e for e in finding["comparable"] if e["indicator"] == rd["indicator"] and e["focus_rank"] is not None]
    if ranked:
        sentences.append(msg("finding.rd.rank", focus=focus, rank=rank_text(ranked[0], msg),
                             cities=1 + len(finding["peers"])) + rank_caveat(ranked[0], msg))
    sentences.append(coverage_sentence(finding, msg, labels))
    return sentences


def _rd_values(rd, focus, msg, labels) -> str:
    points = msg("unit.percentage_points")
    items = []
    for peer, row in rd["peers"].items():
        name = labels.city(peer)
        value = figure(row["value"], "percent")
        if rd["year_mode"] == "own":
            value = msg("finding.value_in_year", value=value, year=row["year"])
        if row["difference"] is None:
            items.append(msg("finding.rd.no_value", peer=name))
        elif abs(row["difference"]) < 0.005:
            items.append(msg("finding.rd.level", peer=name, value=value))
        else:
            key = "finding.rd.below" if row["difference"] < 0 else "finding.rd.above"
            items.append(msg(key, difference=format_value(abs(row["difference"]), "percentage points"),
                             unit=points, peer=name, value=value))
    return msg("finding.rd.values", year=rd["focus"]["year"], focus=focus,
               indicator=labels.indicator(rd["indicator"]),
               value=figure(rd["focus"]["value"], "percent", rd["focus"]["flags"]), comparisons=clauses(items, msg))


def _rd_extra(rd, focus, msg, labels) -> str:
    needed, above = [], []
    year = None
    for peer, row in rd["peers"].items():
        if row.get("already_above"):
            above.append(labels.city(peer))
        elif row.get("extra") is not None:
            year = row["extra_year"]
            needed.append(msg("finding.rd.extra_item", peer=labels.city(peer),
                              amount=format_value(row["extra"], row["extra_unit"]),
                              pct=format_value(row["extra_pct"], None, decimals=0) + "%"))
    parts = []
    if needed:
        parts.append(msg("finding.rd.extra", focus=focus, year=year, items=clauses(needed, msg),
                         unit=labels.unit("rd_expenditure")))
    if above:
        parts.append(msg("finding.rd.already_above", focus=focus, peers=msg.join(above)))
    return msg("sentence.space").join(parts)


def _rd_catch_up(rd, focus, msg, labels) -> str:
    by_status: dict = {}
    for peer, row in rd["peers"].items():
        status = row.get("reach_status")
        if status in ("projected",):
            by_status.setdefault(row["reach_year"], []).append(labels.city(peer))
        elif status in ("beyond horizon", "never", "unknown"):
            by_status.setdefault(status, []).append(labels.city(peer))
    if not by_status:
        return ""
    parts = []
    for key in sorted((k for k in by_status if isinstance(k, int))):
        parts.append(msg("catch_up.projected", peers=msg.join(by_status[key]), year=key))
    for status, message in (("beyond horizon", "catch_up.beyond"), ("never", "catch_up.never"),
                            ("unknown", "catch_up.unknown")):
        if status in by_status:
            parts.append(msg(message, peers=msg.join(by_status[status]), horizon=rd["horizon"]))
    return msg("finding.rd.catch_up", focus=focus, window=rd["window"], parts=clauses(parts, msg))


def index_sentence(index: dict, msg, labels) -> str:
    """The focus city's composite-index rank with its 5-95% interval over the draws."""
    low, high = int(index["rank_p05"]), int(index["rank_p95"])
    interval = ordinal(low, msg) if low == high else msg("finding.index.interval", low=ordinal(low, msg),
                                                            high=ordinal(high, msg))
    return msg("finding.index", focus=labels.city(index["focus"]), rank=ordinal(int(index["rank_nominal"]), msg),
               cities=index["cities"], interval=interval)


def coverage_overall(coverage: dict, msg) -> str:
    """How many indicator-city-year cells of the report's window hold a figure."""
    share = 100.0 * coverage["known"] / coverage["cells"] if coverage["cells"] else 0.0
    return msg("finding.coverage_overall", known=format_value(coverage["known"], "count"),
               cells=format_value(coverage["cells"], "count"), share=format_value(share, None, decimals=0),
               indicators=coverage["indicators"], cities=coverage["cities"], years=coverage["years"])


def claims_sentence(counts: dict, msg) -> str:
    """How many of the report's claims the data supports, contradicts or cannot verify, and
    how many of its 2019 plan's targets were met or missed. ``counts`` is
    ``{"claim": {verdict: n}, "target": {verdict: n}}``."""
    claimed, targets = counts.get("claim", {}), counts.get("target", {})
    text = msg("finding.claims", total=sum(claimed.values()), supported=claimed.get("supported", 0),
               contradicted=claimed.get("contradicted", 0), unverifiable=claimed.get("not verifiable", 0))
    if targets:
        text += msg("sentence.space") + msg("finding.targets", total=sum(targets.values()), met=targets.get("met", 0),
                                            missed=targets.get("missed", 0),
                                            unverifiable=targets.get("not verifiable", 0))
    return text


def located(item: dict, labels) -> str:
    """A city with the territory and level a figure measures: ``"Tokyo: Japan, national"``."""
    return labels.level_label(item["city"], item["level"], item["area"], item["area_zh"])


def global_sentences(finding: dict, msg, labels) -> list[str]:
    """The focus city against the global hubs: the R&D intensities side by side with their
    levels, and for each published rank where it stands and the nearest hub above it."""
    focus = labels.city(finding["focus"])
    sentences = []
    if finding["intensity"]:
        items = [msg("global.intensity_item", city=located(item, labels),
                     value=figure(item["value"], "percent", item["flags"]), year=item["year"])
                 for item in finding["intensity"]]
        sentences.append(msg("global.intensity", indicator=labels.indicator(finding["indicator"]),
                             items=msg("list.semicolon").join(items)))
    for rank in finding["ranks"]:
        name = labels.indicator(rank["indicator"])
        where = labels.level_label(finding["focus"], rank["focus_level"], rank["focus_area"], rank["focus_area_zh"])
        if rank["nearest"] is None:
            sentences.append(msg("global.rank_ahead", indicator=name, year=rank["year"], focus=where,
                                 rank=ordinal(int(rank["focus_rank"]), msg), hubs=rank["hubs_ranked"]))
        else:
            nearest = next(item for item in rank["ahead"] if item["city"] == rank["nearest"])
            sentences.append(msg("global.rank_behind", indicator=name, year=rank["year"], focus=where,
                                 rank=ordinal(int(rank["focus_rank"]), msg), ahead=len(rank["ahead"]),
                                 hubs=rank["hubs_ranked"], nearest=located(nearest, labels),
                                 nearest_rank=ordinal(int(nearest["value"]), msg), places=int(rank["places"])))
    if not sentences:
        sentences.append(msg("global.none", focus=focus))
    return sentences


def challenger_sentences(rows: list[dict], msg, labels) -> list[str]:
    """Who among the domestic challengers leads the focus city, and who would overtake it at
    current growth. ``rows`` are the ``challengers`` records of the gap notebooks."""
    if not rows:
        return []
    focus = labels.city(rows[0]["focus"])
    leading = {}
    closing = []
    for row in rows:
        name = labels.indicator(row["indicator"])
        if row["leader"] == row["challenger"]:
            leading.setdefault(row["challenger"], []).append(name)
        elif row["crossing_status"] == "projected":
            closing.append(msg("challengers.item", challenger=labels.city(row["challenger"]), indicator=name,
                               year=row["crossing_year"]))
    sentences = []
    if leading:
        sentences.append(msg("challengers.leading", focus=focus, items=msg("list.semicolon").join(
            msg("challengers.lead_item", challenger=labels.city(c), indicators=msg.join(names))
            for c, names in leading.items())))
    sentences.append(msg("challengers.closing", focus=focus, items=msg("list.semicolon").join(closing))
                     if closing else msg("challengers.none_closing", focus=focus))
    return sentences
