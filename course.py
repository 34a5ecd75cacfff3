#!/usr/bin/env python3
"""Set up the course in an isolated environment, then open it or test it.

    python3 course.py lab              # set up, then open the lessons in JupyterLab
    python3 course.py lab --headless   # same, but print the URL instead of opening a browser
    python3 course.py test             # set up, then run the whole test suite
    python3 course.py setup            # set up only

Set-up creates ``.venv`` beside this file and installs the course into it (``pip install
-e .[dev]``). It remembers what it installed and skips the install on the next run unless
``pyproject.toml`` changed, so a second run starts in seconds. Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
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


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"lab", "test", "setup"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    python = setup()
    if command == "setup":
        print(f"Ready: {python}")
        return 0
    if command == "lab":
        return subprocess.call([str(python), "-m", "gancourse.cli", "lab", *rest], cwd=ROOT)
    return subprocess.call([str(python), "-m", "pytest", "--target=solutions", *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
