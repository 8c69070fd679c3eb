"""Ingest: find the form an export came from, stage it, load it, and account for every row.

One code path for the command line and the upload page. Each file is its own transaction inside
one draft snapshot; the draft replaces the warehouse only if at least one file loaded. A file that
cannot be read is reported in one line and changes nothing.
"""

import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from data_pipeline import load, marts, plans, profiles, settings, stage, tables, themes, warehouse
from data_pipeline.pseudonym import load_key
from data_pipeline.readers import ReadError, read_export

Progress = Callable[[str, float], None]


@dataclass
class FileResult:
    file_name: str
    sha256: str
    kind: str = ""
    rows_read: int = 0
    rows_new: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    rows_rejected: int = 0
    unknown_headings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def rows_loaded(self) -> int:
        return self.rows_new + self.rows_updated + self.rows_unchanged


class IngestError(ValueError):
    """A whole file was refused; the message is the one line the user sees."""


def ingest(
    files: list[tuple[str, bytes]],
    db: Path | None = None,
    today: dt.date | None = None,
    on_progress: Progress | None = None,
    fresh: bool = False,
) -> list[FileResult]:
    """Load ``(file name, content)`` pairs into the warehouse at ``db`` and return what became of each."""
    db = db or settings.path("QA_WAREHOUSE")
    today = today or dt.date.today()
    key = load_key(settings.path("QA_KEY_FILE"))
    known = profiles.load_all()
    taxonomy = load_taxonomy()
    results = []
    with warehouse.draft(db, float(settings.get("QA_LOCK_TIMEOUT")), fresh=fresh) as draft:
        # An edited taxonomy is re-applied to every text first; each file then themes only what it wrote.
        themes.ensure_current(draft.con, taxonomy)
        if fresh:
            plans.carry_over(draft.con, db)
        for number, (name, content) in enumerate(files):
            report = _scaled(on_progress, number, len(files), name)
            result = _ingest_one(draft, name, content, known, key, today, report, taxonomy)
            results.append(result)
            if result.error is None:
                _archive(db, result.sha256, name, content)
                draft.changed = True
        if draft.changed:
            marts.build(draft.con)
    return results


def _ingest_one(draft, name, content, known, key, today, report, taxonomy) -> FileResult:
    result = FileResult(file_name=name, sha256=hashlib.sha256(content).hexdigest())
    try:
        _check_size(content)
        report("reading", 0.0)
        raw = read_export(io.BytesIO(content), name)
        profile = profiles.detect(list(raw.columns), known)
        if profile is None:
            raise IngestError("its headings match no known form; map it on the Data page or add a mapping profile")
        if profile.kind == "caselist":
            raise IngestError("it is a case list: draw an audit sample from it on the Audit sampling page")
        report("checking rows", 0.4)
        staged = stage.stage(raw, stage.Context(profile, today, key))
        frames = tables.build(profile, staged.fields, name)
        report("loading", 0.7)
        _load(draft.con, profile, frames, staged, result, len(raw), taxonomy)
        report("done", 1.0)
    except (ReadError, IngestError, stage.StageError) as exc:
        result.error = f"{name}: {exc}"
    return result


def _load(con, profile, frames, staged, result: FileResult, rows_read: int, taxonomy: themes.Taxonomy) -> None:
    started = dt.datetime.now()
    con.execute("BEGIN TRANSACTION")
    try:
        ingest_id = load.next_ingest_id(con)
        counts = load.load(con, profile.kind, frames)
        themes.refresh(con, taxonomy, profile.kind, _written_keys(con))
        load.save_rejects(con, profile.kind, staged.rejects, result.file_name, ingest_id)
        result.kind = profile.id
        result.rows_read = rows_read
        result.rows_new, result.rows_updated, result.rows_unchanged = counts.new, counts.updated, counts.unchanged
        result.rows_rejected = len(staged.rejects)
        result.unknown_headings = staged.unknown_headings
        if result.rows_loaded + result.rows_rejected != rows_read:
            raise AssertionError(f"{result.file_name}: rows do not add up; nothing was loaded")
        load.log_file(con, _log_entry(result, ingest_id, started))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _written_keys(con) -> list[str]:
    """Keys of the records ``load.load`` just inserted or replaced (its ``verdicts`` table)."""
    return [key for (key,) in con.execute("SELECT key FROM verdicts WHERE verdict IN ('new', 'updated')").fetchall()]


