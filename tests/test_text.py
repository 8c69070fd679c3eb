"""ui.text.md: any value comes out as markdown that shows exactly its text (CommonMark backslash escapes).
The browser test (tests/browser/test_hostile_names.py) checks what Streamlit actually renders."""

import re

import pytest

from ui.text import bold, md

ACTIVE = set("\\`*_{}[]()#+-.!|<>~$:&=\"'@^%")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("![x](http://h/x.png)", r"\!\[x\]\(http\://h/x\.png\)"),
        ("<img src=x>", r"\<img src\=x\>"),
        ("**Team**", r"\*\*Team\*\*"),
        (":red[x] $y$", r"\:red\[x\] \$y\$"),
        ("Early Help", "Early Help"),
        (3, "3"),
    ],
)
def test_every_character_markdown_acts_on_is_escaped(value, expected):
    assert md(value) == expected


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://127.0.0.1:9/h";"x")', "[l](javascript:alert(1))", "`c` &amp; 1. - # ~~s~~ back\\slash"],
)
def test_unescaping_gives_the_value_back_and_nothing_is_left_active(value):
    escaped = md(value)
    assert re.sub(r"\\(.)", r"\1", escaped) == value
    assert not [c for c in re.sub(r"\\.", "", escaped) if c in ACTIVE]


def test_a_line_break_cannot_start_a_new_block():
    assert md("Team\n# Heading") == r"Team \# Heading"


def test_bold_wraps_the_escaped_text():
    assert bold("*x*") == r"**\*x\***"
