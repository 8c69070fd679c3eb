"""One number, one truth: for random filter sets, every headline figure the Overview shows, the Grade trends and
Supervision titles, the pack's headline slide and Present (which draws the pack's slides) agree, value and
denominator.

The pages call ``findings.headline`` with the sidebar's filters; the pack and Present call
``reports.content.build`` with a cycle, service areas and the reader's scope. The pack cannot narrow to teams or
case types, so it is compared on the filter sets it can express.
"""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from findings import headline, words
from qa_read import cycles
from qa_read.db import Warehouse
from qa_read.filters import Filters, Scope
from reports import content
from tests.conftest import SAMPLE_TODAY


@pytest.fixture(scope="module")
def wh(sample_warehouse) -> Warehouse:
    return Warehouse(sample_warehouse)


@pytest.fixture(scope="module")
def options(wh):
    teams = cycles.teams(wh, Filters())
    return {
        "areas": sorted(cycles.service_areas(wh, Filters())["service_area"]),
        "teams": sorted(teams["team"]),
        "team_areas": dict(zip(teams["team"], teams["service_area"], strict=True)),
        "case_types": sorted(cycles.case_types(wh, Filters())["case_type"]),
        "cycles": list(cycles.cycles(wh, Filters())["cycle"]),
    }


@st.composite
def filter_sets(draw, options):
    """Sidebar choices and a reader's scope; half of them only what the pack can express (areas and cycles)."""
    areas = tuple(draw(st.lists(st.sampled_from(options["areas"]), max_size=2, unique=True)))
    pack_only = draw(st.booleans())
    teams = () if pack_only else tuple(draw(st.lists(st.sampled_from(options["teams"]), max_size=3, unique=True)))
    case_types = (
        () if pack_only else tuple(draw(st.lists(st.sampled_from(options["case_types"]), max_size=2, unique=True)))
    )
    known = options["cycles"]
    first = draw(st.integers(0, len(known) - 1))
    last = draw(st.integers(first, len(known) - 1))
    scope = draw(
        st.one_of(
            st.none(),
            st.builds(Scope, service_areas=st.lists(st.sampled_from(options["areas"]), min_size=1, max_size=2)),
            st.builds(Scope, teams=st.lists(st.sampled_from(options["teams"]), min_size=1, max_size=4)),
        )
    )
    return Filters(areas, teams, case_types, known[first], known[last], scope=scope), pack_only


def shown_value(x) -> str:
    """The figure as the pack's headline table writes it: a small share or count (1 to 4) reads "n<5"."""
    return words.SUPPRESSED if x.small and x.denominator != 0 else words.figure(x)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_headline_figure_agrees_everywhere(wh, options, data):
    f, pack_only = data.draw(filter_sets(options))
    found = {x.key: x for x in headline.headline(wh, f, SAMPLE_TODAY)}
    if not found:
        return
    p = headline.period(wh, f, SAMPLE_TODAY)
    assert {x.as_at for x in found.values()} == {p.as_at}

    # The Grade trends title: the same cycle's good-or-better figure, never compared with itself.
    trend = headline.grade_trend(wh, f, SAMPLE_TODAY)
    good = found["good_or_better"]
    assert (trend.value, trend.numerator, trend.denominator) == (good.value, good.numerator, good.denominator)
    assert trend.comparison_label != p.cycle
    if f.cycle_from == f.cycle_to:
        assert trend.comparison_label is None and trend.change is None

    # The Supervision page's trend title: the same cycle's sessions as the Supervision card.
    held, over_time = found["supervision_held"], headline.supervision_trend(wh, f, SAMPLE_TODAY)
    assert (over_time.value, over_time.denominator, over_time.small) == (held.value, held.denominator, held.small)

    # The start of the range never changes a headline.
    assert headline.headline(wh, Filters(**{**vars(f), "cycle_from": None}), SAMPLE_TODAY) == tuple(found.values())

    if not pack_only:
        return
    pack = content.build(wh, p.cycle, f.service_areas, today=SAMPLE_TODAY, scope=f.scope)
    slide = pack.slides()[0]  # Present shows the pack's slides one by one, the headline first
    assert slide.key == "headline" and slide.title == headline.heading(p)
    grades_slide = next((s for s in pack.slides() if s.key == "grades_ofsted"), None)
    assert grades_slide is None or grades_slide.title == good.sentence
    rows = {row[0]: row for row in slide.table.rows}
    for key, (name, basis) in content.HEADLINE_ROWS.items():
        x = found[key]
        row = rows[name]
        assert row[1] == shown_value(x), key
        if x.denominator is not None:
            assert f"{words.count(x.denominator)} {basis}" in row[4], key
        assert row[3] == (words.signed_change(x) or ""), key
    overdue = found["overdue_actions"]
    actions = next((s for s in pack.slides() if s.key == "actions"), None)
    if actions is not None:
        assert actions.title.startswith(overdue.sentence)


def test_the_sample_is_rich_enough_to_compare(wh):
    found = headline.headline(wh, Filters(), SAMPLE_TODAY)
    assert len(found) == len(headline.KEYS)
    assert all(x.comparison_label for x in found)
    assert dt.date(2026, 1, 1) < found[0].as_at <= SAMPLE_TODAY
