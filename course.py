#!/usr/bin/env python3
"""Set up the course in an isolated environment, then open it or test it.

    python3 course.py lab              # set up, then open the lessons in JupyterLab
    python3 course.py lab --headless   # same, but print the URL instead of opening a browser
    python3 course.py test             # set up, then run the whole test suite
    python3 course.py site             # set up, then build the course website in build/site/
    python3 course.py setup            # set up only

Set-up creates ``.venv`` beside this file and installs the course into it (``pip install
-e .[dev]``). It remembers what it installed and skips the install on the next run unless
``pyproject.toml`` changed, so a second run starts in seconds. Standard library only.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("GANCOURSE_VENV", ROOT / ".venv"))
STAMP = VENV / ".gancourse-installed"
MIN_PYTHON = (3, 11)


def venv_python() -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    return VENV / folder / ("python.exe" if os.name == "nt" else "python")


def wanted_stamp() -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    return f"{digest} python{sys.version_info.major}.{sys.version_info.minor}"


def setup() -> Path:
    """Create the environment and install the course, unless that is already done."""
    if sys.version_info < MIN_PYTHON:
        sys.exit(
            f"gancourse needs Python {'.'.join(map(str, MIN_PYTHON))} or newer; this is "
            f"{sys.version.split()[0]}. Run this file with a newer python3."
        )
    python = venv_python()
    if STAMP.exists() and python.exists() and STAMP.read_text() == wanted_stamp():
        return python
    if not python.exists():
        print(f"Creating the environment in {VENV} ...", flush=True)
        venv.create(VENV, with_pip=True)
    print("Installing the course and its dependencies (a few minutes the first time) ...")
    install = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*install, "--upgrade", "pip"], check=True)
    subprocess.run([*install, "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted_stamp())
    return python


# The course's JupyterLab: quiet start-up, the address printed last, no "Jupyter news" question.
LAB_ENVIRONMENT = {
    # TensorFlow's C++ messages in the notebooks. Without a GPU it reports "failed call to cuInit"
    # in the first cell that builds a model, which reads like a failure; Python errors still show.
    "TF_CPP_MIN_LOG_LEVEL": "3",
}
# JupyterLab's ~20 start-up lines (INFO) not shown; warnings and errors still are.
LAB_QUIET = ["--ServerApp.log_level=WARN", "--LabApp.log_level=WARN"]
LAB_SETTINGS = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false"}}


def write_lab_settings() -> None:
    """Default settings for every JupyterLab of the environment: ``overrides.json`` in its
    application settings folder (JupyterLab 4). A learner's own settings still win."""
    path = VENV / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings = json.loads(path.read_text()) if path.exists() else {}
    for plugin, values in LAB_SETTINGS.items():
        settings.setdefault(plugin, {}).update(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2) + "\n")


def lab(python: Path, options: list[str]) -> int:
    """Start JupyterLab over the course (``gancourse lab``); print its address once it runs."""
    write_lab_settings()
    runtime = subprocess.check_output([str(python), "-m", "jupyter", "--runtime-dir"], text=True)
    environment = {**LAB_ENVIRONMENT, **os.environ}
    # A token of our own, in the environment (not on the command line, which other users of the
    # machine can read): Jupyter then prints no block of addresses of its own.
    token = environment.setdefault("JUPYTER_TOKEN", secrets.token_hex(24))
    if not any("log_level" in option or "log-level" in option for option in options):
        options = [*options, *LAB_QUIET]
    started = time.time()
    command = [str(python), "-m", "gancourse.cli", "lab", *options]
    # Ctrl-C is JupyterLab's to answer (it asks to confirm; twice skips the question), so the
    # `gancourse lab` process between us ignores it instead of stopping with a traceback and
    # killing the server outright. JupyterLab sets its own handler, so do its kernels.
    ignore_ctrl_c = (
        (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if os.name == "posix" else None
    )
    server = subprocess.Popen(command, cwd=ROOT, env=environment, preexec_fn=ignore_ctrl_c)
    try:
        while server.poll() is None:
            address = _lab_address(Path(runtime.strip()), started)
            if address:
                print("\nThe course is open in JupyterLab at this address (Ctrl-C stops it):\n")
                print(f"    {address}{'?token=' + token if token else ''}\n", flush=True)
                break
            time.sleep(0.2)
    except KeyboardInterrupt:  # JupyterLab got it too, and shuts down
        pass
    while True:
        try:
            return server.wait()
        except KeyboardInterrupt:  # JupyterLab asks to confirm a shutdown; let it answer
            continue


def _lab_address(runtime: Path, started: float) -> str | None:
    """The address of a server over this folder started since ``started``, once it listens
    (Jupyter writes ``jpserver-PID.json`` in its runtime folder then)."""
    for info_file in runtime.glob("jpserver-*.json"):
        try:
            if info_file.stat().st_mtime < started - 1:
                continue
            info = json.loads(info_file.read_text())
        except (OSError, ValueError):  # removed, or being written
            continue
        if Path(info.get("root_dir", "")).resolve() == ROOT:
            return info["url"]
    return None


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"lab", "test", "setup", "site"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    python = setup()
    if command == "setup":
        print(f"Ready: {python}")
        return 0
    if command == "lab":
        return lab(python, rest)
    if command == "site":  # options: python3 course.py site --help
        return subprocess.call([str(python), "-m", "gancourse.cli", "site", *rest], cwd=ROOT)
    return subprocess.call([str(python), "-m", "pytest", "--target=solutions", *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
