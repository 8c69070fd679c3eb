"""Deterministic synthetic exports for a fictional council: the sample data behind tests and demos.

`generate` is the single entry point. The same `audits` and `seed` always give byte-identical files,
however many worker processes write them.
"""

import datetime as dt
import functools
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from . import (
    actions,
    audit_forms,
    caselist,
    cycles,
    episode_tracker,
    episodes,
    forms,
    manifest,
    notes,
    org,
    pld,
    roster,
    supervision,
    voice,
)
from .audits import build as build_audits
from .rng import stream

MANIFEST = "MANIFEST.json"
PARALLEL_FROM = 100_000  # audits; below this, starting worker processes costs more than it saves


@dataclass
class Context:
    staff: org.Org
    plds: dict
    audits: int
    seed: int

    @functools.cached_property
    def table(self) -> dict:
        return build_audits(self.staff, self.plds, self.audits, self.seed)


# One builder per export, biggest first so parallel workers finish together.
BUILDERS = (
    lambda c: audit_forms.sheet(c.staff, c.table, c.seed, form=0),
    lambda c: supervision.sheet(c.staff, c.plds, c.audits, c.seed),
    lambda c: voice.sheet(c.staff, c.table, c.seed),
    lambda c: audit_forms.sheet(c.staff, c.table, c.seed, form=1),
    lambda c: notes.sheet(c.staff, c.plds, c.audits, c.seed),
    lambda c: episodes.sheet(c.staff, c.audits, c.seed),
    lambda c: episode_tracker.sheet(c.staff, c.audits, c.seed),
    lambda c: actions.sheet(c.table, c.seed),
    lambda c: pld.sheet(c.plds, c.seed),
    lambda c: roster.sheet(c.staff, stream(c.seed, "roster")),
)


def generate(
    out_dir: Path, audits: int = 1200, seed: int = 7, workers: int | None = None, built: dt.date | None = None
) -> list[Path]:
    """Write every export and MANIFEST.json into `out_dir`; return the paths written, manifest last.

    The exports are taken on `built` (default today), and the data is dated relative to it (see cycles.py).
    `workers` defaults to one process for small samples and one per CPU (up to 4) for big ones.
    """
    built = built or dt.date.today()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if audits >= PARALLEL_FROM else 1
    jobs = (repeat(out_dir), range(len(BUILDERS)), repeat(audits), repeat(seed), repeat(built))
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(write_export, *jobs))
    else:
        results = list(map(write_export, *jobs))
        _context.cache_clear()
    files = dict(sorted(entry for result in results for entry in result))
    cycles.use(built)
    manifest.write(out_dir / MANIFEST, files, audits, seed)
    context = _context(audits, seed, built)
    cases = caselist.write(out_dir, context.staff, context.table, seed)
    _context.cache_clear()
    return [out_dir / name for name in files] + [out_dir / MANIFEST, cases]


def for_today(folder: Path, out: Path) -> Path:
    """The folder a first run loads: a sample this module generated (its MANIFEST.json says so) written again into
    ``out``, dated relative to today, so a fresh install shows the current cycle and open actions, some not yet
    due and some overdue; any other folder as it is."""
    try:
        made = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return folder
    if made.get("generator") != "data_pipeline.sample":
        return folder
    generate(out, audits=made["audits"], seed=made["seed"])
    return out


def write_export(out_dir: Path, builder: int, audits: int, seed: int, built: dt.date) -> list[tuple[str, dict]]:
    """Build one export and write its file (or numbered parts); return their manifest entries."""
    cycles.use(built)  # in this process, which may be a worker
    sheet = BUILDERS[builder](_context(audits, seed, built))
    _remove_old(out_dir, sheet)
    entries = []
    for name, start, stop in forms.parts(sheet):
        forms.write_part(sheet, out_dir / name, start, stop)
        entries.append((name, manifest.entry(sheet, start, stop)))
    return entries


@functools.lru_cache(maxsize=1)
def _context(audits: int, seed: int, built: dt.date) -> Context:
    """Shared by the exports one process writes, so the audits are drawn once per process."""
    return Context(org.build(seed), pld.plan(seed), audits, seed)


def _remove_old(out_dir: Path, sheet: forms.Sheet) -> None:
    """Drop an earlier run's files for this export, so no stale part is left behind."""
    ext = forms.FORMATS[sheet.fmt][0]
    for old in [*out_dir.glob(f"{sheet.stem}.{ext}"), *out_dir.glob(f"{sheet.stem}-part*.{ext}")]:
        old.unlink()
