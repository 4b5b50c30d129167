"""Regenerate the README's screenshots of the landing page: ``docs/landing-en.png`` and
``docs/landing-zh.png``.

Runs the report with default parameters in each language into a temporary folder (or
takes report folders already written) and photographs the top of each ``index.html`` in
headless Chromium, offline, at a fixed width. From the project root::

    python scripts/screenshots.py
    python scripts/screenshots.py --report-en reports/latest --report-zh /tmp/zh

Needs Debian's ``chromium``, ``chromium-driver`` and ``fonts-noto-cjk`` and selenium (the
test extra).
"""

from __future__ import annotations

import argparse
import base64
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
BROWSER_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars"]
"""Headless and offline: the page must show everything from its own folder."""
LANGUAGES = ("en", "zh")


def run_report(lang: str, out: Path) -> Path:
    """Run the report with default parameters in ``lang`` into ``out``; the folder."""
    subprocess.run([sys.executable, "-m", "analysis", "report", "--lang", lang, "--out", str(out), "--quiet"],
                   cwd=ROOT, check=True)
    return out


def screenshot(driver, page: Path, target: Path, *, width: int, height: int | None) -> tuple[int, int]:
    """Write a PNG of ``page`` at ``width`` CSS pixels: its top ``height`` pixels, or the whole
    page when ``height`` is None. Returns the image's (width, height)."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height or 1000, "deviceScaleFactor": 1, "mobile": False})
    driver.get(page.resolve().as_uri())
    driver.execute_script("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(
        "return document.readyState === 'complete' && Array.from(document.images).every(i => i.complete)"
        " && document.fonts.status === 'loaded'"))
    full = driver.execute_script("return document.documentElement.scrollHeight")
    shown = min(height, full) if height else full
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": shown, "scale": 1}})
    target.write_bytes(base64.b64decode(shot["data"]))
    return width, shown


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in BROWSER_FLAGS:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for lang in LANGUAGES:
        parser.add_argument(f"--report-{lang}", type=Path, default=None, metavar="FOLDER",
                            help=f"a {lang} report folder already written (default: run one)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder of the PNGs (default docs/)")
    parser.add_argument("--width", type=int, default=1200, help="page width in CSS pixels (default 1200)")
    parser.add_argument("--height", type=int, default=1400,
                        help="top of the page to show, in CSS pixels; 0 for the whole page (default 1400)")
    args = parser.parse_args(argv)
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).is_file()]
    if missing:
        raise SystemExit(f"{' and '.join(missing)} not found: apt-get install chromium chromium-driver fonts-noto-cjk")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as scratch:
        folders = {lang: getattr(args, f"report_{lang}") or run_report(lang, Path(scratch) / lang)
                   for lang in LANGUAGES}
        for folder in folders.values():
            if not (folder / "index.html").is_file():
                raise SystemExit(f"{folder}: no index.html; give a folder written by `python -m analysis report`")
        driver = browser()
        try:  # both shots first, then both files: a failure leaves the old pair in place
            shots = {lang: (Path(scratch) / f"landing-{lang}.png") for lang in LANGUAGES}
            sizes = {lang: screenshot(driver, folders[lang] / "index.html", shots[lang],
                                      width=args.width, height=args.height or None) for lang in LANGUAGES}
        finally:
            driver.quit()
        for lang, shot in shots.items():
            target = args.out / shot.name
            shutil.copyfile(shot, target)
            print(f"{target}: {sizes[lang][0]} x {sizes[lang][1]} px, from {folders[lang] / 'index.html'}")


if __name__ == "__main__":
    main()
