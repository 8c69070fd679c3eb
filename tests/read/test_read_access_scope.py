"""Every query in qa_read, for every role: a scoped reader sees exactly what an unscoped reader would see in a
warehouse holding only the rows in their scope, and not one row more.

The queries are found, not listed: every public function of a qa_read module whose first two parameters are
``(wh, f)``. A new query is covered the day it is written; if it needs an argument with no default, add it to
ARGS. Each role's scope comes from a roles file through ``qa_read.access``, as the dashboard gets it.

The comparison warehouse is the same data with the out-of-scope rows deleted: a row of a table is kept when its
own service_area and team are in scope (a table with no team keeps nothing for a team-limited reader, as
``Filters.where`` fails closed), audit grades and comments when their audit is kept. If a query joined its way
round the scope (an unscoped join, a sub-query without the WHERE), the two would differ.
"""

import dataclasses
import datetime as dt
import importlib
import inspect
import pkgutil
from types import SimpleNamespace

import duckdb
import pandas as pd
import pytest

import qa_read
from qa_read import access
from qa_read.db import Warehouse
from qa_read.filters import Filters, Scope
from tests.conftest import SAMPLE_TODAY
from tests.read import sample

# Tables that carry no service area or team by design: reference data, the pipeline's own records and a
# sampling plan's header (its counts for the whole plan; its cases and workers are scoped by service area).
UNSCOPED_TABLES = {"grade_scale", "theme_taxonomy", "ingest_log", "rejected_rows", "sample_plans"}
# Tables scoped through their audit.
THROUGH_AUDIT = {"audit_grades", "audit_comments"}
# Arguments for queries that have no default, by warehouse (``s`` names a cycle, team, area of practice, theme).
ARGS = {
    "grades.audits_behind_bar": lambda s: {"cycle": s.cycle, "grade": "Good"},
    "grades.audits_behind_cell": lambda s: {"practice_area": s.practice_area, "team": s.team},
    "themes.quotes": lambda s: {"theme": s.theme},
    "themes.first_quotes": lambda s: {"themes": (s.theme,)},
    "overview.audit_counts": lambda s: {"cycle": s.cycle},
    "episodes.cslt_sample": lambda s: {"share": 0.1},
    # No plan is saved in these warehouses: each query must still run, scoped, and return nothing.
    "plans.planned_keys": lambda s: {"plan_id": "P-none"},
    "plans.by_worker": lambda s: {"plan_id": "P-none"},
    "plans.by_team": lambda s: {"plan_id": "P-none"},
}
ROLES_FILE = """
[[users]]
email = "head@council.example"
role = "head_of_service"

[[users]]
email = "head.area@council.example"
role = "head_of_service"
service_areas = ["{area}"]

[[users]]
email = "service.manager@council.example"
role = "service_manager"
service_areas = ["{other_area}"]

[[users]]
email = "team.manager@council.example"
role = "team_manager"
teams = ["{team}"]

[[users]]
email = "two.teams@council.example"
role = "team_manager"
teams = ["{team}", "{other_team}"]

[[users]]
email = "analyst@council.example"
role = "analyst"

[[users]]
email = "viewer@council.example"
role = "viewer"
"""
# One user per distinct scope (an analyst's is the head of service's: everything, rows included).
USERS = [
    "head@council.example",
    "head.area@council.example",
    "service.manager@council.example",
    "team.manager@council.example",
    "two.teams@council.example",
    "viewer@council.example",
]


def query_functions() -> list:
    """Every public ``fn(wh, f, ...)`` defined in a qa_read module."""
    found = []
    for info in pkgutil.iter_modules(qa_read.__path__):
        module = importlib.import_module(f"qa_read.{info.name}")
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            if list(inspect.signature(fn).parameters)[:2] == ["wh", "f"]:
                found.append(fn)
    return found


def short_name(fn) -> str:
    return f"{fn.__module__.removeprefix('qa_read.')}.{fn.__name__}"


def calls(fn, s: SimpleNamespace, today: dt.date) -> list[dict]:
    """The keyword arguments to call ``fn`` with: one set, or one per value of its ``by``/``dimension``."""
    params = inspect.signature(fn).parameters
    kwargs = ARGS.get(short_name(fn), lambda s: {})(s)
    if "today" in params:
        kwargs["today"] = today
    module = importlib.import_module(fn.__module__)
    for key in ("by", "dimension"):
        if key in params and hasattr(module, "DIMENSIONS"):
            return [kwargs | {key: value} for value in module.DIMENSIONS]
    needed = [
        p.name
        for p in list(params.values())[2:]
        if p.default is inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD and p.name not in kwargs
    ]
    assert not needed, f"{short_name(fn)} needs {needed}: add it to ARGS in {__name__}"
    return [kwargs]


