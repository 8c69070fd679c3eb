"""Shared fixtures. Tests never touch the real key file or the real warehouse."""

import ast
import datetime as dt
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "sample_data"
REFERENCE_DIR = ROOT / "reference_data"
# The sample data's "today", the Monday after its exports were taken (data_pipeline.sample.cycles.ANCHOR): its
# stories (actions overdue and not yet due, escalations awaiting oversight) are told as at this day.
SAMPLE_TODAY = dt.date(2026, 10, 12)


def registered_pages(entry: Path = ROOT / "dashboard.py") -> list[str]:
    """The page scripts dashboard.py registers (``st.Page("pages/x.py", ...)``), in its order, so a test that
    walks every page takes a new one without being edited (tests/browser/conftest.py reads titles too)."""
    tree = ast.parse(entry.read_text(), str(entry))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", None) == "Page"]
    return [ast.literal_eval(c.args[0]) for c in sorted(calls, key=lambda c: (c.lineno, c.col_offset))]


@pytest.fixture(scope="session", autouse=True)
def _isolated_settings(tmp_path_factory):
    home = tmp_path_factory.mktemp("settings")
    previous = {k: os.environ.get(k) for k in ("QA_KEY_FILE", "QA_ARCHIVE_KEY_FILE", "QA_WAREHOUSE")}
    os.environ["QA_KEY_FILE"] = str(home / "pseudonym.key")
    os.environ["QA_ARCHIVE_KEY_FILE"] = str(home / "archive.key")
    os.environ["QA_WAREHOUSE"] = str(home / "default-warehouse.duckdb")
    yield
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory, _isolated_settings) -> Path:
    """The warehouse built once from the shipped sample exports, as the dashboard builds it on first run."""
    from data_pipeline.ingest import ingest
    from data_pipeline.reference.load import load_folder

    path = tmp_path_factory.mktemp("sample") / "qa.duckdb"
    files = sorted(p for p in SAMPLE_DIR.iterdir() if p.suffix in (".xlsx", ".csv"))
    assert files, "sample_data/ is empty: python -m data_pipeline sample --out sample_data"
    results = ingest([(p.name, p.read_bytes()) for p in files], path, today=SAMPLE_TODAY)
    assert [r.error for r in results if r.error] == []
    assert [r.error for r in load_folder(REFERENCE_DIR, path) if r.error] == []
    return path
