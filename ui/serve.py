"""``python -m ui.serve [streamlit run options]``: ``streamlit run dashboard.py`` with the read side imported first.

Streamlit imports nothing of the app until someone visits, so the first visitor after a restart would wait
about half a second for pandas, DuckDB and Plotly to import (docs/performance.md). This imports them, and the
Streamlit-free modules every page stands on, as the server starts; the pages then find them imported. Nothing
here depends on a running server. scripts/dashboard runs ``ui.startup`` (the local-mode check) before it.
"""

import importlib
import pkgutil
import sys

from streamlit.web import cli

PACKAGES = ("qa_read", "findings", "ui.charts")
MODULES = ("pandas", "duckdb", "plotly.graph_objects", "reports.content", "ui.text", "ui.trail_file")


def preload() -> list[str]:
    """Import what every first view imports, before anyone visits; the names imported."""
    names = list(MODULES)
    for package in PACKAGES:
        path = importlib.import_module(package).__path__
        names += [f"{package}.{found.name}" for found in pkgutil.iter_modules(path)]
    for name in names:
        importlib.import_module(name)
    return names


if __name__ == "__main__":
    preload()
    sys.exit(cli.main(["run", "dashboard.py", *sys.argv[1:]], prog_name="streamlit"))
