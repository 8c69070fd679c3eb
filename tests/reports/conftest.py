"""Packs built on the shipped sample warehouse and on the small hand-built one of tests/read/sample.py."""

import duckdb
import pytest

from qa_read.db import Warehouse
from reports import content
from tests.conftest import SAMPLE_TODAY
from tests.read import sample

SAMPLE_CYCLE = "2026/27 Q2"
SMALL_CYCLE = sample.Q2


@pytest.fixture(scope="session")
def sample_wh(sample_warehouse) -> Warehouse:
    return Warehouse(sample_warehouse)


@pytest.fixture(scope="session")
def small_wh() -> Warehouse:
    con = duckdb.connect(":memory:")
    sample.create_schema(con)
    sample.load(con)
    return sample.reader(con)


@pytest.fixture(scope="session")
def sample_pack(sample_wh) -> content.Pack:
    return content.build(sample_wh, SAMPLE_CYCLE, today=SAMPLE_TODAY)


@pytest.fixture(scope="session")
def small_pack(small_wh) -> content.Pack:
    return content.build(small_wh, SMALL_CYCLE, today=sample.TODAY)


@pytest.fixture(scope="session", params=["sample", "small"])
def pack(request) -> content.Pack:
    return request.getfixturevalue(f"{request.param}_pack")
