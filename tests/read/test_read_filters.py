import pytest

from qa_read import columns as C
from qa_read.filters import Filters, Scope, render, wheres

HOSTILE = "'; DROP TABLE audits; --"


@pytest.mark.parametrize(
    "filters,columns,sql,params",
    [
        (Filters(), C.AUDITS, "TRUE", []),
        (Filters(service_areas=("North",)), C.AUDITS, "a.service_area IN (?)", ["North"]),
        (Filters(teams=("N1", "N2")), C.AUDITS, "a.team IN (?, ?)", ["N1", "N2"]),
        (Filters(teams=[HOSTILE]), C.AUDITS, "a.team IN (?)", [HOSTILE]),
        (Filters(case_types=("Child in need",)), C.AUDITS, "a.case_type IN (?)", ["Child in need"]),
        (
            Filters(cycle_from="2024/25 Q4", cycle_to="2025/26 Q2"),
            C.AUDITS,
            "a.cycle >= ? AND a.cycle <= ?",
            ["2024/25 Q4", "2025/26 Q2"],
        ),
        (Filters(cycle_to=HOSTILE), C.AUDITS, "a.cycle <= ?", [HOSTILE]),
        (Filters(instrument=HOSTILE), C.AUDITS, "a.instrument = ?", [HOSTILE]),
        # pld_events has no team or case type: those filters are skipped.
        (Filters(teams=("N1",), case_types=("Care leaver",)), C.PLD_EVENTS, "TRUE", []),
        (Filters(instrument="Learning Episode"), C.SUPERVISION, "TRUE", []),
        (
            Filters(service_areas=("North",), teams=("N1",), instrument="X"),
            C.SUPERVISION,
            "s.service_area IN (?) AND s.team IN (?)",
            ["North", "N1"],
        ),
        # Scope is ANDed after the reader's own choices, so a filter cannot widen it.
        (
            Filters(teams=("S1",), scope=Scope(teams=("N1",))),
            C.AUDITS,
            "a.team IN (?) AND a.team IN (?)",
            ["S1", "N1"],
        ),
        (Filters(scope=Scope(service_areas=("North",))), C.PLD_EVENTS, "p.service_area IN (?)", ["North"]),
        (Filters(scope=Scope(service_areas=[HOSTILE])), C.ACTIONS, "x.service_area IN (?)", [HOSTILE]),
        # A scope limited to teams fails closed on a table that has no team.
        (Filters(scope=Scope(teams=("N1",))), C.PLD_EVENTS, "FALSE", []),
        (Filters(scope=Scope(teams=())), C.AUDITS, "FALSE", []),
        (Filters(scope=Scope()), C.AUDITS, "TRUE", []),
    ],
)
def test_where(filters, columns, sql, params):
    assert filters.where(columns) == (sql, params)


@pytest.mark.parametrize(
    "columns",
    [{"team": "a.team; DROP TABLE audits"}, {"team": "a.team)"}, {"nickname": "a.nickname"}],
)
def test_where_rejects_bad_column_mappings(columns):
    with pytest.raises(ValueError):
        Filters(teams=("N1",)).where(columns)


def test_a_single_string_is_not_mistaken_for_a_list_of_letters():
    with pytest.raises(TypeError):
        Filters(teams="N1")


def test_filters_are_hashable_for_the_cache():
    assert hash(Filters(teams=["N1"])) == hash(Filters(teams=("N1",)))


NASTY = [
    HOSTILE,
    "",
    "?",
    "'",
    '"',
    "%s",
    "{where}",
    "a.team",
    "1) OR (1=1",
    "--",
    "\x00",
    "Ünïcødé",
    "x" * 500,
]


@pytest.mark.parametrize("value", NASTY)
def test_values_never_reach_the_sql(value):
    """The SQL depends only on how many values there are, never on what they say."""
    real = Filters(
        service_areas=[value],
        teams=[value, value],
        cycle_from=value,
        instrument=value,
        scope=Scope(teams=[value]),
    )
    dummy = Filters(service_areas=["x"], teams=["x", "x"], cycle_from="x", instrument="x", scope=Scope(teams=["x"]))
    sql, params = real.where(C.AUDITS)
    assert sql == dummy.where(C.AUDITS)[0]
    assert params == [value] * 6 and sql.count("?") == 6


def test_render_and_wheres_keep_parameters_in_text_order():
    fragments, params = wheres(
        Filters(teams=("N1",), cycle_from="c", scope=Scope(service_areas=("North",))),
        audits=C.AUDITS,
        pld=C.PLD_EVENTS,
    )
    assert render(
        "SELECT 1 FROM audits a WHERE {audits} UNION SELECT 1 FROM pld_events p WHERE {pld}", **fragments
    ) == (
        "SELECT 1 FROM audits a WHERE a.team IN (?) AND a.cycle >= ? AND a.service_area IN (?)"
        " UNION SELECT 1 FROM pld_events p WHERE p.cycle >= ? AND p.service_area IN (?)"
    )
    assert params == ["N1", "c", "North", "c", "North"]
