"""Themes in notes, audit comments and children's feedback: how often each comes up, where, and in what words.

The counts read the summaries ingest keeps (data_pipeline/themes.py): ``theme_text_counts`` (texts, and how
many mention any theme), ``theme_mention_counts`` (texts mentioning each theme) and ``theme_terms`` (emerging
terms), each by source, cycle, service area and team, which are the only filters themes have: a query sums a
few thousand rows whatever the number of texts. A text counts once per theme however many of the
theme's phrases it uses. Rates are per 100 texts, so a cycle with more notes does not look like a rise. The
quote browser reads ``theme_mentions`` under the same filters, so the texts behind a count number what the
count says; it lists the first of them, newest cycle first, up to a limit.
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
# What practitioners and children said, as against what auditors wrote (audit comments carry action instructions):
# where the meeting pack and the Themes page draw themes and quotes from unless another source is chosen.
SPOKEN = ("focus_group_notes", "child_voice")
DIMENSIONS = ("cycle", "service_area")
QUOTES_SHOWN = 500  # texts the quote browser lists by default, newest first

# {texts} filters theme_text_counts or theme_terms (alias t), {mentions} theme_mention_counts or
# theme_mentions (alias m), each with its sources.
COVERAGE = """
    SELECT t.source_table, sum(t.texts)::BIGINT AS texts, sum(t.themed)::BIGINT AS themed
    FROM theme_text_counts t WHERE {texts}
    GROUP BY ALL ORDER BY t.source_table
"""
COUNTS = """
    WITH counted AS (
        SELECT m.theme, sum(m.texts) AS k FROM theme_mention_counts m WHERE {mentions} GROUP BY ALL
    ), total AS (
        SELECT coalesce(sum(t.texts), 0) AS n FROM theme_text_counts t WHERE {texts}
    )
    SELECT x.theme, x.position, x.description, coalesce(c.k, 0)::BIGINT AS k, (SELECT n FROM total)::BIGINT AS n
    FROM theme_taxonomy x LEFT JOIN counted c USING (theme)
    ORDER BY k DESC, x.position
"""
BY_DIMENSION = """
    WITH cells AS (
        SELECT t.{dimension}, sum(t.texts) AS n FROM theme_text_counts t WHERE {texts} GROUP BY ALL
    ), grid AS (
        SELECT x.theme, x.position, c.{dimension}, c.n FROM theme_taxonomy x CROSS JOIN cells c
    ), counted AS (
        SELECT m.theme, m.{dimension}, sum(m.texts) AS k FROM theme_mention_counts m WHERE {mentions} GROUP BY ALL
    )
    SELECT g.theme, g.position, g.{dimension}, coalesce(c.k, 0)::BIGINT AS k, g.n::BIGINT AS n
    FROM grid g LEFT JOIN counted c USING (theme, {dimension})
    ORDER BY g.position, g.{dimension}
"""
BY_CATEGORY = """
    SELECT x.theme, x.position, m.category, sum(m.texts)::BIGINT AS k
    FROM theme_mention_counts m JOIN theme_taxonomy x USING (theme)
    WHERE {mentions}
    GROUP BY ALL ORDER BY x.position, m.category
"""
# The quote browser lists texts newest cycle first, then by source, category, service area, team and record.
# The summary says how many texts each (cycle, source, category, area, team) group holds, so the query reads
# only the first groups of each theme that hold ``limit`` texts: a few thousand rows, whatever the warehouse's size.
QUOTE_GROUPS = """
    SELECT m.theme, m.cycle, m.source_table, m.category, m.service_area, m.team, sum(m.texts)::BIGINT AS k
    FROM theme_mention_counts m WHERE {mentions} AND list_contains(?, m.theme) {narrowing}
    GROUP BY ALL ORDER BY m.theme, m.cycle DESC, m.source_table, m.category, m.service_area, m.team
