"""Every download goes through one outlet, and what leaves holds no count of 1 to 4 and no share resting on one.

Written as the probe was: each page is run on the sample warehouse (whose teams, themes and cycles include
groups of one to four), each of its downloads is built as the button would build it, and the file is read back.
"""

import ast
import io
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from qa_read import exports
from tests.conftest import ROOT, registered_pages
from ui import trail, widgets

# Every page the dashboard registers, less those whose files are checked elsewhere: the meeting pack and Present
# draw the pack (tests/reports/test_small_counts.py), and Audit sampling offers its list only after an upload
# (tests/app/test_sampling_page.py).
CHECKED_ELSEWHERE = {"pages/pack.py", "pages/present.py", "pages/sampling.py"}
PAGES = [page for page in registered_pages() if page not in CHECKED_ELSEWHERE]
# Read from the tables' own column names, by hand: numbers that are not counts of cases.
NOT_COUNTS = {"rank", "position", "first_rank", "latest_rank", "service_areas", "target"}
# Each share, interval or rate, and the counts it rests on: any of them small (or blanked), and it gives them back.
RESTS_ON = {
    "share": ("n", "k", "total", "reviews", "expected", "held"),
    "lower": ("n", "k"),
    "upper": ("n", "k"),
    "per_100": ("n", "k"),
    "median_days": ("n",),
    "previous_per_100": ("previous_n", "previous_k"),
    "value": ("numerator", "denominator"),
    "previous_value": ("previous_numerator", "previous_denominator"),
    "change": ("n", "k", "previous_n", "previous_k", "numerator", "denominator"),
    "good_or_better": ("reviews",),
    "wellbeing": ("reviews",),
}
# Individual records (shown only to roles that see rows) and PLDs (meetings, four a year by design).
NOT_FIGURES = {
    "escalated audits",
    "overdue learning episodes",  # lists of records, for readers who may see rows (exports.records)
    "unmoderated evaluations",
    "loops still open",
    "re-examined findings",
    "published figures beside neighbours and England",  # the DfE's own figures, suppressed by the DfE
    "overdue actions",
    "PLD log checked",
    "PLDs by financial year",
    "impact by theme",  # its plds and service_areas columns; its shares are checked below
    "rejected rows",
    "load history",
    "access trail",
    "data gaps by cycle",
}
CHECKED_ANYWAY = {"impact by theme"}
# A team manager's view: 31 audits, a few children re-audited, three audits moderated, four actions open.
SMALL_TEAM = {"team": ["Early Help Schools"]}


@pytest.fixture
def downloads_of(sample_warehouse, monkeypatch):
    """The downloads a page offers, as (name, Outgoing), captured where the page hands them to the button."""
    monkeypatch.setenv("QA_WAREHOUSE", str(sample_warehouse))
    seen = []
    real = widgets.downloads

    def capture(table, name, key):
        seen.append((name, table))
        real(table, name, key)

    monkeypatch.setattr(widgets, "downloads", capture)

    def run(page: str, query: dict | None = None):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.query_params.update(query or {})
        at.run()
        seen.clear()
        at.switch_page(page).run()
        assert not at.exception, at.exception
        return at, list(seen)

    return run


def read_back(table: exports.Outgoing) -> pd.DataFrame:
    """The CSV as delivered, its headings (labels people read) turned back into the field names the rules use."""
    out = pd.read_csv(io.BytesIO(table.csv()), encoding="utf-8-sig")
    fields = list(table.frame().columns)
    assert len(out.columns) == len(fields)
    return out.set_axis(fields, axis=1)


def leaks(name: str, df: pd.DataFrame) -> list[str]:
    found = []
    numbers = df.select_dtypes("number")
    if name not in NOT_FIGURES:
        for column in numbers.columns.difference(NOT_COUNTS).difference(RESTS_ON):
            small = numbers[column].between(1, 4)
            found += [f"{name}: {column} = {v:g}" for v in numbers.loc[small, column]]
    if name not in NOT_FIGURES or name in CHECKED_ANYWAY:
        for share, bases in RESTS_ON.items():
            if share not in numbers.columns:
                continue
            for base in (b for b in bases if b in df.columns):
                small = (df[base].isna() | df[base].between(1, 4)) & df[share].notna()
                found += [f"{name}: {share} shown on a blank or small {base}" for _ in range(int(small.sum()))]
    return found


@pytest.mark.parametrize("query", [None, SMALL_TEAM], ids=["all", "one-team"])
@pytest.mark.parametrize("page", PAGES)
def test_no_download_holds_a_count_of_one_to_four(downloads_of, page, query):
    at, seen = downloads_of(page, query)
    assert seen or query, f"{page} offers no download"
    found = [leak for name, table in seen for leak in leaks(name, read_back(table))]
    assert found == []
    buttons = at.get("download_button")
    assert len(buttons) == 2 * len(seen)  # a CSV and an XLSX for each, and nothing else


