"""Themes applied at ingest, re-applied when the taxonomy changes, and by ``python -m data_pipeline themes``.

Real exports, a real DuckDB file and the real command line; the taxonomy file is swapped with QA_THEMES_FILE.
"""

import datetime as dt
import hashlib

import duckdb
import pytest

from data_pipeline import cli, ingest, themes
from data_pipeline.warehouse import create_schema
from qa_read import themes as read
from qa_read.db import Warehouse
from qa_read.filters import Filters
from tests.pipeline.exports import audit_row, xlsx

TODAY = dt.date(2026, 11, 23)
NEW_THEME = """

[[theme]]
name = "Sickness and absence"
description = "Staff off sick."
phrases = ["sickness", "off sick"]
"""


def note(response_id: int, text: str, category: str = "Barriers", modified: str = "9/20/26 10:00:00") -> dict:
    return {
        "ID": response_id,
        "Start time": "9/20/26 09:00:00",
        "Completion time": "9/20/26 09:30:00",
        "Email": "sam.manager@example-council.gov.uk",
        "Name": "Sam Manager",
        "Last modified time": modified,
        "Date of the Practice Learning Day": "15/09/2026",
        "PLD cycle": "2026/27 Q2",
        "Service area": "Early Help",
        "PLD theme": "Supervision and wellbeing",
        "What kind of note is this?": category,
        "Note": text,
    }


NOTES = [
    note(1, "High caseloads mean direct work gets squeezed out."),
    note(2, "Supervision is regular and feels reflective.", "Working well"),
    note(3, "Not had supervision for two months, due to sickness in the team."),
]


def notes_file(rows=NOTES) -> tuple[str, bytes]:
    return "focus-group-notes.xlsx", xlsx(rows, "focus-group-v1")


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.delenv("QA_THEMES_FILE", raising=False)
    return tmp_path / "qa.duckdb"


