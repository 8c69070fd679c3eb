"""Themes in notes, audit comments and children's feedback: how often each comes up, where, and in what words.

Every query starts from the same CTEs: ``texts`` (the free-text answers within the filters, from the chosen
sources) and ``mentions`` (the theme mentions in them), then ``hits``, one row per text and theme. A text
counts once per theme however many of the theme's phrases it uses. Rates are per 100 texts, so a cycle
with more notes does not look like a rise. The quote browser filters the very ``hits`` the charts counted,
so the texts behind a count always number what the count says.
"""

import pandas as pd

from qa_read import columns as C
from qa_read.db import Warehouse, cached, rows_only
from qa_read.filters import Filters, render
from qa_read.stats import SMALL_N

SOURCES = ("focus_group_notes", "audit_comments", "child_voice")
SOURCE_LABELS = {
    "focus_group_notes": "Focus group notes",
    "audit_comments": "Audit comments",
    "child_voice": "Child's voice",
}
DIMENSIONS = ("cycle", "service_area")

# Common English words and words every note uses, left out of the emerging terms.
STOP_WORDS = frozenset(
    """
    a about above after again against all also always am an and any are aren as at be because been before being
    below between both but by can cannot could couldn did didn do does doesn doing don down during each even every
    few for from further get gets getting got had hadn has hasn have haven having he her here hers herself him
    himself his how however i if in into is isn it its itself just least less let like ll made make makes making
    many may me more most much must mustn my myself need needs no nor not now of off on once one only or other
    our ours ourselves out over own per quite rather re really same shan she should shouldn so some still such
    than that the their theirs them themselves then there these they this those though through to too under
    until up upon us ve very was wasn we were weren what when where which while who whom why will with within
    without won would wouldn yet you your yours yourself yourselves
    child children childs young person people family families parent parents mum dad worker workers
    social work team teams case cases staff practice service services good better well new use used using
    """.split()
)

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
# Words are runs of letters and digits, lowercased, a possessive 's dropped: the matcher's own rule.
WORDS_OF = r"""regexp_extract_all(
        regexp_replace(lower({column}), '([\p{{L}}\p{{N}}])[''’]s([^\p{{L}}\p{{N}}]|$)', '\1\2', 'g'),
        '[\p{{L}}\p{{N}}]+')"""
# Two-word terms never span a sentence or clause break: "diaries - treat it" gives no "diaries treat".
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


def check_sources(sources) -> tuple[str, ...]:
    """The sources as a tuple, in the canonical order; raises on anything not in SOURCES or on none."""
    chosen = tuple(s for s in SOURCES if s in set(sources))
    unknown = set(sources) - set(SOURCES)
    if unknown or not chosen:
        raise ValueError(f"sources must be some of {SOURCES}, not {sorted(map(str, sources))}")
    return chosen


def base_ctes(f: Filters, sources=SOURCES) -> tuple[str, list]:
    """The ``texts``, ``mentions``, ``hits`` and ``taxonomy`` CTEs (to follow a WITH) and their parameters."""
    chosen = check_sources(sources)
    in_list = ", ".join("?" for _ in chosen)
    texts, text_params = f.where(C.THEME_TEXTS)
    mentions, mention_params = f.where(C.THEME_MENTIONS)
    sql = render(BASE, texts=texts, mentions=mentions, sources=in_list)
    return sql, [*text_params, *chosen, *mention_params, *chosen]


def _with_rate(df: pd.DataFrame) -> pd.DataFrame:
    """Add share = k / n (texts mentioning the theme over texts), per_100 = 100 * share, and small_n."""
    out = df.copy()
    out["share"] = out["k"] / out["n"].where(out["n"] > 0)
    out["per_100"] = 100 * out["share"]
    out["small_n"] = out["n"] < SMALL_N
    return out


@cached
def coverage(wh: Warehouse, f: Filters, sources=SOURCES) -> pd.DataFrame:
    """Columns: source_table, texts, themed (texts mentioning at least one theme). One row per source with texts."""
    base, params = base_ctes(f, sources)
    return wh.query(render(COVERAGE, base=base), params)


@cached
def theme_counts(wh: Warehouse, f: Filters, sources=SOURCES) -> pd.DataFrame:
    """Columns: theme, position, description, k (texts mentioning it), n (texts), share, per_100, small_n.

    Every theme of the taxonomy, zeros too, most-mentioned first.
    """
    base, params = base_ctes(f, sources)
    return _with_rate(wh.query(render(COUNTS, base=base), params))


