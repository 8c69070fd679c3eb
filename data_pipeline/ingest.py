"""Ingest: find the form an export came from, stage it, load it, and account for every row.

One code path for the command line and the upload page. Each file is its own transaction inside
one draft snapshot; the draft replaces the warehouse only if at least one file loaded. A file that
cannot be read is reported in one line and changes nothing.
"""

import datetime as dt
import hashlib
import io
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from data_pipeline import (
    archive,
    faults,
    keys,
    load,
    marts,
    plans,
    profiles,
    settings,
    stage,
    tables,
    themes,
    warehouse,
)
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
    quiz_headings: list[str] = field(default_factory=list)
    date_orders: list[str] = field(default_factory=list)  # "heading: order (why)", one per date column
    formula_cells: int = 0
    error: str | None = None

    @property
    def rows_loaded(self) -> int:
        return self.rows_new + self.rows_updated + self.rows_unchanged

    @property
    def nothing_loaded(self) -> bool:
        """Rows were read and every one was rejected: the file loaded, but it is not a success."""
        return self.error is None and self.rows_read > 0 and self.rows_loaded == 0

    def notes(self) -> list[str]:
        """What the user should know beyond the counts, one line each: the CLI and the Data page show them."""
        lines = [f"dates in {order}" for order in self.date_orders]
        if self.formula_cells:
            lines.append(
                f"{self.formula_cells} formula cell(s) read as the value saved with the file (not recalculated)"
            )
        if self.quiz_headings:
            lines.append(f"{len(self.quiz_headings)} quiz column(s) not loaded: {'; '.join(self.quiz_headings)}")
        if self.unknown_headings:
            lines.append(f"headings not in the profile, not loaded: {'; '.join(self.unknown_headings)}")
        return lines


class IngestError(ValueError):
    """A whole file was refused; the message is the one line the user sees."""


UNKNOWN_FORM = (
    "its headings match no known form; map it with the mapping wizard on the Data page "
    "(Map a new form), or write a mapping profile as docs/profiles.md describes"
)


def ingest(
    files: list[tuple[str, bytes]],
    db: Path | None = None,
    today: dt.date | None = None,
    on_progress: Progress | None = None,
    fresh: bool = False,
) -> list[FileResult]:
    """Load ``(file name, content)`` pairs into the warehouse at ``db`` and return what became of each."""
    return _write(db or settings.path("QA_WAREHOUSE"), lambda ring: files, today, on_progress, fresh)


def _write(db: Path, files_for, today, on_progress, fresh: bool, rekey: bool = False) -> list[FileResult]:
    """Under the writer's lock: check the keys, then load ``files_for(keys)`` into a draft and publish it.
    A failure of the machine (full disk, read-only folder) or of a key is one line and changes nothing."""
    today = today or dt.date.today()
    known = profiles.load_all()
    taxonomy = load_taxonomy()
    retention = _retention_days()
    try:
        with warehouse.draft(db, float(settings.get("QA_LOCK_TIMEOUT")), fresh=fresh) as draft:
            ring = _unlock(db)
            files = files_for(ring)
            if fresh and not rekey:  # a plan is no export; under a new key its keys would no longer match
                plans.carry_over(draft.con, db)
            if rekey:
                ring = _new_pseudonym_key(ring, draft)
            keys.record(draft.con, ring)
            results = _load_files(draft, db, files, known, ring, today, on_progress, taxonomy)
            archive.prune(db, retention, dt.datetime.now())
            return results
    except (keys.KeyProblem, archive.ArchiveError) as exc:
        raise IngestError(str(exc)) from None
    except (OSError, duckdb.Error) as exc:
        raise IngestError(faults.one_line(exc, db)) from None


def _unlock(db: Path) -> keys.Keys:
    ring = keys.unlock(
        db, settings.path("QA_KEY_FILE"), settings.path("QA_ARCHIVE_KEY_FILE"), archive.has_sealed_files(db)
    )
    archive.remove_partial_files(db)
    archive.seal_clear_files(db, ring.archive)  # an archive kept before encryption came in
    return ring