"""
QUOTE_GROUP = (
    "(m.theme = ? AND m.cycle = ? AND m.source_table = ? AND m.category = ? AND m.service_area = ?"
    " AND m.team IS NOT DISTINCT FROM ?)"
)
QUOTE_THEME = "(m.theme = ? AND m.cycle >= ?)"
MAX_QUOTE_GROUPS = 20  # beyond this, bound a theme's rows by cycle alone
QUOTES = """
    WITH grouped AS (
        SELECT m.theme, m.source_table, m.source_id, m.category, m.cycle, m.service_area, m.team,
               string_agg(DISTINCT m.phrase, '; ' ORDER BY m.phrase) AS phrases,
               string_agg(DISTINCT m.matched_text, '; ' ORDER BY m.matched_text) AS matched_text
        FROM theme_mentions m
        WHERE {mentions} {narrowing} AND ({groups})
        GROUP BY ALL
    ), explained AS (
        SELECT * FROM grouped
        QUALIFY row_number() OVER (
            PARTITION BY theme ORDER BY cycle DESC, source_table, category, service_area, team, source_id
        ) <= ?
    )
    SELECT e.theme, e.source_table, e.source_id, e.category, e.cycle, e.service_area, e.team, e.phrases,
           e.matched_text, t.text
    FROM explained e
    JOIN theme_texts t
      ON t.source_table = e.source_table AND t.source_id = e.source_id AND t.category = e.category
     AND t.cycle = e.cycle AND t.service_area = e.service_area
    ORDER BY e.theme, e.cycle DESC, e.source_table, e.category, e.service_area, e.team, e.source_id
"""
EMERGING = """
    SELECT t.term, sum(t.texts)::BIGINT AS texts, sum(t.unthemed_texts)::BIGINT AS unthemed_texts,
           min(t.example) AS example
    FROM theme_terms t
    WHERE {texts} AND t.words = ?
    GROUP BY ALL
    HAVING sum(t.texts) >= ?
    ORDER BY texts DESC, t.term
    LIMIT ?
