"""Figures are reused only when they were built from the same numbers and settings."""

import pandas as pd
import pytest

from ui import charts
from ui.charts import memo

RATES = pd.DataFrame(
    {
        "team": ["N1", "N2"],
        "n": [10, 4],
        "k": [7, 1],
        "share": [0.7, 0.25],
        "lower": [0.4, 0.05],
        "upper": [0.9, 0.7],
        "small_n": [False, True],
    }
)


def build(df, title="Good or better by team"):
    return charts.rate_bars(df, "team", title, "% good or better")


def test_the_same_numbers_give_the_same_figure():
    assert build(RATES.copy()) is build(RATES.copy())


def test_a_changed_value_title_or_type_gives_a_new_figure():
    first = build(RATES)
    changed = RATES.assign(k=[7, 2])
    assert build(changed) is not first
    assert build(RATES, "Another title") is not first
    assert build(RATES.astype({"n": "float64"})) is not first
    assert build(RATES) is first


def test_a_restyled_figure_is_reused_only_for_the_same_figure():
    fig = build(RATES)
    assert charts.projector(fig) is charts.projector(fig)
    assert charts.projector(fig) is not charts.projector(build(RATES, "Other"))
    assert charts.projector(fig).layout.height == charts.PROJECTOR_HEIGHT


def test_arguments_it_cannot_fingerprint_build_afresh():
    calls = []

    @memo.memoised
    def chart(value):
        calls.append(value)
        return object()

    thing = object()
    assert chart(thing) is not chart(thing)
    assert len(calls) == 2
    assert chart([1, {"a": (2, None)}]) is chart([1, {"a": (2, None)}])
    assert len(calls) == 3


def test_the_cache_is_bounded():
    cache = memo.FigureCache(max_entries=2)
    for key in "abc":
        cache.put(key, key)
    assert len(cache) == 2 and cache.get("a") is None and cache.get("c") == "c"


@pytest.mark.parametrize("rows", [10, memo.SMALL_FRAME])  # by the values' repr, and by pandas' hash
def test_small_and_large_frames_alike_tell_a_change(rows):
    frame = pd.DataFrame({"team": [f"T{i}" for i in range(rows)], "k": range(rows), "share": 0.5})
    key = memo._digest(build, (frame,), {})
    assert memo._digest(build, (frame.copy(),), {}) == key
    assert memo._digest(build, (frame.assign(share=[0.5] * (rows - 1) + [0.25]),), {}) != key
    assert memo._digest(build, (frame.astype({"k": "float64"}),), {}) != key
