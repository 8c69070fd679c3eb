"""The warehouse as a Streamlit resource: opened once per server process, shared by every session."""

import streamlit as st

from data_pipeline import settings
from data_pipeline.ingest import ingest_folder
from qa_read.db import Warehouse


@st.cache_resource(show_spinner="Building the warehouse from the sample data (first run only)…")
def warehouse() -> Warehouse:
    """Open the warehouse; on a first run with none, build it from the bundled sample exports."""
    path = settings.path("QA_WAREHOUSE")
    if not path.exists():
        failures = [r.error for r in ingest_folder(settings.path("QA_SAMPLE_DIR"), path) if r.error]
        if failures:
            raise RuntimeError("the sample data did not load: " + "; ".join(failures))
    return Warehouse(path)
