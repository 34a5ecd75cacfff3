"""What the browser tests share: finding Chromium (or skipping with the reason), launching it
headless through Playwright, and the folder where their screenshots go.

The tests drive Debian's Chromium (``/usr/bin/chromium``) with Playwright for Python; nothing
downloads a browser. Without Chromium or Playwright they skip, with the reason, unless
``GANCOURSE_REQUIRE_BROWSER=1`` (set by ``.ci/run``): then they fail, so CI never skips them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from gancourse.site import browser_problem, find_chromium

ROOT = Path(__file__).resolve().parents[1]
REQUIRE_ENV = "GANCOURSE_REQUIRE_BROWSER"
# Screenshots (and the test site) go here; build/ is ignored by git. GANCOURSE_ARTIFACTS moves it.
ARTIFACTS = Path(os.environ.get("GANCOURSE_ARTIFACTS") or ROOT / "build" / "test-artifacts")
# Chromium flags that work in a container without a network: no sandbox as root (Playwright
# adds --no-sandbox), and no background connections that a closed network refuses.
CHROMIUM_FLAGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_browser() -> str:
    """The path of Chromium; skips the test (fails it under GANCOURSE_REQUIRE_BROWSER=1) when
    Chromium or Playwright is missing."""
    problem = browser_problem()
    if problem is None:
        return str(find_chromium())
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{problem} ({REQUIRE_ENV}=1: CI runs the browser tests, never skips them)")
    pytest.skip(f"browser test skipped: {problem}")


@contextmanager
def chromium_page(viewport: tuple[int, int] = (1280, 900)) -> Iterator:
    """A fresh headless Chromium (a new empty profile) and one page in it."""
    from playwright.sync_api import sync_playwright

    executable = require_browser()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
            yield page
        finally:
            browser.close()


def artifacts(name: str) -> Path:
    """A folder for one test's screenshots, emptied first."""
    folder = ARTIFACTS / name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


# What an error looks like in a notebook page: JupyterLab and nbconvert both show a cell's error
# as stderr text (the traceback), beside warnings; an error names its exception.
ERROR_OUTPUTS_JS = """() => {
  const outputs = document.querySelectorAll(
    "[data-mime-type$='jupyter.stderr'], [data-mime-type$='jupyter.error']");
  const error = /Traceback \\(most recent call last\\)|^\\w*(Error|Exception|Interrupt)\\b/m;
  return [...outputs].map(e => e.innerText).filter(text => error.test(text));
}"""


_REPORTED: set[Path] = set()


def report_folder(request: pytest.FixtureRequest, folder: Path) -> None:
    """Say where the screenshots are, after the test run's summary (output capture is over)."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or folder in _REPORTED:
        return
    _REPORTED.add(folder)
    request.config.add_cleanup(lambda: reporter.write_line(f"browser screenshots: {folder}"))
