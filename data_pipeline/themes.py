"""Themes in free text: the taxonomy file, the matcher, and applying both to the warehouse's texts.

The first half is pure: ``parse``/``load`` validate a taxonomy and compile it once into a word index,
and ``Taxonomy.match`` names the themes a text mentions with the phrase that matched. The second half
stores those mentions in ``theme_mentions`` for the records an ingest wrote, or for every text when the
taxonomy changed. docs/themes.md states the matching rules; tests/themes/test_matcher.py holds them to it.

Phrases are matched on words, not characters: a text is split into lowercase words once, and each word
is looked up in a dictionary of the words phrases start with. That is one pass per text however many
themes there are, where a regular expression per theme costs a pass per theme (about five times slower).
Only the optional ``patterns`` are regular expressions, one alternation per theme that has any.
"""

import datetime as dt
import hashlib
import itertools
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd
import pyarrow as pa

from data_pipeline import warehouse

BUILT_IN = Path(__file__).with_name("themes.toml")
# Part of the taxonomy's hash: bump it when the matching rules below change, so that every warehouse
# re-applies its taxonomy at the next ingest instead of mixing old and new matches.
MATCHER_VERSION = "1"
# The export kinds (tables.MAIN_TABLE) whose records carry free text, and the source_table of their texts.
SOURCES = {"focus_group": "focus_group_notes", "audit": "audit_comments", "child_voice": "child_voice"}

THEME_KEYS = {"name", "description", "phrases", "patterns"}
# A phrase is plain words. These characters mean someone wrote a regular expression in the wrong list.
REGEX_CHARACTERS = re.compile(r"[()\[\]{}|*+?\\^$]")
# Words are runs of letters and digits; everything else (spaces, punctuation, hyphens, line breaks) parts them.
WORD = re.compile(r"[^\W_]+")
SPLIT = re.compile(r"([^\W_]+)")
POSSESSIVE = re.compile(r"['’]s\b")
POSSESSIVE_IN_TEXT = re.compile(r"(?<=[^\W_])['’]s(?![^\W_])")
VOWELS = "aeiou"
# A pattern ends at a word boundary (and, checked in ``match``, starts at one): "court" is not in "courtesy".
AFTER = r"(?![^\W_])"
# Patterns run on lowercased text, without re.IGNORECASE, which would stop re skipping ahead to likely starts.
UPPERCASE_OUTSIDE_ESCAPES = re.compile(r"(?<!\\)(?:\\\\)*[A-Z]")
MAX_JOINED_WORDS = 6  # longer phrases are matched as written word by word, without joined-up variants


class TaxonomyError(ValueError):
    """The taxonomy file is unusable; the message is one line naming the file and the theme."""


class Mention(NamedTuple):
    theme: str
    phrase: str  # the taxonomy's phrase or pattern that matched
    written: str  # the words as the text wrote them (first occurrence, spacing collapsed)


@dataclass(frozen=True)
class Theme:
    name: str
    description: str
    phrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()


class _Variant(NamedTuple):
    """One way of writing a phrase: the accepted spellings of each of its words in turn."""

    theme: int
    label: str
    words: tuple[frozenset[str], ...]


