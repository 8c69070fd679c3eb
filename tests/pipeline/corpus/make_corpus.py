"""Write the corpus of quirky exports, each file shaped the way Excel or Microsoft Forms writes it.

Run from the repository root after changing anything here, and commit the output:

    .venv/bin/python tests/pipeline/corpus/make_corpus.py

The CSVs are written byte by byte (BOM, CRLF, cp1252, trailing commas as Excel writes them); the
workbooks have fixed timestamps, so the output is deterministic. The profiles they load with are in
profiles/; what each file must load as is worked out by hand in test_corpus.py.
"""

import datetime as dt
import io
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
CREATED = dt.datetime(2026, 1, 1)
BOM = "\ufeff"

QUALITY = [
    "ID", "Start time", "Completion time", "Email", "Name", "Date of visit", "Service area", "Team",
    "Overall grade", "Is the child safe?", "Does the worker agree?", "Voice of the child", "What's working well?",
]  # fmt: skip


def quality_row(number, visit, completed, grade="Good", agrees="Yes", note="Plan is clear", **changes):
    row = {
        "ID": str(number), "Start time": completed, "Completion time": completed,
        "Email": "auditor@example-council.gov.uk", "Name": "Alex Auditor", "Date of visit": visit,
        "Service area": "Early Help", "Team": "North", "Overall grade": grade, "Is the child safe?": "Yes",
        "Does the worker agree?": agrees, "Voice of the child": grade, "What's working well?": note,
    }  # fmt: skip
    row.update(changes)
    return row


def csv_text(headings: list[str], rows: list[dict], end: str = "\r\n", trailing: str = "") -> str:
    """CSV as Excel writes it: fields quoted only when they hold a comma, quote or line break."""

    def field(value: str) -> str:
        return f'"{value.replace(chr(34), chr(34) * 2)}"' if any(c in value for c in ',"\r\n') else value

    lines = [",".join(field(h) for h in headings)]
    lines += [",".join(field(row.get(h, "")) for h in headings) + trailing for row in rows]
    return end.join(lines) + end


def workbook(headings: list[str], rows: list[list], formulas: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    book.set_properties({"created": CREATED})
    dates = book.add_format({"num_format": "m/d/yyyy h:mm:ss"})
    sheet = book.add_worksheet("Sheet1")
    sheet.write_row(0, 0, headings)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, dt.datetime):
                sheet.write_datetime(number, column, value, dates)
            elif value is not None:
                sheet.write(number, column, value)
    for (row, column), (formula, saved) in (formulas or {}).items():
        sheet.write_formula(row, column, formula, None, saved)
    book.close()
    return buffer.getvalue()


