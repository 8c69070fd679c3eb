"""docs/data-contract.md documents every warehouse column, marts included, with its type, and nothing else."""

import re

import duckdb

from data_pipeline import marts
from data_pipeline.warehouse import create_schema
from tests.conftest import ROOT

ROW = re.compile(r"^\| `(?P<column>\w+)` \| (?P<type>[A-Z\[\]]+) \|")
HEADING = re.compile(r"^## `(?P<table>\w+)`")


def documented() -> set[tuple[str, str, str]]:
    found, table = set(), None
    for line in (ROOT / "docs" / "data-contract.md").read_text().splitlines():
        if match := HEADING.match(line):
            table = match["table"]
        elif (match := ROW.match(line)) and table:
            found.add((table, match["column"], match["type"]))
    return found


def actual() -> set[tuple[str, str, str]]:
    con = duckdb.connect()
    create_schema(con)
    marts.build(con)
    rows = con.execute("SELECT table_name, column_name, data_type FROM information_schema.columns").fetchall()
    return set(rows)


def test_every_column_is_documented_with_its_type():
    missing = actual() - documented()
    assert not missing, f"columns in schema.sql or a mart but not in docs/data-contract.md: {sorted(missing)}"


def test_every_documented_column_exists():
    stale = documented() - actual()
    assert not stale, f"columns documented but not in schema.sql or a mart: {sorted(stale)}"