@dataclass(frozen=True)
class Taxonomy:
    themes: tuple[Theme, ...]
    hash: str
    # Variants of one word by its spelling, and of several words by the spellings of their first two, longest
    # first; and every spelling a variant can start with, to skip the other words of a text quickly.
    _single: dict[str, tuple[_Variant, ...]] = field(repr=False, compare=False, default_factory=dict)
    _multi: dict[tuple[str, str], tuple[_Variant, ...]] = field(repr=False, compare=False, default_factory=dict)
    _first: frozenset[str] = field(repr=False, compare=False, default=frozenset())
    # (theme number, one alternation of its patterns, group number -> pattern) for themes with patterns.
    _patterns: tuple[tuple[int, re.Pattern, dict[int, str]], ...] = field(repr=False, compare=False, default=())

    def match(self, text: str | None) -> list[Mention]:
        """Each theme the text mentions, once per distinct phrase, in taxonomy order then text order."""
        if not text:
            return []
        low = text.lower()
        original = text if len(low) == len(text) else low  # lower() lengthens a few rare letters
        if "'s" in low or "’s" in low:
            # Blanking a possessive 's keeps every offset, so spans in ``low`` are spans in ``original``.
            low = POSSESSIVE_IN_TEXT.sub("  ", low)
        # [gap, word, gap, word, ..., gap]: the words, and where each starts from the running total of lengths.
        parts = SPLIT.split(low)
        words = parts[1::2]
        last = len(words) - 1
        found: dict[tuple[int, str], tuple[int, int]] = {}  # (theme, label) -> span of its first occurrence
        free_from = [0] * len(self.themes)  # within a theme, matches do not overlap
        offsets = None
        for i in [i for i, word in enumerate(words) if word in self._first]:
            longer = self._multi.get((words[i], words[i + 1]), ()) if i < last else ()
            for variants in (longer, self._single.get(words[i], ())):
                for variant in variants:
                    end = i + len(variant.words)
                    if i < free_from[variant.theme] or end > last + 1:
                        continue
                    if all(words[i + j] in variant.words[j] for j in range(2, end - i)):
                        free_from[variant.theme] = end
                        if (variant.theme, variant.label) not in found:
                            offsets = offsets or list(itertools.accumulate(map(len, parts)))
                            found[variant.theme, variant.label] = (offsets[2 * i], offsets[2 * end - 1])
        for theme, regex, labels in self._patterns:
            for m in regex.finditer(low):
                if m.start() == 0 or not low[m.start() - 1].isalnum():
                    found.setdefault((theme, labels[m.lastindex]), m.span())
        ordered = sorted(found.items(), key=lambda item: (item[0][0], item[1]))
        return [
            Mention(self.themes[theme].name, label, " ".join(original[start:end].split()))
            for (theme, label), (start, end) in ordered
        ]


def phrase_words(phrase: str) -> list[str]:
    """A phrase's words, lowercased, possessive 's dropped: "Child's voice" -> ["child", "voice"]."""
    return WORD.findall(POSSESSIVE.sub("", phrase.lower()))


def spellings(word: str) -> frozenset[str]:
    """A word and its plurals: -s and -es, or -ies for a word ending in a consonant and y. Numbers as given."""
    if word.isdigit():
        return frozenset({word})
    if len(word) > 2 and word.endswith("y") and word[-2] not in VOWELS:
        return frozenset({word, word[:-1] + "ies"})
    return frozenset({word, word + "s", word + "es"})


def variants(words: list[str]) -> list[tuple[frozenset[str], ...]]:
    """Every way of writing the words apart or joined up: "case load" is also "caseload"."""
    if len(words) > MAX_JOINED_WORDS:
        return [tuple(spellings(w) for w in words)]
    out = []
    for cuts in itertools.product((False, True), repeat=len(words) - 1):
        groups, current = [], words[0]
        for word, joined in zip(words[1:], cuts, strict=True):
            if joined:
                current += word
            else:
                groups.append(current)
                current = word
        groups.append(current)
        out.append(tuple(spellings(g) for g in groups))
    return out


def load(path: Path | None = None) -> Taxonomy:
    """Read, validate and compile a taxonomy file (the built-in one by default)."""
    path = Path(path or BUILT_IN)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot read the theme taxonomy: {exc.strerror or exc}") from None
    return parse(text, str(path))


