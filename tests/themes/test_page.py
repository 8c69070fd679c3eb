"""The Themes page under AppTest: on the sample warehouse, and with hostile text that must stay inert."""

import json

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from data_pipeline import marts, themes
from qa_read import themes as read
from tests.conftest import ROOT
from tests.themes.conftest import NOTES, Q2, TAXONOMY, build

HOSTILE = "<img src=x onerror=alert(1)> **High caseloads** [click](http://evil.example) <b>bold</b>"


def open_page(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params.update(query or {})
    at.run()
    at.switch_page("pages/themes.py").run()
    return at


def notes_page(query: dict | None = None) -> AppTest:
    """The page on focus group notes alone (its default is focus groups and child's voice together)."""
    at = open_page(query)
    at.segmented_control(key="theme_texts").set_value("Focus group notes").run()
    return at


def titles(at: AppTest) -> list[str]:
    return [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in at.get("plotly_chart")]


def problems(at: AppTest) -> list:
    return [*at.exception, *(e.value for e in at.error)]


@pytest.fixture
def sample(sample_warehouse, monkeypatch):
    monkeypatch.setenv("QA_WAREHOUSE", str(sample_warehouse))


@pytest.mark.parametrize("texts", ["Focus group notes", "Audit comments", "Child's voice", "All free text"])
def test_each_kind_of_text_draws_its_charts(sample, texts):
    at = open_page()
    at.segmented_control(key="theme_texts").set_value(texts).run()
    assert not problems(at), problems(at)
    assert len(at.get("plotly_chart")) == 4, titles(at)
    assert "came up most" in titles(at)[0]
    at.segmented_control(key="theme_by").set_value("Service area").run()
    assert not problems(at) and len(at.get("plotly_chart")) == 4


def test_the_quote_browser_lists_the_texts_counted(sample):
    at = notes_page()
    theme = at.selectbox(key="theme_quotes").value
    quotes = at.dataframe[-1].value
    counted = int(at.selectbox(key="theme_quotes").format_func(theme).rsplit("(", 1)[1].rstrip(")"))
    assert len(quotes) == min(counted, read.QUOTES_SHOWN)
    assert f"{counted:,} notes mention {theme}" in " ".join(m.value for m in at.markdown)
    assert {"phrases", "matched_text", "text"} <= set(quotes.columns)
    at.selectbox(key="theme_quote_category").set_value("Barriers").run()
    assert set(at.dataframe[-1].value["category"]) <= {"Barriers"}


def test_the_quote_browser_says_when_it_lists_only_the_first_texts(sample, monkeypatch):
    monkeypatch.setattr(read, "QUOTES_SHOWN", 3)
    at = notes_page()
    assert not problems(at)
    assert len(at.dataframe[-1].value) == 3
    assert any("Listed: the first 3, newest cycle first" in c.value.replace("\\", "") for c in at.caption)


def test_a_filtered_view_runs(sample):
    at = open_page({"area": ["Care Leavers"], "cycles": ["2025/26 Q1", "2026/27 Q2"]})
    assert not problems(at)
    assert at.get("plotly_chart")


def test_a_team_filter_explains_why_no_notes_are_left(sample):
    at = notes_page({"team": ["Assessment Team 2"]})
    assert not problems(at)
    assert any("Focus group notes have no team" in i.value for i in at.info)


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    """The hand-built warehouse with a note full of markup, and a theme name full of it too."""
    path = tmp_path / "hostile.duckdb"
    con = duckdb.connect(str(path))
    taxonomy = TAXONOMY.replace('name = "Caseloads"', 'name = "Case *loads* <i>x</i>"')
    build(con, themes.parse(taxonomy), [*NOTES, ("N7", Q2, "North", "Barriers", HOSTILE)])
    marts.build(con)  # the sidebar's options
    con.close()
    monkeypatch.setenv("QA_WAREHOUSE", str(path))
    # The warehouse is a resource cached for the process: let this test open its own, and later tests theirs.
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def test_free_text_and_theme_names_are_shown_escaped(hostile):
    at = open_page()
    assert not problems(at)
    assert at.selectbox(key="theme_quotes").value == "Case *loads* <i>x</i>"
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    # The note only ever reaches the page inside a table, which renders no markdown or HTML.
    assert not [s for s in shown if "onerror" in s or "evil.example" in s]
    assert HOSTILE in set(at.dataframe[-1].value["text"])
    # A theme name in markdown is escaped; in chart titles, HTML-escaped.
    assert r"Case \*loads\* \<i\>x\</i\>" in " ".join(shown)
    assert all("<i>" not in title for title in titles(at))
    assert any("Case *loads* &lt;i&gt;x&lt;/i&gt;" in title for title in titles(at))
