"""Write the golden messy exports: one file per quirk, every file in a folder encoding the same rows.

Run from the repository root after changing anything here, and commit the output:

    .venv/bin/python tests/pipeline/golden/make_golden.py

The output is byte-for-byte deterministic (fixed workbook timestamps), and a test checks the
committed files are exactly what this script writes.
"""

import csv
import datetime as dt
import io
import random
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
CREATED = dt.datetime(2026, 1, 1)

# --- Audit action tracker (action-tracker-v1): six actions -----------------------------------------

ACTION_HEADINGS = [
    "Action ref", "Audit ID", "Service area", "Team", "Action", "Owner",
    "Date raised", "Due date", "Date completed", "Status",
]  # fmt: skip
DATE_COLUMNS = ("Date raised", "Due date", "Date completed")
ACTIONS = [
    ["1", "CA1-101", "Children in care", "Team A", "Update the child’s care plan", "Team manager",
     "03/07/2026", "31/08/2026", "", "Open"],
    ["2", "CA1-102", "Children in care", "Team B", "Agree £250 contact budget – review monthly", "Service manager",
     "14/04/2026", "30/06/2026", "20/06/2026", "Completed"],
    ["3", "103", "Child protection", "Team C", "Chase health assessment, then review the plan", "Practitioner",
     "01/05/2026", "15/09/2026", "", "Open"],
    ["4", "CA1-104", "Early Help", "", "Record the child’s wishes\nin their own words", "Practitioner",
     "02/06/2026", "02/07/2026", "01/07/2026", "Completed"],
    ["5", "", "Child protection", "Team C", "Hold a strategy review – no longer needed", "Head of service",
     "10/05/2026", "10/06/2026", "", "Cancelled"],
    ["6", "CA1-106", "Children in care", "Team A", "Update chronology (£0 cost)", "Team manager",
     "25/07/2026", "25/10/2026", "", "Open"],
]  # fmt: skip


