"""Turns QA exports (Microsoft Forms workbooks, tracker CSVs) into the DuckDB warehouse."""
