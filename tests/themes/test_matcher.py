"""The matcher's rules (docs/themes.md, "Matching rules") as known answers, and the taxonomy's validation."""

import pytest

from data_pipeline import themes

TAXONOMY = r"""
[[theme]]
name = "Voice"
description = "Hearing children."
phrases = ["voice of the child", "voice of the children", "child's voice", "direct work"]

[[theme]]
name = "Caseloads"
description = "Too much work."
phrases = ["case load", "high case load", "well-being"]

[[theme]]
name = "Court"
description = "Court work."
phrases = ["court", "court work", "section 17"]

[[theme]]
name = "Partners"
description = "Other agencies."
phrases = ["partner agency", "police"]
patterns = ['(?<!group[\W_])conferences?']

[[theme]]
name = "Tools"
description = "Direct work tools."
phrases = ["direct work tool"]
"""


@pytest.fixture(scope="module")
def taxonomy():
    return themes.parse(TAXONOMY)


def found(taxonomy, text):
    return [(m.theme, m.phrase, m.written) for m in taxonomy.match(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Any capitalisation, any separators between words, line breaks included.
        ("Voice-of-the\nchild", [("Voice", "voice of the child", "Voice-of-the child")]),
        ("VOICE OF THE CHILD", [("Voice", "voice of the child", "VOICE OF THE CHILD")]),
        ("voice / of : the ... child", [("Voice", "voice of the child", "voice / of : the ... child")]),
        # Plurals on any word; irregular plurals only where listed.
        ("voices of the child", [("Voice", "voice of the child", "voices of the child")]),
        ("Voices of the Children", [("Voice", "voice of the children", "Voices of the Children")]),
        ("partner agencies", [("Partners", "partner agency", "partner agencies")]),
        ("the courts", [("Court", "court", "courts")]),
        # Possessives: straight or curly apostrophe, or none at all.
        ("the child's voice", [("Voice", "child's voice", "child's voice")]),
        ("the child’s voice", [("Voice", "child's voice", "child’s voice")]),
        ("childs voice", [("Voice", "child's voice", "childs voice")]),
        ("the court's view", [("Court", "court", "court")]),
        # Words joined up, hyphenated or apart; a hyphenated phrase matches all three.
        ("Caseloads are high", [("Caseloads", "case load", "Caseloads")]),
        ("case-loads", [("Caseloads", "case load", "case-loads")]),
        ("case\nload", [("Caseloads", "case load", "case load")]),
        ("wellbeing", [("Caseloads", "well-being", "wellbeing")]),
        ("well being", [("Caseloads", "well-being", "well being")]),
        # Whole words only.
        ("courtesy costs nothing", []),
        ("the courtroom", []),
        ("police-led", [("Partners", "police", "police")]),
        ("supercourt", []),
        # Numbers are words, with no plural.
        ("a Section-17 payment", [("Court", "section 17", "Section-17")]),
        ("section 170", []),
        # The longer of two phrases starting at the same word is reported; matches in a theme never overlap.
        ("High caseloads", [("Caseloads", "high case load", "High caseloads")]),
        ("Court work, then court.", [("Court", "court work", "Court work"), ("Court", "court", "court")]),
        # Themes are independent: the same words count for two themes.
        (
            "The new direct work tools",
            [("Voice", "direct work", "direct work"), ("Tools", "direct work tool", "direct work tools")],
        ),
        # Patterns: case-insensitive, whole words, and their own special cases.
        ("Partner CONFERENCES", [("Partners", r"(?<!group[\W_])conferences?", "CONFERENCES")]),
        ("a family group conference", []),
        ("teleconferences", []),
        # A phrase counts once per text, at its first occurrence.
        ("Police. Police again. POLICE.", [("Partners", "police", "Police")]),
        # Taxonomy order, then text order.
        (
            "police, then court, then caseload",
            [("Caseloads", "case load", "caseload"), ("Court", "court", "court"), ("Partners", "police", "police")],
        ),
        ("", []),
        (None, []),
        ("İstanbul court", [("Court", "court", "court")]),  # lower() lengthens İ: offsets stay right
    ],
)
def test_matching_rules(taxonomy, text, expected):
    assert found(taxonomy, text) == expected


