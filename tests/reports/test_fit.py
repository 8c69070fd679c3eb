"""Tables split so each slide fits the smallest screen Present is made for (reports/fit.py), checked against what
Present drew at 1280x720: the national context slide (9 rows under a two-line title and note) showed 5 whole
rows and cut the sixth; six quotes of three lines showed four and cut the fifth."""

from reports import fit
from reports.model import Section, Table

MEASURES = (
    "Caseload per case-holding social worker (FTE)", "Social worker turnover (FTE)", "Agency social workers (FTE)",
    "Social worker vacancies (FTE)", "Social worker sickness absence", "Re-referrals within 12 months",
    "Second or subsequent child protection plans", "Children looked after per 10,000 children",
    "Looked-after children with 3 or more placements in the year",
)  # fmt: skip
CONTEXT = Table(
    ("Measure", "Portsmouth", "Neighbours' median", "Neighbours' range", "England", "Rank"),
    tuple((m, "16.0 cases", "15.4 cases", "11.4 to 18.9 cases", "15.2 cases", "5 of 11") for m in MEASURES),
    widths=(4.5, 1.5, 1.3, 1.8, 1.2, 0.8),
)
TITLE = "Portsmouth: above its statistical neighbours' median on 7 of 9 published measures, level on 1, below on 1"
NOTE = (
    "Source: DfE, Children's social work workforce; Children in need; Children looked after in England; Children "
    "looked after: 2025. Whole council. Rank: 1 = highest of the council and its 10 statistical neighbours."
)
QUOTES = Table(
    ("Theme", "What was said", "From"),
    tuple(
        (f"Theme {i}", "“I don't like telling my story again and again to new people, every single time.”",
         "Child's voice: Unaccompanied Young People Team, child voice")
        for i in range(6)
    ),
    widths=(2.2, 6.8, 3.0),
)  # fmt: skip


def sizes(section: Section) -> list[int]:
    return [len(part.table.rows) for part in section.parts()]


def test_a_wrapped_title_header_and_note_leave_less_room():
    chars = fit.column_chars(CONTEXT.widths)
    assert chars[-1] < len("5 of 11")  # the rank wraps: every row takes two lines
    assert {fit.row_height(row, chars) for row in CONTEXT.rows} == {2 * fit.LINE + fit.ROW_PADDING}
    header = 2 * fit.HEADER_LINE + fit.HEADER_PADDING
    assert fit.room(TITLE, NOTE, CONTEXT.columns, chars) == fit.BODY - header - fit.TITLE_LINE - fit.NOTE_LINE


def test_a_heading_breaks_where_the_table_breaks_it_in_a_wide_column_too():
    wide = fit.column_chars((1.0, 1.0))  # 54 characters a line each
    one, two = fit.room("t", "", ("Team", "Rank"), wide), fit.room("t", "", ("Team", "Children in Care Team 3"), wide)
    assert one - two == fit.HEADER_LINE


def test_the_national_context_continues_on_a_second_slide():
    parts = Section("national_context", "National context", TITLE, "alt", table=CONTEXT, note=NOTE).parts()
    assert [len(p.table.rows) for p in parts] == [5, 4]
    assert [p.part for p in parts] == ["1 of 2", "2 of 2"]


def test_long_cells_split_evenly():
    assert fit.row_height(QUOTES.rows[0], fit.column_chars(QUOTES.widths)) == 3 * fit.LINE + fit.ROW_PADDING
    assert sizes(Section("quotes", "In their words", "What was said", "alt", table=QUOTES)) == [3, 3]


def test_short_tables_stay_whole_and_nothing_is_lost():
    short = Table(("A", "B"), (("x", "1"),) * 9)
    assert sizes(Section("k", "H", "t", "a", table=short)) == [9]
    assert sizes(Section("k", "H", "t", "a", table=Table(("A",), (("x",),) * 17))) == [9, 8]
    tall = Table(("A",), (("word " * 400,),) * 2)  # each taller than any slide: one a slide, never dropped
    assert sizes(Section("k", "H", "t", "a", table=tall)) == [1, 1]
    assert Section("k", "H", "t", "a", table=Table(("A",), ())).parts()[0].table.rows == ()