def _csv(headings: list[str], rows: list[list], line_end: str = "\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=line_end)
    writer.writerow(headings)
    writer.writerows(rows)
    return out.getvalue()


def _uk(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%d/%m/%Y")


def _xlsx(headings: list[str], rows: list[list]) -> bytes:
    """Strings, numbers and datetimes each go in as the cell type Excel would give them."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False})
    book.set_properties({"created": CREATED})
    sheet = book.add_worksheet("Sheet1")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    stamp_format = book.add_format({"num_format": "m/d/yy h:mm:ss"})
    sheet.write_row(0, 0, headings)
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(row):
            if isinstance(cell, dt.datetime):
                sheet.write_datetime(r, c, cell, stamp_format if cell.time() != dt.time() else date_format)
            elif isinstance(cell, int | float):
                sheet.write_number(r, c, cell)
            elif cell:
                sheet.write_string(r, c, cell)
    book.close()
    return buf.getvalue()


def action_files() -> dict[str, bytes]:
    clean = _csv(ACTION_HEADINGS, ACTIONS)
    messy_headings = [
        "action ref ", "AUDIT ID", " Service Area", "team", "Action  ", "owner",
        "DATE RAISED", "Due Date ", "date  completed", "STATUS",
    ]  # fmt: skip
    owners = {"Team manager": "tm", "Service manager": "SM", "Practitioner": "social worker", "Head of service": "HoS"}
    statuses = {"Open": "IN PROGRESS", "Completed": " complete ", "Cancelled": "cancelled "}
    messy = [
        [
            ref,
            audit,
            "  " + area.replace(" ", "  ") + " ",
            team,
            text,
            owners[owner],
            f" {raised} ",
            due,
            done,
            statuses[status],
        ]
        for ref, audit, area, team, text, owner, raised, due, done, status in ACTIONS
    ]
    short_years = [[_short_year(c) if i in (6, 7, 8) else c for i, c in enumerate(row)] for row in ACTIONS]
    dated = [[_uk(c) if i in (6, 7, 8) and c else c for i, c in enumerate(row)] for row in ACTIONS]
    dated = [[float(row[0]), *row[1:]] for row in dated]  # Excel keeps a typed number as a number
    extra = [[*row, rag] for row, rag in zip(ACTIONS, ["Amber", "Green", "Red", "Green", "", "Amber"], strict=True)]
    return {
        "clean.csv": clean.encode("utf-8"),
        "bom.csv": "\ufeff".encode() + clean.encode("utf-8"),
        "cp1252.csv": clean.encode("cp1252"),
        "crlf.csv": _csv(ACTION_HEADINGS, ACTIONS, "\r\n").encode("utf-8"),
        "spacing-and-case.csv": _csv(messy_headings, messy).encode("utf-8"),
        "excel-dates.xlsx": _xlsx(ACTION_HEADINGS, dated),
        "two-digit-years.csv": _csv(ACTION_HEADINGS, short_years).encode("utf-8"),
        "extra-column.csv": _csv([*ACTION_HEADINGS, "RAG rating"], extra).encode("utf-8"),
    }


def _short_year(text: str) -> str:
    return text[:-4] + text[-2:] if text else text


# --- Collaborative case audit (case-audit-v1): four audits -----------------------------------------

AREAS = [
    "1. Voice of the child - grade",
    "2. Assessment and analysis - grade",
    "3. Planning and review - grade",
    "4. Multi-agency working - grade",
    "5. Management oversight and supervision - grade",
    "6. Recording - grade",
    "7. Impact and outcomes for the child - grade",
]
AUDIT_HEADINGS = [
    "ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
    "Date of audit (dd/mm/yyyy)", "PLD cycle (if part of a Practice Learning Day)", "Service area", "Team",
    "Case type", "Worker's name", "Child's Mosaic ID", *AREAS, "Overall grade", "Is the child safe?",
    "Does the worker agree with the grading?", "If the worker disagrees, tell us why", "What is working well?",
    "What are the areas for development?", "Actions agreed (achievable, with timescales)",
    "Moderated grade (QA team use)", "Date management oversight added (dd/mm/yyyy)",
]  # fmt: skip
STAMPS = ("Start time", "Completion time", "Last modified time")
G, RI, OUT, INAD = "Good", "Requires improvement", "Outstanding", "Inadequate"
AUDITS = [
    [1, "7/14/26 9:58:02", "7/14/26 10:15:02", "auditor.one@example.gov.uk", "Alex Auditor", "7/14/26 10:15:02",
     "14/07/2026", "2026/27 Q2", "Children in care", "Team A", "Child in care", "Sam Worker", "100201",
     G, G, RI, G, G, G, G, G, "Yes", "Yes", "",
     "Warm, child-centred recording.", "Chronology needs updating.", "TM to update chronology by 31/08/2026.",
     "", "16/07/2026"],
    [2, "7/15/26 13:01:44", "7/15/26 13:40:10", "auditor.two@example.gov.uk", "Bo Auditor", "7/16/26 8:05:00",
     "15/07/2026", "", "Children in care", "Team B", "Child in care", "Jo Worker", "100202",
     RI, RI, INAD, RI, G, RI, RI, RI, "Yes", "No", "The plan was reviewed after the audit.",
     "Good multi-agency work.", "Plans drift; ask j.smith@example.gov.uk for the minutes.", "",
     G, ""],
    [3, "7/21/26 11:00:00", "7/21/26 11:30:59", "auditor.one@example.gov.uk", "Alex Auditor", "7/21/26 11:30:59",
     "21/07/2026", "", "Children in care", "Team A", "Child in care", "Sam Worker", "100203",
     OUT, OUT, G, OUT, OUT, G, OUT, OUT, "Yes", "Yes", "",
     "Outstanding direct work – the child’s voice is everywhere.", "", "", "", ""],
    [4, "7/27/26 18:40:01", "7/27/26 19:06:23", "auditor.three@example.gov.uk", "Cy Auditor", "7/28/26 9:00:00",
     "27/07/2026", "2026/27 Q2", "Child protection", "Team C", "Child protection", "Ali Worker", "100204",
     G, G, G, RI, G, G, G, G, "No", "Yes", "", "Thorough assessment.", "Safety plan not shared with school.",
     "Share the safety plan with school this week.", "", "29/07/2026"],
]  # fmt: skip


def _column(name: str) -> int:
    return AUDIT_HEADINGS.index(name)


def _us_stamp(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%m/%d/%y %H:%M:%S")


def _rewrite(rows: list[list], column: str, spellings: list) -> list[list]:
    i = _column(column)
    return [[*row[:i], spelling, *row[i + 1 :]] for row, spelling in zip(rows, spellings, strict=True)]


def audit_files() -> dict[str, bytes]:
    stamped = [[_us_stamp(c) if h in STAMPS else c for h, c in zip(AUDIT_HEADINGS, row, strict=True)] for row in AUDITS]

    graded = _rewrite(AUDITS, "Overall grade", ["good ", "RI", "Exceeds good", "GOOD"])
    graded = _rewrite(graded, AREAS[2], ["Requires Improvement to be Good", "inadequate", "good", "  Good"])
    graded = _rewrite(graded, AREAS[3], ["GOOD", "ritbg", "exceeding good", "Requires improvement."])
    graded = _rewrite(graded, "Moderated grade (QA team use)", ["", "Good.", "", ""])

    typed = _rewrite(AUDITS, "Case type", ["LAC", "CLA", "Children in Care", "Child Protection Plan"])

    multiline = [
        h.replace(" - grade", " -\ngrade")
        .replace(" (dd/mm/yyyy)", "\n(dd/mm/yyyy)")
        .replace("child safe", "child  safe")
        for h in AUDIT_HEADINGS
    ]
    multiline = [h.replace("Mosaic ID", "Mosaic  ID").replace("Overall grade", "Overall\r\ngrade ") for h in multiline]

    order = list(range(len(AUDIT_HEADINGS)))
    random.Random(20260727).shuffle(order)
    shuffled_headings = [AUDIT_HEADINGS[i] for i in order]
    shuffled = [[row[i] for i in order] for row in AUDITS]

    return {
        "clean.xlsx": _xlsx(AUDIT_HEADINGS, AUDITS),
        "timestamps-as-excel-dates.xlsx": _xlsx(AUDIT_HEADINGS, stamped),
        "grade-spellings.xlsx": _xlsx(AUDIT_HEADINGS, graded),
        "case-type-synonyms.xlsx": _xlsx(AUDIT_HEADINGS, typed),
        "multiline-headings.xlsx": _xlsx(multiline, AUDITS),
        "heading-order.xlsx": _xlsx(shuffled_headings, shuffled),
    }


FORMS = {"action-tracker": action_files, "case-audit": audit_files}


def write_all(root: Path = HERE) -> list[Path]:
    written = []
    for form, make in FORMS.items():
        (root / form).mkdir(parents=True, exist_ok=True)
        for name, content in make().items():
            path = root / form / name
            path.write_bytes(content)
            written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all():
        print(f"{path.relative_to(HERE)}  {path.stat().st_size} bytes")
