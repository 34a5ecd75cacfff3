"""The machine a benchmark ran on, for its report: the CPU's name and the instructions that decide
the course's precision (bfloat16 on AMX / AVX-512 BF16, else float32)."""

from __future__ import annotations

import os
import platform
from pathlib import Path

_NAMED_FLAGS = {
    "amx_tile": "AMX",
    "avx512_bf16": "AVX-512 BF16",
    "avx512f": "AVX-512",
    "avx2": "AVX2",
}


def _cpuinfo() -> tuple[str, set[str]]:
    name, flags = platform.processor() or platform.machine() or "unknown CPU", set()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                name = value.strip()
            elif key.strip() == "flags":
                flags = set(value.split())
    return name, flags


def has_amx() -> bool:
    """True when the CPU has AMX tiles (Linux only; False where unknown)."""
    return "amx_tile" in _cpuinfo()[1]


def cpu_model() -> str:
    """E.g. "Intel(R) Xeon(R) Processor (2 CPUs; AMX, AVX-512 BF16, AVX-512, AVX2)"."""
    name, flags = _cpuinfo()
    extras = [label for flag, label in _NAMED_FLAGS.items() if flag in flags]
    return f"{name} ({os.cpu_count()} CPUs{'; ' + ', '.join(extras) if extras else ''})"
