"""Data: load new exports, teach the dashboard a new form, and see what was rejected and why."""

import pandas as pd
import streamlit as st

from data_pipeline import ingest, settings, startup
from data_pipeline.warehouse import Busy
from qa_read import exports, quality
from ui import filters, session, text, trail, widgets, wizard

GAP_COUNTS = ("audits", "no_team", "no_case_type", "no_overall_grade", "no_worker")

RESULT_COLUMNS = {
    "file_name": "file",
    "kind": "form",
    "rows_read": "read",
    "rows_loaded": "loaded",
    "rows_new": "new",
    "rows_updated": "updated",
    "rows_unchanged": "already loaded",
    "rows_rejected": "rejected",
    "unknown": "headings not loaded",
    "error": "problem",
}

wh = session.warehouse()
f = filters.current()
widgets.header("Data", wh, "Load exports, map a new form, and check what was loaded and rejected.")
for warning in startup.check():
    st.warning(text.md(warning), icon=":material/lock_open:")
load_tab, map_tab, quality_tab, history_tab = st.tabs(["Load exports", "Map a new form", "Data quality", "History"])


def results_table(results: list[ingest.FileResult]) -> pd.DataFrame:
    rows = [
        r.__dict__ | {"rows_loaded": r.rows_loaded, "unknown": "; ".join(r.unknown_headings), "error": r.error or ""}
        for r in results
    ]
    return pd.DataFrame(rows)[list(RESULT_COLUMNS)].rename(columns=RESULT_COLUMNS)


def load(files: list[tuple[str, bytes]]) -> list[ingest.FileResult] | None:
    bar = st.progress(0.0, "Starting")
    try:
        results = ingest.ingest(files, on_progress=lambda step, fraction: bar.progress(min(fraction, 1.0), step))
    except Busy as exc:
        st.error(text.md(exc), icon=":material/hourglass:")
        return None
    except ingest.IngestError as exc:  # a key, a full disk, a read-only folder: nothing was loaded
        bar.empty()
        st.error(text.md(exc), icon=":material/error:")
        return None
    bar.empty()
    trail.uploaded(results)
    return results


def outcome(results: list[ingest.FileResult]) -> None:
    """Green only when every file loaded rows; a file whose every row was rejected is a warning."""
    loaded = sum(r.error is None and not r.nothing_loaded for r in results)
    summary = f"{loaded} of {len(results)} files loaded."
    empty = [r.file_name for r in results if r.nothing_loaded]
    if loaded == len(results):
        st.success(f"{summary} Every page now shows the new data.")
    elif empty:
        st.warning(
            f"{summary} No row of {text.md('; '.join(empty))} loaded: every row was rejected. "
            "The **Data quality** tab lists the reasons.",
            icon=":material/warning:",
        )
    else:
        st.warning(f"{summary} The **problem** column says why each other file was refused.", icon=":material/warning:")
    notes = [f"{r.file_name}: {note}" for r in results for note in r.notes()]
    if notes:
        # Open when the reader had to assume something or met formulas: those are worth a look.
        worth_a_look = any("assumed" in note or "formula" in note for note in notes)
        with st.expander("How each file was read: date orders, formulas, columns not loaded", expanded=worth_a_look):
            st.markdown("\n".join(f"- {text.md(note)}" for note in notes))


with load_tab:
    limit = settings.get("QA_MAX_UPLOAD_MB")
    uploads = st.file_uploader(
        f"Microsoft Forms exports (.xlsx) or tracker files (.csv), up to {limit} MB each",
        type=["xlsx", "csv"],
        accept_multiple_files=True,
        key="uploads",
    )
    if st.button("Load these files", type="primary", icon=":material/upload:", key="load", disabled=not uploads):
        results = load([(u.name, u.getvalue()) for u in uploads])
        if results is not None:
            st.dataframe(results_table(results), hide_index=True, width="stretch")
            outcome(results)
            unmatched = {
                u.name: u.getvalue() for u, r in zip(uploads, results) if r.error and "no known form" in r.error
            }
            st.session_state["unmatched"] = unmatched
            if unmatched:
                st.warning(
                    f"{len(unmatched)} file(s) match no known form. Open **Map a new form** to teach the dashboard.",
                    icon=":material/help:",
                )

with map_tab:
    waiting = st.session_state.get("unmatched", {})
    upload = st.file_uploader("An export that no profile recognises", type=["xlsx", "csv"], key="wizard-upload")
    candidates = dict(waiting) | ({upload.name: upload.getvalue()} if upload else {})
    if not candidates:
        st.info("Load an export on the first tab, or drop one here, to map a form the dashboard has not seen.")
    else:
        name = st.selectbox("Export", list(candidates), key="wizard-file")
        saved = wizard.wizard(name, candidates[name])
        if saved:
            st.success(f"Saved mapping profile {text.md(saved['id'])}. Loading {text.md(name)} with it…")
            results = load([(name, candidates[name])])
            if results is not None:
                st.dataframe(results_table(results), hide_index=True, width="stretch")
                outcome(results)
                st.session_state["unmatched"] = {k: v for k, v in waiting.items() if k != name}

with quality_tab:
    reasons = quality.rejects_by_reason(wh, f)
    total = int(reasons["rows"].sum()) if not reasons.empty else 0
    st.subheader(f"{total} rejected rows")
    st.caption(
        "Every row read is either loaded or listed here with its reason. A later export that fixes a row clears it."
    )
    st.dataframe(reasons, hide_index=True, width="stretch")
    widgets.downloads(exports.records(quality.rejected_rows(wh, f)), "rejected rows", "rejected")
    st.subheader("Gaps the charts depend on")
    gaps = quality.gaps(wh, f)
    thin = gaps[gaps["thin"]]["cycle"].tolist()
    if thin:
        st.warning(
            f"Unusually few audits in {', '.join(thin)}: a dip in a chart there may be a dip in the data.",
            icon=":material/warning:",
        )
    widgets.table(gaps)
    # Counts of records missing a field, for analysts, who see those records themselves.
    widgets.downloads(exports.figures(gaps, plain=GAP_COUNTS), "data gaps by cycle", "gaps")
    st.subheader("Duplicates merged")
    st.caption("Forms exports are cumulative: a response already loaded is kept once; an edited one replaces it.")
    widgets.table(quality.merged(wh, f))

with history_tab:
    history = quality.load_history(wh, f)
    widgets.table(history)
    widgets.downloads(exports.records(history), "load history", "history")