def _new_pseudonym_key(ring: keys.Keys, draft: warehouse.Draft) -> keys.Keys:
    """A new key, written beside the old one, replaces it only once the warehouse built with it is in
    place: a crash before leaves the old pair, a crash between is finished by ``keys.unlock``."""
    path = settings.path("QA_KEY_FILE")
    new = secrets.token_bytes(keys.KEY_BYTES)
    keys.write(keys.pending(path), new)
    draft.after_publish = lambda: os.replace(keys.pending(path), path)
    return keys.Keys(new, ring.archive)


def _load_files(draft, db, files, known, ring: keys.Keys, today, on_progress, taxonomy) -> list[FileResult]:
    # An edited taxonomy is re-applied to every text first; each file then themes only what it wrote.
    themes.ensure_current(draft.con, taxonomy)
    results = []
    for number, (name, content) in enumerate(files):
        report = _scaled(on_progress, number, len(files), name)
        result = _ingest_one(draft, name, content, known, ring.pseudonym, today, report, taxonomy)
        results.append(result)
        if result.error is None:
            archive.store(db, ring.archive, result.sha256, content)
            draft.changed = True
    if draft.changed:
        marts.build(draft.con)
    return results


def _retention_days() -> int | None:
    days = settings.get("QA_ARCHIVE_DAYS").strip()
    if days and not days.isdigit():
        raise IngestError(f"QA_ARCHIVE_DAYS is {days!r}: give a whole number of days, or unset it to keep every export")
    return int(days) if days else None


def _ingest_one(draft, name, content, known, key, today, report, taxonomy) -> FileResult:
    result = FileResult(file_name=name, sha256=hashlib.sha256(content).hexdigest())
    try:
        _check_size(content)
        report("reading", 0.0)
        raw = read_export(io.BytesIO(content), name)
        profile = profiles.detect(list(raw.columns), known)
        if profile is None:
            raise IngestError(UNKNOWN_FORM)
        if profile.kind == "caselist":
            raise IngestError("it is a case list: draw an audit sample from it on the Audit sampling page")
        report("checking rows", 0.4)
        staged = stage.stage(raw, stage.Context(profile, today, key))
        frames = tables.build(profile, staged.fields, name)
        report("loading", 0.7)
        result.formula_cells = raw.attrs.get("formula_cells", 0)
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
        result.quiz_headings = staged.quiz_headings
        result.date_orders = [f"{heading}: {order.describe()}" for heading, order in staged.date_orders.items()]
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
        "quiz_headings": result.quiz_headings,
        "date_orders": result.date_orders,
        "formula_cells": result.formula_cells,
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
    db: Path | None = None,
    today: dt.date | None = None,
    on_progress: Progress | None = None,
    allow_missing: bool = False,
    rekey: bool = False,
) -> list[FileResult]:
    """The warehouse again, from the archived raw files, in the order they were first loaded; with
    ``rekey``, under a new pseudonym key. Exports dropped from the archive (QA_ARCHIVE_DAYS) are refused
    unless ``allow_missing``, since rows found only in them would be lost."""
    db = db or settings.path("QA_WAREHOUSE")
    if not db.exists():
        raise IngestError(f"there is no warehouse at {db} to rebuild")

    def from_archive(ring: keys.Keys) -> list[tuple[str, bytes]]:
        found = [(name, archive.open_export(db, ring.archive, sha)) for name, sha in first_loads(db)]
        missing = [name for name, content in found if content is None]
        if missing and not allow_missing:
            raise IngestError(
                f"{len(missing)} loaded export(s) are no longer archived (QA_ARCHIVE_DAYS), e.g. {missing[0]}; "
                "rows found only in them would be lost (add --allow-missing to go ahead)"
            )
        return [(name, content) for name, content in found if content is not None]

    return _write(db, from_archive, today, on_progress, fresh=True, rekey=rekey)


def first_loads(db: Path) -> list[tuple[str, str]]:
    """(file name, sha256) of every distinct export loaded, in the order first loaded."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(FIRST_LOADS).fetchall()
    finally:
        con.close()


def ingest_folder(folder: Path, db: Path | None = None) -> list[FileResult]:
    """Every export in a folder, in name order: how a first run loads the sample data."""
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".xlsx", ".csv"))
    results = ingest([(p.name, p.read_bytes()) for p in paths], db)
    if not results:
        raise IngestError(f"{folder} holds no .xlsx or .csv exports")
    return results
