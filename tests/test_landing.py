"""The landing page and the reader pages: the answer first, one block per gap, escaped
data, the page's language declared, nothing fetched from the network, code hidden."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import nbformat

import analysis
from analysis import landing, pages
from analysis.catalogue import Labels

DOCS = Path(analysis.__file__).resolve().parent.parent / "docs"


def test_the_landing_page_answers_each_gap_in_order(default_report):
    _, out = default_report
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and '<html lang="en">' in page
    gaps = re.findall(r'<section class="gap" data-gap="([a-z_]+)">', page)
    assert gaps == ["strategic", "rd_intensity", "leading_firms", "talent_capital", "culture"]
    for block in re.findall(r'<section class="gap".*?</section>', page, flags=re.S):
        finding = re.search(r'<div class="finding">(.*?)</div>', block, flags=re.S).group(1)
        assert "Guangzhou" in finding and "Data:" in finding     # the finding, and how much the data covers
    assert page.index('data-gap="culture"') < page.index('class="index"') < page.index('class="claims"')
    assert not re.search(r"<script|https?://", page)             # self-contained: nothing fetched
    images = re.findall(r'<img src="([^"]+)"', page)
    assert len(images) == len(set(images))                         # each figure once
    assert all((out / image).is_file() for image in images)
    assert all("<figcaption>" in fig for fig in re.findall(r"<figure>.*?</figure>", page, flags=re.S))


def test_a_landing_page_in_chinese_declares_it(default_report):
    _, out = default_report
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    page = landing.landing_page(summary, Labels.load("zh"))
    assert '<html lang="zh-CN">' in page and "广州" in page and "差距1" in page


def test_every_text_from_the_data_is_escaped(default_report):
    _, out = default_report
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    labels = Labels.load("en")
    labels.cities.loc["Guangzhou", "name_en"] = "<script>alert(1)</script>"
    labels.catalogue.loc["rd_intensity", "name_en"] = "<img src=x onerror=alert(2)>"
    broken = copy.deepcopy(summary)
    broken["notebooks"]["02_rd_intensity"]["ok"] = False
    broken["notebooks"]["02_rd_intensity"]["error"] = "cell 3 raised <b>boom</b>"
    page = landing.landing_page(broken, labels)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;b&gt;boom&lt;/b&gt;" in page


def test_a_failed_gap_says_so_instead_of_showing_empty_rows(default_report):
    _, out = default_report
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    summary["findings"][3] = {"gap": "talent_capital", "missing": True}
    page = landing.landing_page(summary, Labels.load("en"))
    block = re.search(r'<section class="gap" data-gap="talent_capital">.*?</section>', page, flags=re.S).group(0)
    assert "No finding for this gap: its notebook failed or was not run." in block


def test_summary_json_follows_its_documented_schema(default_report):
    _, out = default_report
    schema = json.loads((DOCS / "summary.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads((out / "summary.json").read_text(encoding="utf-8")), schema)


def test_reader_pages_hide_code_and_parameters(default_report):
    _, out = default_report
    for path in (out / "html").glob("*.html"):
        page = path.read_text(encoding="utf-8")
        assert '<html lang="en">' in page and "../index.html" in page
        assert "sheets.open_report" not in page and "output_dir" not in page     # no code, no injected parameters
        assert not re.search(r"<script|require\.js|mathjax", page, flags=re.I)
        assert "In&nbsp;[" not in page and "In [" not in page


def test_analyst_cells_stay_in_the_notebook_but_not_on_the_page():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# For analysts", metadata={"tags": [pages.ANALYST_TAG]}),
        nbformat.v4.new_markdown_cell("Shown"),
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]})])
    body = pages.notebook_body(notebook)
    assert "For analysts" not in body and "Shown" in body and "x = 1" not in body
