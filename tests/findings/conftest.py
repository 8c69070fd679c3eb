"""The findings' tests read the hand-built warehouse of tests/read/sample.py, whose counts their expectations are
worked from: the same session fixture as the read side's tests."""

from tests.read.conftest import wh  # noqa: F401 (a pytest fixture, found by name)
