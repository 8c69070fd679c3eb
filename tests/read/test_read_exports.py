import io
import zipfile

import pandas as pd
import pytest

from qa_read import exports
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


# -- the outlet: figures and records ---------------------------------------------------------------------------------


def test_figures_blank_counts_of_one_to_four_and_the_shares_resting_on_them():
    # Team A: 3 of 20 (k small); B: 2 of 3 (both small); C: 0 of 12; D: 9 of 12.
    df = pd.DataFrame(
        {"team": ["A", "B", "C", "D"], "n": [20, 3, 12, 12], "k": [3, 2, 0, 9], "share": [0.15, 2 / 3, 0.0, 0.75]}
    )
    out = exports.figures(df, exports.on(("n", "k"), "share")).frame()
    assert out["n"].tolist()[0] == 20 and pd.isna(out["n"].iloc[1])
    assert out["k"].isna().tolist() == [True, True, False, False]
    assert out["share"].isna().tolist() == [True, True, False, False]
    assert out["suppressed"].tolist() == [True, True, False, False]
    assert df["k"].tolist() == [3, 2, 0, 9]  # the page's own frame is untouched


def test_plain_numbers_are_left_alone():
    df = pd.DataFrame({"bucket": ["0-30", "31-60"], "position": [1, 2], "open": [4, 7]})
    out = exports.figures(df, plain=["position"]).frame()
    assert out["position"].tolist() == [1, 2]
    assert out["open"].isna().tolist() == [True, False]


def test_a_share_nobody_declared_is_refused_when_the_page_is_drawn():
    with pytest.raises(ValueError, match="share"):
        exports.figures(pd.DataFrame({"n": [10], "share": [0.3]}))


def test_records_go_out_as_listed_but_neutralised():
    df = pd.DataFrame({"action": ["=HYPERLINK(1)"], "days_overdue": [3]})
    back = pd.read_csv(io.BytesIO(exports.records(df).csv()), encoding="utf-8-sig")
    assert back.iloc[0].tolist() == ["'=HYPERLINK(1)", 3]


def test_an_outgoing_is_made_only_by_the_outlet():
    with pytest.raises(TypeError):
        exports.Outgoing(pd.DataFrame(), pd.DataFrame.copy, object())


def test_files_carry_the_headings_people_read_and_keep_their_values_typed():
    df = pd.DataFrame(
        {"audit_date": pd.to_datetime(["2026-11-02"]), "practice_area": ["Planning"], "n": [12], "audit": ["A"]}
    )
    outgoing = exports.figures(df.assign(audit_id=["B"]))
    header = outgoing.csv().decode("utf-8-sig").splitlines()[0]
    # audit and audit_id would both read "Audit": they keep their field names rather than share one heading.
    assert header == "Date of audit,Area of practice,Number,audit,audit_id,Suppressed"
    book = pd.read_excel(io.BytesIO(outgoing.xlsx()), engine="calamine")
    assert list(book.columns) == header.split(",")
    assert book.loc[0, "Number"] == 12 and pd.Timestamp(book.loc[0, "Date of audit"]) == pd.Timestamp("2026-11-02")
