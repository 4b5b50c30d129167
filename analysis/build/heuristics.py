"""What a raw row's note and quote say about its figure: lower bound, approximate, year inferred.

The curation table is authoritative; where it disagrees with these readings it must say
why (``curation.csv`` column ``flag_note``), so a flag never silently contradicts the text.
"""

from __future__ import annotations

import re

_LB_NOTE = re.compile(r"(?i)lower bound")
_LB_WORDS = r"超过|超過|突破|超|逾|more than|over|exceed(?:ed|s|ing)?|surpass(?:ed|es|ing)?"
_AP_NOTE = re.compile(r"(?i)(?<!existing )\b(?:rounded|approximate|preliminary)\b(?! row)|左右")
_AP_BEFORE = r"约|近|about|nearly|almost|around|rund|approximately"
_YI_NOTE = re.compile(r"(?i)year[^;.]{0,40}\binferred\b|\binferred\b[^;.]{0,20}\byear|"
                      r"year assignment is an inference|reference year not|year not printed|"
                      r"year not stated|year ambiguous|data year ambiguous|treat year with caution|"
                      r"taken as [^;]{0,30}(?:20\d\d|year-end|stock)|assumed (?:latest|20\d\d)")
_NUMBER = re.compile(r"\d[\d,]*(?:[.,]\d+)?")


def _digits(text: str) -> str:
    """Significant digits of a number as written: '1.1' -> '11', '14,000' -> '14', '0.51' -> '51'."""
    return re.sub(r"\D", "", text).lstrip("0").rstrip("0")


def _value_tokens(quote: str, value: str) -> list[re.Match]:
    """Spans of the numbers in ``quote`` whose significant digits equal those of ``value``."""
    target = _digits(value)
    return [m for m in _NUMBER.finditer(quote) if target and _digits(m.group()) == target]


def text_flags(note: str, quote: str, value: str) -> dict[str, bool]:
    """Lower-bound, approximate and year-inferred flags as the raw note and quote state them.

    Note: LOWER BOUND, ROUNDED / APPROXIMATE / PRELIMINARY / 左右, 'year ... inferred'.
    Quote: 超过 / 突破 / more than / over / exceeded just before the figure itself; 约 /
    about / nearly just before it or 左右 just after it. Only the figure's own number counts
    (its significant digits, so '1.1 万' matches 11000), not other numbers in the sentence.

    Returns
    -------
    dict with boolean keys ``lower_bound``, ``approximate``, ``year_inferred``.
    """
    lower = bool(_LB_NOTE.search(note))
    approx = bool(_AP_NOTE.search(note))
    for match in _value_tokens(quote, value):
        before = quote[max(0, match.start() - 16):match.start()]
        after = quote[match.end():match.end() + 6]
        if re.search(rf"(?i)(?:{_LB_WORDS})[\s了达到至:：]{{0,3}}$", before):
            lower = True
        if re.search(rf"(?i)(?:{_AP_BEFORE})\s{{0,2}}$", before) or re.match(r"[\s%％万亿元件家个人]{0,4}左右", after):
            approx = True
    return {"lower_bound": lower, "approximate": approx,
            "year_inferred": bool(_YI_NOTE.search(note))}
