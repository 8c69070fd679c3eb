"""Small, hand-made Forms exports for pipeline tests: real files, built in memory."""

import io
import tomllib

import xlsxwriter

from data_pipeline.profiles import BUILT_IN

FORMS_COLUMNS = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]


def headings(profile_id: str) -> list[str]:
    raw = tomllib.loads((BUILT_IN / f"{profile_id}.toml").read_text())
    mapped = [*raw["columns"].values(), *raw.get("practice_areas", {}).values(), *raw.get("comments", {}).values()]
    return FORMS_COLUMNS + [h for h in mapped if h not in FORMS_COLUMNS]


def audit_row(response_id: int, **answers) -> dict:
    """A valid case-audit-v1 response; keyword arguments override answers by heading."""
    row = {
        "ID": response_id,
        "Start time": "7/1/26 09:00:00",
        "Completion time": "7/1/26 09:30:00",
        "Email": "alex.auditor@example-council.gov.uk",
        "Name": "Alex Auditor",
        "Last modified time": "7/1/26 09:30:00",
        "Date of audit (dd/mm/yyyy)": "01/07/2026",
        "Service area": "Early Help",
        "Team": "Early Help North",
        "Case type": "Early Help",
        "Worker's name": "Sam Practitioner",
        "Child's Mosaic ID": f"{100000 + response_id}",
        "Overall grade": "Good",
        "Is the child safe?": "Yes",
        "Does the worker agree with the grading?": "Yes",
        "What is working well?": "Clear plan, child seen alone.",
    }
    for area in headings("case-audit-v1"):
        if area.endswith("- grade"):
            row[area] = "Good"
    row.update(answers)
    return row


def xlsx(rows: list[dict], profile_id: str = "case-audit-v1") -> bytes:
    columns = headings(profile_id)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, columns)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, [row.get(c) for c in columns])
    book.close()
    return buffer.getvalue()
