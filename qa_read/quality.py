"""Data quality: what was loaded, what was rejected and why, gaps the charts depend on, thin cycles.

So a dip in a chart can be told apart from a dip in the data. Rejected rows and the load history are
not scoped by service area (a rejected row may have none); the Data page is for analysts.
"""

import pandas as pd

from qa_read import columns as C
from qa_read.db import Warehouse, cached, rows_only, whole_warehouse
from qa_read.filters import Filters, render

HISTORY = """
    SELECT ingest_id, finished, file_name, kind, rows_read, rows_loaded, rows_new, rows_updated,
           rows_unchanged, rows_rejected, array_to_string(unknown_headings, '; ') AS unknown_headings, sha256
    FROM ingest_log
    ORDER BY ingest_id DESC
"""
REJECTS_BY_REASON = """
    WITH labelled AS (
        SELECT table_name, regexp_replace(reason, ': ''.*?'' ', ': … ', 'g') AS reason FROM rejected_rows
    )
    SELECT table_name, reason, count(*) AS rows FROM labelled GROUP BY ALL ORDER BY rows DESC, reason, table_name
"""
REJECTED = """
    SELECT table_name, source_file, source_row, reason, raw_values, record_key
    FROM rejected_rows ORDER BY source_file, source_row
"""
GAPS = """
    WITH scoped AS (
        SELECT a.* FROM audits a WHERE {where}
    )
    SELECT cycle,
           count(*) AS audits,
           count(*) FILTER (WHERE team IS NULL) AS no_team,
           count(*) FILTER (WHERE case_type IS NULL) AS no_case_type,
           count(*) FILTER (WHERE overall_grade IS NULL) AS no_overall_grade,
           count(*) FILTER (WHERE worker_key IS NULL) AS no_worker
    FROM scoped GROUP BY cycle ORDER BY cycle
"""
MERGED = """
    SELECT kind,
           sum(rows_updated)::BIGINT AS edited_responses_replaced,
           sum(rows_unchanged)::BIGINT AS responses_already_loaded
    FROM ingest_log GROUP BY kind ORDER BY kind
"""
SUPERSEDED = "SELECT count(*) AS rows FROM rejected_rows WHERE reason LIKE 'superseded by row %'"


@rows_only
@whole_warehouse
@cached
def load_history(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Columns: ingest_id, finished, file_name, kind, rows_read, rows_loaded, rows_new, rows_updated,
    rows_unchanged, rows_rejected, unknown_headings, sha256; newest first."""
    return wh.query(HISTORY)


@whole_warehouse
@cached
def rejects_by_reason(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Columns: table_name, reason (quoted values elided so alike reasons group), rows."""
    return wh.query(REJECTS_BY_REASON)


@rows_only
@whole_warehouse
@cached
def rejected_rows(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Columns: table_name, source_file, source_row, reason, raw_values (JSON, names already keyed), record_key."""
    return wh.query(REJECTED)


@cached
def gaps(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Columns: cycle, audits, no_team, no_case_type, no_overall_grade, no_worker, thin (bool: under half the
    median cycle's audits, so a dip there is a dip in the data)."""
    where, params = f.where(C.AUDITS)
    out = wh.query(render(GAPS, where=where), params)
    out["thin"] = out["audits"] < out["audits"].median() / 2
    return out


@whole_warehouse
@cached
def merged(wh: Warehouse, f: Filters) -> pd.DataFrame:
    """Columns: kind, edited_responses_replaced, responses_already_loaded, plus one row 'same file, repeated ID'
    counting rows superseded by a later row of their own file."""
    out = wh.query(MERGED)
    repeated = int(wh.query(SUPERSEDED)["rows"].iloc[0])
    extra = pd.DataFrame([{"kind": "repeated ID within one file", "edited_responses_replaced": repeated}])
    return pd.concat([out, extra], ignore_index=True)
