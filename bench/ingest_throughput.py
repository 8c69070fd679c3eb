"""Benchmark 2, ingest throughput: the whole pipeline on one ~100,000-response Forms export, against
simply reading the same file with the fastest xlsx reader there is (python-calamine).

The bare read is the floor: no pipeline can load a file faster than it can read it. Everything above
the floor (detect, stage, build, load, swap) is what our checks and accounting cost, and the target
keeps that under half of the read again. Runs are interleaved (read, pipeline, pipeline, read, ...) so
a busy machine slows both alike; each pipeline run loads into a fresh warehouse. A per-stage breakdown
and a cProfile of one extra run show where the time goes.
"""

import cProfile
import datetime as dt
import io
import pstats
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from unittest import mock

from python_calamine import CalamineWorkbook

from bench.common import ROOT, TODAY, Figure, Section, median, ms, secs
from data_pipeline import ingest as ingest_module
from data_pipeline import stage, tables, themes, warehouse
from data_pipeline.ingest import ingest

TARGET_RATIO = 1.5
# (stage label, module, function): the steps of ``ingest._ingest_one`` and the snapshot swap.
STAGES = (
    ("read", ingest_module, "read_export"),
    ("detect", ingest_module.profiles, "detect"),
    ("stage", stage, "stage"),
    ("build tables", tables, "build"),
    ("load", ingest_module, "_load"),
    ("themes (within load)", themes, "refresh"),
    ("swap", warehouse, "_publish"),
)


def bare_read(content: bytes) -> int:
    """The floor: every cell of the first sheet as Python values, and nothing else."""
    return len(CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python())


def pipeline(name: str, content: bytes, folder: Path) -> ingest_module.FileResult:
    """The real ingest into a fresh warehouse in ``folder``, the raw archive included."""
    (result,) = ingest([(name, content)], folder / "qa.duckdb", today=TODAY, fresh=True)
    if result.error:
        raise RuntimeError(result.error)
    return result


@contextmanager
def stage_timer(totals: dict[str, float]) -> Iterator[None]:
    """Wrap each stage function so its wall time adds to ``totals``; restored on exit."""

    def wrap(label, original):
        def timed_call(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                totals[label] += time.perf_counter() - start

        return timed_call

    with ExitStack() as stack:
        for label, module, attribute in STAGES:
            stack.enter_context(mock.patch.object(module, attribute, wrap(label, getattr(module, attribute))))
        yield


def measure(path: Path, runs: int, scratch: Path) -> dict:
    content = path.read_bytes()
    reads, pipes, stages = [], [], defaultdict(list)
    result = None
    for number in range(runs):
        order = ("read", "pipeline") if number % 2 == 0 else ("pipeline", "read")
        for step in order:
            if step == "read":
                start = time.perf_counter()
                rows = bare_read(content)
                reads.append(time.perf_counter() - start)
                continue
            folder = Path(tempfile.mkdtemp(dir=scratch))
            totals: dict[str, float] = defaultdict(float)
            with stage_timer(totals):
                start = time.perf_counter()
                result = pipeline(path.name, content, folder)
                pipes.append(time.perf_counter() - start)
            for label, _, _ in STAGES:
                stages[label].append(totals[label])
            stages["other (hash, schema, archive, checkpoint)"].append(
                pipes[-1] - sum(v for k, v in totals.items() if k != "themes (within load)")
            )
            shutil.rmtree(folder)
    return {"reads": reads, "pipes": pipes, "stages": stages, "rows": rows - 1, "result": result}


def profile(path: Path, scratch: Path, top: int = 20) -> str:
    """cProfile of one more pipeline run: the functions of this project with the most time of their own."""
    content = path.read_bytes()
    folder = Path(tempfile.mkdtemp(dir=scratch))
    profiler = cProfile.Profile()
    profiler.runcall(pipeline, path.name, content, folder)
    shutil.rmtree(folder)
    stats = pstats.Stats(profiler)
    rows = []
    for (file, line, function), (_, calls, own, cumulative, _) in stats.stats.items():
        rows.append((cumulative, own, calls, _where(file, line, function)))
    total = max(r[0] for r in rows)
    ours = sorted((r for r in rows if "data_pipeline/" in r[3]), reverse=True)[:top]
    lines = ["| function | cumulative | own | calls |", "|---|---:|---:|---:|"]
    lines += [f"| `{w}` | {c:.1f} s ({c / total:.0%}) | {o:.1f} s | {n:,} |" for c, o, n, w in ours]
    builtin = sorted((r for r in rows if "data_pipeline/" not in r[3]), key=lambda r: -r[1])[:8]
    lines += ["", "Library calls with the most time of their own:", ""]
    lines += ["| function | own | calls |", "|---|---:|---:|"]
    lines += [f"| `{w}` | {o:.1f} s ({o / total:.0%}) | {n:,} |" for _, o, n, w in builtin]
    return f"cProfile of one pipeline run, {total:.1f} s under the profiler:\n\n" + "\n".join(lines)


def _where(file: str, line: int, function: str) -> str:
    if "site-packages/" in file:
        return f"{file.split('site-packages/', 1)[1]}:{line}({function})"
    if file.startswith(str(ROOT)):
        return f"{Path(file).relative_to(ROOT)}:{line}({function})"
    return f"{file}:{function}" if file != "~" else function


def run(path: Path, runs: int, scratch: Path) -> Section:
    scratch.mkdir(parents=True, exist_ok=True)
    m = measure(path, runs, scratch)
    read, pipe = median(m["reads"]), median(m["pipes"])
    ratio = pipe / read
    result = m["result"]
    figures = [
        Figure(
            "Ingest",
            f"pipeline / bare read, {m['rows']:,}-row export (medians of {runs} interleaved runs)",
            f"≤ {TARGET_RATIO}×",
            f"{ratio:.1f}×",
            passed=ratio <= TARGET_RATIO,
        ),
        Figure("Ingest", "full pipeline (read → detect → stage → build → load → swap)", "", secs(pipe)),
        Figure(
            "Ingest", "pipeline throughput", "", f"{m['rows'] / pipe:,.0f} rows/s", f"{m['rows'] / read:,.0f} rows/s"
        ),
        Figure("Ingest", "bare calamine read (the baseline)", "", secs(read)),
    ]
    breakdown = ["| stage | median | share of pipeline |", "|---|---:|---:|"]
    for label, values in m["stages"].items():
        breakdown.append(f"| {label} | {ms(median(values))} | {median(values) / pipe:.0%} |")
    notes = (
        f"File: `{path.name}` ({path.stat().st_size / 1048576:.1f} MiB, {m['rows']:,} rows; "
        f"{result.rows_new:,} loaded, {result.rows_rejected:,} rejected). Finished {dt.datetime.now():%H:%M}.\n\n"
        f"Runs (s): pipeline {', '.join(f'{x:.1f}' for x in m['pipes'])}; "
        f"read {', '.join(f'{x:.1f}' for x in m['reads'])}.\n\n"
        "Per-stage breakdown (median over the pipeline runs; the read stage also builds the frame):\n\n"
        + "\n".join(breakdown)
        + "\n\n"
        + profile(path, scratch)
    )
    return Section("Ingest throughput", figures, notes)
