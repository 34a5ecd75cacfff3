"""``course.py lab``: JupyterLab starts quietly, its address comes last, and the news question is
switched off. Run for real, on a free port, then stopped."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_SECONDS = 120  # JupyterLab starts in a few seconds; a loaded 2-core machine is slower


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str, bytes]:
    """Status, Location header and body of a GET, redirects not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        response = urllib.request.build_opener(NoRedirect).open(url, timeout=30)
    except urllib.error.HTTPError as error:  # a redirect not followed
        response = error
    with response:
        return response.status, response.headers.get("Location", ""), response.read()


def test_course_lab_prints_only_its_address_and_asks_no_news_question(tmp_path):
    port = _free_port()
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    options = ["--headless", "--port", str(port)]
    code = f"import course, sys; sys.exit(course.lab(course.Path(sys.executable), {options!r}))"
    environment = {key: value for key, value in os.environ.items() if key != "JUPYTER_TOKEN"}
    with out.open("w") as stdout, err.open("w") as stderr:
        lab = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=ROOT,
            stdout=stdout,
            stderr=stderr,
            env=environment,
            start_new_session=True,  # so that the test can stop the whole group
        )
    try:
        deadline = time.monotonic() + START_SECONDS
        while "token=" not in out.read_text() and lab.poll() is None:
            assert time.monotonic() < deadline, err.read_text()
            time.sleep(0.2)
        printed = out.read_text()
        lines = [line.strip() for line in printed.splitlines() if line.strip()]
        assert lines[0].startswith("The course is open in JupyterLab"), printed + err.read_text()
        address = lines[-1]
        assert address.startswith(f"http://localhost:{port}/?token="), printed
        assert "[I " not in err.read_text()  # JupyterLab's INFO lines are not shown

        status, location, _ = _get(address)  # the address leads to lesson 00, logged in
        assert status == 302 and location.endswith(
            f"/lab/tree/lessons/00_setup_and_tour.ipynb?token={address.partition('=')[2]}"
        )
        _, _, settings = _get(
            f"http://localhost:{port}/lab/api/settings/"
            f"@jupyterlab/apputils-extension:notification?token={address.partition('=')[2]}"
        )
        schema = json.loads(settings)["schema"]
        assert schema["properties"]["fetchNews"]["default"] == "false"  # "Never": no question
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        lab.wait(timeout=60)
