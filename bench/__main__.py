"""`python -m bench [--audits N] [--workdir DIR] [--quick]`: every benchmark, then docs/performance.md.

Generated exports and warehouses live in the work folder (git-ignored by default), never in the repo.
Each step's results are also saved there, so steps can be run one at a time (``--only``) and the
document assembled from the saved results afterwards (``--collect``).
"""

import argparse
import dataclasses
import json
import os
import time
import traceback
from pathlib import Path

from bench import build, common, concurrency, generation, ingest_throughput, pages, pandas_baseline, report
from bench.common import ROOT, Figure, Section

QUICK_AUDITS = 50_000
# The 2024 case-audit form holds about 74% of all audits, so this many audits make a ~100,000-row export.
INGEST_AUDITS = 136_000
STEPS = ("generation", "ingest", "build", "pages", "baseline", "concurrency")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    audits = args.audits or (QUICK_AUDITS if args.quick else 1_500_000)
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / f"warehouse-a{audits}-s{args.seed}.duckdb"
    results = workdir / f"results-a{audits}-s{args.seed}"
    results.mkdir(exist_ok=True)
    os.environ.update(
        QA_KEY_FILE=str(workdir / "pseudonym.key"),
        QA_ARCHIVE_KEY_FILE=str(workdir / "archive.key"),
        QA_WAREHOUSE=str(db),
        QA_MAX_UPLOAD_MB="100000",  # the generator's 500,000-row parts are bigger than the 50 MB default
        QA_MAX_UNPACKED_MB="100000",  # ... and unpack to more than the 500 MB default
    )
    first_loads = args.first_loads or (1 if args.quick else 3)
    reps = args.reps or (3 if args.quick else 5)
    steps = [] if args.collect else (args.only.split(",") if args.only else list(STEPS))
    if args.reuse_warehouse and db.exists():
        steps = [s for s in steps if s != "build"]
    sections: list[Section] = []

    def step(name: str, fn) -> None:
        if name not in steps:
            return
        print(f"\n== {name} ({time.strftime('%H:%M:%S')})", flush=True)
        try:
            out = fn()
        except Exception as exc:
            traceback.print_exc()
            out = Section(name, [Figure(name, "benchmark did not complete", "", f"error: {exc}"[:200], passed=False)])
        out = out if isinstance(out, tuple) else (out,)
        for number, section in enumerate(out):
            section.title += f" ({audits:,}-audit run)"
            (results / f"{name}-{number}.json").write_text(json.dumps(dataclasses.asdict(section)))
            sections.append(section)
            print(report.terminal(section.figures), flush=True)
            if section.notes:
                print("\n" + section.notes, flush=True)

    main_exports = {}

    def generate():
        section, main_exports["exports"] = generation.run(workdir, audits, args.seed, args.regenerate)
        return section

    step("generation", generate)
    step("ingest", lambda: ingest_throughput.run(_ingest_file(workdir, args), 3, workdir / "scratch"))
    step("build", lambda: build.run(_exports(workdir, audits, args, main_exports).paths, db))
    step("pages", lambda: pages.run(first_loads, reps))
    step("baseline", lambda: pandas_baseline.run(_warehouse(db), pages.filter_combinations()[-12:]))
    step(
        "concurrency",
        lambda: concurrency.run(db, _actions(workdir, audits, args), workdir, pages.filter_combinations()),
    )

    if args.only:
        return _verdict([f for s in sections for f in s.figures])
    sections = _saved(workdir, args.seed)
    figures = [f for s in sections for f in s.figures]
    print("\n" + report.terminal(figures))
    run_notes = {
        "audits": f"{audits:,} asked for (seed {args.seed}); each figure names the run it comes from",
        "repetitions": "ingest 3 interleaved runs; pages and pandas as their sections say",
    }
    report.write(args.output, common.machine(), run_notes, sections)
    print(f"\nwrote {args.output}")
    return _verdict(figures)


def _verdict(figures: list[Figure]) -> int:
    return 0 if all(f.passed is not False for f in figures) else 1


def _saved(workdir: Path, seed: int) -> list[Section]:
    """Every step's saved results, in the order of STEPS, each from the largest run that has it."""
    runs = sorted(workdir.glob(f"results-a*-s{seed}"), key=lambda p: -int(p.name.split("-")[1][1:]))
    sections = []
    for name in STEPS:
        results = next((r for r in runs if any(r.glob(f"{name}-*.json"))), None)
        for path in sorted(results.glob(f"{name}-*.json")) if results else ():
            data = json.loads(path.read_text())
            figures = [Figure(**f) for f in data["figures"]]
            for f in figures:  # the run each figure comes from, as "Pages @ 1,500k"; ingest names its file
                f.benchmark += f" @ {int(results.name.split('-')[1][1:]) // 1000:,}k" if name != "ingest" else ""
            sections.append(Section(data["title"], figures, data["notes"]))
    return sections


def _exports(workdir: Path, audits: int, args, made: dict) -> generation.Exports:
    return made.get("exports") or generation.exports(workdir, audits, args.seed)


def _ingest_file(workdir: Path, args) -> Path:
    """The 2024 case-audit export: ~100,000 rows in a full run, that of the quick sample in a quick one."""
    sized = QUICK_AUDITS if args.quick else INGEST_AUDITS
    return generation.exports(workdir, sized, args.seed).folder / "case-audit-2024-form.xlsx"


def _actions(workdir: Path, audits: int, args) -> Path:
    """The action tracker the concurrency benchmark takes its new rows from."""
    paths = generation.exports(workdir, audits, args.seed).paths
    return next(p for p in paths if p.name.startswith("action-tracker"))


def _warehouse(db: Path):
    from qa_read.db import Warehouse

    return Warehouse(db)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--audits", type=int, help="audits in the national-scale sample (default 1,500,000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=ROOT / "artifacts" / "bench", help="generated data")
    parser.add_argument("--quick", action="store_true", help=f"a smoke run on {QUICK_AUDITS:,} audits")
    parser.add_argument("--regenerate", action="store_true", help="generate the exports again, even if cached")
    parser.add_argument("--reuse-warehouse", action="store_true", help="skip the build if the warehouse exists")
    parser.add_argument("--first-loads", type=int, help="fresh processes per page for first loads (default 3)")
    parser.add_argument("--reps", type=int, help="filter changes per page (default 5)")
    parser.add_argument("--only", help=f"comma-separated steps of {','.join(STEPS)}; saves results, writes no document")
    parser.add_argument("--collect", action="store_true", help="write the document from the saved results only")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
