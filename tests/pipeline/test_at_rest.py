"""Nothing identifying rests in clear, everything is owner-only, and rekeying keeps every join.

Built from the shipped sample exports, as the dashboard's first run builds it, into a folder holding the
warehouse, its archive and both keys: the probe grepped such a folder for the sample's e-mails and names.
"""

import io
import re
import shutil
import stat
import zipfile

import duckdb
import pytest

from data_pipeline import cli, ingest, startup
from data_pipeline.readers import read_export
from qa_read.coverage import coverage
from qa_read.db import Warehouse
from qa_read.filters import Filters
from tests.conftest import SAMPLE_DIR, SAMPLE_TODAY

IDENTIFYING = ("Email", "Name", "Worker's name", "Practitioner's name")
JOINED = "SELECT count(*) FROM audits WHERE worker_key IN (SELECT person_key FROM team_roster)"


def use_keys_in(folder, mp):
    mp.setenv("QA_KEY_FILE", str(folder / "keys" / "pseudonym.key"))
    mp.setenv("QA_ARCHIVE_KEY_FILE", str(folder / "keys" / "archive.key"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("at-rest")
    db = root / "data" / "qa.duckdb"
    files = sorted(p for p in SAMPLE_DIR.iterdir() if p.suffix in (".xlsx", ".csv"))
    with pytest.MonkeyPatch.context() as mp:
        use_keys_in(root, mp)
        results = ingest.ingest([(p.name, p.read_bytes()) for p in files], db, today=SAMPLE_TODAY)
    assert [r.error for r in results if r.error] == []
    return root, db


@pytest.fixture(scope="module")
def identifying() -> list[str]:
    """Every e-mail address and name in the sample exports, read from the exports themselves."""
    found = set()
    for path in SAMPLE_DIR.iterdir():
        if path.suffix in (".xlsx", ".csv"):
            raw = read_export(io.BytesIO(path.read_bytes()), path.name)
            for column in IDENTIFYING:
                if column in raw:
                    found |= {str(v).strip() for v in raw[column] if v and str(v).strip()}
    return sorted(found)


def every_byte(root):
    """(where, bytes) for each file under ``root``, and for each member of those that are zips."""
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        yield str(path), data
        if zipfile.is_zipfile(io.BytesIO(data)):
            with zipfile.ZipFile(io.BytesIO(data)) as book:
                for member in book.namelist():
                    yield f"{path}!{member}", book.read(member)


def test_no_email_or_name_from_the_sample_rests_in_clear(built, identifying):
    root, _ = built
    emails = [v for v in identifying if "@" in v]
    assert len(emails) > 50 and len(identifying) > 200  # the probe found 373 addresses and names
    pattern = re.compile(b"|".join(re.escape(v.lower().encode()) for v in identifying))
    seen = {where: sorted(set(pattern.findall(data.lower()))) for where, data in every_byte(root)}
    assert {where: hits for where, hits in seen.items() if hits} == {}
    assert any(where.endswith(".sealed") for where in seen)


def test_everything_made_is_owner_only(built):
    root, db = built
    made = [db.parent, db.parent / "qa-raw", root / "keys"]
    assert {str(p): oct(stat.S_IMODE(p.stat().st_mode)) for p in made} == {str(p): "0o700" for p in made}
    files = [p for folder in made for p in folder.iterdir() if p.is_file()]
    assert len(files) >= 12  # warehouse, lock, two keys and an export per sample file
    assert {str(p): oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {str(p): "0o600" for p in files}


def test_start_up_warns_about_a_folder_or_file_others_can_read(built, monkeypatch):
    root, db = built
    use_keys_in(root, monkeypatch)
    assert startup.check(db) == []
    trail = db.parent / "access-trail.jsonl"
    trail.write_text("")
    try:
        db.parent.chmod(0o755)
        db.chmod(0o644)
        trail.chmod(0o640)
        warnings = startup.check(db)
    finally:
        db.parent.chmod(0o700)
        db.chmod(0o600)
        trail.unlink()
    assert warnings == [
        f"{db.parent} can be read by other users of this computer (mode 0755); run: chmod 700 '{db.parent}'",
        f"{db} can be read by other users of this computer (mode 0644); run: chmod 600 '{db}'",
        f"{trail} can be read by other users of this computer (mode 0640); run: chmod 600 '{trail}'",
    ]


def joins(db) -> tuple[int, list, set]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        joined = con.execute(JOINED).fetchone()[0]
        workers = {k for (k,) in con.execute("SELECT DISTINCT worker_key FROM audits").fetchall() if k}
    finally:
        con.close()
    covered = coverage(Warehouse(db, cache_mb=0), Filters())
    return joined, covered[["cycle", "team", "n", "audited", "k"]].values.tolist(), workers


def test_rekey_gives_everyone_new_pseudonyms_and_every_join_still_holds(built, tmp_path, monkeypatch):
    root, _ = built
    shutil.copytree(root, tmp_path / "copy")
    copy = tmp_path / "copy"
    db = copy / "data" / "qa.duckdb"
    use_keys_in(copy, monkeypatch)
    old_key = (copy / "keys" / "pseudonym.key").read_bytes()
    joined, covered, workers = joins(db)
    assert joined > 500  # the roster names most audited workers: the join is worth checking

    assert cli.main(["rekey", "--db", str(db)]) == 0

    new_key = copy / "keys" / "pseudonym.key"
    assert new_key.read_bytes() != old_key and stat.S_IMODE(new_key.stat().st_mode) == 0o600
    assert not (copy / "keys" / "pseudonym.key.new").exists()
    joined_after, covered_after, workers_after = joins(db)
    assert (joined_after, covered_after) == (joined, covered)
    assert len(workers_after) == len(workers) and not workers_after & workers
    new_key.write_bytes(old_key)
    with pytest.raises(ingest.IngestError, match="not the key this warehouse was built with"):
        ingest.ingest([("again.csv", (SAMPLE_DIR / "action-tracker.csv").read_bytes())], db, today=SAMPLE_TODAY)
