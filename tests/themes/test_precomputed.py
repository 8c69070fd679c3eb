"""The summaries ingest keeps give the answers the query-time SQL gave, and stay right as files come and go.

``Oracle`` is the read side as it was before the summaries (commit 774548b, qa_read/themes.py): every query
tokenised and counted ``theme_texts`` and ``theme_mentions`` at read time. It still runs, slowly, on the same
tables, so each precomputed answer is compared with it: on the hand-built warehouse, on the sample warehouse
(built file by file, so through ``refresh``), and, for the tokeniser, on texts hypothesis writes.
"""

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data_pipeline import themes as pipeline
from data_pipeline.warehouse import create_schema
from qa_read import columns as C
from qa_read import themes
from qa_read.db import Warehouse
from qa_read.filters import Filters, Scope, render
from tests.themes.conftest import Q1, Q2, build


class Oracle:
    BASE = """
        texts AS (
            SELECT t.* FROM theme_texts t WHERE {texts} AND t.source_table IN ({sources})
        ), mentions AS (
            SELECT m.* FROM theme_mentions m WHERE {mentions} AND m.source_table IN ({sources})
        ), hits AS (
            SELECT source_table, source_id, category, theme, any_value(cycle) AS cycle,
                   any_value(service_area) AS service_area
            FROM mentions GROUP BY ALL
        ), taxonomy AS (
            SELECT theme, position, description FROM theme_taxonomy
        )"""
    COVERAGE = """
        WITH {base}, themed AS (
            SELECT DISTINCT source_table, source_id, category FROM hits
        )
        SELECT t.source_table, count(*) AS texts, count(th.source_id) AS themed
        FROM texts t LEFT JOIN themed th USING (source_table, source_id, category)
        GROUP BY ALL ORDER BY t.source_table
    """
    COUNTS = """
        WITH {base}, counted AS (
            SELECT theme, count(*) AS k FROM hits GROUP BY theme
        )
        SELECT x.theme, x.position, x.description, coalesce(c.k, 0)::BIGINT AS k,
               (SELECT count(*) FROM texts)::BIGINT AS n
        FROM taxonomy x LEFT JOIN counted c USING (theme)
        ORDER BY k DESC, x.position
    """
    BY_DIMENSION = """
        WITH {base}, cells AS (
            SELECT {dimension}, count(*) AS n FROM texts GROUP BY ALL
        ), grid AS (
            SELECT x.theme, x.position, c.{dimension}, c.n FROM taxonomy x CROSS JOIN cells c
        ), counted AS (
            SELECT theme, {dimension}, count(*) AS k FROM hits GROUP BY ALL
        )
        SELECT g.theme, g.position, g.{dimension}, coalesce(c.k, 0)::BIGINT AS k, g.n::BIGINT AS n
        FROM grid g LEFT JOIN counted c USING (theme, {dimension})
        ORDER BY g.position, g.{dimension}
    """
    BY_CATEGORY = """
        WITH {base}
        SELECT x.theme, x.position, h.category, count(*) AS k
        FROM hits h JOIN taxonomy x USING (theme)
        GROUP BY ALL ORDER BY x.position, h.category
    """
    QUOTES = """
        WITH {base}, chosen AS (
            SELECT * FROM hits WHERE theme = ? {narrowing}
        ), explained AS (
            SELECT source_table, source_id, category,
                   string_agg(DISTINCT phrase, '; ' ORDER BY phrase) AS phrases,
                   string_agg(DISTINCT matched_text, '; ' ORDER BY matched_text) AS matched_text
            FROM mentions WHERE theme = ? GROUP BY ALL
        )
        SELECT t.source_table, t.source_id, t.category, t.cycle, t.service_area, t.team,
               e.phrases, e.matched_text, t.text
        FROM chosen c
        JOIN texts t USING (source_table, source_id, category)
        JOIN explained e USING (source_table, source_id, category)
        ORDER BY t.cycle DESC, t.source_table, t.source_id, t.category
    """
    WORDS_OF = r"""regexp_extract_all(
            regexp_replace(lower({column}), '([\p{{L}}\p{{N}}])[''’]s([^\p{{L}}\p{{N}}]|$)', '\1\2', 'g'),
            '[\p{{L}}\p{{N}}]+')"""
    CLAUSE_BREAK = r"[.,;:!?()\[\]\n\r\t\"–—]|\s-+\s"
    EMERGING = """
        WITH {base}, clauses AS (
            SELECT source_table, source_id, category, unnest(regexp_split_to_array(text, ?)) AS clause,
                   generate_subscripts(regexp_split_to_array(text, ?), 1) AS clause_number
            FROM texts
        ), split AS (
            SELECT source_table, source_id, category, clause_number, {clause_words} AS words FROM clauses
        ), tokens AS (
            SELECT source_table, source_id, category, clause_number, unnest(words) AS word,
                   generate_subscripts(words, 1) AS pos
            FROM split
        ), covered AS (
            SELECT DISTINCT source_table, source_id, category, unnest({matched_words}) AS word FROM mentions
        ), marked AS (
            SELECT k.*, c.word IS NULL AND length(k.word) >= 3 AND NOT regexp_full_match(k.word, '[0-9]+')
                        AND NOT list_contains(?::VARCHAR[], k.word) AS keep
            FROM tokens k LEFT JOIN covered c USING (source_table, source_id, category, word)
        ), paired AS (
            SELECT *, lead(word) OVER w AS next_word, lead(keep) OVER w AS next_keep
            FROM marked
            WINDOW w AS (PARTITION BY source_table, source_id, category, clause_number ORDER BY pos)
        ), terms AS (
            SELECT source_table, source_id, category, word AS term, 1 AS words FROM paired WHERE keep
            UNION ALL
            SELECT source_table, source_id, category, word || ' ' || next_word, 2 FROM paired WHERE keep AND next_keep
        ), wanted AS (
            SELECT * FROM terms WHERE words = ?
        ), themed AS (
            SELECT DISTINCT source_table, source_id, category FROM hits
        ), counted AS (
            SELECT x.term, x.words, count(DISTINCT (x.source_table, x.source_id, x.category)) AS texts,
                   count(DISTINCT (x.source_table, x.source_id, x.category)) FILTER (WHERE th.source_id IS NULL)
                       AS unthemed_texts,
                   min(t.text) AS example
            FROM wanted x
            JOIN texts t USING (source_table, source_id, category)
            LEFT JOIN themed th USING (source_table, source_id, category)
            GROUP BY ALL
        )
        SELECT term, texts, unthemed_texts, example FROM counted
        WHERE texts >= ?
        ORDER BY texts DESC, term
        LIMIT ?
    """

    def __init__(self, wh: Warehouse):
        self.wh = wh

    def _base(self, f: Filters, sources) -> tuple[str, list]:
        chosen = themes.check_sources(sources)
        texts, text_params = f.where(C.THEME_TEXTS)
        mentions, mention_params = f.where(C.THEME_MENTIONS)
        in_list = ", ".join("?" for _ in chosen)
        base = render(self.BASE, texts=texts, mentions=mentions, sources=in_list)
        return base, [*text_params, *chosen, *mention_params, *chosen]

    def run(self, template: str, f: Filters, sources, extra=(), **fragments) -> pd.DataFrame:
        base, params = self._base(f, sources)
        return self.wh.query(render(template, base=base, **fragments), [*params, *extra])

    def quotes(self, f: Filters, theme: str, sources, **narrowing) -> pd.DataFrame:
        chosen = {k: v for k, v in narrowing.items() if v is not None}
        sql = " ".join(f"AND {column} = ?" for column in chosen)
        return self.run(self.QUOTES, f, sources, [theme, *chosen.values(), theme], narrowing=sql)

    def emerging(self, f: Filters, sources, words: int, limit: int, min_texts: int) -> pd.DataFrame:
        extra = [self.CLAUSE_BREAK, self.CLAUSE_BREAK, sorted(pipeline.STOP_WORDS), words, min_texts, limit]
        return self.run(
            self.EMERGING,
            f,
            sources,
            extra,
            clause_words=self.WORDS_OF.format(column="clause"),
            matched_words=self.WORDS_OF.format(column="matched_text"),
        )


