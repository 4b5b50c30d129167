"""The report in a real browser: headless Chromium opens the landing page and every reader
page of a default run, in English and in Chinese, with the network cut off. Each gap's
finding must be visible and name the focus city; no page may log an error or ask for
anything but local files. A data copy whose indicator and city names hold markup must
show that markup as text and run none of it.

Needs Debian's ``chromium`` and ``chromium-driver`` (and ``fonts-noto-cjk`` for Chinese)
and the test extra (selenium); without them these tests skip and say what to install.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import cli, report

INSTALL = ("install Chromium and its driver (Debian: apt-get install chromium chromium-driver fonts-noto-cjk) "
           "and the test extra (pip install -e '.[test]')")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
BROWSER_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1200,1400"]
"""Headless, and no host name resolves: a page that asks the network for anything fails."""
LOCAL_SCHEMES = ("file:", "data:")
"""What a page may load: its own files and images embedded in it."""
HTML_LANG = {"en": "en", "zh": "zh-CN"}

SCRIPT_NAME = "<script>window.__pwned=1</script><b>x</b>"
IMG_NAME = '<img src=x onerror="window.__pwned=2">'


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module, its console and network logged."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip(f"selenium is not installed: {INSTALL}")
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).is_file()]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not found: {INSTALL}")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in BROWSER_FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def open_page(driver, path: Path) -> dict:
    """Open a local page, load every image (lazy ones too) and return what happened:
    ``errors`` (SEVERE console entries), ``requests`` (URLs other than local files and
    embedded data) and ``broken_images`` (images that did not load)."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get_log("browser"), driver.get_log("performance")  # forget the previous page
    driver.get(path.as_uri())
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    driver.execute_script("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return Array.from(document.images).every(i => i.complete)"))
    broken = driver.execute_script(
        "return Array.from(document.images).filter(i => i.naturalWidth === 0).map(i => i.getAttribute('src'))")
    errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if not url.startswith(LOCAL_SCHEMES):
                requests.append(url)
    return {"errors": errors, "requests": requests, "broken_images": [src[:80] for src in broken]}


def test_the_browser_check_sees_script_errors_requests_and_broken_images(browser, tmp_path):
    """The checks below can fail: a hand-written page that does all they look for."""
    page = tmp_path / "bad.html"
    page.write_text('<!doctype html><html><body><p>x</p><img src="missing.png">'
                    '<img src="https://example.org/remote.png" loading="lazy">'
                    '<script>window.__pwned = 1; undefinedFunction();</script></body></html>', encoding="utf-8")
    seen = open_page(browser, page)
    assert browser.execute_script("return typeof window.__pwned") == "number"
    assert any("undefinedFunction" in error for error in seen["errors"])
    assert seen["requests"] == ["https://example.org/remote.png"]
    assert seen["broken_images"] == ["missing.png", "https://example.org/remote.png"]


def run_folder(run) -> Path:
    code, folder = run
    assert code == 0, f"the report run failed (exit status {code}); see {folder}"
    return folder


@pytest.fixture(params=["en", "zh"])
def lang_report(request) -> tuple[str, Path]:
    """(language, folder) of the full default run in that language."""
    fixture = "default_report" if request.param == "en" else "zh_report"
    return request.param, run_folder(request.getfixturevalue(fixture))


def test_the_landing_page_shows_the_finding_of_each_gap(browser, lang_report):
    from selenium.webdriver.common.by import By

    lang, folder = lang_report
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    data_dir = Path(summary["parameters"]["data_dir"])
    cities = pd.read_csv(data_dir / "cities.csv").set_index("code")
    focus = cities.loc[summary["parameters"]["focus"], f"name_{lang}"]
    gaps = pd.read_csv(data_dir / "gaps.csv").query("number > 0").sort_values("number")["code"].tolist()

    open_page(browser, folder / "index.html")
    assert browser.execute_script("return document.documentElement.lang") == HTML_LANG[lang]
    sections = browser.find_elements(By.CSS_SELECTOR, "section.gap")
    assert [section.get_attribute("data-gap") for section in sections] == gaps
    for gap, section in zip(gaps, sections):
        findings = section.find_elements(By.CSS_SELECTOR, "div.finding")
        assert len(findings) == 1, gap
        finding = findings[0]
        assert finding.is_displayed(), gap
        assert finding.size["height"] > 0 and finding.size["width"] > 0, gap
        text = finding.text.strip()
        assert text, f"{gap}: the finding is empty"
        assert focus in text or unmeasurable(text, lang), (
            f"{gap}: the finding neither names {focus} nor says the data cannot measure the gap: {text!r}")


def unmeasurable(sentence: str, lang: str) -> bool:
    """Whether a sentence is the catalogue's "the data cannot measure this gap" finding."""
    from analysis.messages import Messages

    template = Messages(lang).template("finding.not_measurable")
    return sentence.startswith(template.split("{")[0])


def test_the_landing_page_opens_offline_without_errors(browser, lang_report):
    _, folder = lang_report
    seen = open_page(browser, folder / "index.html")
    assert seen == {"errors": [], "requests": [], "broken_images": []}


def test_every_reader_page_opens_offline_without_errors(browser, lang_report):
    lang, folder = lang_report
    pages = sorted((folder / "html").glob("*.html"))
    assert [page.stem for page in pages] == sorted(path.stem for path in report.notebook_paths())
    problems = {}
    for page in pages:
        seen = open_page(browser, page)
        seen["lang"] = browser.execute_script("return document.documentElement.lang")
        if seen != {"errors": [], "requests": [], "broken_images": [], "lang": HTML_LANG[lang]}:
            problems[page.name] = seen
    assert not problems


def replace_in_csv(path: Path, key: str, column: str, value: str):
    """Set one cell of a data table (the row whose ``code`` is ``key``), written back as valid CSV."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0])
    [row] = [row for row in rows if row["code"] == key]
    row[column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_markup_in_data_names_is_shown_as_text_and_never_run(browser, data_copy, tmp_path):
    from selenium.webdriver.common.by import By

    replace_in_csv(data_copy / "indicators.csv", "rd_intensity", "name_en", SCRIPT_NAME)
    replace_in_csv(data_copy / "cities.csv", "Beijing", "name_en", IMG_NAME)
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name in ("00_overview", "02_rd_intensity"):
        shutil.copy(report.NOTEBOOKS_DIR / f"{name}.ipynb", notebooks)
    out = tmp_path / "report"
    code = cli.main(["report", "--data-dir", str(data_copy), "--notebooks", str(notebooks),
                     "--out", str(out), "--quiet"])
    assert code == 0, f"the report run on the data copy failed (exit status {code}); see {out}"

    for page in (out / "index.html", out / "html" / "02_rd_intensity.html"):
        seen = open_page(browser, page)
        assert browser.execute_script("return typeof window.__pwned") == "undefined", page.name
        assert browser.execute_script(
            "return document.querySelectorAll('script, img[onerror], [onerror]').length") == 0, page.name
        shown = browser.find_element(By.TAG_NAME, "body").text
        assert SCRIPT_NAME in shown, f"{page.name}: the indicator name is not shown as text"
        assert IMG_NAME in shown, f"{page.name}: the city name is not shown as text"
        assert seen == {"errors": [], "requests": [], "broken_images": []}, page.name
