"""What every benchmark shares: the figures it reports, timing helpers and the machine it ran on."""

import datetime as dt
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The sample data's "today" (tests/conftest.py): its stories are told as at this day.
TODAY = dt.date(2026, 11, 23)


@dataclass
class Figure:
    """One line of the results table. ``passed`` is None for a figure that has no target."""

    benchmark: str
    measure: str
    target: str
    value: str
    baseline: str = "–"
    passed: bool | None = None

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "FAIL", None: ""}[self.passed]


@dataclass
class Section:
    """A benchmark's figures and the notes (per-page tables, profiles) that explain them."""

    title: str
    figures: list[Figure]
    notes: str = ""


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    """Wall-clock seconds of one call, and what it returned."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def cpu_seconds() -> float:
    """User + system CPU of this process and its reaped children: steadier than wall time on a busy machine."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mb() -> float:
    """This process's own peak resident set, in MiB: VmHWM, which starts afresh at exec. Not ru_maxrss: Linux
    carries that over from the parent through fork and exec, so a child started by the process that has just
    built the warehouse would report the build's peak as its own."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:,.1f} s" if seconds < 120 else f"{seconds / 60:,.1f} min"


def machine() -> dict[str, str]:
    """Cores, memory, CPU model, versions and load: what a reader needs to weigh the figures."""
    import duckdb
    import pandas as pd
    import streamlit

    return {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "cores": str(os.cpu_count()),
        "memory": f"{_meminfo_kib('MemTotal') / 1048576:.1f} GiB",
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pd.__version__,
        "streamlit": streamlit.__version__,
        "load average (1, 5, 15 min) when written": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _meminfo_kib(field: str) -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0
