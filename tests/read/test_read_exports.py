import io
import zipfile

import pandas as pd
import pytest

from qa_read.exports import neutralise, suppress_small_numbers, to_csv_bytes, to_xlsx_bytes


@pytest.mark.parametrize(
    "text,expected",
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("Good", "Good"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_text_cells_are_neutralised(text, expected):
    assert neutralise(pd.DataFrame({"c": [text]}))["c"].iloc[0] == expected


def frame():
    return pd.DataFrame(
        {
            "team": ["=1+1", "N1", None],
            "change": [-3, 2, 0],
            "share": [-0.25, 0.5, float("nan")],
            "=bad header": ["x", "y", "z"],
        }
    )


def test_numbers_stay_numbers():
    out = neutralise(frame())
    assert out["change"].tolist() == [-3, 2, 0]
    assert out["share"].iloc[0] == -0.25
    assert list(out.columns)[-1] == "'=bad header"


def test_csv_has_bom_and_inert_text():
    data = to_csv_bytes(frame())
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "'=1+1,-3,-0.25" in text and "'=bad header" in text
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["change"].tolist() == [-3, 2, 0]


def test_xlsx_has_no_formulas_and_typed_numbers():
    data = to_xlsx_bytes(frame(), "Grades: 2025/26 [Q2]")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        strings = z.read("xl/sharedStrings.xml").decode()
        workbook = z.read("xl/workbook.xml").decode()
    assert "<f>" not in sheet
    assert "'=1+1" in strings and "'=bad header" in strings
    assert "<v>-3</v>" in sheet and "<v>-0.25</v>" in sheet
    assert 'name="Grades  2025 26  Q2"' in workbook
    back = pd.read_excel(io.BytesIO(data), engine="calamine")
    assert back["team"].iloc[0] == "'=1+1"
    assert back["change"].tolist() == [-3, 2, 0]


def test_suppression_blanks_small_denominators():
    df = pd.DataFrame({"team": ["N1", "N2"], "n": [4, 9], "k": [3, 5], "share": [0.75, 5 / 9]})
    out = suppress_small_numbers(df, "n", ["k", "share"])
    assert out["suppressed"].tolist() == [True, False]
    assert out["k"].isna().tolist() == [True, False]
    assert out["share"].isna().tolist() == [True, False]
    assert out["n"].tolist() == [4, 9]
    assert df["k"].tolist() == [3, 5]


def test_dates_and_gaps_survive_both_formats():
    df = pd.DataFrame(
        {
            "audit_date": pd.to_datetime(["2025-07-03", None]),
            "team": pd.Series(["N1", None], dtype="str"),
            "outstanding": [True, False],
        }
    )
    back = pd.read_excel(io.BytesIO(to_xlsx_bytes(df)), engine="calamine")
    assert back["audit_date"].iloc[0] == pd.Timestamp("2025-07-03")
    assert back["team"].isna().tolist() == [False, True]
    assert back["outstanding"].tolist() == [True, False]
    assert to_csv_bytes(df).decode("utf-8-sig").splitlines()[1] == "2025-07-03,N1,True"