QUERIES = query_functions()
# The sidebar's options: they honour the reader's scope and nothing else (qa_read/cycles.py).
OPTION_LISTS = {"cycles.cycles", "cycles.service_areas", "cycles.teams", "cycles.case_types", "cycles.instruments"}


def test_the_queries_are_found():
    names = {short_name(fn) for fn in QUERIES}
    assert {"grades.grade_distribution", "moderation.escalations", "actions.overdue", "themes.quotes"} <= names
    assert len(QUERIES) > 40


# Row-level: a row stands for one audit, one action, one free text, one keyed person, one file loaded.
RECORD_COLUMNS = {"audit_id", "action_id", "response_id", "review_id", "source_id", "auditor_key", "worker_key"}
RECORD_COLUMNS |= {"child_key", "text", "example", "raw_values", "file_name", "sha256"}


def copy_of(fill) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    sample.create_schema(con)
    fill(con)
    return con


def restrict(con: duckdb.DuckDBPyConnection, scope: Scope) -> duckdb.DuckDBPyConnection:
    """Delete every row outside ``scope``, table by table; audits first, so their grades can follow them."""
    tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY table_name").fetchall()]
    tables.sort(key=lambda t: t != "audits")
    for table in tables:
        columns = {
            c
            for (c,) in con.execute(f"SELECT column_name FROM duckdb_columns() WHERE table_name = '{table}'").fetchall()
        }
        conditions, params = [], []
        if table in UNSCOPED_TABLES:
            continue
        if table in THROUGH_AUDIT:
            conditions.append("audit_id IN (SELECT audit_id FROM audits)")
        else:
            assert "service_area" in columns, f"{table}: say how it is scoped (UNSCOPED_TABLES or THROUGH_AUDIT)"
            for column, allowed in (("service_area", scope.service_areas), ("team", scope.teams)):
                if allowed is None:
                    continue
                if column not in columns:
                    conditions.append("FALSE")
                else:
                    conditions.append(f"{column} IN ({', '.join('?' * len(allowed)) or 'NULL'})")
                    params.extend(allowed)
        if conditions:
            con.execute(f"DELETE FROM {table} WHERE NOT coalesce({' AND '.join(conditions)}, FALSE)", params)
    return con


def comparable(result):
    if isinstance(result, pd.DataFrame):
        return result.reset_index(drop=True)
    if isinstance(result, Filters):
        return dataclasses.replace(result, scope=None)
    return result


def assert_same(left, right, what: str) -> None:
    left, right = comparable(left), comparable(right)
    if isinstance(left, pd.DataFrame):
        pd.testing.assert_frame_equal(left, right, check_dtype=False, obj=what)
    else:
        assert left == right, what


def hand_built(con):
    sample.load(con)


