"""Export headings: the one folding rule, and which export heading each profile heading names.

A profile heading names the identical export heading when there is one. Only when there is none is it
compared *folded* (case, spacing and line breaks, punctuation and Unicode presentation forms ignored;
letters and digits of every script kept). Two export headings that fold alike cannot be told apart
that way, so a profile heading that reaches both by folding is refused rather than given either.
"""

import re
import unicodedata

ASCII_NOT_WORD = re.compile(r"[^0-9a-z]+")
# Microsoft Forms quiz exports add a points and a feedback column per question, and a few totals.
QUIZ = re.compile(r"^\s*(points|feedback)\s*-\s", re.I)
QUIZ_TOTALS = {"total points", "quiz feedback", "grade posted time"}


class HeadingError(ValueError):
    """The export's headings cannot be matched to the profile without a guess; one line says why."""


def fold(text: str) -> str:
    """Lower-case, punctuation and spacing dropped, letters of every script kept: how spellings compare."""
    if text.isascii():
        return " ".join(ASCII_NOT_WORD.sub(" ", text.lower()).split())
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(c if c.isalnum() or unicodedata.category(c).startswith("M") else " " for c in text)
    return " ".join(kept.split())


def is_quiz(heading: str) -> bool:
    return bool(QUIZ.match(heading)) or fold(heading) in QUIZ_TOTALS


def find(wanted: str, headings: list[str]) -> str | None:
    """The export heading ``wanted`` names: the identical one, else the only one folding alike."""
    if wanted in headings:
        return wanted
    alike = [h for h in headings if fold(h) == fold(wanted)]
    if len(alike) > 1:
        shown = " and ".join(repr(h) for h in alike[:2])
        raise HeadingError(
            f"the headings {shown} differ only in case, spacing or punctuation, so the profile's "
            f"{wanted!r} could mean either; name one exactly in the profile"
        )
    return alike[0] if alike else None


def present(wanted: str, headings: list[str]) -> bool:
    """Whether ``wanted`` names some export heading, exactly or folded (used to recognise a form)."""
    return wanted in headings or any(fold(h) == fold(wanted) for h in headings)
