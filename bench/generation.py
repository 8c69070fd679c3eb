"""Benchmark 1, generation: how long the synthetic generator takes to write a national-scale sample.

Every later benchmark reads these exports, and a developer regenerates them whenever the generator
changes, so this must take minutes, not hours. The exports are cached in the work folder by audits and
seed (with the timing of the run that wrote them): a re-run reuses them and reports that timing.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from bench.common import ROOT, Figure, Section, cpu_seconds, secs, timed
from data_pipeline.sample import MANIFEST, generate

TARGET_SECONDS = 3600  # "minutes, not hours"
META = "bench-generation.json"


@dataclass
class Exports:
    folder: Path
    paths: list[Path]  # the export files, MANIFEST.json left out
    seconds: float
    cpu_seconds: float
    written: str  # when the timed run happened
    cached: bool
    generator_changed: bool  # the generator's source differs from the one that wrote the cache


def exports(workdir: Path, audits: int, seed: int, regenerate: bool = False) -> Exports:
    """The exports for ``audits`` and ``seed``, generated (and timed) unless the cache already holds them."""
    folder = workdir / "exports" / f"a{audits}-s{seed}"
    meta_path = folder / META
    cached = meta_path.exists() and not regenerate
    if not cached:
        meta_path.unlink(missing_ok=True)
        source = generator_hash()  # before generating, so an edit made meanwhile is not credited to this run
        cpu_before = cpu_seconds()
        seconds, _ = timed(lambda: generate(folder, audits=audits, seed=seed))
        meta = {
            "audits": audits,
            "seed": seed,
            "seconds": seconds,
            "cpu_seconds": cpu_seconds() - cpu_before,
            "written": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "generator": source,
        }
        meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    meta = json.loads(meta_path.read_text())
    return Exports(
        folder=folder,
        paths=export_paths(folder),
        seconds=meta["seconds"],
        cpu_seconds=meta["cpu_seconds"],
        written=meta["written"],
        cached=cached,
        generator_changed=meta["generator"] != generator_hash(),
    )


def export_paths(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".xlsx", ".csv") and p.name != MANIFEST)


def manifest_rows(folder: Path) -> dict[str, int]:
    """Rows per file, as the generator's manifest states them."""
    files = json.loads((folder / MANIFEST).read_text())["files"]
    return {name: entry["rows"] for name, entry in files.items()}


def generator_hash() -> str:
    """A fingerprint of the generator's source, to warn when cached exports came from an older version."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "data_pipeline" / "sample").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def run(workdir: Path, audits: int, seed: int, regenerate: bool = False) -> tuple[Section, Exports]:
    out = exports(workdir, audits, seed, regenerate)
    rows = sum(manifest_rows(out.folder).values())
    size = sum(p.stat().st_size for p in out.paths) / 1048576
    note = f"cached from the run of {out.written}" if out.cached else "generated in this run"
    if out.generator_changed:
        note += "; WARNING: the generator has changed since, re-run with --regenerate"
    figures = [
        Figure(
            "Generation",
            f"generate(audits={audits:,}) wall time ({note})",
            f"< {TARGET_SECONDS // 60} min",
            secs(out.seconds),
            passed=out.seconds < TARGET_SECONDS,
        ),
        Figure("Generation", "CPU time, all worker processes", "", secs(out.cpu_seconds)),
        Figure("Generation", "files / rows / size written", "", f"{len(out.paths)} / {rows:,} / {size:,.0f} MiB"),
    ]
    return Section("Generation", figures), out
