"""Read-side theme queries on the hand-built warehouse of conftest.py, every count worked out by hand."""

from dataclasses import replace

import pytest

from qa_read import themes
from qa_read.filters import Filters, Scope
from tests.themes.conftest import Q1, Q2

NOTES = ("focus_group_notes",)


def counts(df, key="theme", value="k"):
    return dict(zip(df[key], df[value], strict=True))


def test_theme_counts_in_notes(wh):
    df = themes.theme_counts(wh, Filters(), NOTES)
    assert counts(df) == {"Caseloads": 3, "Supervision": 2, "Voice of the child": 1, "Court": 0}
    assert df["theme"].tolist() == ["Caseloads", "Supervision", "Voice of the child", "Court"]
    assert set(df["n"]) == {6}
    assert df.set_index("theme").loc["Caseloads", "per_100"] == pytest.approx(50)


def test_a_text_counts_once_per_theme_however_many_phrases_it_uses(wh):
    # N1 uses "high case load" and N2 both "supervision" and "reflective": each counts once.
    quotes = themes.quotes(wh, Filters(), "Supervision", NOTES)
    assert quotes["source_id"].tolist() == ["N1", "N2"]
    assert quotes.set_index("source_id").loc["N2", "phrases"] == "reflective; supervision"


def test_all_sources_and_coverage(wh):
    assert counts(themes.theme_counts(wh, Filters())) == {
        "Caseloads": 4,
        "Supervision": 3,
        "Voice of the child": 2,
        "Court": 0,
    }
    # The blank child's-voice comment is not a text; V1 and V3 mention no theme, nor does note N5.
    cover = themes.coverage(wh, Filters()).set_index("source_table")
    assert cover[["texts", "themed"]].to_dict("index") == {
        "audit_comments": {"texts": 3, "themed": 3},
        "child_voice": {"texts": 2, "themed": 0},
        "focus_group_notes": {"texts": 6, "themed": 5},
    }


def test_by_cycle_is_a_rate_per_100_texts_with_zeros(wh):
    df = themes.themes_by(wh, Filters(), "cycle", NOTES)
    cells = df.set_index(["theme", "cycle"])
    assert len(df) == 8  # every theme against both cycles
    assert cells.loc[("Caseloads", Q1), ["k", "n"]].tolist() == [2, 3]
    assert cells.loc[("Caseloads", Q2), ["k", "n"]].tolist() == [1, 3]
    assert cells.loc[("Voice of the child", Q1), ["k", "n"]].tolist() == [0, 3]
    assert cells.loc[("Supervision", Q1), "per_100"] == pytest.approx(200 / 3)
    assert df["small_n"].all()  # three notes a cycle is under SMALL_N


def test_by_service_area(wh):
    df = themes.themes_by(wh, Filters(), "service_area", NOTES).set_index(["theme", "service_area"])
    assert df.loc[("Caseloads", "North"), ["k", "n"]].tolist() == [3, 5]
    assert df.loc[("Voice of the child", "South"), ["k", "n"]].tolist() == [1, 1]


def test_by_category(wh):
    df = themes.themes_by_category(wh, Filters(), NOTES)
    assert df[["theme", "category", "k"]].values.tolist() == [
        ["Voice of the child", "Working well", 1],
        ["Caseloads", "Barriers", 2],
        ["Caseloads", "Suggestions", 1],
        ["Supervision", "Barriers", 1],
        ["Supervision", "Working well", 1],
    ]
    audits = themes.themes_by_category(wh, Filters(), ("audit_comments",))
    assert audits[["theme", "category", "k"]].values.tolist() == [
        ["Voice of the child", "strengths", 1],
        ["Caseloads", "development", 1],
        ["Supervision", "actions", 1],
    ]


def test_change_between_the_last_two_cycles(wh):
    df = themes.theme_change(wh, Filters(), NOTES)
    assert df["theme"].tolist() == ["Voice of the child", "Court", "Caseloads", "Supervision"]
    assert df["change"].tolist() == pytest.approx([100 / 3, 0, -100 / 3, -200 / 3])
    first = df.iloc[0]
    assert (first["cycle"], first["previous_cycle"], first["k"], first["previous_k"]) == (Q2, Q1, 1, 0)
    assert df["small_n"].all()
    assert themes.theme_change(wh, Filters(cycle_from=Q2), NOTES).empty


@pytest.mark.parametrize("sources", [NOTES, ("audit_comments",), themes.SOURCES])
@pytest.mark.parametrize("dimension", themes.DIMENSIONS)
def test_every_count_is_explained_by_exactly_its_quotes(wh, sources, dimension):
    for f in (Filters(), Filters(service_areas=("North",))):
        for row in themes.themes_by(wh, f, dimension, sources).itertuples():
            rows = themes.quotes(wh, f, row.theme, sources, **{dimension: getattr(row, dimension)})
            assert len(rows) == row.k
            assert rows["phrases"].notna().all() and rows["matched_text"].notna().all()
        for row in themes.themes_by_category(wh, f, sources).itertuples():
            assert len(themes.quotes(wh, f, row.theme, sources, category=row.category)) == row.k


