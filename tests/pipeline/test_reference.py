"""The reference loader on the real published files in reference_data/ (not trimmed copies).

Every expected number was read out of the file by hand (the awk line that found it is in the comment), never
taken from what the loader produced.
"""

import duckdb
import pytest

from data_pipeline.cli import main
from data_pipeline.ingest import ingest, rebuild
from data_pipeline.reference.load import load, load_folder
from data_pipeline.warehouse import SCHEMA
from tests.conftest import REFERENCE_DIR, SAMPLE_DIR, SAMPLE_TODAY


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    db = tmp_path_factory.mktemp("reference") / "qa.duckdb"
    results = load_folder(REFERENCE_DIR, db)
    assert [r.error for r in results if r.error] == []
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def one(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


# Data rows per file (`wc -l` less the heading line) and the records they give: a DfE file gives one per row and
# measure column (columns after the 10 geography columns and any sub-group columns); an inspection file one per
# inspection and each of its five judgements.
ROWS = {
    "csww": (1463, 1463 * 22),  # csww_indicators_2017_to_2025.csv: 1464 lines, 32 columns, 22 of them measures
    "cin": (2132, 2132 * 8),  # b1: 2133 lines; Anypoint_episodes ... awaiting_assessment
    "cin_referrals": (2132, 2132 * 10),  # c1: referral_count ... rereferral_child_percent
    "cin_cpp": (2132, 2132 * 3),  # d3: CPP_start, CPP_subsequent, CPP_subsequent_percent
    "cla": (2505, 2505 * 3),  # population_estimate, children_count, rate_per_10000 (by population_type)
    "cla_stability": (5010, 5010 * 2),  # children_count, children_percent (by cla_group, placement_stability)
    "cla_social_workers": (330, 330 * 2),  # number, percentage
    "ilacs_reports": (497, 497 * 5),  # ofsted_ilacs_history_JT39.csv: 498 lines
    "ofsted_outcomes": (271, 271 * 5),  # the .ods sheet ILACS_inspection_history: 271 inspections under its headings
}


@pytest.mark.parametrize("publication", ROWS)
def test_every_row_of_each_publication_is_loaded(loaded, publication):
    rows, records = ROWS[publication]
    assert one(loaded, "SELECT rows_read FROM reference_log WHERE publication = ?", [publication]) == [(rows,)]
    table = "reference_inspections" if publication in ("ilacs_reports", "ofsted_outcomes") else "reference_figures"
    count = one(loaded, f"SELECT count(*) FROM {table} WHERE publication = ?", [publication])
    assert count == [(records,)]


def test_neighbour_models_keep_ten_per_council_and_count_their_notes(loaded):
    # sn_model_2025_wide.csv: 153 councils x 10. The 2021 file: 159 rows, of which 3 have no LA number
    # (awk -F, '$1==""': two blank lines and the "Old SNs:" note); the other 156 name 10 neighbours each.
    counts = one(
        loaded,
        "SELECT publication, rows_read, rows_skipped, (SELECT count(*) FROM reference_neighbours n "
        "WHERE n.publication = l.publication) FROM reference_log l WHERE publication LIKE 'neighbours%' ORDER BY 1",
    )
    assert counts == [("neighbours_2021", 159, 3, 1560), ("neighbours_2025", 153, 0, 1530)]
    # awk -F, '$1=="851"{print $5,$6}' sn_model_2025_wide.csv -> SN_1 = 373, SN_1P = "Very close"
    assert one(
        loaded,
        "SELECT neighbour_la_code, closeness FROM reference_neighbours "
        "WHERE publication = 'neighbours_2025' AND la_code = '851' AND position = 1",
    ) == [("373", "Very close")]


def test_figures_match_the_published_files(loaded):
    figure = (
        "SELECT value, marker, unit, as_at::VARCHAR FROM reference_figures "
        "WHERE publication = ? AND area_code = ? AND period = ? AND measure = ?"
    )
    # csww, line 2: 2025,Reporting year,National,E92000001,England,... caseload_fte (column 30) = 15.2
    assert one(loaded, figure, ["csww", "E92000001", "2025", "caseload_fte"]) == [
        (15.2, None, "cases per FTE", "2025-09-30")
    ]
    # awk -F, '$10=="Portsmouth"{print $1, $17}' csww...: turnover_rate_fte 13.4 in 2025, "x" in 2021
    assert one(loaded, figure, ["csww", "E06000044", "2025", "turnover_rate_fte"])[0][:2] == (13.4, None)
    assert one(loaded, figure, ["csww", "E06000044", "2021", "turnover_rate_fte"])[0][:2] == (None, "x")
    # c1, line 2: England 2025 referral_count 632830, rereferral_percent 22.6
    assert one(loaded, figure, ["cin_referrals", "E92000001", "2025", "referral_count"])[0][:3] == (
        632830,
        None,
        "count",
    )
    assert one(loaded, figure, ["cin_referrals", "E92000001", "2025", "rereferral_percent"])[0][0] == 22.6
    # cla, line 3: England 2025 "Children looked after on 31 March each year" children_count 81770, rate 67
    measure = "rate_per_10000: Children looked after on 31 March each year"
    assert one(loaded, figure, ["cla", "E92000001", "2025", measure])[0][:3] == (67, None, "rate per 10,000 children")


def test_suppressed_values_stay_missing_with_their_reason(loaded):
    # c1: awk -F, '$14=="c"{print $1,$10}' -> Isles of Scilly 2024 rereferral_percent is "c" (confidential)
    assert one(
        loaded,
        "SELECT value, f.marker, meaning FROM reference_figures f JOIN reference_markers USING (marker) "
        "WHERE publication = 'cin_referrals' AND area_name = 'Isles of Scilly' AND period = '2024' "
        "AND measure = 'rereferral_percent'",
    ) == [(None, "c", "confidential: suppressed to protect individuals")]
    # csww: turnover_rate_fte is "x" in 3 rows (2025 Kensington and Chelsea, 2025 Westminster, 2021 Portsmouth)
    assert one(
        loaded,
        "SELECT count(*), count(value) FROM reference_figures WHERE measure = 'turnover_rate_fte' AND marker = 'x'",
    ) == [(3, 0)]
    # csww: grep -c ',low' -> 6 lines hold "low"; none of them became a zero
    assert one(loaded, "SELECT count(value) FROM reference_figures WHERE marker IS NOT NULL") == [(0,)]


def test_inspections_keep_judgements_that_were_not_given_as_such(loaded):
    # ofsted_ilacs_history_JT39.csv: Portsmouth (urn 80539), short inspection 06/07/2026, published 18/08/26:
    # overall_effectiveness_grade "not_reported_post_reform", the other four "outstanding".
    rows = one(
        loaded,
        "SELECT judgement, grade, marker FROM reference_inspections WHERE la_code = '851' "
        "AND publication = 'ilacs_reports' AND started = DATE '2026-07-06' ORDER BY judgement",
    )
    assert rows == [
        ("care_leavers", "Outstanding", None),
        ("children_in_care", "Outstanding", None),
        ("help_and_protection", "Outstanding", None),
        ("impact_of_leaders", "Outstanding", None),
        ("overall_effectiveness", None, "not_reported_post_reform"),
    ]
    # the .ods: Portsmouth (E06000044) inspected 2018-09-03, "Good" overall; care leavers blank (judged from 2023)
    assert one(
        loaded,
        "SELECT grade, marker FROM reference_inspections WHERE publication = 'ofsted_outcomes' "
        "AND la_code = '851' AND started = DATE '2018-09-03' AND judgement IN ('overall_effectiveness', "
        "'care_leavers') ORDER BY judgement",
    ) == [(None, "inspection_pre_dates_judgement"), ("Good", None)]


def test_every_inspection_is_matched_to_a_council_through_published_codes(loaded):
    assert one(loaded, "SELECT count(*) FROM reference_inspections WHERE la_code IS NULL") == [(0,)]


def test_a_changed_layout_is_refused_in_one_line_and_changes_nothing(tmp_path):
    db = tmp_path / "qa.duckdb"
    original = (REFERENCE_DIR / "csww_indicators_2017_to_2025.csv").read_bytes()
    assert [r.error for r in load([("csww.csv", original)], db)] == [None]
    before = db.read_bytes()
    renamed = original.replace(b",caseload_fte,", b",caseload_per_fte,", 1)
    [result] = load([("csww-2026.csv", renamed)], db)
    assert result.error == (
        "csww-2026.csv: its columns match no known publication; nearest is Children's social work workforce "
        "(csww), but it lacks caseload_fte and adds caseload_per_fte"
    )
    assert "\n" not in result.error
    assert db.read_bytes() == before


def test_an_unknown_symbol_is_refused_rather_than_guessed(tmp_path):
    original = (REFERENCE_DIR / "csww_indicators_2017_to_2025.csv").read_bytes()
    odd = original.replace(b",15.2,", b",n/a,", 1)  # line 2: England's 2025 caseload
    [result] = load([("csww.csv", odd)], tmp_path / "qa.duckdb")
    assert result.error == (
        "csww.csv: row 2 of caseload_fte holds 'n/a', neither a number nor a DfE symbol (c, x, z, u, low, .., :)"
    )
    assert not (tmp_path / "qa.duckdb").exists()


def test_next_years_release_replaces_this_years_rows(tmp_path):
    db = tmp_path / "qa.duckdb"
    original = (REFERENCE_DIR / "la_cla_swcount.csv").read_bytes()
    load([("la_cla_swcount.csv", original)], db)
    newer = original.replace(b"\n2024,", b"\n2025,")  # the same layout, a year on
    load([("la_cla_swcount_2025.csv", newer)], db)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT DISTINCT period FROM reference_figures").fetchall() == [("2025",)]
    assert con.execute("SELECT file_name, periods FROM reference_log").fetchall() == [
        ("la_cla_swcount_2025.csv", "2025")
    ]


def test_the_command_line_loads_and_refuses(tmp_path, capsys):
    db = tmp_path / "qa.duckdb"
    assert main(["reference", str(REFERENCE_DIR / "sn_model_2025_wide.csv"), "--db", str(db)]) == 0
    assert "Statistical neighbours (2025 model): read 153 rows, 1530 records" in capsys.readouterr().out
    assert main(["reference", str(REFERENCE_DIR / "README.md"), "--db", str(db)]) == 1
    assert capsys.readouterr().err == "error: README.md: reference files are .csv or .ods\n"


def test_a_rebuild_from_the_raw_exports_keeps_the_reference_data(tmp_path):
    db = tmp_path / "qa.duckdb"
    roster = (SAMPLE_DIR / "team-roster.csv").read_bytes()
    assert [r.error for r in ingest([("team-roster.csv", roster)], db, today=SAMPLE_TODAY)] == [None]
    load([("la_cla_swcount.csv", (REFERENCE_DIR / "la_cla_swcount.csv").read_bytes())], db)
    assert [r.error for r in rebuild(db, today=SAMPLE_TODAY)] == [None]
    con = duckdb.connect(str(db), read_only=True)
    # la_cla_swcount.csv: 330 rows x 2 measures
    assert con.execute("SELECT count(*) FROM reference_figures").fetchall() == [(660,)]
    assert con.execute("SELECT count(*) FROM reference_log").fetchall() == [(1,)]


def test_a_warehouse_from_before_the_reference_tables_takes_them(tmp_path):
    db = tmp_path / "qa.duckdb"
    con = duckdb.connect(str(db))
    con.execute(SCHEMA.read_text())  # the warehouse schema alone, as built before reference data
    con.close()
    [result] = load([("sn_model_2025_wide.csv", (REFERENCE_DIR / "sn_model_2025_wide.csv").read_bytes())], db)
    assert result.error is None
    assert duckdb.connect(str(db)).execute("SELECT count(*) FROM reference_neighbours").fetchall() == [(1530,)]
