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
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd

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


# ---- Applying the taxonomy to the warehouse. Callers hold a draft connection (see warehouse.draft).

DISTINCT_TEXTS = "SELECT DISTINCT text FROM theme_texts WHERE source_table = ? {only}"
STORE = """
    INSERT INTO theme_mentions BY NAME
    SELECT t.source_table, t.source_id, t.category, f.theme, f.phrase, f.matched_text, t.cycle, t.service_area,
           t.team
    FROM theme_texts t JOIN theme_found f ON f.text = t.text
    WHERE t.source_table = ? {only}
"""
ONLY_KEYS = "AND source_id IN (SELECT key FROM theme_keys)"
THEME_OBJECTS = ("theme_texts", "theme_taxonomy", "theme_mentions")


def refresh(con: duckdb.DuckDBPyConnection, taxonomy: Taxonomy, kind: str, keys: list[str]) -> int:
    """Recompute the mentions in the texts of the records ``keys`` of an export ``kind``; returns rows stored."""
    source = SOURCES.get(kind)
    if source is None or not keys:
        return 0
    con.register("theme_keys", pd.DataFrame({"key": pd.Series(keys, dtype=object)}))
    try:
        con.execute(f"DELETE FROM theme_mentions WHERE source_table = ? {ONLY_KEYS}", [source])  # noqa: S608
        return _store(con, taxonomy, source, ONLY_KEYS)
    finally:
        con.unregister("theme_keys")


def reapply(con: duckdb.DuckDBPyConnection, taxonomy: Taxonomy, applied_at: dt.datetime | None = None) -> int:
    """Replace every mention and the stored taxonomy, in one transaction; returns the mention rows stored."""
    ensure_schema(con)
    applied_at = applied_at or dt.datetime.now()
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM theme_mentions")
        stored = sum(_store(con, taxonomy, source, "") for source in SOURCES.values())
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
    """Re-apply the taxonomy if it is not the one the warehouse's mentions came from; True if it did."""
    ensure_schema(con)
    stored = {h for (h,) in con.execute("SELECT DISTINCT taxonomy_hash FROM theme_taxonomy").fetchall()}
    if stored == {taxonomy.hash}:
        return False
    reapply(con, taxonomy)
    return True


def summary(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """(theme, texts mentioning it) for every theme of the stored taxonomy, in taxonomy order, zeros too."""
    return con.execute(SUMMARY).fetchall()


SUMMARY = """
    SELECT t.theme, count(DISTINCT (m.source_table, m.source_id, m.category)) FILTER (WHERE m.theme IS NOT NULL)
    FROM theme_taxonomy t LEFT JOIN theme_mentions m ON m.theme = t.theme
    GROUP BY t.theme, t.position ORDER BY t.position
"""


def _store(con: duckdb.DuckDBPyConnection, taxonomy: Taxonomy, source: str, only: str) -> int:
    """Match each distinct text of ``source`` once in Python; let DuckDB copy the result to every record."""
    texts = [text for (text,) in con.execute(DISTINCT_TEXTS.format(only=only), [source]).fetchall()]
    found = match_texts(taxonomy, texts)
    if found.empty:
        return 0
    con.register("theme_found", found)
    try:
        return con.execute(STORE.format(only=only), [source]).fetchone()[0]
    finally:
        con.unregister("theme_found")


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Give a warehouse built before themes existed the theme view and tables, from schema.sql."""
    present = {name for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    missing = [name for name in THEME_OBJECTS if name not in present]
    if not missing:
        return
    schema = warehouse.SCHEMA.read_text()
    for name in missing:
        statement = re.search(rf"^CREATE (?:TABLE|VIEW) {name}\b.*?;$", schema, re.MULTILINE | re.DOTALL)
        if statement is None:
            raise RuntimeError(f"schema.sql has no CREATE statement for {name}")
        con.execute(statement.group())
