"""Per-process resources and the start of every page run."""

import logging
import tempfile
import threading
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from data_pipeline import settings, startup
from qa_read.db import Warehouse
from ui import access

log = logging.getLogger(__name__)


def warehouse() -> Warehouse:
    """The warehouse for this page run. Every page starts here, so no page shows anything to a reader the
    access gate in dashboard.py has not let through."""
    _through_navigation()
    access.current()
    return _open_warehouse()


def _through_navigation() -> None:
    """A deep link into a server that has not yet run dashboard.py makes Streamlit 1.67 run pages/*.py
    directly, in its older multipage mode (it sees the pages/ folder), skipping dashboard.py's navigation,
    filters and access checks. Switch that mode off and run again through dashboard.py, same URL.
    tests/browser checks a deep link on a fresh server."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


@st.cache_resource(show_spinner="Building the warehouse from the sample data (first run only)…")
def _open_warehouse() -> Warehouse:
    """Open the warehouse; on a first run with none, build it from the bundled sample exports, dated afresh
    relative to today (data_pipeline.sample.for_today), so open actions and cycles are current, not as shipped,
    and the published reference files."""
    path = settings.path("QA_WAREHOUSE")
    startup.tidy(path)
    # The checks only write to the server's log (analysts see them on the Data page), so the first view does not
    # wait for them: reading the key fingerprints opens the warehouse file a second time.
    threading.Thread(target=_log_warnings, args=(path,), daemon=True, name="startup-check").start()
    if not path.exists():
        _build_from_sample(path)
    return Warehouse(path, cache_mb=float(settings.get("QA_CACHE_MB")))


def _log_warnings(path: Path) -> None:
    for warning in startup.check(path):
        log.warning(warning)


def _build_from_sample(path: Path) -> None:
    # The writing side is imported only when there is no warehouse yet: a tenth of a second at every start otherwise.
    from data_pipeline.ingest import ingest_folder
    from data_pipeline.reference.load import load_folder
    from data_pipeline.sample import for_today

    with tempfile.TemporaryDirectory() as fresh:
        folder = for_today(settings.path("QA_SAMPLE_DIR"), Path(fresh))
        failures = [r.error for r in ingest_folder(folder, path) if r.error]
    failures += [r.error for r in load_folder(settings.path("QA_REFERENCE_DIR"), path) if r.error]
    if failures:
        raise RuntimeError("the sample data did not load: " + "; ".join(failures))
