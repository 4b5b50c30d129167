"""The verdicts for reading: counts per verdict and the claims table, in English or Chinese."""

from __future__ import annotations

import pandas as pd

from .._frame import check_known, require_columns
from ..catalogue import check_language
from .verdicts import AS_STATED, CHECKS, CONTRADICTED, NOT_VERIFIABLE, PROXY, SUPPORTED, VERDICTS


def verdict_counts(verdicts: pd.DataFrame, *, check: str | None = AS_STATED) -> pd.DataFrame:
    """How many claims got each verdict.

    Parameters
    ----------
    verdicts : pandas.DataFrame
        Result of :func:`evaluate_claims`.
    check : str or None, default "as stated"
        Count only rows with this ``check`` (:data:`CHECKS`); None counts every row,
        proxy lines included.

    Returns
    -------
    pandas.DataFrame
        Columns ``verdict`` and ``count`` (int), one row per verdict in :data:`VERDICTS`
        order, zeros included. ``dict(zip(out.verdict, out["count"]))`` gives a
        JSON-ready mapping.
    """
    if check is not None:
        check_known([check], CHECKS, what="check", known_as="use None or one of")
    require_columns(verdicts, ("verdict", "check"), name="verdict table", hint=_HINT)
    rows = verdicts if check is None else verdicts.loc[verdicts["check"].eq(check)]
    check_known(sorted(set(rows["verdict"])), VERDICTS, what="verdict(s)", known_as="verdicts are")
    counts = rows["verdict"].value_counts()
    return pd.DataFrame({"verdict": list(VERDICTS),
                         "count": [int(counts.get(v, 0)) for v in VERDICTS]})


_HINT = "pass the result of evaluate_claims()"
_ZH = {
    "columns": {"claim_id": "编号", "check": "核对方式", "claim": "论断（原文）", "gist": "要点（英文）",
                "kind": "类型", "year": "年份", "verdict": "结论", "reason": "理由", "evidence": "证据",
                "sources": "来源"},
    "verdict": {SUPPORTED: "得到支持", CONTRADICTED: "与数据不符", NOT_VERIFIABLE: "无法核实"},
    "check": {AS_STATED: "按原文", PROXY: "最近共同年份（替代核对）"},
    "kind": {"threshold": "阈值", "rank": "排名", "ratio": "倍数", "ordering": "高低比较", "equality": "数值"},
}


def claims_table(verdicts: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The verdicts as a table to read or copy: one row per claim (and proxy line).

    Parameters
    ----------
    verdicts : pandas.DataFrame
        Result of :func:`evaluate_claims`.
    lang : {"en", "zh"}, default "en"
        Language of the headers and of the verdict, check and kind labels (claim text is
        Chinese, gist, reason and evidence English in both).

    Returns
    -------
    pandas.DataFrame
        Columns claim_id, check, claim (the report's text), gist, kind, year (the year
        checked), verdict, reason, evidence, sources; a fresh RangeIndex.
    """
    check_language(lang)
    require_columns(verdicts, ("claim_id", "check", "claim_zh", "gist_en", "kind", "year", "verdict", "reason",
                               "evidence", "sources"), name="verdict table", hint=_HINT)
    out = pd.DataFrame({
        "claim_id": verdicts["claim_id"].to_numpy(), "check": verdicts["check"].to_numpy(),
        "claim": verdicts["claim_zh"].to_numpy(), "gist": verdicts["gist_en"].to_numpy(),
        "kind": verdicts["kind"].to_numpy(), "year": verdicts["year"].astype("Int64").to_numpy(),
        "verdict": verdicts["verdict"].to_numpy(), "reason": verdicts["reason"].to_numpy(),
        "evidence": verdicts["evidence"].to_numpy(), "sources": verdicts["sources"].to_numpy(),
    })
    if lang == "zh":
        for column in ("verdict", "check", "kind"):
            out[column] = out[column].map(lambda v, c=column: _ZH[c].get(v, v))
        out = out.rename(columns=_ZH["columns"])
    return out
