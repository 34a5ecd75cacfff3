"""The course website in a real browser: `gancourse site` builds it (lesson 04 executed, the
others rendered without outputs, so every link leads somewhere), headless Chromium opens it from
the file system and checks the contents page, a lesson's figures and equations, and the links.

Screenshots are saved under build/test-artifacts/site/ (printed at the end of the run).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_support import (
    ARTIFACTS,
    ERROR_OUTPUTS_JS,
    ROOT,
    artifacts,
    chromium_page,
    report_folder,
    require_browser,
)

EXECUTED = "04_gan_from_scratch_numpy"  # NumPy only: fast, with equations and figures
LESSONS = sorted(path.stem for path in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
EXERCISES = sorted(path.stem for path in (ROOT / "exercises").glob("lesson[0-9][0-9].py"))
BUILD_TIMEOUT_S = 600


@pytest.fixture(scope="module")
def site() -> Path:
    """The site, built by the CLI as a user would, into build/test-artifacts/site/html."""
    require_browser()  # no point in building it without a browser to look at it
    output = ARTIFACTS / "site" / "html"
    command = [sys.executable, "-m", "gancourse.cli", "site", "--output", str(output)]
    finished = subprocess.run(
        [*command, "--execute", EXECUTED[:2]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
    )
    log = finished.stdout + finished.stderr
    assert finished.returncode == 0, log
    # One progress line per lesson, the executed one with its time.
    assert re.search(rf"\] {EXECUTED}: executed in \d+\.\d s", finished.stdout), log
    for lesson in LESSONS:
        assert f"] {lesson}: " in finished.stdout, f"no progress line for {lesson}:\n{log}"
    return output


def _no_network(page) -> list[str]:
    """Collects every request that leaves the file system (the site must work offline)."""
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if urlsplit(request.url).scheme not in {"file", "data", "blob", "about"}
            else None
        ),
    )
    return outside


def test_contents_page_links_every_lesson_and_exercise(site, request):
    shots = artifacts("site")
    report_folder(request, shots)
    with chromium_page() as page:
        outside = _no_network(page)
        page.goto((site / "index.html").as_uri())
        hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.href)")
        linked = {Path(urlsplit(href).path) for href in hrefs if href.startswith("file:")}
        for lesson in LESSONS:
            assert site / f"{lesson}.html" in linked, f"the contents page does not link {lesson}"
        for exercise in EXERCISES:
            assert site / "exercises" / f"{exercise}.html" in linked, exercise
        assert site / "grading.html" in linked
        assert site / "instructor-guide.html" in linked
        missing = sorted(str(path) for path in linked if not path.is_file())
        assert missing == [], f"links to pages that do not exist: {missing}"
        footer = page.inner_text("footer.gc-footer")
        assert "commit" in footer or "not a git checkout" in footer, footer
        assert re.search(r"\d{4}-\d\d-\d\d", footer), footer
        page.screenshot(path=shots / "contents.png", full_page=True)

        # Follow a link as a reader would: contents -> lesson 04 -> its exercises -> grading.
        page.click(f"main table a[href$='{EXECUTED}.html']")
        page.wait_for_url(f"**/{EXECUTED}.html")
        page.click("nav a.gc-exercise")
        page.wait_for_url("**/exercises/lesson04.html")
        assert "def discriminator_gradient" in page.inner_text("main")
        page.screenshot(path=shots / "exercise-lesson04.png")
        page.click("main a[href$='grading.html']")
        page.wait_for_url("**/grading.html")
        assert "gancourse grade" in page.inner_text("main")
    assert outside == [], f"the site loaded something from the network: {outside}"


def test_every_link_between_pages_leads_to_a_page(site):
    from bs4 import BeautifulSoup

    pages = sorted(site.rglob("*.html"))
    pages = [page for page in pages if "mathjax" not in page.relative_to(site).parts]
    assert len(pages) >= len(LESSONS) + len(EXERCISES) + 4  # contents, grading, readme, guide
    broken = []
    for page in pages:
        for anchor in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")("a"):
            href = anchor.get("href", "")
            if not href or href.startswith(("#", "http://", "https://", "mailto:")):
                continue
            target = (page.parent / urlsplit(href).path).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {href}")
    assert broken == [], broken


def test_lesson_shows_its_figures_and_equations(site, request):
    shots = artifacts("site-lesson")
    report_folder(request, shots)
    with chromium_page() as page:
        outside = _no_network(page)
        page.goto((site / f"{EXECUTED}.html").as_uri())
        banner = page.inner_text(".gc-banner")
        assert "quick mode" in banner and "Full mode" in banner, banner

        # Equations: MathJax typeset every one, with no error.
        page.wait_for_function(
            "() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0"
            " && document.querySelectorAll('.MathJax_Display').length > 0",
            timeout=30_000,
        )
        displayed = page.locator(".MathJax_Display").count()
        inline = page.locator("span.MathJax").count()
        assert displayed >= 2 and inline >= 5, (displayed, inline)
        assert page.locator(".MathJax_Error, .merror").count() == 0
        prose = " ".join(page.locator(".jp-MarkdownOutput").all_inner_texts())
        assert "$$" not in prose and "\\mathbb" not in prose, "untypeset TeX left in the page"

        # Figures: every output image decoded, with a size.
        sizes = page.eval_on_selector_all(
            ".jp-OutputArea-output img",
            "images => images.map(i => [i.complete, i.naturalWidth, i.naturalHeight])",
        )
        assert len(sizes) >= 4, sizes
        assert all(done and width > 0 and height > 0 for done, width, height in sizes), sizes
        assert page.evaluate(ERROR_OUTPUTS_JS) == [], "a cell of the lesson shows an error"

        page.screenshot(path=shots / "lesson04-top.png")
        page.locator(".MathJax_Display").first.scroll_into_view_if_needed()
        page.screenshot(path=shots / "lesson04-equation.png")
        page.locator(".jp-OutputArea-output img").nth(2).scroll_into_view_if_needed()
        page.screenshot(path=shots / "lesson04-figure.png")
    assert outside == [], f"the site loaded something from the network: {outside}"
