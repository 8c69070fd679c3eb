"""Checks at start-up, for the command line and the dashboard alike (no Streamlit here).

``check`` says, one line each, what is not as private or as consistent as it should be: files and
folders others can read, an archive still in clear, a key that is missing, broken or not the warehouse's.
``tidy`` removes what a killed ingest left behind, when no ingest is running.
"""

from pathlib import Path

from data_pipeline import archive, keys, private, settings, trail, warehouse


def check(db: Path | None = None) -> list[str]:
    db = db or settings.path("QA_WAREHOUSE")
    key_files = [settings.path("QA_KEY_FILE"), settings.path("QA_ARCHIVE_KEY_FILE")]
    paths = [db.parent, db, archive.folder(db), *_files(archive.folder(db)), trail.path(db).parent, trail.path(db)]
    paths += [p for key in key_files for p in (key.parent, key)]
    warnings = [warning for p in dict.fromkeys(paths) if (warning := private.loose(p))]
    if clear := archive.clear_files(db):
        warnings.append(
            f"{len(clear)} archived export(s) in {archive.folder(db)} are not encrypted yet; "
            "the next ingest or rebuild encrypts them"
        )
    if db.exists():
        warnings += _key_warnings(db, *key_files)
    return warnings


def tidy(db: Path | None = None) -> None:
    """Remove drafts and partial files a killed ingest left, unless an ingest holds the lock now."""
    db = db or settings.path("QA_WAREHOUSE")
    if not db.parent.is_dir():
        return
    try:
        with warehouse.locked(db, timeout=0):
            warehouse.remove_stale_drafts(db)
            archive.remove_partial_files(db)
    except warehouse.Busy:
        return  # a live ingest: its draft is not stale, and it tidies up itself
    except OSError:
        return  # a read-only folder: nothing can have been left there, and an ingest says so in one line


def _key_warnings(db: Path, pseudonym: Path, archive_key: Path) -> list[str]:
    """What ``keys.unlock`` would refuse at the next ingest; the archive key matters only while files are sealed."""
    known = keys.recorded(db)
    sealed = archive.has_sealed_files(db)
    found = []
    for name, path, needed in ((keys.PSEUDONYM, pseudonym, True), (keys.ARCHIVE, archive_key, sealed)):
        try:
            key = keys.read(name, path)
        except keys.KeyProblem as exc:
            found.append(str(exc))
            continue
        if key is None and needed:
            found.append(f"the {name} key {path} is missing; restore it from your backup before loading exports")
        elif key is not None and needed and name in known and keys.fingerprint(key) != known[name]:
            found.append(f"the {name} key {path} is not the key this warehouse was built with")
    return found


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