def parse(text: str, origin: str = "themes.toml") -> Taxonomy:
    """Validate and compile a taxonomy from TOML text; ``origin`` names it in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"{origin}: not valid TOML: {exc}") from None
    extra = set(data) - {"theme"}
    if extra:
        raise TaxonomyError(f"{origin}: unknown key {sorted(extra)[0]!r}; themes are [[theme]] tables")
    entries = data.get("theme")
    if not isinstance(entries, list) or not entries:
        raise TaxonomyError(f"{origin}: no themes; add at least one [[theme]] table")
    themes, seen = [], {}
    for number, entry in enumerate(entries, start=1):
        theme = _theme(entry, f"{origin}: theme {number}")
        where = f"{origin}: theme {number} ({theme.name!r})"
        if theme.name.casefold() in seen:
            raise TaxonomyError(f"{where}: the name is already used by theme {seen[theme.name.casefold()]}")
        seen[theme.name.casefold()] = number
        themes.append(theme)
    single: dict[str, list[_Variant]] = {}
    multi: dict[tuple[str, str], list[_Variant]] = {}
    patterns = []
    for number, theme in enumerate(themes):
        where = f"{origin}: theme {number + 1} ({theme.name!r})"
        for variant in _phrase_variants(number, theme, where):
            if len(variant.words) == 1:
                for first in variant.words[0]:
                    single.setdefault(first, []).append(variant)
            else:
                for pair in itertools.product(variant.words[0], variant.words[1]):
                    multi.setdefault(pair, []).append(variant)
        if theme.patterns:
            patterns.append((number, *_compile_patterns(theme.patterns, where)))
    return Taxonomy(
        tuple(themes),
        _hash(themes),
        {key: _longest_first(found) for key, found in single.items()},
        {key: _longest_first(found) for key, found in multi.items()},
        frozenset(single) | {first for first, _ in multi},
        tuple(patterns),
    )


def _longest_first(found: list[_Variant]) -> tuple[_Variant, ...]:
    """Where two phrases of a theme start at the same word, the longer one is the one reported."""
    return tuple(sorted(found, key=lambda v: (-len(phrase_words(v.label)), -len(v.label))))


def _theme(entry, where: str) -> Theme:
    if not isinstance(entry, dict):
        raise TaxonomyError(f"{where}: expected a [[theme]] table")
    name, description = entry.get("name"), entry.get("description")
    if isinstance(name, str) and name.strip():
        where = f"{where} ({name.strip()!r})"
    unknown = set(entry) - THEME_KEYS
    if unknown:
        raise TaxonomyError(f"{where}: unknown key {sorted(unknown)[0]!r} (use {', '.join(sorted(THEME_KEYS))})")
    if not isinstance(name, str) or not name.strip():
        raise TaxonomyError(f"{where}: needs a name")
    if not isinstance(description, str) or not description.strip():
        raise TaxonomyError(f"{where}: needs a one-line description")
    phrases, patterns = _strings(entry, "phrases", where), _strings(entry, "patterns", where)
    if not phrases and not patterns:
        raise TaxonomyError(f"{where}: has no phrases; list the words that mean this theme")
    return Theme(" ".join(name.split()), " ".join(description.split()), phrases, patterns)


def _strings(entry: dict, key: str, where: str) -> tuple[str, ...]:
    values = entry.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise TaxonomyError(f"{where}: {key} must be a list of non-empty strings in quotes")
    return tuple(v.strip() for v in values)


def _phrase_variants(number: int, theme: Theme, where: str) -> list[_Variant]:
    out, seen = [], {}
    for phrase in theme.phrases:
        if REGEX_CHARACTERS.search(phrase):
            raise TaxonomyError(
                f"{where}: phrase {phrase!r} has regular-expression characters; plurals match anyway, "
                "so write the plain words, or move it to patterns"
            )
        words = phrase_words(phrase)
        if not words:
            raise TaxonomyError(f"{where}: phrase {phrase!r} has no letters or digits")
        # Words may be written joined, so "case load" already matches "caseload": keep one of them.
        joined = "".join(words)
        if joined in seen:
            raise TaxonomyError(
                f"{where}: phrases {seen[joined]!r} and {phrase!r} match the same words; keep the one with spaces"
            )
        seen[joined] = phrase
        out += [_Variant(number, phrase, spelled) for spelled in variants(words)]
    return out


def _compile_patterns(patterns: tuple[str, ...], where: str) -> tuple[re.Pattern, dict[int, str]]:
    """One alternation; each pattern is a group, so ``lastindex`` names the one that matched."""
    labels, groups, index = {}, [], 1
    for pattern in patterns:
        try:
            alone = re.compile(f"(?:{pattern})" + AFTER)
        except re.error as exc:
            raise TaxonomyError(f"{where}: pattern {pattern!r} is not a valid regular expression: {exc}") from None
        if alone.search(""):
            raise TaxonomyError(f"{where}: pattern {pattern!r} matches empty text, so it would match everything")
        if UPPERCASE_OUTSIDE_ESCAPES.search(re.sub(r"\(\?P<\w+>|\(\?P=\w+\)", "", pattern)):
            raise TaxonomyError(f"{where}: pattern {pattern!r} has capital letters; write it in lowercase")
        labels[index] = pattern
        groups.append(f"({pattern})")
        index += 1 + alone.groups
    return re.compile("(?:" + "|".join(groups) + ")" + AFTER), labels


def _hash(themes: list[Theme]) -> str:
    canonical = [[t.name, t.description, list(t.phrases), list(t.patterns)] for t in themes]
    text = json.dumps({"matcher": MATCHER_VERSION, "themes": canonical}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def match_texts(taxonomy: Taxonomy, texts) -> pd.DataFrame:
    """Columns text, theme, phrase, matched_text: one row per distinct text and phrase found in it.

    Each distinct text is matched once: exports repeat texts (cumulative re-exports, stock phrases), and the
    warehouse joins the result back to every record that holds the text.
    """
    rows = [(text, *m) for text in dict.fromkeys(texts) for m in taxonomy.match(text)]
    return pd.DataFrame(rows, columns=["text", "theme", "phrase", "matched_text"], dtype=object)


# ---- Emerging terms: the words and two-word phrases of a text that no theme's phrases cover yet.

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
# Two-word terms never span a sentence or clause break: "diaries - treat it" gives no "diaries treat".
CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]\n\r\t\"–—]|[\t\n\f\r ]-+[\t\n\f\r ]")
# A possessive 's is dropped where no letter or digit follows; the character after it is kept.
TERM_POSSESSIVE = re.compile(r"([^\W_])['’]s([\W_]|\Z)")
DIGITS = re.compile(r"[0-9]+")


def term_words(text: str) -> list[str]:
    """A text's words for emerging terms: runs of letters and digits, lowercased, a possessive 's dropped."""
    return WORD.findall(TERM_POSSESSIVE.sub(r"\1\2", text.lower()))


def terms(text: str | None, matched: Iterable[str] = ()) -> set[tuple[int, str]]:
    """The text's emerging terms: (1, word) and (2, "word word").

    A word counts if it has three letters or more and is not a number, a stop word or a word of ``matched``
    (the text's matched phrases as written); two such words next to each other in one clause make a pair.
    """
    if not text:
        return set()
    covered = {word for written in matched for word in term_words(written)}
    found = set()
    for clause in CLAUSE_BREAK.split(text):
        words = term_words(clause)
        keep = [len(w) >= 3 and w not in covered and w not in STOP_WORDS and not DIGITS.fullmatch(w) for w in words]
        for i, word in enumerate(words):
            if keep[i]:
                found.add((1, word))
                if i + 1 < len(words) and keep[i + 1]:
                    found.add((2, f"{word} {words[i + 1]}"))
    return found


# ---- Applying the taxonomy to the warehouse. Callers hold a draft connection (see warehouse.draft).
#
# theme_texts holds every text with its cycle, service area and team; theme_mentions what matched in each.
# Three summaries answer the Themes page without reading either: theme_text_counts (texts, and how many
# mention any theme), theme_mention_counts (texts mentioning each theme) and theme_terms (emerging terms),
# each by source, cycle, service area and team, the page's only filters. A file's records change the
# summaries of the (cycle, service area, team) groups they left or joined, and only those are recomputed.

# The texts of each source; {keys} narrows them to the records an ingest wrote.
TEXTS = {
    "focus_group_notes": """
        SELECT 'focus_group_notes' AS source_table, note_id AS source_id, category, cycle, service_area,
               NULL::VARCHAR AS team, text
        FROM focus_group_notes WHERE {keys}""",
    "audit_comments": """
        SELECT 'audit_comments' AS source_table, c.audit_id AS source_id, c.topic AS category, a.cycle,
               a.service_area, a.team, c.text
        FROM audit_comments c JOIN audits a ON a.audit_id = c.audit_id WHERE {keys}""",
    "child_voice": """
        SELECT 'child_voice' AS source_table, response_id AS source_id, 'child voice' AS category, cycle,
               service_area, team, comment AS text
        FROM child_voice WHERE trim(comment) <> '' AND {keys}""",
}
# Texts are stored in the quote browser's order, so the texts it lists lie in a few row groups.
TEXT_ORDER = "ORDER BY cycle, service_area, team, category, source_id"
KEY_COLUMNS = {"focus_group_notes": "note_id", "audit_comments": "c.audit_id", "child_voice": "response_id"}
KEYS = "{column} IN (SELECT key FROM theme_keys)"
WRITTEN = KEYS.format(column="source_id")
DELETE = "DELETE FROM {table} WHERE source_table = ? AND {where}"
GROUPS = """
    INSERT INTO theme_groups
    SELECT DISTINCT cycle, service_area, team FROM {texts} WHERE source_table = ? AND {where}
"""
IN_GROUPS = """EXISTS (
    SELECT 1 FROM theme_groups g
    WHERE g.cycle = {t}.cycle AND g.service_area = {t}.service_area AND g.team IS NOT DISTINCT FROM {t}.team
)"""
# The records of the groups being summarised, one row per category, group and distinct text.
RECORDS = """
    CREATE OR REPLACE TEMP TABLE theme_records AS
    SELECT category, cycle, service_area, team, text, count(*) AS n
    FROM theme_texts t WHERE source_table = ? AND {groups}
    GROUP BY ALL
"""
# The distinct texts, numbered in order (so a range of numbers is a few row groups), and what Python found in
# each: its mentions and its emerging terms.
NUMBERED = """
    CREATE OR REPLACE TEMP TABLE theme_analysed AS
    SELECT (row_number() OVER () - 1)::INTEGER AS text_id, text
    FROM (SELECT DISTINCT text FROM theme_records)
    ORDER BY text_id
"""
CHUNK_OF_TEXTS = "SELECT text_id, text FROM theme_analysed WHERE text_id >= ? AND text_id < ?"
FOUND = {
    "theme_found": "text_id INTEGER, theme VARCHAR, phrase VARCHAR, matched_text VARCHAR",
    "theme_found_terms": "text_id INTEGER, words TINYINT, term VARCHAR",
}
# In theme and cycle order, so that the quote browser, which reads one theme's newest texts, skips the rest.
STORE = """
    INSERT INTO theme_mentions BY NAME
    SELECT t.source_table, t.source_id, t.category, f.theme, f.phrase, f.matched_text, t.cycle, t.service_area,
           t.team
    FROM {texts} t JOIN theme_analysed a ON a.text = t.text JOIN theme_found f ON f.text_id = a.text_id
    WHERE t.source_table = ?
    ORDER BY f.theme, t.cycle
"""
COUNTED = """
    CREATE OR REPLACE TEMP TABLE theme_counted AS
    SELECT r.*, a.text_id, a.text_id IN (SELECT text_id FROM theme_found) AS themed
    FROM theme_records r JOIN theme_analysed a USING (text)
"""
SUMMARIES = {
    "theme_text_counts": """
        INSERT INTO theme_text_counts BY NAME
        SELECT ? AS source_table, category, cycle, service_area, team, sum(n)::BIGINT AS texts,
               coalesce(sum(n) FILTER (WHERE themed), 0)::BIGINT AS themed
        FROM theme_counted GROUP BY ALL""",
    "theme_mention_counts": """
        INSERT INTO theme_mention_counts BY NAME
        SELECT ? AS source_table, c.category, c.cycle, c.service_area, c.team, h.theme, sum(c.n)::BIGINT AS texts
        FROM theme_counted c JOIN (SELECT DISTINCT text_id, theme FROM theme_found) h USING (text_id)
        GROUP BY ALL""",
    "theme_terms": """
        INSERT INTO theme_terms BY NAME
        SELECT ? AS source_table, c.cycle, c.service_area, c.team, x.words, x.term, sum(c.n)::BIGINT AS texts,
               coalesce(sum(c.n) FILTER (WHERE NOT c.themed), 0)::BIGINT AS unthemed_texts, min(c.text) AS example
        FROM theme_counted c JOIN theme_found_terms x USING (text_id)
        GROUP BY ALL""",
}
TEMPORARY = ("theme_groups", "theme_new", "theme_records", "theme_analysed", *FOUND, "theme_counted")
THEME_OBJECTS = ("theme_texts", "theme_taxonomy", "theme_mentions", *SUMMARIES)
CHUNK = 20_000  # distinct texts analysed at a time: bounds the Python lists, whatever the warehouse's size


def refresh(con: duckdb.DuckDBPyConnection, taxonomy: Taxonomy, kind: str, keys: list[str]) -> int:
    """Recompute the texts and mentions of the records ``keys`` of an export ``kind``, and the summaries of
    the groups they were or are in; returns the mention rows stored."""
    source = SOURCES.get(kind)
    if source is None or not keys:
        return 0
    con.register("theme_keys", pa.table({"key": pa.array(keys, pa.string())}))
    try:
        return _apply(con, taxonomy, source, written=True)
    finally:
        con.unregister("theme_keys")


def reapply(con: duckdb.DuckDBPyConnection, taxonomy: Taxonomy, applied_at: dt.datetime | None = None) -> int:
    """Replace every text, mention and summary and the stored taxonomy, in one transaction; returns the mention
    rows stored."""
    applied_at = applied_at or dt.datetime.now()
    con.execute("BEGIN TRANSACTION")
    try:
        # New tables rather than deleting every row: quicker, and a table's shape follows schema.sql.
        for name in THEME_OBJECTS:
            _run(con, "DROP {kind} IF EXISTS {name}", kind=_kind(con, name) or "TABLE", name=name)
        ensure_schema(con)
        stored = sum(_apply(con, taxonomy, source, written=False) for source in SOURCES.values())
        con.execute("DELETE FROM theme_taxonomy")
        con.executemany(
            "INSERT INTO theme_taxonomy VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (t.name, n, t.description, list(t.phrases), list(t.patterns), taxonomy.hash, applied_at)
                for n, t in enumerate(taxonomy.themes, start=1)
            ],
        )  # fmt: skip
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return stored


def ensure_current(con: duckdb.DuckDBPyConnection, taxonomy: Taxonomy) -> bool:
    """Re-apply the taxonomy if it is not the one the warehouse's mentions came from, or if the warehouse
    predates a theme table; True if it did."""
    upgraded = ensure_schema(con)
    stored = {h for (h,) in con.execute("SELECT DISTINCT taxonomy_hash FROM theme_taxonomy").fetchall()}
    if stored == {taxonomy.hash} and not upgraded:
        return False
    reapply(con, taxonomy)
    return True


def summary(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """(theme, texts mentioning it) for every theme of the stored taxonomy, in taxonomy order, zeros too."""
    return con.execute(SUMMARY).fetchall()


SUMMARY = """
    SELECT t.theme, coalesce(sum(m.texts), 0)::BIGINT
    FROM theme_taxonomy t LEFT JOIN theme_mention_counts m ON m.theme = t.theme
    GROUP BY t.theme, t.position ORDER BY t.position
"""


def _apply(con: duckdb.DuckDBPyConnection, taxonomy: Taxonomy, source: str, written: bool) -> int:
    """Rebuild the texts and mentions of ``source`` (only the records in ``theme_keys`` if ``written``) and
    the summaries of every group they were or are in. Each distinct text is analysed once, in Python."""
    try:
        if written:
            con.execute("CREATE OR REPLACE TEMP TABLE theme_groups (cycle VARCHAR, service_area VARCHAR, team VARCHAR)")
            _run(con, GROUPS, [source], texts="theme_texts", where=WRITTEN)  # the groups the records were in
            cycles = [cycle for (cycle,) in con.execute("SELECT DISTINCT cycle FROM theme_groups").fetchall()]
            # Their cycles as values, not a sub-query, so that the scan skips the mentions of other cycles.
            where = f"{WRITTEN} AND cycle IN ({', '.join('?' for _ in cycles)})" if cycles else "FALSE"
            for table in ("theme_texts", "theme_mentions"):
                _run(con, DELETE, [source, *cycles], table=table, where=where)
            keys = KEYS.format(column=KEY_COLUMNS[source])
            _run(con, "CREATE OR REPLACE TEMP TABLE theme_new AS {select}", select=TEXTS[source].format(keys=keys))
            _run(con, "INSERT INTO theme_texts BY NAME SELECT * FROM theme_new {order}", order=TEXT_ORDER)
            _run(con, GROUPS, [source], texts="theme_new", where="TRUE")  # and the groups they are in now
            new, groups = "theme_new", IN_GROUPS
        else:
            for table in ("theme_texts", "theme_mentions"):
                _run(con, DELETE, [source], table=table, where="TRUE")
            _run(
                con,
                "INSERT INTO theme_texts BY NAME {select} {order}",
                select=TEXTS[source].format(keys="TRUE"),
                order=TEXT_ORDER,
            )
            new, groups = "theme_texts", "TRUE"
        _run(con, RECORDS, [source], groups=groups.format(t="t"))
        _analyse(con, taxonomy)
        stored = _run(con, STORE, [source], texts=new).fetchone()[0]
        con.execute(COUNTED)
        for table, insert in SUMMARIES.items():
            _run(con, DELETE, [source], table=table, where=groups.format(t=table))
            con.execute(insert, [source])
        return stored
    finally:
        for table in TEMPORARY:
            con.execute(f"DROP TABLE IF EXISTS {table}")


def _run(con: duckdb.DuckDBPyConnection, template: str, params=(), **fragments: str) -> duckdb.DuckDBPyConnection:
    """Execute a template of this module filled with its own fragments (table names, conditions): values are
    always bound parameters."""
    return con.execute(template.format(**fragments), list(params))


def _analyse(con: duckdb.DuckDBPyConnection, taxonomy: Taxonomy) -> None:
    """Number the distinct texts of theme_records (theme_analysed) and find each one's mentions (theme_found)
    and emerging terms (theme_found_terms), fetching CHUNK texts at a time, so Python never holds them all."""
    con.execute(NUMBERED)
    for table, columns in FOUND.items():
        _run(con, "CREATE OR REPLACE TEMP TABLE {table} ({columns})", table=table, columns=columns)
    (count,) = con.execute("SELECT count(*) FROM theme_analysed").fetchone()
    for start in range(0, count, CHUNK):
        found = {"text_id": [], "theme": [], "phrase": [], "matched_text": []}
        found_terms = {"text_id": [], "words": [], "term": []}
        chunk = con.execute(
            "SELECT text_id, text FROM theme_analysed WHERE text_id >= ? AND text_id < ?", [start, start + CHUNK]
        )
        for text_id, text in chunk.fetchall():
            mentions = taxonomy.match(text)
            for mention in mentions:
                _append(found, (text_id, *mention))
            for term in terms(text, [m.written for m in mentions]):
                _append(found_terms, (text_id, *term))
        for table, columns in zip(FOUND, (found, found_terms), strict=True):
            con.register("theme_chunk", pa.table(columns))
            try:
                _run(con, "INSERT INTO {table} BY NAME SELECT * FROM theme_chunk", table=table)
            finally:
                con.unregister("theme_chunk")


def _append(columns: dict[str, list], values) -> None:
    for column, value in zip(columns.values(), values, strict=True):
        column.append(value)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Give a warehouse built before a theme table existed that table, from schema.sql; True if it lacked one.

    ``theme_texts`` was once a view: it is replaced by the table, which the caller must then fill (reapply).
    """
    if _kind(con, "theme_texts") == "VIEW":
        con.execute("DROP VIEW theme_texts")
    missing = [name for name in THEME_OBJECTS if _kind(con, name) is None]
    schema = warehouse.SCHEMA.read_text()
    for name in missing:
        statement = re.search(rf"^CREATE TABLE {name}\b.*?;$", schema, re.MULTILINE | re.DOTALL)
        if statement is None:
            raise RuntimeError(f"schema.sql has no CREATE statement for {name}")
        con.execute(statement.group())
    return bool(missing)


def _kind(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    """TABLE or VIEW, or None if the warehouse has nothing of that name."""
    found = con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = ? AND table_schema = 'main'", [name]
    ).fetchone()
    return None if found is None else {"BASE TABLE": "TABLE"}.get(found[0], found[0])