def write_all() -> None:
    files = {
        # 14 in the second part of 6/14/2023 shows the whole column is month first
        "month-first.csv": BOM + csv_text(QUALITY, [
            quality_row(1, "8/3/2023", "6/14/2023 10:02:33", note="line one\nline two"),
            quality_row(2, "6/14/2023", "6/14/2023 11:20:00", grade="Requires improvement"),
        ]),
        "day-first.csv": BOM + csv_text(QUALITY, [
            quality_row(1, "14/06/2023", "14/06/2023 10:02:33"),
            quality_row(2, "08/03/2023", "08/03/2023 09:00:00"),
        ]),
        "ambiguous.csv": BOM + csv_text(QUALITY, [
            quality_row(1, "08/03/2023", "08/03/2023 10:00:00"),
            quality_row(2, "01/02/2023", "01/02/2023 10:00:00"),
        ]),
        "both-orders.csv": BOM + csv_text(QUALITY, [
            quality_row(1, "14/06/2023", "01/07/2023 10:00:00"),
            quality_row(2, "6/14/2023", "01/07/2023 10:00:00"),
        ]),
        "trailing-commas.csv": csv_text(QUALITY, [
            quality_row(1, "01/07/2023", "01/07/2023 10:00:00"),
            quality_row(2, "02/07/2023", "02/07/2023 10:00:00"),
        ], trailing=",,"),
        "near-duplicate-headings.csv": csv_text([*QUALITY, "Overall grade\n"], [
            {**quality_row(1, "01/07/2023", "01/07/2023 10:00:00"), "Overall grade\n": "Inadequate"},
        ]),
        "colliding-headings.csv": csv_text([h if h != "Service area" else "Service area " for h in QUALITY]
                                           + ["SERVICE AREA"], [
            {**quality_row(1, "01/07/2023", "01/07/2023 10:00:00"), "Service area ": "Early Help",
             "SERVICE AREA": "Child protection"},
        ]),
        "yes-no-partly.csv": csv_text(QUALITY, [
            quality_row(1, "01/07/2023", "01/07/2023 10:00:00", agrees="Agree"),
            quality_row(2, "01/07/2023", "01/07/2023 10:00:00", agrees="Partly agree"),
            quality_row(3, "01/07/2023", "01/07/2023 10:00:00", agrees="Disagree"),
            quality_row(4, "01/07/2023", "01/07/2023 10:00:00", agrees="Agree with some grades"),
            quality_row(5, "01/07/2023", "01/07/2023 10:00:00", agrees="partially"),
            quality_row(6, "01/07/2023", "01/07/2023 10:00:00", agrees="No", **{"Is the child safe?": "N"}),
        ]),
        "all-rejected.csv": csv_text(QUALITY, [
            quality_row(1, "01/07/2023", "01/07/2023 10:00:00", grade="Brilliant"),
            quality_row(2, "01/07/2023", "01/07/2023 10:00:00", grade="Brilliant"),
        ]),
        "unknown-form.csv": csv_text(["Reference", "Colour", "Size"], [{"Reference": "1", "Colour": "red"}]),
        "no-date-question.csv": csv_text(
            ["ID", "Start time", "Completion time", "Email", "Name", "Case reference", "Service area",
             "Practice grade", "Notes"],
            [
                {"ID": "12.0", "Start time": "14/06/2023 09:40:00", "Completion time": "14/06/2023 10:02:33",
                 "Case reference": "R1", "Service area": "Early Help", "Practice grade": "Good", "Notes": "ok"},
                {"ID": "13.0", "Start time": "02/07/2023 09:00:00", "Completion time": "02/07/2023 09:30:00",
                 "Case reference": "R2", "Service area": "Early Help", "Practice grade": "Outstanding"},
            ],
        ),
        # case types in one council's own words: some built in, some mapped by its profile, one neither
        "council-case-types.csv": csv_text(
            ["ID", "Start time", "Completion time", "Email", "Name", "Date audited", "Service",
             "Type of involvement", "Overall grade"],
            [
                {"ID": str(number), "Completion time": "01/07/2023 10:00:00", "Date audited": "01/07/2023",
                 "Service": "Children's services", "Type of involvement": kind, "Overall grade": "Good"}
                for number, kind in enumerate([
                    "CIN - Child in need", "Child Protection Plan", "LAC", "Care Leaver (18+)", "Section 17",
                    "Children we care for", "Team around the family", "Adoption", "Family Support",
                ], start=1)
            ],
        ),
        "non-latin.csv": csv_text(
            ["Номер", "Дата аудита", "Служба", "évaluation globale ", "Голос ребёнка", "Оценка рисков"],
            [
                {"Номер": "1", "Дата аудита": "14/06/2023", "Служба": "Ранняя помощь",
                 "évaluation globale ": "Хорошо", "Голос ребёнка": "Хорошо", "Оценка рисков": "Требует улучшения"},
                {"Номер": "2", "Дата аудита": "15/06/2023", "Служба": "Ранняя помощь",
                 "évaluation globale ": "Good", "Голос ребёнка": "Outstanding", "Оценка рисков": "Хорошо"},
            ],
        ),
    }  # fmt: skip
    for name, text in files.items():
        (HERE / name).write_bytes(text.encode("utf-8"))
    cp1252 = csv_text(
        [h if h != "What's working well?" else "What’s working well?" for h in QUALITY],
        [{**quality_row(1, "01/07/2023", "01/07/2023 10:00:00"), "What’s working well?": "Mum’s view – £20 a week"}],
    )
    (HERE / "cp1252.csv").write_bytes(cp1252.encode("cp1252"))

    quiz = [
        "ID", "Start time", "Completion time", "Email", "Name", "Total points", "Quiz feedback",
        "Case reference", "Points - Case reference", "Feedback - Case reference",
        "Service area", "Points - Service area", "Feedback - Service area",
        "Practice grade", "Points - Practice grade", "Feedback - Practice grade",
    ]  # fmt: skip
    stamp = dt.datetime(2023, 6, 14, 10, 2, 33)
    quiz_rows = [[1, stamp, stamp, "anonymous", None, 0, None, "R1", None, None, "Early Help", None, None, "Good"]]
    (HERE / "quiz.xlsx").write_bytes(workbook(quiz, quiz_rows))
    dated = ["ID", "Start time", "Completion time", "Email", "Name", "Case reference", "Service area",
             "Practice grade", "Notes"]  # fmt: skip
    dated_rows = [[12.0, stamp, stamp, "anonymous", None, "R1", "Early Help", "Good", None]]
    link = ('=HYPERLINK("https://example-council.gov.uk/case/R1","See case notes")', "See case notes")
    (HERE / "formula.xlsx").write_bytes(workbook(dated, dated_rows, {(1, 8): link}))


if __name__ == "__main__":
    write_all()
