"""Which warehouse column answers each logical filter, per table alias used in the queries.

A table missing a logical column simply has no entry, and ``Filters.where`` skips that filter. Below them: the
labels, missing-value mark, Yes/No words and date format every table people read is shown with.
"""

import datetime as dt

import pandas as pd

AUDITS = {
    "service_area": "a.service_area",
    "team": "a.team",
    "case_type": "a.case_type",
    "cycle": "a.cycle",
    "instrument": "a.instrument",
}
# The filter_options mart (o): every logical column, NULL where the source table lacks it.
OPTIONS = {name: f"o.{name}" for name in ("service_area", "team", "case_type", "cycle", "instrument")}
SUPERVISION = {"service_area": "s.service_area", "team": "s.team", "cycle": "s.cycle"}
ACTIONS = {"service_area": "x.service_area", "team": "x.team"}
# The loop's action marts (x: weak_area_actions, escalation_actions): filtered, like the actions, by the service
# area and team an action is filed under.
FILED_ACTIONS = {"service_area": "x.action_service_area", "team": "x.action_team"}
CHILD_VOICE = {"service_area": "v.service_area", "team": "v.team", "cycle": "v.cycle"}
PLD_EVENTS = {"service_area": "p.service_area", "cycle": "p.cycle"}
TEAM_ROSTER = {"service_area": "r.service_area", "team": "r.team"}
# The voice_cube mart (v), which carries the linked audit's case type and audit tool itself.
VOICE_CUBE = {**CHILD_VOICE, "case_type": "v.case_type", "instrument": "v.instrument"}
# Actions with ``raised_cycle``, the financial-year quarter of raised_date, derived in the query's first CTE.
ACTIONS_RAISED = {**ACTIONS, "cycle": "x.raised_cycle"}
# Theme mentions (m) and the texts they were found in (t). Neither has a case type or audit tool: notes and
# feedback have none, so those filters do not apply to themes. Notes have no team, so a team filter drops them.
THEME_MENTIONS = {"service_area": "m.service_area", "team": "m.team", "cycle": "m.cycle"}
THEME_TEXTS = {"service_area": "t.service_area", "team": "t.team", "cycle": "t.cycle"}

# Shown in place of a missing team or case type, so charts and pivots keep the row.
NOT_RECORDED = "Not recorded"

# Column labels people read, for fields whose name does not simply read as words ("overall_grade" reads as
# "Overall grade" without an entry). Pages may still name a column for one table; these are the defaults.
LABELS = {
    "action_id": "Action",
    "case_id": "Case ID",  # the council's own, on the auditors' list only
    "audit_id": "Audit",
    "pld_id": "PLD",
    "child_id": "Child",
    "worker_id": "Practitioner",
    "practice_area": "Area of practice",
    "owner_role": "Owner",
    "raised_date": "Raised",
    "due_date": "Due",
    "completed_date": "Completed",
    "audit_date": "Date of audit",
    "pld_date": "Date of PLD",
    "review_date": "Date of review",
    "feedback_date": "Date of feedback",
    "n": "Number",
    "k": "Count",
    "small_n": "Fewer than 5",
    "previous_value": "Previous value",
    "source_table": "Source",
    "instrument": "Audit tool",
}
MISSING = "–"  # an en dash, never "None" or "nan"
UK_DATE = "%d %b %Y"  # 01 Dec 2026


def label(name: str) -> str:
    """The label people read for a field: its entry in LABELS, else its words ("days_overdue": "Days overdue").
    A name that is already a label ("Days overdue") is kept."""
    if name in LABELS:
        return LABELS[name]
    if name != name.lower() or " " in name:
        return name
    words = name.removesuffix("_id").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def readable(df: pd.DataFrame) -> pd.DataFrame:
    """A frame as a table for people: human column labels, "–" where a value is missing, Yes/No for true and
    false, dates as 01 Dec 2026. Numbers stay numbers unless a value is missing; a column that mixes text and
    numbers becomes text, so it reaches the browser as one type (Arrow refuses a mixed column)."""
    out = {}
    for name in df.columns:
        out[label(str(name))] = _cells(df[name])
    return pd.DataFrame(out, index=df.index)


def _cells(column: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(column):
        return column.map({True: "Yes", False: "No"}).fillna(MISSING)
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.dt.strftime(UK_DATE).fillna(MISSING)
    if pd.api.types.is_numeric_dtype(column):
        if column.notna().all():
            return column
        whole = column.dropna().mod(1).eq(0).all()  # counts a missing value turned into floats
        shown = column.map(lambda v: f"{v:,.0f}" if whole else f"{v:,}", na_action="ignore")
        return shown.where(column.notna(), MISSING)
    if isinstance(column.dtype, pd.StringDtype):  # text only: no per-cell work (a list of thousands of rows)
        return column.fillna(MISSING)
    cells = column.map(_cell)
    if cells.map(type).nunique() > 1:
        return cells.map(str)
    return cells


def _cell(value) -> object:
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return MISSING
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime(UK_DATE)
    return value
