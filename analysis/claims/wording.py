"""The verdicts for reading: counts per verdict, and the claims table wholly in English or Chinese.

:func:`evaluate_claims` gives codes and fields; this module words them through the message
catalogue (keys ``claims.*`` of ``analysis/messages.yml``), names cities and indicators
through :class:`~analysis.catalogue.Labels` and writes numbers with
:func:`~analysis.formatting.format_value` at the precision the data hold (719.38 stays
719.38). :func:`reason_text` and :func:`evidence_text` word one verdict row;
:func:`claims_table` words them all.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from .._frame import check_known, require_columns
from ..catalogue import Labels
from ..errors import InvalidArgumentError
from ..formatting import format_value
from ..messages import Messages
from .evidence import MISSING, REPORT_ONLY
from .ledger import TARGET
from .verdicts import AS_STATED, CHECKS, REASON_CODES, TARGET_VERDICTS, VERDICTS

GROUPS = ("claim", "target")
"""``group`` codes of :func:`verdict_counts`: the report's claims and the 2019 plan's targets."""


TABLE_COLUMNS = {
    "en": ("claim_id", "check", "claim", "quote", "kind", "year", "verdict", "reason", "evidence", "sources"),
    "zh": ("claim_id", "check", "claim", "kind", "year", "verdict", "reason", "evidence", "sources"),
}
"""Columns of :func:`claims_table` per language: ``claim`` is the English gist under ``en``
(with the report's Chinese text as ``quote``) and the report's own text under ``zh``."""


_HINT = "pass the result of evaluate_claims()"
_OPERATORS = {">": "gt", ">=": "ge", "<": "lt", "<=": "le", "=": "eq"}
_CHECKS = dict(zip(CHECKS, ("as_stated", "proxy")))


def _slug(verdict: str) -> str:
    """Message-key form of a verdict: ``"not verifiable"`` -> ``"not_verifiable"``."""
    return verdict.replace(" ", "_")


def _group(kind: str) -> str:
    return "target" if kind == TARGET else "claim"


def verdict_counts(verdicts: pd.DataFrame, *, check: str | None = AS_STATED, lang: str | None = None) -> pd.DataFrame:
    """How many claims got each verdict, and how many of the plan's targets.

    Parameters
    ----------
    verdicts : pandas.DataFrame
        Result of :func:`evaluate_claims`.
    check : str or None, default "as stated"
        Count only rows with this ``check`` (:data:`CHECKS`); None counts every row,
        proxy lines included.
    lang : {"en", "zh"} or None
        Also give ``group_label`` and ``verdict_label`` in this language.

    Returns
    -------
    pandas.DataFrame
        Columns ``group`` (:data:`GROUPS`), ``verdict`` and ``count`` (int): the claim
        verdicts (:data:`VERDICTS`) then the target verdicts (:data:`TARGET_VERDICTS`), in
        that order, zeros included. ``{g: dict(zip(f["verdict"], f["count"])) for g, f in
        out.groupby("group", sort=False)}`` is a JSON-ready mapping.

    Raises
    ------
    InvalidArgumentError
        (a ValueError) for an unknown ``check`` or ``lang``, a frame without ``verdict``,
        ``check`` and ``kind``, or a verdict its group does not have.
    """
    if check is not None:
        check_known([check], CHECKS, what="check", known_as="use None or one of")
    require_columns(verdicts, ("verdict", "check", "kind"), name="verdict table", hint=_HINT)
    rows = verdicts if check is None else verdicts.loc[verdicts["check"].eq(check)]
    groups = rows["kind"].map(_group)
    records = []
    for group, allowed in zip(GROUPS, (VERDICTS, TARGET_VERDICTS)):
        mine = rows.loc[groups.eq(group), "verdict"]
        check_known(sorted(set(mine)), allowed, what=f"{group} verdict(s)", known_as="verdicts are")
        counts = mine.value_counts()
        records += [(group, verdict, int(counts.get(verdict, 0))) for verdict in allowed]
    out = pd.DataFrame(records, columns=["group", "verdict", "count"])
    if lang is not None:
        msg = Messages(lang)
        out["group_label"] = [msg(f"claims.group.{g}") for g in out["group"]]
        out["verdict_label"] = [msg(f"claims.verdict.{_slug(v)}") for v in out["verdict"]]
    return out


def column_labels(lang: str = "en") -> dict[str, str]:
    """Headers of :func:`claims_table`'s columns in ``lang``: ``{"verdict": "结论", ...}``."""
    msg = Messages(lang)
    return {column: msg(f"claims.column.{column}") for column in TABLE_COLUMNS[lang]}


def claims_table(verdicts: pd.DataFrame, lang: str = "en", labels: Labels | None = None) -> pd.DataFrame:
    """The verdicts as a table to read or copy, every cell in one language.

    Parameters
    ----------
    verdicts : pandas.DataFrame
        Result of :func:`evaluate_claims`.
    lang : {"en", "zh"}, default "en"
        Language of every cell: check, kind, verdict, reason, evidence and sources
        (publisher names in the reader's language with the source ids).
    labels : Labels, optional
        City and indicator names in ``lang``; default ``Labels.load(lang)`` (the default
        data folder).

    Returns
    -------
    pandas.DataFrame
        One row per verdict row, a fresh RangeIndex, columns :data:`TABLE_COLUMNS` [lang]
        (codes; :func:`column_labels` gives the headers): ``claim_id``, ``check``,
        ``claim`` (``en``: the English gist; ``zh``: the report's text), ``quote`` (``en``
        only: the report's Chinese text, quoted), ``kind``, ``year`` (the year checked,
        Int64), ``verdict``, ``reason``, ``evidence``, ``sources``. English cells hold no
        Chinese except the quote; Chinese cells no Latin words except source ids,
        indicator codes and all-capital acronyms.

    Raises
    ------
    InvalidArgumentError
        (a ValueError) for an unknown ``lang``, labels in another language, or a frame
        that is not a verdict table.
    """
    msg = Messages(lang)
    if labels is None:
        labels = Labels.load(lang)
    elif labels.lang != lang:
        raise InvalidArgumentError(f"labels are in '{labels.lang}' but lang is '{lang}'; pass Labels in '{lang}'.")
    require_columns(verdicts, ("claim_id", "check", "claim_zh", "gist_en", "kind", "year", "verdict", "reason_code",
                               "reason_fields", "evidence", "source_ids", "report_source_ids", "publishers"),
                    name="verdict table", hint=_HINT)
    words = Words(msg, labels)
    records = []
    for row in verdicts.to_dict("records"):
        records.append({
            "claim_id": row["claim_id"], "check": msg(f"claims.check.{_CHECKS[row['check']]}"),
            "claim": row["gist_en"] if lang == "en" else row["claim_zh"], "quote": row["claim_zh"],
            "kind": msg(f"claims.kind.{row['kind']}"), "year": row["year"],
            "verdict": msg(f"claims.verdict.{_slug(row['verdict'])}"),
            "reason": reason_text(row, words), "evidence": evidence_text(row, words),
            "sources": sources_text(row, words),
        })
    out = pd.DataFrame(records, columns=list(TABLE_COLUMNS["en"]))[list(TABLE_COLUMNS[lang])]
    out["year"] = out["year"].astype("Int64")
    return out


# ---------------------------------------------------------------------------------- words

def decimals_held(value: float) -> int:
    """Decimals ``value`` holds, up to 6: 12099 -> 0, 357.51 -> 2, 2.01224 -> 5 (float noise dropped)."""
    if not math.isfinite(value) or float(value).is_integer():
        return 0
    text = np.format_float_positional(round(float(value), 6), trim="-")
    return len(text.split(".", 1)[1]) if "." in text else 0


class Words:
    """Names, numbers, figures and comparisons in one language (a :class:`Messages` and a :class:`Labels`).

    A city or indicator the labels do not know is shown by its code.
    """

    def __init__(self, msg: Messages, labels: Labels):
        self.msg, self.labels = msg, labels

    def city(self, code: str) -> str:
        try:
            return self.labels.city(code)
        except (KeyError, ValueError):
            return code

    def indicator(self, code: str) -> str:
        try:
            return self.labels.indicator(code)
        except (KeyError, ValueError):
            return code

    def _unit_code(self, indicator: str) -> str:
        catalogue = self.labels.catalogue
        return str(catalogue.loc[indicator, "unit"]) if indicator in catalogue.index else ""

    def unit(self, indicator: str) -> str:
        try:
            return self.labels.unit(indicator)
        except (KeyError, ValueError):
            return ""

    def join(self, items) -> str:
        return self.msg("list.semicolon").join(items)

    @staticmethod
    def number(value, *, signed: bool = False) -> str:
        """``value`` at the precision the data hold, thousands grouped: ``12,099``, ``357.51`` (never
        rounded by unit: 719.38 stays 719.38)."""
        return format_value(float(value), signed=signed, decimals=decimals_held(float(value)))

    def amount(self, value, indicator: str) -> str:
        """A value with the indicator's unit: ``12,099 count`` / ``12,099个``; a rank as ``rank 25`` / ``第25位``."""
        number = self.number(value)
        if self._unit_code(indicator) == "rank":
            return self.msg("claims.amount.rank", value=number)
        unit = self.unit(indicator)
        return self.msg("claims.amount", value=number, unit=unit) if unit else number

    def figure(self, fig: dict) -> str:
        """A figure with its flags: ``at least 11,000 count (lower bound)``, ``about 4 percent (...)``."""
        value = self.amount(fig["value"], fig["indicator"])
        if fig["lower_bound"] and fig["approximate"]:
            return self.msg("claims.figure.lower_bound_approximate", value=value, lo=self.number(fig["lo"]))
        if fig["lower_bound"]:
            return self.msg("claims.figure.lower_bound", value=value)
        if fig["approximate"]:
            return self.msg("claims.figure.approximate", value=value, lo=self.number(fig["lo"]),
                            hi=self.number(fig["hi"]))
        return value

    def cell(self, ref: dict) -> str:
        return self.msg("claims.cell", city=self.city(ref["city"]), year=ref["year"],
                        indicator=self.indicator(ref["indicator"]))

    def city_figure(self, city: str, fig: dict) -> str:
        return self.msg("claims.city_figure", city=self.city(city), figure=self.figure(fig))

    def condition(self, cond: dict, *, rank: bool = False) -> str:
        """``> 11,000``, ``= 357 ± 1`` / ``超过11,000``; a rank target as ``rank 3`` / ``第3位``."""
        target = self.number(cond["target"])
        if rank:
            target = self.msg("claims.amount.rank", value=target)
        if cond["operator"] == "=" and cond.get("tolerance"):
            return self.msg("claims.condition.eq_band", target=target, tolerance=self.number(cond["tolerance"]))
        return self.msg(f"claims.condition.{_OPERATORS[cond['operator']]}", target=target)

    def problem(self, item: dict) -> str:
        """Why a figure cannot decide: missing, report only, inferred year, too few cities ranked."""
        kind = item["problem"]
        if kind in (MISSING, REPORT_ONLY):
            return self.msg(f"claims.problem.{kind}", cell=self.cell(item))
        if kind == "inferred":
            return self.inferred(item["cells"])
        return self.msg("claims.problem.too_few", ranked=item["ranked"])

    def inferred(self, cells: list) -> str:
        return self.join(self.msg("claims.problem.inferred", cell=self.cell(c), figure=self.figure(c["figure"]))
                         for c in cells)


# ---------------------------------------------------------------------------------- reasons

def reason_text(row, words: Words) -> str:
    """The reason of one verdict row (``reason_code``, ``reason_fields``) in the words' language."""
    code = row["reason_code"]
    if code not in REASON_CODES:
        raise InvalidArgumentError(f"unknown reason code {code!r}; known: {', '.join(REASON_CODES)}.")
    fields = json.loads(row["reason_fields"]) if isinstance(row["reason_fields"], str) else dict(row["reason_fields"])
    msg = words.msg
    text = msg(f"claims.reason.{code}", **_REASON_FIELDS[code](fields, words, row))
    if fields.get("circular"):
        text = msg("claims.modifier.circular", reason=text)
    if fields.get("proxy_year") is not None:
        text = msg("claims.modifier.see_proxy", reason=text, year=fields["proxy_year"])
    if fields.get("no_proxy"):
        text = msg("claims.modifier.no_proxy", reason=text)
    if fields.get("proxy_for") is not None:
        text = msg("claims.modifier.proxy", reason=text, year=row["year"], claim_year=fields["proxy_for"])
    return text


def _also(items: list, words: Words, key: str = "claims.also") -> str:
    """``"; also a; b"`` (or with ``claims.more``, ``"; a; b"``); empty without items."""
    return words.msg(key, items=words.join(items)) if items else ""


def _value(f, w, row):
    return {"cell": w.cell(f["cell"]), "figure": w.figure(f["figure"]),
            "condition": w.condition(f["condition"], rank=row.get("kind") == "rank")}


def _would(f, w, row):
    return w.msg(f"claims.would.{f['would']}", condition=w.condition(f["condition"], rank=row.get("kind") == "rank"))


def _ratio(f, w, row):
    later, earlier = f["later"], f["earlier"]
    exact = not any(x["lower_bound"] or x["approximate"] for x in (later, earlier))
    if exact:
        ratio = w.msg("claims.ratio.exact", later=w.number(later["value"]), earlier=w.number(earlier["value"]),
                      ratio=w.number(f["lo"]))
    elif f["hi"] is None:
        ratio = w.msg("claims.ratio.at_least", later=w.figure(later), earlier=w.figure(earlier), lo=w.number(f["lo"]))
    else:
        ratio = w.msg("claims.ratio.between", later=w.figure(later), earlier=w.figure(earlier),
                      lo=w.number(f["lo"]), hi=w.number(f["hi"]))
    label = w.msg("claims.ratio.label", city=w.city(f["city"]), indicator=w.indicator(f["indicator"]),
                  year=f["year"], base_year=f["base_year"])
    return {"label": label, "ratio": ratio, "condition": w.condition(f["condition"])}


def _pair(p: dict, w: Words, operator: str | None) -> str:
    left, right = w.city_figure(p["city"], p["figure"]), w.city_figure(p["other"], p["other_figure"])
    key = f"claims.compare.{_OPERATORS[operator]}" if operator else "claims.compare.versus"
    return w.msg(key, left=left, right=right)


def _uncertain(p: dict, w: Words) -> str:
    cells = w.msg.join(w.cell(c) for c in p["inferred"])
    return w.msg("claims.ordering.uncertain", pair=_pair(p, w, None), cells=cells)


def _ordering_open(f, w, row):
    items = [w.problem(p) for p in f["problems"]] + [_uncertain(p, w) for p in f["uncertain"]]
    items += [w.msg("claims.ordering.undecided", pair=_pair(p, w, f["operator"])) for p in f["open"]]
    holds = (w.msg("claims.ordering.holds_for", pairs=w.join(_pair(p, w, f["operator"]) for p in f["holds"]))
             if f["holds"] else "")
    return {"items": w.join(items), "holds": holds}


def _ordering_fails(f, w, row):
    also = [w.problem(p) for p in f["problems"]] + [_uncertain(p, w) for p in f["uncertain"]]
    return {"year": f["year"], "indicator": w.indicator(f["indicator"]),
            "pairs": w.join(_pair(p, w, None) for p in f["fails"]), "also": _also(also, w)}


def _rank_parts(f, w):
    rank = str(f["best"]) if f["best"] == f["worst"] else w.msg("claims.rank.range", best=f["best"], worst=f["worst"])
    among = w.msg("claims.rank.among", n=f["n"], city=w.city(f["city"]), rank=rank)
    focus = w.city_figure(f["city"], f["figure"])
    if f["focus_inferred"]:
        focus = w.msg("claims.rank.focus_inferred", figure=focus)
    ahead = w.msg.join(w.city_figure(a["city"], a["figure"]) for a in f["ahead"]) or w.msg("claims.rank.none")
    maybe = []
    for m in f["maybe"]:
        if m["figure"] is None:
            maybe.append(w.msg("claims.rank.no_value", city=w.city(m["city"])))
        else:
            text = w.city_figure(m["city"], m["figure"])
            maybe.append(w.msg("claims.rank.inferred", figure=text) if m["inferred"] else text)
    detail = w.msg("claims.rank.detail", figure=focus, ahead=ahead)
    if maybe:
        detail += w.msg("claims.rank.possibly_ahead", cities=w.msg.join(maybe))
    return {"among": among, "detail": detail, "condition": w.condition(f["condition"], rank=True)}


def _rank(f, w, row):
    key = "claims.also" if row["reason_code"] == "rank_fails" else "claims.more"
    return {**_rank_parts(f, w), "also": _also([w.problem(p) for p in f["unproven"]], w, key)}


def _scope_note(f, w):
    return w.msg(f"claims.scope.{f['scope']}", n=f["n"])


_REASON_FIELDS = {
    "no_series": lambda f, w, row: {},
    "unknown_series": lambda f, w, row: {"indicator": f["indicator"]},
    "related_series_only": lambda f, w, row: {"related": w.indicator(f["related"])},
    "unusable_cells": lambda f, w, row: {"problems": w.join(w.problem(p) for p in f["cells"])},
    "year_inferred": lambda f, w, row: {"inferred": w.inferred(f["inferred"]), "year": f["year"],
                                        "would": _would(f, w, row)},
    "value_holds": _value, "value_fails": _value, "value_open": _value,
    "ratio_holds": _ratio, "ratio_fails": _ratio, "ratio_open": _ratio,
    "ratio_year_inferred": lambda f, w, row: {**_ratio(f, w, row), "inferred": w.inferred(f["inferred"]),
                                              "would": _would(f, w, row)},
    "ratio_base_not_positive": lambda f, w, row: {"cell": w.cell(f["cell"])},
    "base_in_target_year": lambda f, w, row: {"cell": w.cell(f["cell"]), "figure": w.figure(f["figure"]),
                                              "year": f["cell"]["year"]},
    "ordering_holds": lambda f, w, row: {"year": f["year"], "indicator": w.indicator(f["indicator"]),
                                         "pairs": w.join(_pair(p, w, f["operator"]) for p in f["holds"])},
    "ordering_fails": _ordering_fails,
    "ordering_open": _ordering_open,
    "rank_context_series": lambda f, w, row: {"indicator": w.indicator(f["indicator"])},
    "rank_subject_unusable": lambda f, w, row: {
        "problems": w.join(([_scope_note(f, w)] if f["scope"] else []) + [w.problem(p) for p in f["cells"]])},
    "rank_holds": lambda f, w, row: _rank_parts(f, w),
    "rank_fails": _rank, "rank_open": _rank,
    "rank_unproven": lambda f, w, row: {**_rank_parts(f, w),
                                        "unproven": w.join(w.problem(p) for p in f["unproven"])},
    "rank_broader_fails": lambda f, w, row: {**_rank_parts(f, w), "ahead": len(f["ahead"]), "best": f["best"],
                                             "scope": w.msg(f"claims.scope_name.{f['scope']}")},
    "rank_broader_consistent": lambda f, w, row: {**_rank(f, w, row), "scope_note": _scope_note(f, w)},
}
"""Per reason code: the message fields, worded, from the reason fields."""


# ---------------------------------------------------------------------------------- evidence

def evidence_text(row, words: Words) -> str:
    """Every figure one verdict row looked at, in the words' language (items joined by " | ")."""
    items = json.loads(row["evidence"]) if isinstance(row["evidence"], str) else list(row["evidence"])
    publishers = _publishers(row)
    texts = [_EVIDENCE[item["item"]](item, words, publishers) for item in items]
    return words.msg("claims.evidence.separator").join(t for t in texts if t) or words.msg("claims.evidence.none")


def _publishers(row) -> dict:
    value = row.get("publishers", "{}")
    return json.loads(value) if isinstance(value, str) else dict(value or {})


def _source(sid: str, w: Words, publishers: dict) -> str:
    name = publishers.get(sid, {}).get(w.msg.lang, "")
    return w.msg("claims.source", source_id=sid, publisher=name) if name else sid


def _row_text(r: dict, w: Words, publishers: dict, indicator: str) -> str:
    flags = [w.msg(f"claims.flag.{name}") for name in ("lower_bound", "approximate", "year_inferred") if r[name]]
    return w.msg("claims.evidence.row", value=w.amount(r["value"], indicator),
                 flags=w.msg("claims.evidence.flags", flags=w.msg("list.separator").join(flags)) if flags else "",
                 source=_source(r["source_id"], w, publishers),
                 independence=w.msg("claims.independence." + ("report" if r["report"] else "independent")),
                 preference=w.msg("claims.preference." + ("preferred" if r["preferred"] else "not_preferred")))


def _values(values: list, w: Words, indicator: str) -> str:
    return w.msg.join(w.msg("claims.evidence.value_source", value=w.amount(v["value"], indicator),
                            source_id=v["source_id"]) for v in values)


def _cell_item(item: dict, w: Words, publishers: dict) -> str:
    cell, indicator = w.cell(item), item["indicator"]
    if item["status"] == MISSING:
        return w.msg("claims.evidence.missing", cell=cell)
    if item["status"] == REPORT_ONLY:
        rows = w.join(_row_text(r, w, publishers, indicator) for r in item["report_rows"])
        return w.msg("claims.evidence.report_only", cell=cell, rows=rows)
    parts = [w.msg("claims.evidence.used", cell=cell, row=_row_text(item["used"], w, publishers, indicator))]
    if item.get("preferred_ids"):
        key = "preferred_is_report" if item["preferred_is_report"] else "preferred_unusable"
        parts.append(w.msg(f"claims.evidence.{key}", ids=w.msg.join(item["preferred_ids"])))
    if item["others"]:
        parts.append(w.msg("claims.evidence.others",
                           rows=w.join(_row_text(r, w, publishers, indicator) for r in item["others"])))
    if item["conflicts"]:
        parts.append(w.msg("claims.evidence.conflict", values=_values(item["conflicts"], w, indicator),
                           figure=w.figure(item["figure"])))
    if item["compatible"]:
        parts.append(w.msg("claims.evidence.compatible", values=_values(item["compatible"], w, indicator)))
    if item["circular"]:
        parts.append(w.msg("claims.evidence.circular"))
    return w.join(parts)


def _notes(item: dict, w: Words) -> str:
    notes = ""
    if item["bounds"]:
        notes += w.msg("claims.evidence.bounds_note",
                       figures=w.join(w.city_figure(b["city"], b["figure"]) for b in item["bounds"]))
    if item["inferred_cities"]:
        notes += w.msg("claims.evidence.inferred_note", cities=w.msg.join(w.city(c) for c in item["inferred_cities"]))
    return notes


def _point_gap(item: dict, w: Words, publishers: dict) -> str:
    unit = (w.msg("claims.unit.percentage_points") if item["difference_unit"] == "percentage points"
            else w.unit(item["indicator"]))
    differences = w.msg.join(w.msg("claims.evidence.difference", peer=w.city(d["peer"]),
                                   difference=w.number(d["difference"], signed=True))
                             for d in item["differences"])
    return w.msg("claims.evidence.point_gap", city=w.city(item["city"]), year=item["year"], unit=unit,
                 differences=differences, notes=_notes(item, w))


def _point_rank(item: dict, w: Words, publishers: dict) -> str:
    return w.msg("claims.evidence.point_rank", year=item["year"], rank=w.number(item["rank"]), n=item["n_ranked"],
                 notes=_notes(item, w))


_EVIDENCE = {
    "cell": _cell_item,
    "point_gap": _point_gap,
    "point_rank": _point_rank,
    "no_series": lambda item, w, publishers: w.msg("claims.evidence.no_series"),
    "related_series": lambda item, w, publishers: w.msg("claims.evidence.related_series",
                                                        indicator=w.indicator(item["indicator"])),
}
"""Per evidence item kind: its wording."""


def sources_text(row, words: Words) -> str:
    """The sources of the figures used: publisher in the words' language and source id, the report marked."""
    report = set(filter(None, str(row["report_source_ids"]).split(";")))
    publishers = _publishers(row)
    items = []
    for sid in filter(None, str(row["source_ids"]).split(";")):
        name = publishers.get(sid, {}).get(words.msg.lang, "")
        key = "claims.sources." + ("report" if sid in report else "item") + ("" if name else "_id")
        items.append(words.msg(key, source_id=sid, publisher=name))
    return words.join(items)
