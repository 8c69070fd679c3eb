"""The pack's "Loops still open" slide, from the learning-loop story of tests/read/test_read_loop.py."""

import datetime as dt
import re

from qa_read.filters import Scope
from reports import content, insight
from tests.read.test_read_loop import RI, _wh, add_action, add_audits, con  # noqa: F401 -- the story fixture

Q1, Q3 = "2025/26 Q1", "2025/26 Q3"


def context(wh, scope=None) -> content.Context:
    return content.Context(wh, Q3, None, (), scope, dt.date(2025, 12, 1), (Q1, Q3))


def test_the_slide_counts_open_loops_and_lists_them(con):  # noqa: F811
    add_action(con, "X1", "N2", "2025-07-01")  # open: the theme and the low grade on the voice of the child
    add_audits(con, Q1, "2025-05-22", ["Inadequate"], "E")  # an escalation with no action
    chart, listed = insight.loops(context(_wh(con)))
    # 3 open (1 + 2 + 0): counts of 1 to 4 leave the dashboard as "fewer than 5", 0 as it is (findings.words)
    assert chart.title == (
        "Fewer than 5 findings still open: fewer than 5 no action yet, fewer than 5 actions open, "
        "0 actions done, not yet re-examined"
    )
    assert [s.name for s in chart.chart.series] == list(insight.LOOP_STATES)
    assert chart.chart.categories == ("PLD theme", "Graded low", "Escalation")
    assert [r[4] for r in listed.table.rows] == ["No action yet", "Actions open", "Actions open"]
    assert listed.table.rows[0][3] == "E1"


def test_a_reader_of_figures_gets_the_counts_without_the_list(con):  # noqa: F811
    add_action(con, "X1", "N2", "2025-07-01")
    sections = insight.loops(context(_wh(con), Scope(rows=False)))
    assert [s.key for s in sections] == ["loops"]


def test_no_findings_no_slide(con):  # noqa: F811
    con.execute("DELETE FROM audit_grades; DELETE FROM audits; DELETE FROM pld_events")
    assert insight.loops(context(_wh(con))) == []


def test_the_sample_pack_ends_with_the_open_loops(sample_pack):
    keys = [s.key for s in sample_pack.sections]
    # the loops close the insight sections; only the national context slide comes after them
    assert keys[-3:] == ["loops", "loops_open", "national_context"]
    title = sample_pack.sections[-3].title
    found = re.fullmatch(r"(\d+) findings still open: (\d+) no action yet, (\d+) actions open, (\d+) actions done, "
                         r"not yet re-examined", title)  # fmt: skip
    assert found and int(found[1]) == sum(int(n) for n in found.groups()[1:]), title
