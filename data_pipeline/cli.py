"""The command line: ``python -m data_pipeline ingest|reference|status|rebuild|rekey|themes|marts|sample``."""

import argparse
import datetime as dt
import sys
from pathlib import Path

import duckdb
from tqdm import tqdm

from data_pipeline import archive, faults, ingest, settings, startup, trail
from data_pipeline.reference import load as reference
from data_pipeline.warehouse import Busy

TABLES = (
    "audits", "audit_grades", "audit_comments", "actions", "supervision_reviews",
    "focus_group_notes", "child_voice", "pld_events", "team_roster", "learning_episodes", "rejected_rows",
    "ingest_log",
)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    db = (getattr(args, "db", None) or settings.path("QA_WAREHOUSE")).expanduser()
    try:
        if hasattr(args, "db"):
            startup.tidy(db)
            for warning in startup.check(db):
                print(f"warning: {warning}", file=sys.stderr)
        return args.run(args)
    except (ingest.IngestError, Busy) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (OSError, duckdb.Error) as exc:  # themes, marts and status write or read outside ingest's own guard
        print(f"error: {faults.one_line(exc, db)}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data_pipeline", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    db_help = f"warehouse file (default: $QA_WAREHOUSE or {settings.get('QA_WAREHOUSE')})"

    run = commands.add_parser("ingest", help="load Forms exports (.xlsx) and tracker files (.csv)")
    run.add_argument("paths", nargs="+", type=Path)
    run.add_argument("--db", type=Path, help=db_help)
    run.set_defaults(run=_ingest)

    published = commands.add_parser("reference", help="load published DfE and Ofsted files (.csv, .ods)")
    published.add_argument("paths", nargs="+", type=Path)
    published.add_argument("--db", type=Path, help=db_help)
    published.set_defaults(run=_reference)

    show = commands.add_parser("status", help="what is loaded, when, counts and rejections")
    show.add_argument("--db", type=Path, help=db_help)
    show.set_defaults(run=_status)

    missing_help = "go ahead although some loaded exports are no longer archived (QA_ARCHIVE_DAYS)"
    again = commands.add_parser("rebuild", help="rebuild the warehouse from the archived raw files")
    again.add_argument("--db", type=Path, help=db_help)
    again.add_argument("--allow-missing", action="store_true", help=missing_help)
    again.set_defaults(run=_rebuild)

    rekey = commands.add_parser("rekey", help="a new pseudonym key: rebuild from the archive under it, then swap")
    rekey.add_argument("--db", type=Path, help=db_help)
    rekey.add_argument("--allow-missing", action="store_true", help=missing_help)
    rekey.set_defaults(run=_rekey)

    retheme = commands.add_parser("themes", help="re-apply the theme taxonomy (QA_THEMES_FILE) to every text")
    retheme.add_argument("--db", type=Path, help=db_help)
    retheme.add_argument("--check", action="store_true", help="only check the taxonomy file; change nothing")
    retheme.set_defaults(run=_themes)

    summaries = commands.add_parser("marts", help="rebuild the summary tables (after an upgrade adds one)")
    summaries.add_argument("--db", type=Path, help=db_help)
    summaries.set_defaults(run=_marts)

    sample = commands.add_parser("sample", help="write deterministic synthetic exports")
    sample.add_argument("--out", type=Path, required=True)
    sample.add_argument("--audits", type=int, default=1200)
    sample.add_argument("--seed", type=int, default=7)
    sample.add_argument(
        "--built",
        type=dt.date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the day the exports are taken, which the data is dated relative to (default today)",
    )
    sample.set_defaults(run=_sample)
    return parser


def _ingest(args) -> int:
    files = []
    for path in args.paths:
        if not path.is_file():
            print(f"error: {path}: no such file", file=sys.stderr)
            return 2
        files.append((path.name, path.read_bytes()))
    return _recorded("ingest", lambda progress: ingest.ingest(files, args.db, on_progress=progress))


def _reference(args) -> int:
    missing = [path for path in args.paths if not path.is_file()]
    if missing:
        print(f"error: {missing[0]}: no such file", file=sys.stderr)
        return 2
    results = reference.load([(path.name, path.read_bytes()) for path in args.paths], args.db)
    for r in results:
        if r.error:
            print(f"error: {r.error}", file=sys.stderr)
        else:
            skipped = f" ({r.rows_skipped} without an LA code skipped)" if r.rows_skipped else ""
            what = f"{r.title} {r.periods}".rstrip()
            print(f"{r.file_name}: {what}: read {r.rows_read} rows{skipped}, {r.records} records")
    return 1 if any(r.error for r in results) else 0


def _rebuild(args) -> int:
    return _recorded(
        "rebuild", lambda progress: ingest.rebuild(args.db, on_progress=progress, allow_missing=args.allow_missing)
    )


def _rekey(args) -> int:
    code = _recorded(
        "rebuild",
        lambda progress: ingest.rebuild(args.db, on_progress=progress, allow_missing=args.allow_missing, rekey=True),
    )
    if code == 0:
        print(f"every pseudonym re-derived under a new key in {settings.path('QA_KEY_FILE')}: back it up now")
        print("any saved audit sampling plans were left out: their keys were the old key's (draw them again)")
    return code


def _recorded(event: str, run) -> int:
    """Load only if the access trail can say so afterwards, as the Data page does."""
    try:
        trail.touch(trail.path())
    except OSError as exc:
        print(f"error: the access trail {trail.path()} cannot be written ({exc.strerror or exc})", file=sys.stderr)
        return 2
    results = _with_bar(run)
    trail.loaded(event, trail.command_line_user(), results)
    return _report(results)


def _marts(args) -> int:
    ingest.refresh_marts(args.db)
    print("summary tables rebuilt")
    return 0


def _themes(args) -> int:
    taxonomy = ingest.load_taxonomy()
    phrases = sum(len(t.phrases) + len(t.patterns) for t in taxonomy.themes)
    source = settings.path("QA_THEMES_FILE")
    print(f"{source}: {len(taxonomy.themes)} themes, {phrases} phrases and patterns, version {taxonomy.hash}")
    if args.check:
        return 0
    counts = ingest.apply_themes(args.db)
    print("texts mentioning each theme:")
    for theme, texts in counts:
        print(f"  {texts:>7,}  {theme}")
    unused = [theme for theme, texts in counts if texts == 0]
    if unused:
        print(f"no text mentions: {'; '.join(unused)} (check their phrases)")
    return 0


def _with_bar(run):
    with tqdm(total=100, bar_format="{l_bar}{bar}| {elapsed}", file=sys.stderr, leave=False, disable=None) as bar:

        def progress(step: str, fraction: float) -> None:
            bar.set_description(step[-60:])
            bar.update(round(fraction * 100) - bar.n)

        return run(progress)


def _report(results: list[ingest.FileResult]) -> int:
    for r in results:
        if r.error:
            print(f"error: {r.error}", file=sys.stderr)
            continue
        print(
            f"{r.file_name}: {r.kind}: read {r.rows_read}, loaded {r.rows_loaded} ({r.rows_new} new, "
            f"{r.rows_updated} updated, {r.rows_unchanged} already loaded), rejected {r.rows_rejected}"
        )
        for line in r.notes():
            print(f"  {line}")
        if r.nothing_loaded:
            print(f"error: {r.file_name}: no row loaded; see why with: python -m data_pipeline status", file=sys.stderr)
    return 1 if any(r.error or r.nothing_loaded for r in results) else 0


def _status(args) -> int:
    db = args.db or settings.path("QA_WAREHOUSE")
    if not db.exists():
        print(f"no warehouse at {db} yet; load exports with: python -m data_pipeline ingest FILES")
        return 1
    con = duckdb.connect(str(db), read_only=True)
    try:
        print(f"warehouse {db}")
        for table in TABLES:
            rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 -- TABLES is a constant
            print(f"  {table:<20} {rows:>9,} rows")
        print("\nfiles loaded (latest load of each):")
        for row in con.execute(STATUS_FILES).fetchall():
            print("  {} {:<34} {:<22} read {:>7,}  loaded {:>7,}  rejected {:>5,}".format(*row))
        print("\nrejected rows by reason:")
        for table, reason, rows in con.execute(STATUS_REJECTS).fetchall():
            print(f"  {rows:>6,}  {table}: {reason}")
        if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'reference_log'").fetchone()[0]:
            print("\npublished reference data (python -m data_pipeline reference):")
            for row in con.execute(STATUS_REFERENCE).fetchall():
                print("  {:<20} {:<10} {:>7,} records  {}".format(*row))
    finally:
        con.close()
    _archive_status(db)
    return 0


def _archive_status(db: Path) -> None:
    loaded = ingest.first_loads(db)
    kept = [name for name, sha in loaded if archive.sealed_path(db, sha).exists()]
    days = settings.get("QA_ARCHIVE_DAYS")
    retention = f"each kept {days} days after it was archived" if days else "kept for good (QA_ARCHIVE_DAYS unset)"
    print(f"\nraw archive {archive.folder(db)}: {len(kept)} of {len(loaded)} exports, encrypted; {retention}")
    if clear := archive.clear_files(db):
        print(f"  {len(clear)} kept in clear from before encryption: the next ingest or rebuild encrypts them")
    if dropped := len(loaded) - len(kept) - len(clear):
        print(
            f"  {dropped} dropped under QA_ARCHIVE_DAYS: rebuild and rekey refuse, or with --allow-missing rebuild "
            "from the exports kept and lose any row found only in the dropped ones"
        )


STATUS_FILES = """
SELECT strftime(finished, '%Y-%m-%d %H:%M'), file_name, kind, rows_read, rows_loaded, rows_rejected
FROM ingest_log
QUALIFY row_number() OVER (PARTITION BY file_name ORDER BY ingest_id DESC) = 1
ORDER BY file_name
"""

STATUS_REJECTS = """
SELECT table_name, regexp_replace(reason, ': ''.*?'' ', ': … ', 'g') AS reason, count(*) AS rows
FROM rejected_rows GROUP BY ALL ORDER BY rows DESC LIMIT 20
"""


STATUS_REFERENCE = "SELECT publication, periods, records, file_name FROM reference_log ORDER BY publication"


def _sample(args) -> int:
    from data_pipeline.sample import generate

    for path in generate(args.out, audits=args.audits, seed=args.seed, built=args.built):
        print(path)
    return 0