@cached
def themes_by(wh: Warehouse, f: Filters, dimension: str, sources=SOURCES) -> pd.DataFrame:
    """Columns: theme, position, <dimension>, k, n (texts in that cycle or area), share, per_100, small_n.

    Every theme against every cycle (or service area) that has texts, zeros included.
    """
    # ``dimension`` is an identifier, so it is checked against the allow-list, never bound.
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {DIMENSIONS}, not {dimension!r}")
    base, params = base_ctes(f, sources)
    return _with_rate(wh.query(render(BY_DIMENSION, base=base, dimension=dimension), params))


@cached
def themes_by_category(wh: Warehouse, f: Filters, sources=SOURCES) -> pd.DataFrame:
    """Columns: theme, position, category, k (texts). Category is the note's kind (Working well, Barriers, Suggestions),
    the audit comment's topic (strengths, development, worker_view, actions) or 'child voice'. Non-zero rows only.
    """
    base, params = base_ctes(f, sources)
    return wh.query(render(BY_CATEGORY, base=base), params)


@cached
def theme_change(wh: Warehouse, f: Filters, sources=SOURCES) -> pd.DataFrame:
    """How each theme moved between the last two cycles with texts, per 100 texts.

    Columns: theme, cycle, previous_cycle, k, n, per_100, previous_k, previous_n, previous_per_100, change
    (per_100 minus previous_per_100, in points), small_n (either cycle has fewer than SMALL_N texts). Empty when
    fewer than two cycles have texts. Largest rise first.
    """
    by_cycle = themes_by(wh, f, "cycle", sources)
    cycles = sorted(by_cycle["cycle"].unique())
    if len(cycles) < 2:
        return pd.DataFrame(
            columns=["theme", "cycle", "previous_cycle", "k", "n", "per_100", "previous_k", "previous_n",
                     "previous_per_100", "change", "small_n"]
        )  # fmt: skip
    previous, latest = cycles[-2], cycles[-1]
    now = by_cycle[by_cycle["cycle"] == latest].set_index("theme")
    before = by_cycle[by_cycle["cycle"] == previous].set_index("theme")
    out = pd.DataFrame(
        {
            "cycle": latest,
            "previous_cycle": previous,
            "k": now["k"],
            "n": now["n"],
            "per_100": now["per_100"],
            "previous_k": before["k"],
            "previous_n": before["n"],
            "previous_per_100": before["per_100"],
        }
    )
    out["change"] = out["per_100"] - out["previous_per_100"]
    out["small_n"] = now["small_n"] | before["small_n"]
    return out.reset_index().sort_values(["change", "theme"], ascending=[False, True], ignore_index=True)


@rows_only
@cached
def quotes(
    wh: Warehouse,
    f: Filters,
    theme: str,
    sources=SOURCES,
    category: str | None = None,
    cycle: str | None = None,
    service_area: str | None = None,
) -> pd.DataFrame:
    """The texts mentioning ``theme``, optionally only one category, cycle or service area, newest cycle first.

    Columns: source_table, source_id, category, cycle, service_area, team, phrases (the taxonomy phrases that
    matched), matched_text (the words as written), text. Keys only: the warehouse holds no names, though free
    text can still name people, so pages show it escaped.
    """
    base, params = base_ctes(f, sources)
    narrowing, extra = [], []
    for column, value in (("category", category), ("cycle", cycle), ("service_area", service_area)):
        if value is not None:
            narrowing.append(f"AND {column} = ?")
            extra.append(value)
    sql = render(QUOTES, base=base, narrowing=" ".join(narrowing))
    return wh.query(sql, [*params, theme, *extra, theme])


@rows_only
@cached
def emerging_terms(
    wh: Warehouse, f: Filters, sources=SOURCES, words: int = 1, limit: int = 25, min_texts: int = 3
) -> pd.DataFrame:
    """Words (``words=1``) or two-word phrases (``words=2``) that no theme covers yet, to add to the taxonomy.

    Columns: term, texts (texts using it outside any matched phrase), unthemed_texts (those of them that mention
    no theme at all), example (one such text). Stop words, numbers, words under three letters and the words of
    each text's matched phrases are left out; two-word phrases never span punctuation. Terms in fewer than
    ``min_texts`` texts are dropped; the ``limit`` commonest are returned.
    """
    if words not in (1, 2):
        raise ValueError(f"words must be 1 or 2, not {words!r}")
    base, params = base_ctes(f, sources)
    sql = render(
        EMERGING,
        base=base,
        clause_words=WORDS_OF.format(column="clause"),
        matched_words=WORDS_OF.format(column="matched_text"),
    )
    terms = [CLAUSE_BREAK, CLAUSE_BREAK, sorted(STOP_WORDS), words, int(min_texts), int(limit)]
    return wh.query(sql, [*params, *terms])
