import duckdb
import pytest

from qa_read.db import Warehouse
from tests.read.sample import create_schema, load, reader


@pytest.fixture(scope="session")
def wh() -> Warehouse:
    """The hand-built warehouse of tests/read/sample.py, whose counts the expectations below are worked from."""
    con = duckdb.connect(":memory:")
    create_schema(con)
    load(con)
    return reader(con)