def load_taxonomy() -> themes.Taxonomy:
    """The theme taxonomy of ``QA_THEMES_FILE``; a broken file stops the ingest before anything is written."""
    try:
        return themes.load(settings.path("QA_THEMES_FILE"))
    except themes.TaxonomyError as exc:
        raise IngestError(f"{exc} (QA_THEMES_FILE)") from None


def apply_themes(db: Path | None = None) -> list[tuple[str, int]]:
    """Re-apply the taxonomy to every text already loaded, in a new snapshot; (theme, texts) per theme."""
    db = db or settings.path("QA_WAREHOUSE")
    if not db.exists():
        raise IngestError(f"there is no warehouse at {db}; load exports first")
    taxonomy = load_taxonomy()
    with warehouse.draft(db, float(settings.get("QA_LOCK_TIMEOUT"))) as draft:
        themes.reapply(draft.con, taxonomy)
        counts = themes.summary(draft.con)
        draft.changed = True
    return counts


def refresh_marts(db: Path | None = None) -> None:
    """Rebuild the summary tables in a new snapshot: after an upgrade that adds or changes a mart."""
    db = db or settings.path("QA_WAREHOUSE")
    if not db.exists():
        raise IngestError(f"there is no warehouse at {db}; load exports first")
    with warehouse.draft(db, float(settings.get("QA_LOCK_TIMEOUT"))) as draft:
        marts.build(draft.con)
        draft.changed = True


def _log_entry(result: FileResult, ingest_id: int, started: dt.datetime) -> dict:
    return {
        "ingest_id": ingest_id,
        "file_name": result.file_name,
        "sha256": result.sha256,
        "kind": result.kind,
        "rows_read": result.rows_read,
        "rows_loaded": result.rows_loaded,
        "rows_new": result.rows_new,
        "rows_updated": result.rows_updated,
        "rows_unchanged": result.rows_unchanged,
        "rows_rejected": result.rows_rejected,
        "unknown_headings": result.unknown_headings,
        "started": started,
        "finished": dt.datetime.now(),
        "outcome": "loaded",
    }


def _check_size(content: bytes) -> None:
    limit = float(settings.get("QA_MAX_UPLOAD_MB"))
    if len(content) > limit * 1024 * 1024:
        raise IngestError(f"it is {len(content) / 1048576:.0f} MB, over the {limit:.0f} MB limit (QA_MAX_UPLOAD_MB)")
    if not content:
        raise IngestError("the file is empty")


def archive_dir(db: Path) -> Path:
    return db.with_name(db.stem + "-raw")


def _archive(db: Path, sha256: str, name: str, content: bytes) -> None:
    """Raw files are kept by content hash, so the warehouse can be rebuilt from them."""
    target = archive_dir(db) / (sha256 + Path(name).suffix.lower())
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        partial.write_bytes(content)
        partial.replace(target)


def _scaled(on_progress: Progress | None, number: int, total: int, name: str) -> Progress:
    def report(step: str, fraction: float) -> None:
        if on_progress:
            on_progress(f"{name}: {step}", (number + fraction) / total)

    return report


FIRST_LOADS = """
SELECT file_name, sha256
FROM ingest_log
QUALIFY row_number() OVER (PARTITION BY sha256 ORDER BY ingest_id) = 1
ORDER BY ingest_id
"""


def rebuild(
    db: Path | None = None, today: dt.date | None = None, on_progress: Progress | None = None
) -> list[FileResult]:
    """The warehouse again, from the archived raw files, in the order they were first loaded."""
    db = db or settings.path("QA_WAREHOUSE")
    if not db.exists():
        raise IngestError(f"there is no warehouse at {db} to rebuild")
    con = duckdb.connect(str(db), read_only=True)
    try:
        logged = con.execute(FIRST_LOADS).fetchall()
    finally:
        con.close()
    paths = [(name, archive_dir(db) / (sha + Path(name).suffix.lower())) for name, sha in logged]
    missing = [name for name, path in paths if not path.exists()]
    if missing:
        raise IngestError(f"the raw archive lacks {len(missing)} file(s), e.g. {missing[0]}; rebuild would lose data")
    return ingest([(name, path.read_bytes()) for name, path in paths], db, today, on_progress, fresh=True)


def ingest_folder(folder: Path, db: Path | None = None) -> list[FileResult]:
    """Every export in a folder, in name order: how a first run loads the sample data."""
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".xlsx", ".csv"))
    results = ingest([(p.name, p.read_bytes()) for p in paths], db)
    if not results:
        raise IngestError(f"{folder} holds no .xlsx or .csv exports")
    return results
