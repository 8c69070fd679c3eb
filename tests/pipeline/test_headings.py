"""Headings: exact first, folded as a fallback, letters of every script kept, collisions refused."""

import pytest

from data_pipeline.headings import HeadingError, find, fold, is_quiz


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("3. Voice of the child ", "3 voice of the child"),
        ("Management  oversight\nand supervision", "management oversight and supervision"),
        ("Évaluation de l’enfant", "évaluation de l'enfant"),
        ("ﬁnal grade", "final grade"),  # NFKC: the ligature is two letters
    ],
)
def test_spellings_that_fold_alike(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Évaluation", "Evaluation"),  # an accent is a letter, not punctuation
        ("Оценка ребёнка", "Оценка ребенка"),
        ("बच्चे की आवाज़", "बच्चे की आवाज"),
        ("子供の声", "子供の意見"),
    ],
)
def test_letters_of_every_script_are_kept(a, b):
    assert fold(a) and fold(b) and fold(a) != fold(b)


def test_an_identical_heading_wins_over_one_that_folds_alike():
    assert find("Child ID", ["Child ID\n", "Child ID"]) == "Child ID"


def test_a_single_folded_match_is_used():
    assert find("child id", ["Child ID\n", "Team"]) == "Child ID\n"


def test_two_headings_folding_alike_are_refused_naming_both():
    with pytest.raises(HeadingError) as refused:
        find("child id", ["Child ID\n", "Child ID"])
    assert "'Child ID\\n'" in str(refused.value) and "'Child ID'" in str(refused.value)


@pytest.mark.parametrize(
    ("heading", "quiz"),
    [
        ("Points - Is the child safe?", True),
        ("Feedback - Overall grade", True),
        ("Total points", True),
        ("Quiz feedback", True),
        ("Feedback from the family", False),
        ("Points of concern", False),
    ],
)
def test_quiz_columns_are_recognised(heading, quiz):
    assert is_quiz(heading) is quiz
