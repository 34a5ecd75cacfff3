"""``gancourse doctor``: is this machine ready for the course? (versions, devices, data, mode)."""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import platform
import shutil
import sys
from dataclasses import dataclass

from . import config

PACKAGES = ("tensorflow", "keras", "numpy", "scipy", "matplotlib", "jupyterlab", "ipywidgets")
MIN_FREE_GB = 2.0


@dataclass(frozen=True)
class Check:
    """One line of the report: what was checked, what was found, and whether it is fine."""

    name: str
    found: str
    ok: bool = True
    advice: str = ""


@dataclass(frozen=True)
class DoctorReport:
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def __str__(self) -> str:
        width = max(len(check.name) for check in self.checks)
        lines = []
        for check in self.checks:
            mark = "ok  " if check.ok else "FIX "
            advice = f"  -> {check.advice}" if check.advice else ""
            lines.append(f"{mark}{check.name:<{width}}  {check.found}{advice}")
        lines.append("All good." if self.ok else "Some checks need attention (lines marked FIX).")
        return "\n".join(lines)


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


@contextlib.contextmanager
def _quiet_native_stderr():
    """Hide what native code writes to file descriptor 2 (TensorFlow's C++ start-up lines)."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, "wb") as devnull:
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _devices() -> Check:
    with _quiet_native_stderr():  # the report says what matters: which devices were found
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        cpus = tf.config.list_physical_devices("CPU")
    if gpus:
        return Check("devices", f"{len(gpus)} GPU(s): {', '.join(g.name for g in gpus)}")
    return Check(
        "devices",
        f"{len(cpus)} CPU device, no GPU",
        advice="fine: every lesson runs on a CPU; full mode is faster on a GPU",
    )


def _precision() -> Check:
    """The precision ``make_dcgan()`` trains in here, and why."""
    with _quiet_native_stderr():
        from .training.devices import cpu_supports_bfloat16, default_precision

        try:
            precision = default_precision()
        except ValueError as bad_setting:
            return Check("precision", str(bad_setting), ok=False, advice="fix GANCOURSE_PRECISION")
    if config.forced_precision() is not None:
        why = "set by GANCOURSE_PRECISION"
    elif precision == "mixed_bfloat16":
        why = "this CPU has AMX or AVX-512 BF16 instructions"
    elif precision == "mixed_float16":
        why = "a GPU with tensor cores"
    elif cpu_supports_bfloat16():
        why = "a GPU without tensor cores"
    else:
        why = "no bfloat16 instructions on this CPU: GANs train more slowly than on one with AMX"
    return Check("precision", f"{precision} ({why})")


def _datasets() -> list[Check]:
    from . import data

    checks = []
    for name in data.SOURCES:
        damaged = data.damaged_files(name)
        if damaged:
            checks.append(
                Check(
                    f"data: {name}",
                    f"damaged: {', '.join(path.name for path in damaged)} fails its checksum "
                    f"({damaged[0].parent})",
                    ok=False,
                    advice=f"`gancourse download --force {name}` moves it aside and downloads "
                    f"it again (offline, {data.WITHOUT_IT[name]})",
                )
            )
            continue
        if data.is_cached(name):
            checks.append(Check(f"data: {name}", "cached, checksums verified"))
            continue
        fallback = ", or 5,000 offline digits if there is no network" if name == "mnist" else ""
        checks.append(
            Check(
                f"data: {name}",
                f"not cached: downloaded on first use{fallback}",
                advice="`gancourse download` fetches it now",
            )
        )
    return checks


def _browser_tests() -> Check:
    """Whether the browser tests (the site, JupyterLab) can run here; they skip if not."""
    from .site import browser_problem, find_chromium

    problem = browser_problem()
    if problem is None:
        return Check("browser tests", f"can run (Chromium: {find_chromium()})")
    return Check("browser tests", f"will be skipped: {problem}")


def doctor() -> DoctorReport:
    """Check versions, devices, disk space, data and mode; nothing is changed."""
    checks = [
        Check(
            "python",
            f"{platform.python_version()} ({sys.executable})",
            ok=sys.version_info >= (3, 11),
            advice="" if sys.version_info >= (3, 11) else "install Python 3.11 or newer",
        )
    ]
    for package in PACKAGES:
        version = _version(package)
        checks.append(
            Check(
                package,
                version or "missing",
                ok=version is not None,
                advice="" if version else "run the README's set-up command again",
            )
        )
    checks += [_devices(), _precision(), _browser_tests()]
    cache = config.cache_dir()
    free_gb = shutil.disk_usage(cache).free / 1e9
    checks.append(
        Check(
            "cache",
            f"{cache} ({free_gb:.1f} GB free)",
            ok=free_gb >= MIN_FREE_GB,
            advice=""
            if free_gb >= MIN_FREE_GB
            else f"free {MIN_FREE_GB} GB or set GANCOURSE_CACHE",
        )
    )
    checks.extend(_datasets())
    checks.append(
        Check(
            "mode",
            f"{config.mode()} (GANCOURSE_QUICK={'1' if config.is_quick() else '0'})"
            + (", offline (GANCOURSE_OFFLINE=1)" if config.is_offline() else ""),
        )
    )
    return DoctorReport(tuple(checks))
