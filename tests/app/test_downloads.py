"""Download files are built on click, and what they hold is suppressed exactly as the page promises."""

import functools
import io

import pandas as pd

from qa_read.exports import to_csv_bytes, to_xlsx_bytes
from ui import widgets

FRAME = pd.DataFrame({"team": ["N1", "=cmd"], "n": [4, 9], "k": [3, 5], "share": [0.75, 5 / 9]})


def test_a_csv_download_blanks_small_numbers_and_neutralises_formulas():
    data = widgets._file(to_csv_bytes, FRAME, ("n", ["k", "share"]))
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["k"].isna().tolist() == [True, False]
    assert back["team"].tolist() == ["N1", "'=cmd"]
    assert FRAME["k"].tolist() == [3, 5]


def test_an_xlsx_download_does_the_same_on_its_named_sheet():
    write = functools.partial(to_xlsx_bytes, sheet_name="grades")
    back = pd.read_excel(io.BytesIO(widgets._file(write, FRAME, ("n", ["k"]))), engine="calamine")
    assert back["k"].isna().tolist() == [True, False]
    assert back["n"].tolist() == [4, 9]


def test_without_suppression_the_figures_are_as_shown():
    back = pd.read_csv(io.BytesIO(widgets._file(to_csv_bytes, FRAME, None)), encoding="utf-8-sig")
    assert back["k"].tolist() == [3, 5]
