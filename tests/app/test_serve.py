"""The server imports the read side as it starts (ui/serve.py), so a first visitor does not wait for it."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, sys
from ui import serve
names = serve.preload()
import streamlit.runtime
print(json.dumps({"names": names, "loaded": sorted(sys.modules), "runtime": streamlit.runtime.exists()}))
"""


def test_preload_imports_the_read_side_and_its_libraries_without_a_server():
    run = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True)
    found = json.loads(run.stdout.splitlines()[-1])
    assert not found["runtime"]
    every_page_needs = {"pandas", "duckdb", "plotly.graph_objects", "qa_read.db", "findings.headline"}
    assert every_page_needs | {"reports.content", "ui.charts.pack"} <= set(found["names"]) <= set(found["loaded"])
    # The pack's file writers stay for the click that asks for them.
    assert not {"pptx", "reportlab"} & {name.split(".")[0] for name in found["loaded"]}
