"""One language per report: the reader HTML of a ``--lang zh`` run holds no English words,
and that of a ``--lang en`` run no untranslated Chinese.

Both checks read the text a reader sees (element text, ``alt`` and ``title``) of the landing
page and of every reader page, parsed with :mod:`html.parser`. Left out on both sides:
``<code>``, ``<script>``, ``<style>``, quotes (``<blockquote>``, ``<q>``), ``href`` values and
image data (attributes other than ``alt`` and ``title`` are never read).

What the Chinese report may still hold in Latin script:

- all-capital acronyms (R&D, GDP, PCT, CNIPA, ...);
- source ids (``src-`` and hex digits);
- indicator codes written as codes (a token with an underscore that is an indicator code of
  the run's data, e.g. ``rd_intensity``);
- release labels (``vintage`` in observations.csv): English data text with no Chinese column.
  They are checked on their own by an expected failure below, so the gap stays visible.

What the English report may hold in Chinese: text inside an element whose ``lang`` is
Chinese, inside a quote, and an official Chinese name beside its English, i.e. a bracketed
group holding only Chinese right after Latin text: ``Beijing Municipality (北京市)``.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from analysis import report

PAGES = ["index.html"] + [f"html/{path.stem}.html" for path in report.notebook_paths()]
"""Every page a reader opens: the landing page and one page per notebook."""

SKIPPED_TAGS = {"code", "script", "style", "blockquote", "q"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BLOCK_TAGS = {"html", "head", "title", "body", "nav", "section", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6",
              "ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "tr", "th", "td", "figure", "figcaption",
              "pre", "blockquote"}
READ_ATTRIBUTES = ("alt", "title")

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
"""Han characters, CJK punctuation and full-width forms."""
LATIN_TOKEN = re.compile(r"[0-9A-Za-z_\u00c0-\u024f](?:[0-9A-Za-z_\u00c0-\u024f./-]*[0-9A-Za-z_\u00c0-\u024f/])?")
"""A run of Latin letters and digits, with the ``_ . - /`` that join codes and paths."""
LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}")
SOURCE_ID = re.compile(r"src-[0-9a-f]+")
NAME_BESIDE_ENGLISH = re.compile(
    r"(?<=[A-Za-z0-9)\]’'\"])\s?[(（]([\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef·]+)[)）]")
"""A bracketed group of Chinese only, right after Latin text: the official name beside its English."""


class ReaderText(HTMLParser):
    """The text a reader sees, in segments (one per block element or attribute), with the
    skipped elements left out. ``skip_lang`` also leaves out elements whose ``lang`` starts
    with it (e.g. ``"zh"``)."""

    def __init__(self, skip_lang: str | None = None):
        super().__init__(convert_charrefs=True)
        self.skip_lang = skip_lang
        self.segments: list[str] = []
        self._open: list[tuple[str, bool]] = []  # (tag, skipped) of each open element
        self._text: list[str] = []

    def _skipping(self) -> bool:
        return any(skipped for _, skipped in self._open)

    def _flush(self):
        text = " ".join("".join(self._text).split())
        if text:
            self.segments.append(text)
        self._text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in BLOCK_TAGS:
            self._flush()
        skipped = tag in SKIPPED_TAGS or bool(
            self.skip_lang and (attrs.get("lang") or "").lower().startswith(self.skip_lang))
        if not skipped and not self._skipping():
            self.segments.extend(attrs[name] for name in READ_ATTRIBUTES if attrs.get(name))
        if tag in VOID_TAGS:
            return
        self._open.append((tag, skipped))
        if skipped:
            self._text.append(" … ")

    def handle_endtag(self, tag):
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth][0] == tag:
                del self._open[depth:]
                break
        if tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data):
        if not self._skipping():
            self._text.append(data)

    def close(self):
        super().close()
        self._flush()


def reader_segments(html: str, *, skip_lang: str | None = None) -> list[str]:
    """The text segments a reader sees in a page (see :class:`ReaderText`)."""
    parser = ReaderText(skip_lang)
    parser.feed(html)
    parser.close()
    return parser.segments


def page_segments(folder: Path, page: str, *, skip_lang: str | None = None) -> list[str]:
    return reader_segments((folder / page).read_text(encoding="utf-8"), skip_lang=skip_lang)


def in_context(text: str, start: int, end: int, width: int = 70) -> str:
    """``text[start:end]`` with up to ``width`` characters either side."""
    before = "…" if start > width else ""
    after = "…" if end + width < len(text) else ""
    return f"{before}{text[max(0, start - width):end + width]}{after}"


def run_data(folder: Path) -> Path:
    """The data folder a report was run on (from its summary.json)."""
    return Path(json.loads((folder / "summary.json").read_text(encoding="utf-8"))["parameters"]["data_dir"])


def release_labels(data_dir: Path) -> list[str]:
    """The release labels (``vintage``) of the observations, longest first."""
    labels = pd.read_csv(data_dir / "observations.csv", usecols=["vintage"])["vintage"].dropna().unique()
    return sorted(labels, key=len, reverse=True)


def english_leftovers(segment: str, *, codes: set[str]) -> list[tuple[str, str]]:
    """(word, context) of each English word in a segment of the Chinese report."""
    found = []
    for token in LATIN_TOKEN.finditer(segment):
        text = token.group()
        if SOURCE_ID.fullmatch(text):
            continue
        if "_" in text and text in codes:
            continue
        for word in LATIN_WORD.finditer(text):
            if not word.group().isupper():
                found.append((word.group(), in_context(segment, token.start(), token.end())))
    return found


def chinese_leftovers(segment: str) -> list[tuple[str, str]]:
    """(Chinese text, context) of each untranslated Chinese run in a segment of the English report."""
    allowed = [match.span(1) for match in NAME_BESIDE_ENGLISH.finditer(segment)]
    return [(run.group(), in_context(segment, run.start(), run.end()))
            for run in CJK.finditer(segment)
            if not any(start <= run.start() and run.end() <= end for start, end in allowed)]


def report_leftovers(page: str, leftovers: list[tuple[str, str]]) -> str:
    """The leftovers, one line each with the text around them (repeats counted once)."""
    lines = list(dict.fromkeys(f"  {text!r} in: {context}" for text, context in leftovers))
    return f"{len(leftovers)} leftover(s) in {page}:\n" + "\n".join(lines)


@pytest.fixture(scope="module")
def zh_folder(zh_report) -> Path:
    code, folder = zh_report
    assert code == 0, f"the --lang zh report run failed (exit status {code}); see {folder}"
    return folder


@pytest.fixture(scope="module")
def en_folder(default_report) -> Path:
    code, folder = default_report
    assert code == 0, f"the default report run failed (exit status {code}); see {folder}"
    return folder


def test_both_reports_hold_exactly_the_pages_checked_here(en_folder, zh_folder):
    for folder in (en_folder, zh_folder):
        found = {"index.html"} | {f"html/{page.name}" for page in (folder / "html").glob("*.html")}
        assert found == set(PAGES), folder


@pytest.mark.parametrize("page", PAGES)
def test_the_chinese_report_has_no_english_words(zh_folder, page):
    data_dir = run_data(zh_folder)
    codes = set(pd.read_csv(data_dir / "indicators.csv", usecols=["code"])["code"])
    leftovers = [found
                 for segment in page_segments(zh_folder, page)
                 for found in english_leftovers(segment, codes=codes)]
    assert not leftovers, report_leftovers(page, leftovers)


def test_the_chinese_report_shows_no_english_release_label(zh_folder):
    """Release labels (observations.csv ``vintage``) are English data text; the Chinese pages
    name a release by its Chinese form from vintages.csv."""
    labels = release_labels(run_data(zh_folder))
    shown = [(label, in_context(segment, segment.find(label), segment.find(label) + len(label)))
             for page in PAGES for segment in page_segments(zh_folder, page)
             for label in labels if label in segment]
    assert not shown, report_leftovers("the Chinese report", shown)


@pytest.mark.parametrize("page", PAGES)
def test_the_english_report_has_no_untranslated_chinese(en_folder, page):
    leftovers = [found
                 for segment in page_segments(en_folder, page, skip_lang="zh")
                 for found in chinese_leftovers(segment)]
    assert not leftovers, report_leftovers(page, leftovers)


def test_the_checks_find_what_they_look_for():
    """The rules above on a hand-written page: what is left out, what is allowed, what is caught."""
    page = ('<html lang="zh-CN"><head><title>标题</title><style>body{font-family:x}</style></head><body>'
            '<p>广州 R&amp;D 强度 <code>rd_intensity</code> rd_intensity [src-0a1b] 见 summary.json 和 tables/</p>'
            '<blockquote>quoted words</blockquote><p><a href="html/page.html">页面</a></p>'
            '<img alt="No description" src="data:image/png;base64,AAAA"><td>percentage points</td></body></html>')
    codes = {"rd_intensity"}
    found = [word for segment in reader_segments(page)
             for word, _ in english_leftovers(segment, codes=codes)]
    assert found == ["summary", "json", "tables", "No", "description", "percentage", "points"]

    english = ('<html lang="en"><body>'
               '<p>Beijing Municipality (北京市) and the 2018 summary (section 二, 存在的主要问题)</p>'
               '<blockquote lang="zh-CN">引文</blockquote>'
               '<td><span lang="zh-CN">原文</span> 众创空间206家</td></body></html>')
    found = [text for segment in reader_segments(english, skip_lang="zh") for text, _ in chinese_leftovers(segment)]
    assert found == ["二", "存在的主要问题", "众创空间", "家"]