"""


def check_sources(sources) -> tuple[str, ...]:
    """The sources as a tuple, in the canonical order; raises on anything not in SOURCES or on none."""
    chosen = tuple(s for s in SOURCES if s in set(sources))
    unknown = set(sources) - set(SOURCES)
    if unknown or not chosen:
        raise ValueError(f"sources must be some of {SOURCES}, not {sorted(map(str, sources))}")
    return chosen


def scoped(f: Filters, sources=SOURCES, alias: str = "t") -> tuple[str, list]:
    """The condition for the filters and the sources on a theme table aliased ``t`` (theme_text_counts,
    theme_terms) or ``m`` (theme_mention_counts, theme_mentions), and its parameters."""
    chosen = check_sources(sources)
    where, params = f.where({"t": C.THEME_TEXTS, "m": C.THEME_MENTIONS}[alias])
    sql = render(
        "{where} AND {alias}.source_table IN ({sources})",
        where=where,
        alias=alias,
        sources=", ".join("?" for _ in chosen),
    )
    return sql, [*params, *chosen]


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
    texts, params = scoped(f, sources, "t")
    return wh.query(render(COVERAGE, texts=texts), params)


@cached
def theme_counts(wh: Warehouse, f: Filters, sources=SOURCES) -> pd.DataFrame:
    """Columns: theme, position, description, k (texts mentioning it), n (texts), share, per_100, small_n.

    Every theme of the taxonomy, zeros too, most-mentioned first.
    """
    mentions, mention_params = scoped(f, sources, "m")
    texts, text_params = scoped(f, sources, "t")
    return _with_rate(wh.query(render(COUNTS, mentions=mentions, texts=texts), [*mention_params, *text_params]))


@cached
def themes_by(wh: Warehouse, f: Filters, dimension: str, sources=SOURCES) -> pd.DataFrame:
    """Columns: theme, position, <dimension>, k, n (texts in that cycle or area), share, per_100, small_n.

    Every theme against every cycle (or service area) that has texts, zeros included.
    """
    # ``dimension`` is an identifier, so it is checked against the allow-list, never bound.
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {DIMENSIONS}, not {dimension!r}")
    texts, text_params = scoped(f, sources, "t")
    mentions, mention_params = scoped(f, sources, "m")
    sql = render(BY_DIMENSION, texts=texts, mentions=mentions, dimension=dimension)
    return _with_rate(wh.query(sql, [*text_params, *mention_params]))


@cached
def themes_by_category(wh: Warehouse, f: Filters, sources=SOURCES) -> pd.DataFrame:
    """Columns: theme, position, category, k (texts). Category is the note's kind (Working well, Barriers, Suggestions),
    the audit comment's topic (strengths, development, worker_view, actions) or 'child voice'. Non-zero rows only.
    """
    mentions, params = scoped(f, sources, "m")
    return wh.query(render(BY_CATEGORY, mentions=mentions), params)


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


def _narrowing(category, cycle, service_area) -> tuple[str, list]:
    narrowing, params = [], []
    for column, value in (("category", category), ("cycle", cycle), ("service_area", service_area)):
        if value is not None:
            narrowing.append(f"AND m.{column} = ?")
            params.append(value)
    return " ".join(narrowing), params


@cached
def _quote_groups(wh: Warehouse, f: Filters, themes: tuple, sources, category, cycle, service_area) -> pd.DataFrame:
    mentions, params = scoped(f, sources, "m")
    narrowing, extra = _narrowing(category, cycle, service_area)
    return wh.query(render(QUOTE_GROUPS, mentions=mentions, narrowing=narrowing), [*params, list(themes), *extra])


def _theme_condition(theme: str, groups: pd.DataFrame, limit: int) -> tuple[str, list]:
    """The rows of ``theme`` that can be among its first ``limit``: those of the first groups holding ``limit``
    texts (``groups``: its summary rows, in list order), or, when that is many groups, those of their cycles."""
    needed = groups.iloc[: int((groups["k"].cumsum() < limit).sum()) + 1]
    if len(needed) > MAX_QUOTE_GROUPS or len(needed) == len(groups):
        return QUOTE_THEME, [theme, needed["cycle"].iloc[-1]]
    values = [None if pd.isna(v) else v for row in needed.itertuples(index=False) for v in row[:6]]
    return " OR ".join(QUOTE_GROUP for _ in range(len(needed))), values


def _quotes(wh: Warehouse, f: Filters, themes: tuple, sources, category, cycle, service_area, limit: int):
    groups = _quote_groups(wh, f, themes, sources, category, cycle, service_area)
    conditions = [_theme_condition(theme, part, limit) for theme, part in groups.groupby("theme", sort=False)]
    mentions, params = scoped(f, sources, "m")
    narrowing, extra = _narrowing(category, cycle, service_area)
    chosen = " OR ".join(condition for condition, _ in conditions) or "FALSE"
    sql = render(QUOTES, mentions=mentions, narrowing=narrowing, groups=chosen)
    return wh.query(sql, [*params, *extra, *(v for _, values in conditions for v in values), int(limit)])


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
    limit: int = QUOTES_SHOWN,
) -> pd.DataFrame:
    """The texts mentioning ``theme``, optionally only one category, cycle or service area: the first ``limit``,
    newest cycle first, then by source, category, service area, team and record. ``themes_by`` and
    ``themes_by_category`` count them all.

    Columns: source_table, source_id, category, cycle, service_area, team, phrases (the taxonomy phrases that
    matched), matched_text (the words as written), text. Keys only: the warehouse holds no names, though free
    text can still name people, so pages show it escaped.
    """
    found = _quotes(wh, f, (theme,), sources, category, cycle, service_area, limit)
    return found.drop(columns="theme")


@rows_only
@cached
def first_quotes(wh: Warehouse, f: Filters, themes: tuple, sources=SOURCES, limit: int = 1) -> pd.DataFrame:
    """The first ``limit`` texts of each of ``themes``, in ``quotes``' order, in one query: column theme, then
    ``quotes``' columns."""
    return _quotes(wh, f, tuple(themes), sources, None, None, None, limit)


@rows_only
@cached
def emerging_terms(
    wh: Warehouse, f: Filters, sources=SOURCES, words: int = 1, limit: int = 25, min_texts: int = 3
) -> pd.DataFrame:
    """Words (``words=1``) or two-word phrases (``words=2``) that no theme covers yet, to add to the taxonomy.

    Columns: term, texts (texts using it outside any matched phrase), unthemed_texts (those of them that mention
    no theme at all), example (one such text: the first in character order). Stop words, numbers, words under
    three letters and the words of each text's matched phrases are left out; two-word phrases never span
    punctuation. Terms in fewer than ``min_texts`` texts are dropped; the ``limit`` commonest are returned.
    Ingest finds each text's terms (data_pipeline/themes.py); this sums them within the filters.
    """
    if words not in (1, 2):
        raise ValueError(f"words must be 1 or 2, not {words!r}")
    texts, params = scoped(f, sources, "t")
    return wh.query(render(EMERGING, texts=texts), [*params, words, int(min_texts), int(limit)])