@pytest.fixture
def taxonomy_file(tmp_path, monkeypatch):
    """A copy of the built-in taxonomy that QA_THEMES_FILE points at, for the test to edit."""
    path = tmp_path / "my-themes.toml"
    path.write_text(themes.BUILT_IN.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("QA_THEMES_FILE", str(path))
    return path


def rows(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def mentions(db) -> set[tuple]:
    return set(rows(db, "SELECT source_id, category, theme, phrase, matched_text FROM theme_mentions"))


def texts_mentioning(db, theme: str) -> int:
    wh = Warehouse(db)
    return int(read.theme_counts(wh, Filters()).set_index("theme").loc[theme, "k"])


def test_ingest_themes_each_note_it_loads(db):
    [result] = ingest.ingest([notes_file()], db, today=TODAY)
    assert result.error is None
    assert mentions(db) == {
        ("FG1-1", "Barriers", "Voice of the child", "direct work", "direct work"),
        ("FG1-1", "Barriers", "Caseloads and capacity", "high case load", "High caseloads"),
        ("FG1-2", "Working well", "Supervision", "supervision", "Supervision"),
        ("FG1-2", "Working well", "Supervision", "reflective", "reflective"),
        ("FG1-3", "Barriers", "Supervision", "supervision", "supervision"),
    }
    assert rows(db, "SELECT DISTINCT source_table, cycle, service_area, team FROM theme_mentions") == [
        ("focus_group_notes", "2026/27 Q2", "Early Help", None)
    ]
    [(hash_,)] = rows(db, "SELECT DISTINCT taxonomy_hash FROM theme_taxonomy")
    assert hash_ == themes.load().hash


def test_audit_comments_are_themed_with_their_audit_s_cycle_and_team(db):
    audit = audit_row(1, **{"What is working well?": "Clear plan, child seen alone."})
    ingest.ingest([("audits.xlsx", xlsx([audit]))], db, today=TODAY)
    found = rows(db, "SELECT source_table, source_id, category, theme, phrase, cycle, team FROM theme_mentions")
    assert sorted(found) == [
        ("audit_comments", "CA1-1", "strengths", "Planning", "plan", "2026/27 Q2", "Early Help North"),
        ("audit_comments", "CA1-1", "strengths", "Voice of the child", "seen alone", "2026/27 Q2", "Early Help North"),
    ]


def test_an_edited_note_is_themed_again_and_the_rest_are_left_alone(db):
    ingest.ingest([notes_file()], db, today=TODAY)
    edited = [*NOTES[:2], note(3, "Court deadlines take over everything.", modified="9/25/26 10:00:00")]
    [result] = ingest.ingest([notes_file(edited)], db, today=TODAY)
    assert (result.rows_updated, result.rows_unchanged) == (1, 2)
    assert {(s, t) for s, _, t, _, _ in mentions(db) if s == "FG1-3"} == {("FG1-3", "Court and legal")}
    assert {(s, t) for s, _, t, _, _ in mentions(db) if s == "FG1-1"} == {
        ("FG1-1", "Voice of the child"),
        ("FG1-1", "Caseloads and capacity"),
    }


def test_a_theme_added_to_the_taxonomy_appears_when_ingest_runs_again(db, taxonomy_file):
    ingest.ingest([notes_file()], db, today=TODAY)
    assert "Sickness and absence" not in {t for (t,) in rows(db, "SELECT theme FROM theme_taxonomy")}

    taxonomy_file.write_text(taxonomy_file.read_text(encoding="utf-8") + NEW_THEME, encoding="utf-8")
    # The same export again: no record changes, yet the new theme is counted in the notes already loaded.
    [result] = ingest.ingest([notes_file()], db, today=TODAY)
    assert result.rows_unchanged == 3
    assert texts_mentioning(db, "Sickness and absence") == 1
    assert ("FG1-3", "Barriers", "Sickness and absence", "sickness", "sickness") in mentions(db)
    [(hash_,)] = rows(db, "SELECT DISTINCT taxonomy_hash FROM theme_taxonomy")
    assert hash_ == themes.load(taxonomy_file).hash


def test_the_themes_command_applies_an_edited_taxonomy_to_everything_loaded(db, taxonomy_file, capsys):
    ingest.ingest([notes_file()], db, today=TODAY)
    taxonomy_file.write_text(taxonomy_file.read_text(encoding="utf-8") + NEW_THEME, encoding="utf-8")
    assert cli.main(["themes", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "1  Sickness and absence" in out
    assert "no text mentions:" in out  # most built-in themes have nothing to match in three notes
    assert texts_mentioning(db, "Sickness and absence") == 1
    # Removing the theme again removes its mentions.
    taxonomy_file.write_text(themes.BUILT_IN.read_text(encoding="utf-8"), encoding="utf-8")
    assert cli.main(["themes", "--db", str(db)]) == 0
    assert not [m for m in mentions(db) if m[2] == "Sickness and absence"]


def test_a_broken_taxonomy_stops_ingest_and_changes_nothing(db, taxonomy_file, capsys):
    ingest.ingest([notes_file()], db, today=TODAY)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    taxonomy_file.write_text('[[theme]]\nname = "Broken"\ndescription = "d"\nphrases = ["caseload(s)"]\n')
    assert cli.main(["themes", "--db", str(db)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: ") and "my-themes.toml: theme 1 ('Broken')" in error
    assert "\n" not in error
    with pytest.raises(ingest.IngestError, match="QA_THEMES_FILE"):
        ingest.ingest([notes_file()], db, today=TODAY)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_check_validates_without_a_warehouse(tmp_path, taxonomy_file, capsys):
    assert cli.main(["themes", "--check", "--db", str(tmp_path / "none.duckdb")]) == 0
    assert f"my-themes.toml: {len(themes.load().themes)} themes" in capsys.readouterr().out
    assert not (tmp_path / "none.duckdb").exists()
    assert cli.main(["themes", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "there is no warehouse" in capsys.readouterr().err


def test_rebuild_keeps_the_themes(db):
    ingest.ingest([notes_file()], db, today=TODAY)
    before = mentions(db)
    ingest.rebuild(db, today=TODAY)
    assert mentions(db) == before


def test_a_warehouse_from_before_themes_gains_the_theme_tables(db):
    con = duckdb.connect(str(db))
    create_schema(con)
    for table in themes.THEME_OBJECTS:
        con.execute(f"DROP TABLE {table}")
    con.close()
    [result] = ingest.ingest([notes_file()], db, today=TODAY)
    assert result.error is None
    assert len(mentions(db)) == 5


def test_a_warehouse_from_before_the_summaries_is_summarised_at_its_next_ingest(db):
    ingest.ingest([notes_file()], db, today=TODAY)
    con = duckdb.connect(str(db))
    # As it was: theme_texts a view, no summary tables, the taxonomy's hash current.
    for table in ("theme_texts", "theme_text_counts", "theme_mention_counts", "theme_terms"):
        con.execute(f"DROP TABLE {table}")
    con.execute(f"CREATE VIEW theme_texts AS {themes.TEXTS['focus_group_notes'].format(keys='TRUE')}")
    con.close()
    [result] = ingest.ingest([notes_file()], db, today=TODAY)
    assert result.rows_unchanged == 3
    assert rows(db, "SELECT table_type FROM information_schema.tables WHERE table_name = 'theme_texts'") == [
        ("BASE TABLE",)
    ]
    assert texts_mentioning(db, "Supervision") == 2
    assert rows(db, "SELECT sum(texts) FROM theme_text_counts") == [(3,)]


def test_every_mention_in_the_sample_traces_back_to_one_text(sample_warehouse):
    [(orphans, total, themed, texts)] = rows(
        sample_warehouse,
        """
        SELECT count(*) FILTER (WHERE t.source_id IS NULL), count(*),
               (SELECT count(*) FROM (SELECT DISTINCT source_table, source_id, category FROM theme_mentions)),
               (SELECT count(*) FROM theme_texts)
        FROM theme_mentions m LEFT JOIN theme_texts t USING (source_table, source_id, category)
        """,
    )
    assert orphans == 0 and total > 0
    assert themed / texts > 0.95  # the built-in taxonomy covers nearly every sample text
