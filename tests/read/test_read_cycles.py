import datetime as dt

import pytest

from data_pipeline import vocab
from qa_read import cycles
from qa_read.filters import Filters, Scope


@pytest.mark.parametrize(
    "label,start,end",
    [
        ("2025/26 Q1", dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
        ("2025/26 Q2", dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
        ("2025/26 Q3", dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        ("2025/26 Q4", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("2023/24 Q4", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
    ],
)
def test_cycle_bounds(label, start, end):
    assert vocab.cycle_bounds(label) == (start, end)


@pytest.mark.parametrize("label", ["2025 Q1", "2025/26 Q5", "Q1 2025/26", ""])
def test_cycle_bounds_rejects_other_labels(label):
    with pytest.raises(ValueError):
        vocab.cycle_bounds(label)


def test_cycles_span_every_table_in_label_order(wh):
    assert cycles.cycles(wh, Filters())["cycle"].tolist() == [
        "2024/25 Q4",
        "2025/26 Q1",
        "2025/26 Q2",
        "2025/26 Q3",
    ]


@pytest.mark.parametrize(
    "filters,expected",
    [
        (Filters(), ("2025/26 Q2", "2025/26 Q1")),
        (Filters(cycle_to="2025/26 Q1"), ("2025/26 Q1", "2024/25 Q4")),
        (Filters(cycle_from="2025/26 Q2"), ("2025/26 Q2", "2025/26 Q1")),
        (Filters(cycle_to="2024/25 Q4"), ("2024/25 Q4", None)),
        (Filters(teams=("N2",)), ("2025/26 Q2", "2025/26 Q1")),
        (Filters(service_areas=("East",)), (None, None)),
    ],
)
def test_latest_and_previous(wh, filters, expected):
    assert cycles.latest_and_previous(wh, filters) == expected


def test_option_lists(wh):
    f = Filters(teams=("N1",))  # the reader's own choices do not shrink the lists
    assert cycles.service_areas(wh, f)["service_area"].tolist() == ["East", "North", "South"]
    assert cycles.teams(wh, f).values.tolist() == [["North", "N1"], ["North", "N2"], ["South", "S1"]]
    assert cycles.teams(wh, Filters(service_areas=("South",)))["team"].tolist() == ["S1"]
    assert len(cycles.case_types(wh, f)) == 5
    assert cycles.instruments(wh, f).values.tolist() == [
        ["Collaborative case audit", "Ofsted"],
        ["Learning Episode", "Assurance"],
    ]


def test_option_lists_honour_scope(wh):
    f = Filters(scope=Scope(service_areas=("South",)))
    assert cycles.service_areas(wh, f)["service_area"].tolist() == ["South"]
    assert cycles.teams(wh, f)["team"].tolist() == ["S1"]
    assert cycles.cycles(wh, f)["cycle"].tolist() == ["2024/25 Q4", "2025/26 Q1", "2025/26 Q2"]
    assert cycles.teams(wh, Filters(service_areas=("North",), scope=Scope(service_areas=("South",)))).empty