def test_quotes_trace_back_to_one_text_with_keys_only(wh):
    rows = themes.quotes(wh, Filters(), "Caseloads")
    assert rows.columns.tolist() == [
        "source_table", "source_id", "category", "cycle", "service_area", "team", "phrases", "matched_text", "text",
    ]  # fmt: skip
    assert rows[["source_id", "category", "phrases", "matched_text"]].values.tolist() == [
        ["A1", "development", "case load", "Caseload"],
        ["N4", "Barriers", "case load", "Case-loads"],
        ["N1", "Barriers", "high case load", "High caseloads"],
        ["N3", "Suggestions", "case load", "case loads"],
    ]
    assert rows.iloc[0]["text"] == "Caseload too high."


def test_filters_narrow_texts_and_mentions_alike(wh):
    south = themes.theme_counts(wh, Filters(service_areas=("South",)))
    assert counts(south) == {"Voice of the child": 1, "Supervision": 1, "Caseloads": 0, "Court": 0}
    assert set(south["n"]) == {3}  # N6, A2's comment and V3
    # Notes have no team: a team filter leaves audit comments and feedback from that team only.
    team = themes.theme_counts(wh, Filters(teams=("N1",)))
    assert counts(team) == {"Voice of the child": 1, "Caseloads": 1, "Supervision": 0, "Court": 0}
    assert set(team["n"]) == {3}
    assert themes.theme_counts(wh, Filters(teams=("N1",)), NOTES)["n"].iloc[0] == 0
    # Case type and audit tool do not apply to themes.
    assert counts(themes.theme_counts(wh, Filters(case_types=("Early Help",), instrument="x"))) == counts(
        themes.theme_counts(wh, Filters())
    )


def test_a_scope_restricts_and_fails_closed_on_notes(wh):
    scoped = Filters(scope=Scope(teams=("S1",)))
    assert counts(themes.theme_counts(wh, scoped)) == {
        "Supervision": 1,
        "Voice of the child": 0,
        "Caseloads": 0,
        "Court": 0,
    }
    assert themes.theme_counts(wh, replace(scoped, service_areas=("North",)))["n"].iloc[0] == 0


def test_emerging_terms_leave_out_stop_words_and_matched_phrases(wh):
    words = themes.emerging_terms(wh, Filters(), NOTES, words=1, min_texts=1)
    terms = set(words["term"])
    assert {"mosaic", "crashing", "agency", "teenagers", "placements", "cap", "training"} <= terms
    # Stop words, short words and the words of matched phrases ("High caseloads" in N1) are left out.
    assert not terms & {"the", "and", "is", "are", "staff", "caseloads", "supervision", "case", "loads"}
    found = words.set_index("term")
    # "high" is in N4 outside a phrase, and inside N1's matched "High caseloads", which does not count.
    assert found.loc["high", "texts"] == 1
    assert found.loc["agency", "unthemed_texts"] == 1  # N5 mentions no theme
    assert found.loc["mosaic", "unthemed_texts"] == 0
    assert found.loc["mosaic", "example"] == "Case-loads are still high. Mosaic keeps crashing."


def test_two_word_terms_never_span_punctuation(wh):
    pairs = set(themes.emerging_terms(wh, Filters(), NOTES, words=2, min_texts=1)["term"])
    assert {"mosaic keeps", "keeps crashing", "training days"} <= pairs
    assert "high mosaic" not in pairs  # "...still high. Mosaic..."
    assert "leave teenagers" not in pairs  # "...leave; teenagers..."


def test_emerging_terms_honour_the_minimum_and_limit(wh):
    assert themes.emerging_terms(wh, Filters(), NOTES, min_texts=2).empty
    assert len(themes.emerging_terms(wh, Filters(), NOTES, min_texts=1, limit=3)) == 3


@pytest.mark.parametrize("bad", [(), ("notes",), ("focus_group_notes", "audits; DROP TABLE audits")])
def test_sources_are_allow_listed(wh, bad):
    with pytest.raises(ValueError):
        themes.theme_counts(wh, Filters(), bad)


@pytest.mark.parametrize("dimension", ["team", "cycle; DROP TABLE audits", ""])
def test_dimension_is_an_allow_listed_identifier(wh, dimension):
    with pytest.raises(ValueError):
        themes.themes_by(wh, Filters(), dimension)


def test_hostile_values_are_just_values(wh):
    hostile = "'; DROP TABLE theme_mentions; --"
    assert themes.theme_counts(wh, Filters(service_areas=(hostile,)))["n"].iloc[0] == 0
    assert themes.quotes(wh, Filters(), hostile, category=hostile).empty
    assert themes.theme_counts(wh, Filters())["k"].sum() == 9


def test_texts_are_withheld_from_readers_allowed_aggregates_only(wh):
    f = Filters(scope=Scope(rows=False))
    assert counts(themes.theme_counts(wh, f)) == counts(themes.theme_counts(wh, Filters()))
    with pytest.raises(PermissionError):
        themes.quotes(wh, f, "Caseloads")
    with pytest.raises(PermissionError):
        themes.emerging_terms(wh, f)