def test_spellings_and_variants():
    assert themes.spellings("agency") == {"agency", "agencies"}
    assert themes.spellings("day") == {"day", "days", "dayes"}
    assert themes.spellings("17") == {"17"}
    assert themes.phrase_words("Child's voice") == ["child", "voice"]
    assert {tuple(sorted(w)[0] for w in v) for v in themes.variants(["case", "load"])} == {
        ("case", "load"),
        ("caseload",),
    }


def test_each_distinct_text_is_matched_once(taxonomy):
    out = themes.match_texts(taxonomy, ["police", "nothing", "police", "court and police", None])
    assert out.values.tolist() == [
        ["police", "Partners", "police", "police"],
        ["court and police", "Court", "court", "court"],
        ["court and police", "Partners", "police", "police"],
    ]
    assert themes.match_texts(taxonomy, []).columns.tolist() == ["text", "theme", "phrase", "matched_text"]


def test_the_built_in_taxonomy_is_valid():
    taxonomy = themes.load()
    assert len(taxonomy.themes) >= 13
    assert {"Voice of the child", "Caseloads and capacity", "Supervision", "Multi-agency working"} <= {
        t.name for t in taxonomy.themes
    }
    assert [m.theme for m in taxonomy.match("High caseloads mean direct work gets squeezed out.")] == [
        "Voice of the child",
        "Caseloads and capacity",
    ]


def test_the_hash_follows_the_content_not_the_layout():
    spaced = TAXONOMY.replace('name = "Voice"', '# a comment\nname   =   "Voice"')
    assert themes.parse(spaced).hash == themes.parse(TAXONOMY).hash
    assert themes.parse(TAXONOMY.replace('"police"', '"police", "GP"')).hash != themes.parse(TAXONOMY).hash


def theme(body: str) -> str:
    return f'[[theme]]\nname = "One"\ndescription = "d"\n{body}\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[theme]\nname = 1", "not valid TOML"),
        ("", "no themes"),
        ('title = "x"\n' + theme('phrases = ["a"]'), "unknown key 'title'"),
        (theme('phrase = ["a"]'), "theme 1 ('One'): unknown key 'phrase'"),
        ('[[theme]]\ndescription = "d"\nphrases = ["a"]', "theme 1: needs a name"),
        ('[[theme]]\nname = "One"\nphrases = ["a"]', "theme 1 ('One'): needs a one-line description"),
        (theme('phrases = ["a"]') + theme('phrases = ["b"]').replace("One", "ONE"), "already used by theme 1"),
        (theme("phrases = []"), "has no phrases"),
        (theme('phrases = "police"'), "phrases must be a list"),
        (theme('phrases = ["police", ""]'), "phrases must be a list"),
        (theme('phrases = ["caseload(s)"]'), "'caseload(s)' has regular-expression characters"),
        (theme('phrases = ["--"]'), "'--' has no letters or digits"),
        (theme('phrases = ["case load", "Caseload"]'), "'case load' and 'Caseload' match the same words"),
        (theme("patterns = ['(unclosed']"), "'(unclosed' is not a valid regular expression"),
        (theme("patterns = ['x*']"), "'x*' matches empty text"),
        (theme("patterns = ['PLO']"), "'PLO' has capital letters"),
    ],
)
def test_a_broken_taxonomy_is_refused_in_one_line(text, message):
    with pytest.raises(themes.TaxonomyError) as caught:
        themes.parse(text, "mine.toml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("mine.toml: ")
    assert "\n" not in str(caught.value)


def test_patterns_may_use_uppercase_escapes():
    taxonomy = themes.parse(theme(r"patterns = ['had\s+\d+\W+workers?']"))
    assert [m.written for m in taxonomy.match("I had 4 - workers")] == ["had 4 - workers"]


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(themes.TaxonomyError, match="cannot read the theme taxonomy"):
        themes.load(tmp_path / "nowhere.toml")