# The quote browser's order within a cycle (by source, category, area, team, record), applied to the oracle.
QUOTE_ORDER = ["cycle", "source_table", "category", "service_area", "team", "source_id"]


def in_quote_order(df: pd.DataFrame) -> pd.DataFrame:
    ascending = [False, *[True] * (len(QUOTE_ORDER) - 1)]
    return df.sort_values(QUOTE_ORDER, ascending=ascending, na_position="last", kind="stable", ignore_index=True)


def same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Equal values; a column all NULL in one result and partly in the other differ only in dtype."""

    def plain(df):
        return df.reset_index(drop=True).astype(object).where(df.reset_index(drop=True).notna(), None)

    pd.testing.assert_frame_equal(plain(left), plain(right))


def filter_choices(wh: Warehouse) -> list[Filters]:
    """No filter, each single area, team and cycle, pairs, ranges, a scope, and a value nothing has."""
    areas = wh.query("SELECT DISTINCT service_area FROM theme_texts ORDER BY 1")["service_area"].tolist()
    teams = wh.query("SELECT DISTINCT team FROM theme_texts WHERE team IS NOT NULL ORDER BY 1")["team"].tolist()
    cycles = wh.query("SELECT DISTINCT cycle FROM theme_texts ORDER BY 1")["cycle"].tolist()
    return [
        Filters(),
        *(Filters(service_areas=(area,)) for area in areas[:3]),
        Filters(service_areas=tuple(areas[:2])),
        Filters(teams=(teams[0],)),
        Filters(teams=tuple(teams[:2]), cycle_from=cycles[-1]),
        Filters(cycle_from=cycles[0], cycle_to=cycles[0]),
        Filters(cycle_from=cycles[-2], service_areas=(areas[-1],)),
        Filters(scope=Scope(service_areas=(areas[0],), teams=tuple(teams))),
        Filters(service_areas=("nowhere",)),
    ]


SOURCE_CHOICES = [("focus_group_notes",), ("audit_comments",), ("child_voice",), themes.SOURCES]


@pytest.fixture(scope="module", params=["hand-built", "sample"])
def warehouse(request, taxonomy) -> Warehouse:
    if request.param == "hand-built":
        con = duckdb.connect(":memory:")
        build(con, taxonomy)
        return Warehouse.in_memory(con)
    return Warehouse(request.getfixturevalue("sample_warehouse"))


@pytest.mark.parametrize("sources", SOURCE_CHOICES)
def test_counts_match_the_query_time_sql(warehouse, sources):
    oracle = Oracle(warehouse)
    for f in filter_choices(warehouse):
        same(themes.coverage(warehouse, f, sources), oracle.run(Oracle.COVERAGE, f, sources))
        counts = themes.theme_counts(warehouse, f, sources)
        same(counts.drop(columns=["share", "per_100", "small_n"]), oracle.run(Oracle.COUNTS, f, sources))
        for dimension in themes.DIMENSIONS:
            by = themes.themes_by(warehouse, f, dimension, sources).drop(columns=["share", "per_100", "small_n"])
            same(by, oracle.run(Oracle.BY_DIMENSION, f, sources, dimension=dimension))
        same(themes.themes_by_category(warehouse, f, sources), oracle.run(Oracle.BY_CATEGORY, f, sources))


@pytest.mark.parametrize("sources", SOURCE_CHOICES)
def test_emerging_terms_match_the_query_time_sql(warehouse, sources):
    oracle = Oracle(warehouse)
    for f in filter_choices(warehouse):
        for words in (1, 2):
            for min_texts, limit in ((1, 1000), (3, 25)):
                expected = oracle.emerging(f, sources, words, limit, min_texts)
                got = themes.emerging_terms(warehouse, f, sources, words=words, limit=limit, min_texts=min_texts)
                same(got, expected)


@pytest.mark.parametrize("sources", SOURCE_CHOICES)
def test_quotes_are_the_first_of_the_query_time_sql_s_rows(warehouse, sources):
    oracle = Oracle(warehouse)
    cycle = warehouse.query("SELECT max(cycle) AS c FROM theme_texts")["c"].iloc[0]
    taxonomy = warehouse.query("SELECT theme FROM theme_taxonomy ORDER BY position")["theme"].tolist()
    for f in filter_choices(warehouse)[:6]:
        for theme in taxonomy[:3]:
            for narrowing in ({}, {"cycle": cycle}, {"category": "Barriers"}):
                expected = in_quote_order(oracle.quotes(f, theme, sources, **narrowing))
                # Small limits take the query that reads only the first groups of the summary.
                for limit in (1, 2, 7, 40, 10_000):
                    got = themes.quotes(warehouse, f, theme, sources, limit=limit, **narrowing)
                    same(got, expected.head(limit))


@pytest.mark.parametrize("sources", SOURCE_CHOICES)
def test_first_quotes_are_each_theme_s_first_quotes_in_one_query(warehouse, sources):
    oracle = Oracle(warehouse)
    taxonomy = warehouse.query("SELECT theme FROM theme_taxonomy ORDER BY position")["theme"].tolist()
    chosen = (taxonomy[-1], taxonomy[0], "No such theme", taxonomy[1])
    for f in filter_choices(warehouse)[:6]:
        for limit in (1, 3, 10_000):
            got = themes.first_quotes(warehouse, f, chosen, sources, limit=limit)
            for theme in chosen:
                expected = in_quote_order(oracle.quotes(f, theme, sources)).head(limit)
                same(got[got["theme"] == theme].drop(columns="theme"), expected)
            assert set(got["theme"]) <= set(chosen)


def test_refresh_keeps_the_summaries_of_both_groups_a_record_moves_between(taxonomy):
    con = duckdb.connect(":memory:")
    build(con, taxonomy)
    # Audit A1 moves from team N1 in North to team S1 in South, and note N4 from Q2 to Q1.
    con.execute("UPDATE audits SET service_area = 'South', team = 'S1' WHERE audit_id = 'A1'")
    con.execute("UPDATE focus_group_notes SET cycle = ? WHERE note_id = 'N4'", [Q1])
    pipeline.refresh(con, taxonomy, "audit", ["A1"])
    pipeline.refresh(con, taxonomy, "focus_group", ["N4"])
    refreshed = summaries(con)
    pipeline.reapply(con, taxonomy)
    assert refreshed == summaries(con)
    wh = Warehouse.in_memory(con)
    north = themes.coverage(wh, Filters(service_areas=("North",)), ("audit_comments",))
    assert north.empty  # A1 took its two comments to the South
    assert themes.theme_counts(wh, Filters(cycle_from=Q2), ("focus_group_notes",))["n"].iloc[0] == 2


def test_a_record_whose_text_is_blanked_leaves_the_summaries(taxonomy):
    con = duckdb.connect(":memory:")
    build(con, taxonomy)
    con.execute("UPDATE child_voice SET comment = '' WHERE response_id = 'V1'")
    pipeline.refresh(con, taxonomy, "child_voice", ["V1"])
    refreshed = summaries(con)
    pipeline.reapply(con, taxonomy)
    assert refreshed == summaries(con)
    assert con.execute("SELECT sum(texts) FROM theme_text_counts WHERE source_table = 'child_voice'").fetchone() == (1,)


def test_the_sample_s_summaries_built_file_by_file_equal_those_built_at_once(sample_warehouse, taxonomy):
    con = duckdb.connect(":memory:")
    con.execute("ATTACH ? AS sample (READ_ONLY)", [str(sample_warehouse)])
    create_schema(con)
    for table in ("focus_group_notes", "audits", "audit_comments", "child_voice", *pipeline.THEME_OBJECTS):
        con.execute(f"INSERT INTO {table} SELECT * FROM sample.{table}")
    con.execute("DETACH sample")
    built_by_ingest = summaries(con)
    pipeline.reapply(con, pipeline.load())
    assert summaries(con) == built_by_ingest


def test_texts_are_analysed_a_few_at_a_time(taxonomy, monkeypatch):
    con = duckdb.connect(":memory:")
    build(con, taxonomy)
    whole = summaries(con)
    monkeypatch.setattr(pipeline, "CHUNK", 2)
    pipeline.reapply(con, taxonomy)
    assert summaries(con) == whole


def summaries(con) -> dict[str, list[tuple]]:
    return {
        table: sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
        for table in ("theme_texts", "theme_mentions", *pipeline.SUMMARIES)
    }


# ---- The tokeniser against the SQL it replaced, one text at a time.

WORDS = [
    "Mosaic", "crashing", "high", "caseloads", "case", "load", "child's", "child’s", "childs", "x's's", "team’S",
    "the", "and", "of", "an", "ok", "17", "2024", "a1b", "café", "NAÏVE", "Straße", "x²y", "ⅻ", "well-being",
    "direct", "work", "voice", "worker", "s", "'s", "’", "'", "_under_score",
]  # fmt: skip
GAPS = [" ", "  ", " - ", " -- ", "-", "\u00a0-\u00a0", "\x0b-\x0b", ". ", ", ", "; ", ":", "!", "?", "(", ")"]
GAPS += ["[", "]", "\n", "\r\n", "\t", '"', "–", "—", "/", "_", "…", "\x0c- "]
PIECES = st.sampled_from(WORDS + GAPS)
TEXTS = st.lists(PIECES, min_size=1, max_size=30).map("".join)


def sql_terms(text: str, matched: list[str]) -> set[tuple[int, str]]:
    """The emerging terms the query-time SQL found in one text with these matched phrases."""
    con = duckdb.connect(":memory:")
    create_schema(con)
    con.execute(
        "INSERT INTO theme_texts VALUES ('focus_group_notes', 'N1', 'Barriers', ?, 'North', NULL, ?)", [Q1, text]
    )
    for number, written in enumerate(matched):
        con.execute(
            "INSERT INTO theme_mentions VALUES ('focus_group_notes', 'N1', 'Barriers', 'T', ?, ?, ?, 'North', NULL)",
            [str(number), written, Q1],
        )
    oracle = Oracle(Warehouse.in_memory(con))
    found = set()
    for words in (1, 2):
        df = oracle.emerging(Filters(), ("focus_group_notes",), words, limit=10_000, min_texts=1)
        found |= {(words, term) for term in df["term"]}
    return found


@settings(max_examples=150, deadline=None)
@given(text=TEXTS, matched=st.lists(TEXTS, max_size=3))
def test_the_tokeniser_finds_what_the_sql_found(text, matched):
    assert pipeline.terms(text, matched) == sql_terms(text, matched)


def test_the_tokeniser_on_known_texts():
    assert pipeline.terms("Case-loads are still high. Mosaic keeps crashing.", ["Case-loads"]) == {
        (1, "high"),
        (1, "mosaic"),
        (1, "keeps"),
        (1, "crashing"),
        (2, "mosaic keeps"),
        (2, "keeps crashing"),
    }
    assert pipeline.terms("Agency staff leave; teenagers need placements") >= {(1, "leave"), (1, "teenagers")}
    assert (2, "leave teenagers") not in pipeline.terms("Agency staff leave; teenagers need placements")
    assert pipeline.terms("The team’s diaries - treat it") == {(1, "diaries"), (1, "treat")}
    assert pipeline.terms("") == set() and pipeline.terms(None) == set()
