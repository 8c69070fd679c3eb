"""Read-side queries for the dashboard: pages, the CLI and the benchmark call these and never write SQL.

No Streamlit here. Every query takes a ``Warehouse`` and ``Filters`` and returns a small pandas frame.
"""
