"""The synthetic sample: real files written to tmp_path, read back the way the pipeline reads them."""

import json
import re
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from data_pipeline import vocab
from data_pipeline.fields import FIELDS
from data_pipeline.sample import cycles, for_today, forms, generate, write_export

PROFILES = Path(__file__).resolve().parents[1] / "data_pipeline" / "profiles"
FILES = {
    "case-audit-2024-form.xlsx": "case-audit-v1",
    "case-audit-2026-form.xlsx": "case-audit-v2",
    "learning-episodes.xlsx": "learning-episode-v1",
    "supervision-reviews.xlsx": "supervision-review-v1",
    "child-voice.xlsx": "child-voice-v1",
    "focus-group-notes.xlsx": "focus-group-v1",
    "action-tracker.csv": "action-tracker-v1",
    "pld-log.csv": "pld-log-v1",
    "team-roster.csv": "team-roster-v1",
    "learning-episode-tracker.csv": "learning-episode-tracker-v1",
}
ID_HEADINGS = {"action-tracker.csv": "Action ref", "learning-episode-tracker.csv": "LE ref"}
OPTIONAL = {"Last modified time"}
EXPORT_DAY = date(2026, 10, 9)  # the anchor: the shipped sample is built, and its exports taken, on this day
US_STAMP = re.compile(r"(\d{1,2})/(\d{1,2})/(\d\d) \d{1,2}:\d\d:\d\d")


def profile(profile_id: str) -> dict:
    return tomllib.loads((PROFILES / f"{profile_id}.toml").read_text(encoding="utf-8"))


def profile_headings(profile_id: str) -> set[str]:
    spec = profile(profile_id)
    found = {*spec["columns"].values(), *spec.get("practice_areas", {}).values()}
    return found | {*spec.get("comments", {}).values(), *spec.get("ignore", {}).get("headings", [])}


def read(path: Path) -> pd.DataFrame:
    if path.name == "action-tracker.csv":
        frame = pd.read_csv(path, encoding="cp1252", dtype=str, keep_default_na=False)
    elif path.suffix == ".csv":
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    else:
        frame = pd.read_excel(path, engine="calamine", dtype=str)
    return frame.fillna("")


def day(text: str) -> date | None:
    """A typed UK date, or an Excel date cell as calamine gives it; None when it is no real date."""
    try:
        if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            return datetime.strptime(text, "%d/%m/%Y").date()
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def when(text: str) -> date | None:
    """The day any date cell holds: a typed date or date cell as ``day`` reads it, or a Forms time (US order)."""
    stamp = US_STAMP.fullmatch(text)
    if stamp:
        month, mday, year = map(int, stamp.groups())
        return date(2000 + year, month, mday)
    return day(text)


def cycle_of(when: date) -> str:
    year = when.year if when.month >= 4 else when.year - 1
    return f"{year}/{(year + 1) % 100:02d} Q{(when.month - 4) % 12 // 3 + 1}"


def canonical_cycle(label: str) -> str:
    """`2025/26 Q2`, `Q2 2025/26` or `2025-26 Q2` as `2025/26 Q2`."""
    year = re.search(r"\d{4}[/-]\d\d", label).group().replace("-", "/")
    quarter = re.search(r"Q\d", label).group()
    return f"{year} {quarter}"


def grade(text: str, scale: str = "ofsted") -> str:
    return vocab.GRADE_SYNONYMS[scale][vocab.fold(text)]


def good_share(grades) -> float:
    grades = list(grades)
    return sum(g in ("Outstanding", "Good") for g in grades) / len(grades)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(out, built=cycles.ANCHOR)  # the day the story (and the dates below) is told as at
    return out


