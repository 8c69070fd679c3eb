"""Part of benchmark 3: loading every export of the national-scale sample into one warehouse.

This is what a council does once when it starts (or ``rebuild`` does): worth knowing, though it has
no target of its own. The warehouse it builds is the one the page, baseline, memory and concurrency
benchmarks read.
"""

import shutil
from pathlib import Path

from bench.common import TODAY, Figure, Section, cpu_seconds, secs, timed
from data_pipeline.archive import folder as archive_dir
from data_pipeline.ingest import ingest


def build(paths: list[Path], db: Path) -> tuple[float, float, list]:
    """Ingest ``paths`` into a new warehouse at ``db``: wall seconds, CPU seconds and the file results."""
    db.unlink(missing_ok=True)
    shutil.rmtree(archive_dir(db), ignore_errors=True)
    files = [(p.name, p.read_bytes()) for p in paths]
    cpu = cpu_seconds()
    seconds, results = timed(lambda: ingest(files, db, today=TODAY, fresh=True))
    return seconds, cpu_seconds() - cpu, results


def run(paths: list[Path], db: Path) -> Section:
    seconds, cpu, results = build(paths, db)
    failed = [r.error for r in results if r.error]
    if failed:
        raise RuntimeError("the benchmark exports did not load: " + "; ".join(failed))
    read = sum(r.rows_read for r in results)
    loaded = sum(r.rows_loaded for r in results)
    size = db.stat().st_size / 1048576
    figures = [
        Figure(
            "Warehouse build",
            f"ingest all {len(paths)} exports ({read:,} rows, {loaded:,} loaded) into one warehouse",
            "",
            secs(seconds),
        ),
        Figure(
            "Warehouse build",
            "CPU time / throughput / warehouse size",
            "",
            f"{secs(cpu)} / {read / seconds:,.0f} rows/s / {size:,.0f} MiB",
        ),
    ]
    rows = ["| file | rows read | loaded | rejected |", "|---|---:|---:|---:|"]
    rows += [f"| {r.file_name} | {r.rows_read:,} | {r.rows_loaded:,} | {r.rows_rejected:,} |" for r in results]
    return Section("Warehouse build", figures, "\n".join(rows))