def test_the_leaks_the_probe_found_now_blank(downloads_of):
    """The sample has groups of 1 to 4 in each of these: they leave blank, and the file marks those rows."""
    wanted = {
        "pages/overview.py": ["overview measures"],
        "pages/impact.py": ["re-audit changes"],
        "pages/moderation.py": ["moderation movement"],
        "pages/themes.py": ["themes by category"],
        "pages/actions.py": ["action ageing"],
        "pages/coverage.py": ["coverage by team"],
    }
    for page, names in wanted.items():
        _, seen = downloads_of(page, None if page in ("pages/themes.py", "pages/coverage.py") else SMALL_TEAM)
        for wanted_name in names:
            name, table = next((n, t) for n, t in seen if n.startswith(wanted_name))
            numbers = table._df.select_dtypes("number")
            counts = numbers[numbers.columns.difference(NOT_COUNTS).difference(RESTS_ON)]
            assert counts.isin([1, 2, 3, 4]).to_numpy().any(), f"{name}: no small group in the sample to test on"
            out = read_back(table)
            assert out["suppressed"].any(), name
            assert leaks(name, out) == []


def test_the_xlsx_matches_the_csv(downloads_of):
    _, seen = downloads_of("pages/actions.py")
    name, table = next((n, t) for n, t in seen if n == "action ageing")
    xlsx = pd.read_excel(io.BytesIO(table.xlsx(name)), engine="calamine")
    csv = read_back(table)
    assert list(xlsx.columns) == list(pd.read_csv(io.BytesIO(table.csv()), encoding="utf-8-sig").columns)
    xlsx = xlsx.set_axis(csv.columns, axis=1)
    assert xlsx["open"].isna().tolist() == csv["open"].isna().tolist()
    assert not xlsx[["open", "overdue"]].stack().between(1, 4).any()


def test_the_button_takes_only_the_outlet():
    with pytest.raises(TypeError):
        widgets.downloads(pd.DataFrame({"n": [3]}), "raw", "raw")


def python_files():
    for folder in ("pages", "ui", "reports", "qa_read", "dashboard.py"):
        path = ROOT / folder
        yield from ([path] if path.is_file() else sorted(path.rglob("*.py")))


def calls(path, name: str) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == name
    ]


def test_the_only_download_button_is_the_outlets():
    """A new download cannot bypass the outlet: st.download_button is called in one place, behind the trail."""
    places = {str(p.relative_to(ROOT)) for p in python_files() if calls(p, "download_button")}
    assert places == {"ui/widgets.py"}
    raw_callers = {str(p.relative_to(ROOT)) for p in python_files() if calls(p, "download")} - {"ui/widgets.py"}
    # The meeting pack, whose content suppresses (tests/reports/test_small_counts.py), and the mapping wizard's
    # profile: headings and answer words of a form, no figures and no rows.
    assert raw_callers == {"pages/pack.py", "ui/wizard.py"}


def test_every_page_download_is_made_by_the_outlet():
    for path in python_files():
        for call in calls(path, "downloads"):
            first = call.args[0]
            made_by = (
                getattr(first.func, "attr", getattr(first.func, "id", None)) if isinstance(first, ast.Call) else None
            )
            assert made_by in {"figures", "records", "outgoing"}, f"{path.name}:{call.lineno}"


# -- the trail under failure -----------------------------------------------------------------------------------------


def test_downloads_are_refused_when_the_trail_cannot_be_written(sample_warehouse, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("QA_TRAIL_FILE", str(blocker / "trail.jsonl"))
    monkeypatch.setenv("QA_WAREHOUSE", str(sample_warehouse))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/actions.py").run()
    assert not at.exception, at.exception
    assert at.get("download_button") == []
    refusals = [c.value for c in at.caption if "access trail cannot be written" in c.value]
    assert refusals and all(r.count("\n") == 0 for r in refusals)


def test_a_trail_found_writable_is_not_opened_again_for_each_button(tmp_path, monkeypatch):
    from ui import trail as dashboard_trail

    monkeypatch.setenv("QA_TRAIL_FILE", str(tmp_path / "trail.jsonl"))
    monkeypatch.setattr(dashboard_trail, "_WRITABLE_AT", {})
    opened = []
    monkeypatch.setattr(dashboard_trail.trail, "touch", opened.append)
    assert all(dashboard_trail.writable() for _ in range(7)) and len(opened) == 1
    monkeypatch.setattr(dashboard_trail, "RECHECK", 0.0)
    assert dashboard_trail.writable() and len(opened) == 2


def test_a_file_is_recorded_when_delivered_and_withheld_if_it_cannot_be(tmp_path, monkeypatch):
    path = tmp_path / "trail.jsonl"
    monkeypatch.setenv("QA_TRAIL_FILE", str(path))
    built = []

    def build():
        built.append(1)
        return b"a,b\r\n"

    assert trail.deliver("a@x.example", "analyst", "Actions", "ageing.csv", 4, build) == b"a,b\r\n"
    entry = json.loads(path.read_text(encoding="utf-8"))
    assert (entry["event"], entry["file"], entry["rows"], entry["page"]) == ("download", "ageing.csv", 4, "Actions")

    path.unlink()
    path.mkdir()  # the trail's path is now a folder: nothing can be appended to it
    with pytest.raises(trail.TrailUnwritable):
        trail.deliver("a@x.example", "analyst", "Actions", "ageing.csv", 4, build)
    assert len(built) == 2  # built, but not handed over