@pytest.fixture(scope="module")
def manifest(sample) -> dict:
    return json.loads((sample / "MANIFEST.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def exports(sample) -> dict[str, pd.DataFrame]:
    """Each export as read back, every row."""
    return {name: read(sample / name) for name in FILES}


@pytest.fixture(scope="module")
def frames(exports, manifest) -> dict[str, pd.DataFrame]:
    """Each export with its deliberately bad rows dropped."""
    return {name: without_bad_rows(name, exports[name], manifest) for name in FILES}


def without_bad_rows(name: str, frame: pd.DataFrame, manifest: dict) -> pd.DataFrame:
    bad = {i for ids in manifest["files"][name]["bad_ids"].values() for i in ids}
    if not bad:
        return frame
    return frame[~frame[ID_HEADINGS.get(name, "ID")].astype(int).isin(bad)]


@pytest.fixture(scope="module")
def audits(frames) -> pd.DataFrame:
    """Both audit forms in one frame, with canonical grades and the cycle derived from the date."""
    parts = []
    for name, prefix in (("case-audit-2024-form.xlsx", "CA1"), ("case-audit-2026-form.xlsx", "CA2")):
        frame, spec = frames[name], profile(FILES[name])
        cols = spec["columns"]
        part = pd.DataFrame(
            {
                "ref": prefix + "-" + frame["ID"],
                "day": frame[cols["audit_date"]].map(day),
                "area": frame[cols["service_area"]],
                "team": frame[cols["team"]],
                "child": frame[cols["child"]],
                "overall": frame[cols["overall_grade"]].map(grade),
                "voice": frame[spec["practice_areas"]["Voice of the child"]].map(grade),
            }
        )
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["cycle"] = out["day"].map(cycle_of)
    return out


def test_same_seed_gives_the_same_bytes(tmp_path):
    first = generate(tmp_path / "a", audits=300, seed=3)
    second = generate(tmp_path / "b", audits=300, seed=3)
    other = generate(tmp_path / "c", audits=300, seed=4)
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert first[0].read_bytes() != other[0].read_bytes()


def test_worker_processes_write_the_same_bytes(tmp_path):
    alone = generate(tmp_path / "a", audits=300, seed=3, workers=1)
    shared = generate(tmp_path / "b", audits=300, seed=3, workers=2)
    assert [p.read_bytes() for p in alone] == [p.read_bytes() for p in shared]


def test_shipped_sample_is_what_the_generator_writes(sample):
    shipped = Path(__file__).resolve().parents[1] / "sample_data"
    for path in sorted(p for p in sample.rglob("*") if p.is_file()):
        name = path.relative_to(sample)
        again = f"python -m data_pipeline sample --out sample_data --built {cycles.ANCHOR}"
        assert (shipped / name).read_bytes() == path.read_bytes(), f"regenerate sample_data/ ({again}): {name}"


def test_every_file_is_written_and_returned(sample):
    names = sorted(str(p.relative_to(sample)) for p in sample.rglob("*") if p.is_file())
    assert names == sorted([*FILES, "MANIFEST.json", "case-list/open-cases.csv"])


def test_the_case_list_holds_the_audits_own_workers_and_teams(sample):
    """Every case-holding worker is a practitioner on the roster, in the roster's team and service area."""
    cases = read(sample / "case-list" / "open-cases.csv")
    roster = read(sample / "team-roster.csv").drop_duplicates("Name").set_index("Name")
    workers = cases[cases["Allocated worker"] != ""]
    assert workers["Allocated worker"].isin(roster.index).all()
    assert (workers["Team"] == workers["Allocated worker"].map(roster["Team"])).all()
    assert (workers["Service area"] == workers["Allocated worker"].map(roster["Service area"])).all()
    practitioners = roster[~roster["Role"].str.contains("manager")].index
    assert set(practitioners) <= set(workers["Allocated worker"]), "every practitioner holds cases"


@pytest.mark.parametrize("name", FILES)
def test_headings_are_the_profile_headings(exports, name):
    headings = list(exports[name].columns)
    expected = profile_headings(FILES[name])
    # The roster's profile also knows columns some HR systems add (staff number, e-mail, FTE); ours has none.
    optional = OPTIONAL | set(profile(FILES[name]).get("ignore", {}).get("headings", ()))
    assert set(headings) - optional == expected - optional
    assert len(headings) == len(set(headings))
    if name.endswith(".xlsx"):
        assert headings[:5] == ["ID", "Start time", "Completion time", "Email", "Name"]


def test_last_modified_time_only_where_forms_were_edited(exports):
    with_column = {n for n in FILES if "Last modified time" in exports[n].columns}
    assert with_column == {"case-audit-2024-form.xlsx", "case-audit-2026-form.xlsx", "learning-episodes.xlsx"}
    edited = exports["case-audit-2024-form.xlsx"]["Last modified time"]
    assert 0.02 < (edited != "").mean() < 0.15


def test_row_counts_follow_the_audit_count(exports, manifest):
    rows = {name: len(exports[name]) for name in FILES}
    assert rows["case-audit-2024-form.xlsx"] + rows["case-audit-2026-form.xlsx"] == 1200
    assert rows["learning-episodes.xlsx"] == 144
    assert rows["supervision-reviews.xlsx"] == 480
    assert 0.4 * 1200 <= rows["child-voice.xlsx"] <= 0.55 * 1200
    assert 0.6 * 1200 <= rows["action-tracker.csv"] <= 0.8 * 1200
    assert 46 * 8 <= rows["focus-group-notes.xlsx"] <= 46 * 15
    assert rows["pld-log.csv"] == 48
    assert {name: entry["rows"] for name, entry in manifest["files"].items()} == rows


def test_forms_ids_run_from_one(exports):
    for name in FILES:
        if name.endswith(".xlsx"):
            ids = exports[name]["ID"].astype(int).tolist()
            assert ids == list(range(1, len(ids) + 1)), name


def test_bad_rows_are_few_and_really_bad(exports, manifest):
    for name, entry in manifest["files"].items():
        frame = exports[name]
        if name in ("pld-log.csv", "team-roster.csv"):
            assert entry["bad_rows"] == {}
            continue
        spec = profile(FILES[name])["columns"]
        assert 0.004 <= sum(entry["bad_rows"].values()) / len(frame) <= 0.03, name
        id_heading = spec.get("response_id", "ID")
        by_id = frame.set_index(frame[id_heading].astype(int))
        date_heading = next(spec[k] for k in ("audit_date", "review_date", "feedback_date", "pld_date",
                                              "raised_date", "allocated_date") if k in spec)  # fmt: skip
        for kind, ids in entry["bad_ids"].items():
            rows = by_id.loc[ids]
            assert len(ids) == entry["bad_rows"][kind]
            if kind == "bad_grade":
                scale = "assurance" if "learning" in name else "ofsted"
                graded = spec.get("overall_grade", spec.get("quality_grade"))
                assert all(vocab.fold(g) not in vocab.GRADE_SYNONYMS[scale] for g in rows[graded])
            elif kind == "bad_date":
                assert all(day(d) is None for d in rows[date_heading]), name
            elif kind == "future_date":
                assert all(day(d).year == 2027 for d in rows[date_heading])
            else:
                assert (rows[spec["service_area"]] == "").all()


def test_answers_fold_to_the_vocabulary(frames):
    checks = [
        ("case-audit-2024-form.xlsx", "Case type", vocab.CASE_TYPE_SYNONYMS),
        ("case-audit-2026-form.xlsx", "Case type", vocab.CASE_TYPE_SYNONYMS),
        ("learning-episodes.xlsx", "Case type", vocab.CASE_TYPE_SYNONYMS),
        ("case-audit-2024-form.xlsx", "Is the child safe?", vocab.YES_NO_SYNONYMS),
        ("case-audit-2026-form.xlsx", "Does the practitioner agree with the grades?", vocab.YES_NO_SYNONYMS),
        ("supervision-reviews.xlsx", "Supervision relationship", vocab.RELATIONSHIP_SYNONYMS),
        ("supervision-reviews.xlsx", "Overall quality of supervision", vocab.GRADE_SYNONYMS["ofsted"]),
        ("child-voice.xlsx", "Who is giving feedback?", vocab.RESPONDENT_SYNONYMS),
        ("child-voice.xlsx", "I felt listened to", vocab.LIKERT_SYNONYMS),
        ("focus-group-notes.xlsx", "What kind of note is this?", vocab.CATEGORY_SYNONYMS),
        ("action-tracker.csv", "Status", vocab.STATUS_SYNONYMS),
        ("action-tracker.csv", "Owner", vocab.OWNER_ROLE_SYNONYMS),
        ("pld-log.csv", "Partner agencies involved?", vocab.YES_NO_SYNONYMS),
        ("learning-episode-tracker.csv", "Overall evaluation", vocab.GRADE_SYNONYMS["ofsted"]),
        ("learning-episode-tracker.csv", "Overall assurance", vocab.GRADE_SYNONYMS["assurance"]),
        ("learning-episode-tracker.csv", "In CSLT moderation sample", vocab.YES_NO_SYNONYMS),
    ]
    for name, heading, table in checks:
        values = frames[name][heading]
        values = values[values != ""]
        assert len(values) and all(vocab.fold(v) in table for v in values), (name, heading)
    for name in FILES:
        spec = profile(FILES[name])
        scale = spec.get("scale")
        for heading in [*spec.get("practice_areas", {}).values(), spec["columns"].get("moderated_grade")]:
            if scale and heading:
                values = frames[name][heading]
                assert all(vocab.fold(v) in vocab.GRADE_SYNONYMS[scale] for v in values[values != ""])
    elements = frames["supervision-reviews.xlsx"]["Which of these were evident in the supervision records?"]
    for answer in elements[elements != ""]:
        assert answer.endswith(";")
        assert all(vocab.fold(part) in vocab.ELEMENT_SYNONYMS for part in answer.split(";")[:-1])


def test_dates_fall_in_each_forms_window_and_cycles_agree(frames, audits):
    first, second = audits[audits["ref"].str.startswith("CA1")], audits[audits["ref"].str.startswith("CA2")]
    assert date(2024, 10, 1) <= first["day"].min() and first["day"].max() <= date(2026, 3, 31)
    assert date(2026, 4, 1) <= second["day"].min() and second["day"].max() <= date(2026, 9, 30)
    assert sorted(audits["cycle"].unique()) == [
        "2024/25 Q3", "2024/25 Q4", "2025/26 Q1", "2025/26 Q2", "2025/26 Q3", "2025/26 Q4", "2026/27 Q1", "2026/27 Q2",
    ]  # fmt: skip
    frame = frames["case-audit-2024-form.xlsx"]
    labels = frame["PLD cycle (if part of a Practice Learning Day)"]
    assert 0.6 < (labels != "").mean() < 0.8
    derived = frame["Date of audit (dd/mm/yyyy)"].map(day).map(cycle_of)
    filled = labels != ""
    assert (labels[filled].map(canonical_cycle) == derived[filled]).all()


def test_overall_grades_are_mostly_good_and_improving(audits):
    assert 0.58 <= good_share(audits["overall"]) <= 0.68
    assert 0.04 <= (audits["overall"] == "Inadequate").mean() <= 0.09
    by_cycle = audits.groupby("cycle")["overall"].agg(good_share)
    assert by_cycle.iloc[-2:].mean() > by_cycle.iloc[:2].mean() + 0.03


def test_safeguarding_team_east_slips(audits):
    team = audits[audits["team"] == "Safeguarding Team East"]
    cycles = sorted(audits["cycle"].unique())
    early = good_share(team[team["cycle"].isin(cycles[:4])]["overall"])
    late = good_share(team[team["cycle"].isin(cycles[-3:])]["overall"])
    assert late < 0.5 and early > 0.65 and early - late > 0.3


def test_voice_of_the_child_improves_after_the_themed_pld(frames, audits):
    before, after = audits[audits["cycle"] <= "2025/26 Q2"], audits[audits["cycle"] > "2025/26 Q2"]
    assert good_share(after["voice"]) > good_share(before["voice"]) + 0.15
    log = frames["pld-log.csv"]
    themes = log[log["Quarter"] == "2025/26 Q2"]["Theme"]
    assert (themes == "Voice of the child").sum() >= 4
    voice = frames["child-voice.xlsx"]
    cycle = voice["Date of conversation"].map(day).map(cycle_of)
    agree = voice["I felt listened to"].map(lambda v: vocab.LIKERT_SYNONYMS.get(vocab.fold(v), 0) >= 4)
    assert agree[cycle > "2025/26 Q2"].mean() > agree[cycle <= "2025/26 Q2"].mean() + 0.1


def test_child_voice_refers_to_real_audits(frames, audits):
    refs = frames["child-voice.xlsx"]["Audit ID (from the case audit form)"]
    bare = refs.str.fullmatch(r"\d+")
    assert 0 < bare.sum() < 0.1 * len(refs)
    resolved = refs.where(~bare, "CA1-" + refs)
    assert resolved.isin(set(audits["ref"])).all()
    linked = resolved.nunique() / len(audits)
    assert 0.35 <= linked <= 0.45


def test_some_children_are_audited_again_later(audits):
    repeats = audits.groupby("child")["cycle"].nunique()
    assert 0.05 <= (repeats > 1).mean() <= 0.1


def test_assessment_team_2_misses_supervision(frames):
    reviews = frames["supervision-reviews.xlsx"]
    held = reviews["Sessions held in the period"].astype(int)
    expected = reviews["Sessions expected in the period"].astype(int)
    ratio = held.groupby(reviews["Team"]).sum() / expected.groupby(reviews["Team"]).sum()
    ratio = ratio.drop("")
    assert ratio["Assessment Team 2"] < 0.7
    assert (ratio.drop("Assessment Team 2") > 0.8).all()
    elements = reviews["Which of these were evident in the supervision records?"].str.lower()
    wellbeing = elements.str.contains("well").groupby(reviews["Team"] == "Assessment Team 2").mean()
    assert wellbeing[True] < 0.3 and wellbeing[False] > 0.6


def open_actions(actions: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Which actions are open (neither completed nor cancelled), and the day each is due."""
    done = actions["Date completed"] != ""
    cancelled = actions["Status"].map(vocab.fold).isin({"cancelled", "no longer required"})
    return ~done & ~cancelled, actions["Due date"].map(day)


def test_children_in_care_leaves_actions_overdue(frames):
    actions = frames["action-tracker.csv"]
    open_, due = open_actions(actions)
    done = actions["Date completed"] != ""
    overdue = open_ & (due < EXPORT_DAY)
    share = overdue.groupby(actions["Service area"]).mean()
    assert share["Children in Care"] > 0.3
    assert (share.drop("Children in Care") < 0.15).all()
    status = actions["Status"].map(lambda s: vocab.STATUS_SYNONYMS[vocab.fold(s)])
    assert (status[done] == "Completed").all() and (status[~done] != "Completed").all()
    raised = actions["Date raised"].map(day)
    assert ((due - raised).map(lambda d: d.days).between(14, 56)).all()


def test_pld_log_tells_its_stories(frames):
    log = frames["pld-log.csv"]
    assert (log.groupby("Service area").size() == 8).all()
    held = log["Date held"] != ""
    assert (~held).sum() == 2
    lead = (log["Date planned"].map(day) - log["Planning meeting date"].map(day)).map(lambda d: d.days)
    assert (lead[log["Service area"] == "Disabled Children"] < 28).all()
    assert (lead[log["Service area"] != "Disabled Children"] >= 28).all()
    report = (log["Report shared with PSW"].map(day) - log["Date held"].map(day))[held].map(lambda d: d.days)
    assert 0.6 < (report <= 14).mean() < 1
    partners = log["Partner agencies involved?"].map(lambda v: vocab.YES_NO_SYNONYMS[vocab.fold(v)])
    year = log["Quarter"].str[:7]
    per_year = partners.groupby([log["Service area"], year]).any().groupby(level=0).all()
    assert per_year.sum() == 5 and not per_year["Care Leavers"]


def test_csvs_are_saved_as_excel_saves_them(sample):
    tracker = (sample / "action-tracker.csv").read_bytes()
    assert tracker.count(b"\r\n") >= 500
    text = tracker.decode("cp1252")
    assert "£" in text and "’" in text and "–" in text
    with pytest.raises(UnicodeDecodeError):
        tracker.decode("utf-8")
    log = (sample / "pld-log.csv").read_bytes()
    assert log.startswith(b"\xef\xbb\xbf") and b"\r\n" in log


def test_export_quirks_are_present(exports):
    audit = exports["case-audit-2024-form.xlsx"]
    assert audit["Completion time"].str.fullmatch(r"\d{1,2}/\d{1,2}/\d\d \d{1,2}:\d\d:\d\d").all()
    dates = audit["Date of audit (dd/mm/yyyy)"]
    assert dates.str.fullmatch(r"\d\d/\d\d/\d{4}").mean() > 0.8
    assert dates.str.fullmatch(r"\d{4}-\d\d-\d\d 00:00:00").any()
    assert dates.str.fullmatch(r"\d/\d{1,2}/\d{4}|\d{1,2}/\d/\d{4}").any()
    reviews = exports["supervision-reviews.xlsx"]
    assert reviews["Completion time"].str.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d").all()
    grades = set(audit["Overall grade"])
    assert {"RI", "GOOD", "good "} & grades and "Requires Improvement to be Good" in set(audit.iloc[:, 12:20].stack())
    assert {"LAC", "CLA", "CIN", "CP"} & set(audit["Case type"])
    actions = audit["Actions agreed (achievable, with timescales)"]
    assert actions.str.match(r"[=+\-@]").any() and actions.str.contains("\n").any()
    assert (audit["Email"] == "anonymous").mean() < 0.1
    labels = set(audit["PLD cycle (if part of a Practice Learning Day)"])
    assert any(label.startswith("Q") for label in labels) and any("-" in label for label in labels)


def test_moderation_and_oversight(frames):
    audit = frames["case-audit-2024-form.xlsx"]
    moderated = audit["Moderated grade (QA team use)"]
    assert 0.1 < (moderated != "").mean() < 0.25
    pairs = audit[moderated != ""]
    moved = pairs["Overall grade"].map(grade) != pairs["Moderated grade (QA team use)"].map(grade)
    assert 0.1 < moved.mean() < 0.45
    escalated = (audit["Overall grade"].map(grade) == "Inadequate") | (
        audit["Is the child safe?"].map(vocab.fold).isin({"no", "n"})
    )
    noted = audit["Date management oversight added (dd/mm/yyyy)"] != ""
    assert 0.5 < noted[escalated].mean() < 1 and noted[~escalated].mean() < 0.05
    unsafe = audit["Is the child safe?"].map(lambda v: not vocab.YES_NO_SYNONYMS[vocab.fold(v)])
    assert 0.01 < unsafe.mean() < 0.06


def test_large_exports_are_split_into_parts(tmp_path, monkeypatch):
    monkeypatch.setattr(forms, "PART_ROWS", 200)
    written = {p.name for p in generate(tmp_path, audits=600, seed=5)}
    assert {"case-audit-2024-form-part1.xlsx", "case-audit-2024-form-part2.xlsx",
            "case-audit-2024-form-part3.xlsx"} <= written  # fmt: skip
    assert "case-audit-2024-form.xlsx" not in written and "case-audit-2026-form.xlsx" in written
    ids = [read(tmp_path / f"case-audit-2024-form-part{k}.xlsx")["ID"].astype(int).tolist() for k in (1, 2, 3)]
    assert ids[0][0] == 1 and ids[1][0] == ids[0][-1] + 1 and ids[2][0] == ids[1][-1] + 1
    assert len(ids[0]) == 200
    manifest = json.loads((tmp_path / "MANIFEST.json").read_text())
    assert manifest["files"]["case-audit-2024-form-part2.xlsx"]["first_id"] == 201


@pytest.mark.parametrize("audits", [0, 10])
def test_tiny_samples_still_write_every_export(tmp_path, audits):
    written = {p.name for p in generate(tmp_path, audits=audits)}
    assert written == {*FILES, "MANIFEST.json", "open-cases.csv"}


def test_a_later_build_moves_every_date_by_whole_quarters_and_none_past_the_build_day(tmp_path):
    # Built 1 May 2027: 17 April, two weeks before, is in 2027/28 Q1, three quarters on from the anchor's newest
    # cycle, so that quarter is the newest cycle, in progress, and the exports are taken on the build day.
    built = date(2027, 5, 1)
    generate(tmp_path / "later", audits=300, seed=3, built=built)
    generate(tmp_path / "anchor", audits=300, seed=3, built=cycles.ANCHOR)
    later = json.loads((tmp_path / "later" / "MANIFEST.json").read_text())
    assert later["export_day"] == "2027-05-01"
    log = {at: read(tmp_path / at / "pld-log.csv") for at in ("later", "anchor")}
    assert sorted({canonical_cycle(q) for q in log["later"]["Quarter"] if q}) == [
        "2025/26 Q2", "2025/26 Q3", "2025/26 Q4", "2026/27 Q1", "2026/27 Q2", "2026/27 Q3", "2026/27 Q4", "2027/28 Q1",
    ]  # fmt: skip
    days = {at: [d for d in frame["Date planned"].map(day) if d] for at, frame in log.items()}
    assert {(d.month - 1) // 3 for d in days["later"]} == {((d.month - 1) // 3 + 3) % 4 for d in days["anchor"]}
    # The quarter in progress's PLDs are planned for June, after the build day, and not held yet.
    ahead = log["later"]["Date planned"].map(day) > built
    assert ahead.sum() == 6 and (log["later"].loc[ahead, ["Date held", "Report shared with PSW"]] == "").all().all()
    audit = read(tmp_path / "later" / "case-audit-2024-form.xlsx")["Date of audit (dd/mm/yyyy)"].map(day).dropna()
    # Only the rows made bad on purpose lie in the future; the rest keep the first form's window, October 2024 to
    # March 2026 at the anchor, three quarters on.
    future = later["files"]["case-audit-2024-form.xlsx"]["bad_rows"]["future_date"]
    assert future > 0 and (audit > built).sum() == future
    audit = audit[audit <= built]
    assert date(2025, 7, 1) <= audit.min() and audit.max() <= date(2026, 12, 31)
    # The quarter in progress keeps as many audits as the anchor's newest cycle, all before the build day.
    newest = {}
    for at, cycle in (("later", "2027/28 Q1"), ("anchor", "2026/27 Q2")):
        form = read(tmp_path / at / "case-audit-2026-form.xlsx")
        dated = form["When did the audit conversation take place?"].map(day)
        newest[at] = [d for d in dated if d and d <= built and cycle_of(d) == cycle]
    assert len(newest["later"]) == len(newest["anchor"]) > 0 and max(newest["later"]) < built


def test_same_seed_and_build_day_give_the_same_bytes(tmp_path):
    built = date(2027, 9, 30)
    first = generate(tmp_path / "a", audits=300, seed=3, built=built)
    second = generate(tmp_path / "b", audits=300, seed=3, built=built)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_a_first_run_loads_the_sample_dated_for_today_and_other_folders_as_they_are(tmp_path):
    shipped = Path(__file__).resolve().parents[1] / "sample_data"
    fresh = for_today(shipped, tmp_path / "fresh")
    assert fresh == tmp_path / "fresh"
    made = json.loads((fresh / "MANIFEST.json").read_text())
    assert made["export_day"] == str(date.today())  # the exports are taken the day the sample is built
    quarters = {canonical_cycle(q) for q in read(fresh / "pld-log.csv")["Quarter"] if q}
    assert max(quarters) == cycle_of(date.today() - timedelta(days=cycles.LAG_DAYS))
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "MANIFEST.json").write_text('{"generator": "someone else"}')
    assert for_today(exports, tmp_path / "unused") == exports
    assert for_today(tmp_path / "no-manifest", tmp_path / "unused") == tmp_path / "no-manifest"
    assert not (tmp_path / "unused").exists()


# A fresh install may be built on any day: every ninth day for thirteen months from 2 December 2026, and the eve of
# each turn of the newest cycle, when the cycle just finished has the fewest actions still running.
LIVE_DAYS = sorted(
    {date(2026, 12, 2) + timedelta(days=k) for k in range(0, 396, 9)}
    | {date(2027, month, 1) + timedelta(days=cycles.LAG_DAYS - 1) for month in (1, 4, 7, 10)}
)
WRITERS = (7, 8)  # the action tracker's and the PLD log's places in data_pipeline.sample.BUILDERS


def planned_headings(name: str) -> set[str]:
    """Headings of the dates the data contract lets lie ahead (a PLD planned, an action or episode due)."""
    if name not in FILES:
        return set()
    spec = profile(FILES[name])
    fields = FIELDS[spec["kind"]]
    return {heading for field, heading in spec["columns"].items() if fields[field].normaliser == "any_date"}


@pytest.mark.parametrize("built", LIVE_DAYS, ids=str)
def test_a_first_run_on_any_day_has_open_actions_not_yet_due_and_overdue(tmp_path, built):
    """The action tracker and PLD log as a first run writes them (1,200 audits, seed 7) on ``built``."""
    written = {name: entry for at in WRITERS for name, entry in write_export(tmp_path, at, 1200, 7, built)}
    assert sorted(written) == ["action-tracker.csv", "pld-log.csv"]
    manifest = {"files": written}
    actions = without_bad_rows("action-tracker.csv", read(tmp_path / "action-tracker.csv"), manifest)
    open_, due = open_actions(actions)
    assert (open_ & (due >= built)).sum() > 0 and (open_ & (due < built)).sum() > 0
    log = read(tmp_path / "pld-log.csv")
    assert max(canonical_cycle(q) for q in log["Quarter"]) == cycle_of(built - timedelta(days=cycles.LAG_DAYS))
    ahead = log["Date planned"].map(day) > built
    assert (log.loc[ahead, ["Date held", "Report shared with PSW"]] == "").all().all()  # planned, not yet held


@pytest.mark.parametrize("built", LIVE_DAYS[::2], ids=str)
def test_nothing_is_dated_after_the_build_day_but_bad_rows_and_what_is_planned_or_due(tmp_path, built):
    """Every file, a smaller sample (what lies ahead does not depend on the audit count)."""
    generate(tmp_path, audits=300, seed=3, built=built)
    manifest = json.loads((tmp_path / "MANIFEST.json").read_text())
    kept = {name: without_bad_rows(name, read(tmp_path / name), manifest) for name in FILES}
    kept["case-list/open-cases.csv"] = read(tmp_path / "case-list" / "open-cases.csv")
    for name, frame in kept.items():
        for heading in set(frame.columns) - planned_headings(name):
            late = [cell for cell in frame[heading] if (w := when(cell)) and w > built]
            assert not late, (name, heading, late[:3])


TRACKER_STAGES = [
    "Date allocated", "Practitioner's reflection assigned", "Learning conversation held", "Practice observed",
    "Evaluation recorded", "Concluding meeting held", "Supervisor's progress on actions", "Service manager signed off",
]  # fmt: skip


def test_episode_tracker_follows_every_episode_to_sign_off(exports, frames):
    tracker, form = frames["learning-episode-tracker.csv"], frames["learning-episodes.xlsx"]
    dates = tracker[TRACKER_STAGES].map(lambda cell: day(cell) if cell else None)
    signed = dates["Service manager signed off"].notna()
    # Signed off: exactly the form's episodes (bad rows too), on the form's date, every stage dated in order.
    everything = exports["learning-episode-tracker.csv"]
    assert set(everything.loc[everything["Service manager signed off"] != "", "LE ref"]) == set(
        exports["learning-episodes.xlsx"]["ID"]
    )
    sign_off = dict(zip(form["ID"], form["Date Learning Episode signed off"].map(day), strict=True))
    pairs = zip(tracker.loc[signed, "LE ref"], dates.loc[signed, "Service manager signed off"], strict=True)
    assert all(sign_off[ref] == when for ref, when in pairs if ref in sign_off)
    assert dates[signed].notna().all().all()
    for _, row in dates.iterrows():
        known = [d for d in row if d is not None]
        assert known == sorted(known) and all(d <= EXPORT_DAY for d in known)
    # In progress: an episode stands at each step before sign-off, its stages dated up to that step only.
    reached = dates[~signed].notna().sum(axis=1)
    assert set(reached) == set(range(1, 8))
    assert all(dates[~signed].iloc[i, :k].notna().all() for i, k in enumerate(reached))


def test_children_in_care_episodes_stall_at_the_supervisors_actions(frames):
    tracker = frames["learning-episode-tracker.csv"]
    open_ = tracker[tracker["Service manager signed off"] == ""]
    overdue = open_[open_["Completion due date"].map(day) < EXPORT_DAY]
    by_area = overdue["Service area"].value_counts()
    assert by_area.idxmax() == "Children in Care"
    stalled = overdue[overdue["Service area"] == "Children in Care"]
    waiting_on_supervisor = (stalled["Concluding meeting held"] != "") & (
        stalled["Supervisor's progress on actions"] == ""
    )
    assert waiting_on_supervisor.mean() > 0.5


def test_some_outstanding_or_inadequate_evaluations_await_the_head_of_service(frames):
    tracker = frames["learning-episode-tracker.csv"]
    evaluation = tracker["Overall evaluation"].map(lambda g: grade(g) if g else "")
    needs = tracker[evaluation.isin(["Outstanding", "Inadequate"])]
    moderated = needs["Head of service moderation"] != ""
    assert moderated.any() and (~moderated).any()
    assert (tracker.loc[~evaluation.isin(["Outstanding", "Inadequate"]), "Head of service moderation"] == "").all()
    sampled = tracker["In CSLT moderation sample"].map(lambda a: vocab.fold(a) in ("yes",) if a else False)
    assert sampled.any() and (tracker.loc[~sampled, "CSLT moderated"] == "").all()
