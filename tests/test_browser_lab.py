"""JupyterLab in a real browser: the README's `python3 course.py lab --headless` starts on
127.0.0.1, headless Chromium opens lesson 02, runs every cell (quick mode, offline, as in the
rest of the suite), checks that figures render and no cell shows an error, moves the noise
slider and checks that the widget's picture changes. Everything the test started is shut down.

Screenshots are saved under build/test-artifacts/lab/ (printed at the end of the run).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

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

LESSON = "lessons/02_conv_denoising_autoencoders.ipynb"  # the noise slider
LESSON_PATH = Path(LESSON)
START_TIMEOUT_S = 120
RUN_TIMEOUT_S = 420  # lesson 02 in quick mode: about a minute alone, more on a busy machine


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _api(url: str, method: str = "GET") -> dict | None:
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            body = response.read()
    except (OSError, urllib.error.URLError):
        return None
    return json.loads(body) if body else {}


class Lab:
    """`python3 course.py lab --headless` in its own process group, and its output."""

    def __init__(self, tmp_path) -> None:
        self.port, self.token = _free_port(), secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        environment = dict(os.environ)  # quick mode, offline, private cache: the root conftest
        environment.pop("MPLBACKEND", None)  # the tests' Agg would hide the lessons' figures
        # Never save the lesson (autosave would write its outputs into lessons/): autosave off
        # in settings of this test's own; no layout from an earlier session either.
        settings = tmp_path / "settings" / "@jupyterlab" / "docmanager-extension"
        settings.mkdir(parents=True)
        (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
        environment.update(
            JUPYTER_TOKEN=self.token,
            JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
        )
        command = [sys.executable, "course.py", "lab", "--headless", f"--port={self.port}"]
        command += ["--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0"]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, stopped as one
        )
        self.output: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)

    def log(self) -> str:
        return "".join(self.output)

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"course.py lab exited with {self.process.returncode}:\n{self.log()}")
            if _api(f"{self.base}/api/status?token={self.token}") is not None:
                return
            time.sleep(0.5)
        pytest.fail(f"JupyterLab did not answer within {START_TIMEOUT_S} s:\n{self.log()}")

    def kernel_pids(self) -> set[int]:
        """The server's descendants (kernels run in sessions of their own, not in its group)."""
        import psutil

        try:
            return {p.pid for p in psutil.Process(self.process.pid).children(recursive=True)}
        except psutil.Error:
            return set()

    def stop(self) -> None:
        """Shut the server down through its API (it stops its kernels), then the group."""
        import psutil

        started = self.kernel_pids()
        _api(f"{self.base}/api/shutdown?token={self.token}", method="POST")
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=30)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=10)
                break
            except subprocess.TimeoutExpired:
                continue
        for pid in started:  # a kernel the shutdown missed
            with contextlib.suppress(psutil.Error):
                psutil.Process(pid).kill()
        self._reader.join(timeout=10)
        self.process.stdout.close()


@pytest.fixture
def lab(tmp_path):
    require_browser()
    # JupyterLab keeps a checkpoint of a notebook it opens; remove the one this test makes.
    checkpoints = ROOT / LESSON_PATH.parent / ".ipynb_checkpoints"
    checkpoint = checkpoints / f"{LESSON_PATH.stem}-checkpoint.ipynb"
    made = [path for path in (checkpoints, checkpoint) if not path.exists()]
    server = Lab(tmp_path)
    try:
        server.wait_until_ready()
        yield server
    finally:
        server.stop()
        if checkpoint in made:
            checkpoint.unlink(missing_ok=True)
        if checkpoints in made and checkpoints.is_dir() and not any(checkpoints.iterdir()):
            checkpoints.rmdir()
    assert server.process.poll() is not None, "course.py lab is still running"


def _code_prompts(page) -> list[str]:
    return page.eval_on_selector_all(
        ".jp-Notebook .jp-CodeCell .jp-InputPrompt", "prompts => prompts.map(p => p.textContent)"
    )


def _wait_for_kernel(page) -> None:
    """Until the notebook's kernel has started and is idle (the toolbar's indicator says
    'idle' before any kernel exists, so the kernel's name is checked too)."""
    page.wait_for_function(
        """() => {
            const name = document.querySelector('.jp-NotebookPanel-toolbar .jp-Toolbar-kernelName');
            const state = document.querySelector('.jp-Notebook-ExecutionIndicator');
            return name && !/No Kernel/.test(name.textContent)
                && state && state.dataset.status === 'idle';
        }""",
        timeout=120_000,
    )
    dialog = page.locator(".jp-Dialog")
    if dialog.count() and "Select Kernel" in dialog.inner_text():  # should not happen: say so
        page.screenshot(path=ARTIFACTS / "lab" / "kernel-dialog.png")
        pytest.fail("JupyterLab asked which kernel to start for the lesson")


def _widget_picture(page) -> tuple[str, bytes]:
    """The noise slider's first image: its src (a new blob URL for each picture) and pixels."""
    image = page.locator(".jp-OutputArea-output .widget-image").first
    return image.get_attribute("src"), image.screenshot()


def test_lesson_runs_in_jupyterlab_and_its_slider_redraws(lab, request):
    shots = artifacts("lab")
    report_folder(request, shots)
    with chromium_page(viewport=(1400, 1000)) as page:
        page.goto(f"{lab.base}/lab/tree/{LESSON}?token={lab.token}")
        page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=60_000)
        _wait_for_kernel(page)
        assert f"127.0.0.1:{lab.port}" in lab.log(), "course.py lab printed no address"
        page.screenshot(path=shots / "1-opened.png")

        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while True:  # Run All stops at a cell that fails: watch for errors while it runs
            errors = page.evaluate(ERROR_OUTPUTS_JS)
            if errors:
                page.screenshot(path=shots / "error.png")
                pytest.fail(f"a cell of {LESSON} shows an error:\n{errors[0][-3000:]}")
            prompts = _code_prompts(page)
            if prompts and all(p.strip("[]: ").isdigit() for p in prompts):
                break
            if time.monotonic() > deadline:
                page.screenshot(path=shots / "timeout.png")
                pytest.fail(f"cells still not run after {RUN_TIMEOUT_S} s: {prompts}")
            page.wait_for_timeout(1000)
        page.wait_for_timeout(1000)  # the last outputs arrive after the last prompt's number
        assert page.evaluate(ERROR_OUTPUTS_JS) == []

        figures = page.eval_on_selector_all(
            ".jp-RenderedImage img", "images => images.map(i => i.complete && i.naturalWidth)"
        )
        assert len(figures) >= 3 and all(figures), f"figures not rendered: {figures}"

        slider = page.locator(".jp-OutputArea-output .widget-slider").first
        slider.scroll_into_view_if_needed()
        page.wait_for_selector(".jp-OutputArea-output .widget-image", timeout=30_000)
        before_src, before_pixels = _widget_picture(page)
        page.screenshot(path=shots / "2-widget-before.png")

        handle = slider.locator(".noUi-handle").first
        box = handle.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + 300, box["y"] + box["height"] / 2, steps=10)  # to the right
        page.mouse.up()
        page.wait_for_function(
            "old => document.querySelector('.jp-OutputArea-output .widget-image').src !== old",
            arg=before_src,
            timeout=30_000,
        )
        page.wait_for_timeout(500)  # let the new picture paint
        after_src, after_pixels = _widget_picture(page)
        page.screenshot(path=shots / "3-widget-after.png")
        assert after_src != before_src
        assert after_pixels != before_pixels, "the slider moved but the picture looks the same"
