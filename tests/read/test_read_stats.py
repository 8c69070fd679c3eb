import math

import numpy as np
import pandas as pd
import pytest

from qa_read.stats import SMALL_N, cohens_kappa, flag_small_n, is_small_n, wilson_interval


@pytest.mark.parametrize(
    "k,n,lower,upper",
    [
        (8, 10, 0.4902, 0.9433),
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (5, 9, 0.2666, 0.8112),
        (1, 1, 0.2065, 1.0),
    ],
)
def test_wilson_known_values(k, n, lower, upper):
    assert wilson_interval(k, n) == pytest.approx((lower, upper), abs=1e-4)


def test_wilson_with_no_cases_is_nan():
    assert all(math.isnan(x) for x in wilson_interval(0, 0))


def test_wilson_is_vectorised():
    lower, upper = wilson_interval(np.array([8, 0, 3]), np.array([10, 10, 0]))
    assert lower[:2] == pytest.approx([0.4902, 0.0], abs=1e-4)
    assert upper[:2] == pytest.approx([0.9433, 0.2775], abs=1e-4)
    assert math.isnan(lower[2]) and math.isnan(upper[2])


def test_kappa_textbook_example():
    # 50 cases: both yes 20, a yes b no 5, a no b yes 10, both no 15. p_o = 0.7, p_e = 0.5, kappa = 0.4.
    a = ["Yes"] * 25 + ["No"] * 25
    b = ["Yes"] * 20 + ["No"] * 5 + ["Yes"] * 10 + ["No"] * 15
    result = cohens_kappa(a, b, ["Yes", "No"])
    assert result.kappa == pytest.approx(0.4)
    assert result.n == 50
    assert result.observed_agreement == pytest.approx(0.7)


def test_kappa_hand_worked_on_the_ofsted_scale():
    # Auditor and moderator grades of A02..A09 in the fixture: p_o = 3/7, p_e = 16/49, kappa = 5/33.
    auditor = ["Good", "Good", "Requires improvement", "Good", "Inadequate", "Good", "Inadequate"]
    moderator = [
        "Good",
        "Requires improvement",
        "Good",
        "Good",
        "Inadequate",
        "Outstanding",
        "Requires improvement",
    ]
    scale = ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    assert cohens_kappa(auditor, moderator, scale).kappa == pytest.approx(5 / 33)


def test_kappa_perfect_agreement_across_categories_is_one():
    assert cohens_kappa(["High", "Low"], ["High", "Low"], ["High", "Medium", "Low"]).kappa == 1.0


def test_kappa_is_undefined_when_everyone_gave_one_grade():
    result = cohens_kappa(["Good"] * 4, ["Good"] * 4, ["Good", "Inadequate"])
    assert math.isnan(result.kappa) and result.n == 4 and result.observed_agreement == 1.0
    assert "undefined" in result.note


def test_kappa_with_no_pairs():
    result = cohens_kappa([None, "Good"], ["Good", None], ["Good"])
    assert math.isnan(result.kappa) and result.n == 0 and result.note


def test_kappa_rejects_grades_off_the_scale():
    with pytest.raises(ValueError):
        cohens_kappa(["Good"], ["Excellent"], ["Good"])


def test_small_n():
    assert SMALL_N == 5
    assert is_small_n(4) and not is_small_n(5) and is_small_n(float("nan"))
    assert is_small_n([0, 4, 5, None]).tolist() == [True, True, False, True]
    flagged = flag_small_n(pd.DataFrame({"n": [3, 12]}))
    assert flagged["small_n"].tolist() == [True, False]