def from_file(path):
    def fill(con):
        con.execute(f"ATTACH '{path}' AS source (READ_ONLY)")
        for (table,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'memory'").fetchall():
            seeded = table == "grade_scale"  # the schema writes its rows
            con.execute(f"INSERT {'OR IGNORE ' if seeded else ''}INTO {table} SELECT * FROM source.{table}")
        con.execute("DETACH source")

    return fill


@pytest.fixture(scope="module", params=["hand-built", "sample-data"])
def world(request):
    """A warehouse to test on: how to fill one, the roles file for it, and arguments that find data in it."""
    if request.param == "hand-built":
        fill = hand_built
        names = {"area": "North", "other_area": "South", "team": "N1", "other_team": "S1"}
        s = SimpleNamespace(cycle=sample.Q2, team="N1", practice_area="Voice of the child", theme="Caseloads")
        today = sample.TODAY
    else:
        fill = from_file(request.getfixturevalue("sample_warehouse"))
        con = copy_of(fill)
        teams = con.execute(
            "SELECT service_area, team, count(*) AS n FROM audits WHERE team IS NOT NULL GROUP BY ALL ORDER BY n DESC"
        ).fetchall()
        (area, team, _), (other_area, other_team, _) = teams[0], next(t for t in teams if t[0] != teams[0][0])
        names = {"area": area, "other_area": other_area, "team": team, "other_team": other_team}
        theme = con.execute("SELECT theme FROM theme_mentions GROUP BY theme ORDER BY count(*) DESC LIMIT 1").fetchone()
        cycle = con.execute("SELECT max(cycle) FROM audits").fetchone()[0]
        s = SimpleNamespace(cycle=cycle, team=team, practice_area="Voice of the child", theme=theme[0])
        today = SAMPLE_TODAY
    config = access.parse(ROLES_FILE.format(**names))
    full = sample.reader(copy_of(fill))
    return SimpleNamespace(fill=fill, config=config, full=full, s=s, today=today, names=names)


def run_all(wh: Warehouse, f: Filters, world) -> dict:
    """{(query, kwargs): result or the exception it raised} for every query."""
    results = {}
    for fn in QUERIES:
        for kwargs in calls(fn, world.s, world.today):
            key = (short_name(fn), tuple(sorted(kwargs.items())))
            try:
                results[key] = fn(wh, f, **kwargs)
            except PermissionError as exc:
                results[key] = exc
    return results


@pytest.mark.parametrize("email", USERS)
def test_a_scoped_reader_sees_exactly_the_rows_in_their_scope(world, email):
    who = access.resolve(world.config, email)
    scoped = run_all(world.full, Filters(scope=who.scope), world)
    visible = Scope(service_areas=who.scope.service_areas, teams=who.scope.teams)
    reduced = sample.reader(restrict(copy_of(world.fill), visible))
    expected = run_all(reduced, Filters(), world)
    shown = 0
    for key, result in scoped.items():
        fn = next(fn for fn in QUERIES if short_name(fn) == key[0])
        row_level = getattr(fn, "row_level", False)
        refuses_scope = getattr(fn, "whole_warehouse", False) and who.scope.restricted
        if (row_level and not who.rows) or refuses_scope:
            assert isinstance(result, PermissionError), f"{key} answered a reader it should refuse"
            continue
        assert not isinstance(result, PermissionError), f"{key} refused {who.role}: {result}"
        assert_same(result, expected[key], f"{key} for {who.role} {who.scope}")
        if isinstance(result, pd.DataFrame):
            shown += not result.empty
            check_columns(result, who.scope, key)
    assert shown > 20, "too few queries returned anything: the comparison would prove little"


def check_columns(df: pd.DataFrame, scope: Scope, key) -> None:
    """The service areas and teams a result names all lie within the scope."""
    if scope.service_areas is not None and "service_area" in df:
        assert set(df["service_area"].dropna()) <= set(scope.service_areas), key
    if scope.teams is not None and "team" in df:
        assert set(df["team"].dropna()) <= set(scope.teams), key


def test_row_level_queries_are_marked(world):
    """A query whose result has a column naming one record must be marked rows_only (viewers get none)."""
    unmarked = []
    for key, result in run_all(world.full, Filters(), world).items():
        fn = next(fn for fn in QUERIES if short_name(fn) == key[0])
        if isinstance(result, pd.DataFrame) and RECORD_COLUMNS & set(result.columns):
            if not getattr(fn, "row_level", False):
                unmarked.append(key[0])
    assert not unmarked, f"list individual records but are not @rows_only: {sorted(set(unmarked))}"


def test_viewers_get_permission_errors_from_every_row_level_query(world):
    viewer = access.resolve(world.config, "viewer@council.example")
    marked = [fn for fn in QUERIES if getattr(fn, "row_level", False)]
    assert {short_name(fn) for fn in marked} >= {
        "grades.audits_behind_bar",
        "grades.audits_behind_cell",
        "moderation.escalations",
        "quality.rejected_rows",
        "quality.load_history",
        "actions.overdue",
        "themes.quotes",
        "themes.emerging_terms",
        "coverage.auditor_spread",
    }
    for fn in marked:
        for kwargs in calls(fn, world.s, world.today):
            with pytest.raises(PermissionError):
                fn(world.full, Filters(scope=viewer.scope), **kwargs)


@pytest.mark.parametrize(
    ("email", "naming"),
    [
        ("team.manager@council.example", {"teams": ("{other_team}",)}),
        ("service.manager@council.example", {"service_areas": ("{area}",)}),
        ("head.area@council.example", {"service_areas": ("{other_area}",)}),
    ],
)
def test_a_filter_naming_what_is_outside_the_scope_returns_nothing(world, email, naming):
    """Nothing, or, for the sidebar's option lists (which ignore the reader's choices by design, so picking one
    team leaves the others on offer), exactly what the scope alone gives, which the test above bounds."""
    who = access.resolve(world.config, email)
    naming = {key: tuple(v.format(**world.names) for v in values) for key, values in naming.items()}
    widened = run_all(world.full, Filters(**naming, scope=who.scope), world)
    nothing = run_all(sample.reader(restrict(copy_of(world.fill), Scope(service_areas=()))), Filters(), world)
    for key, result in widened.items():
        if isinstance(result, PermissionError | Filters):  # refused, or the filters themselves (open_ended)
            continue
        what = f"{key} with {naming} for {who.role} {who.scope}"
        if key[0] in OPTION_LISTS and not result.equals(nothing[key]):
            assert_same(result, run_one(world.full, Filters(scope=who.scope), key), what)
        else:
            assert_same(result, nothing[key], what)


def run_one(wh: Warehouse, f: Filters, key):
    fn = next(fn for fn in QUERIES if short_name(fn) == key[0])
    return fn(wh, f, **dict(key[1]))
