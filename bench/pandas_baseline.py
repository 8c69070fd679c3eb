"""Benchmark 4, the baseline for interactions: the same views the way a typical Streamlit app builds them.

Such an app loads the exports into pandas once and, on every filter change, masks and groups the
in-memory frames. This module does that as well as pandas reasonably allows (tables loaded once, filter
and group columns as categoricals, the practice grades joined to their audits once at load) for five
views: the overview's headline measures, the grade distribution per cycle, good-or-better by team and
cycle, the practice area x team heatmap and the escalations list as the page shows it (the first
``LIST_ROWS``, awaiting oversight first). For the same unseen filter
combinations it times our query functions uncached (the result cache emptied before each call) and
checks that both give the same numbers, so the comparison is of equal work.
"""

import datetime as dt
import time

import numpy as np
import pandas as pd

from bench.common import TODAY, Figure, Section, median, ms, secs, timed
from data_pipeline.vocab import cycle_bounds
from findings import headline
from qa_read import grades, moderation
from qa_read.columns import NOT_RECORDED
from qa_read.db import LIST_ROWS, Warehouse
from qa_read.filters import Filters

TARGET_SPEEDUP = 10
CATEGORIES = ("cycle", "service_area", "team", "case_type", "instrument", "scale", "overall_grade")
VIEWS = ("overview", "grade distribution", "good or better by team", "practice heatmap", "escalations")


class Frames:
    """Everything the five views read, as pandas holds it after loading the warehouse tables once."""

    def __init__(self, wh: Warehouse):
        self.scale = wh.query("SELECT * FROM grade_scale")
        audits = wh.query("SELECT * FROM audits")
        audits["team"] = audits["team"].fillna(NOT_RECORDED)  # the label every chart shows for a missing team
        for column in CATEGORIES:
            audits[column] = audits[column].astype("category")
        ofsted = self.scale[self.scale["scale"] == "Ofsted"]
        audits["graded"] = (audits["scale"] == "Ofsted") & audits["overall_grade"].isin(ofsted["grade"])
        audits["good"] = audits["overall_grade"].isin(ofsted.loc[ofsted["good_or_better"], "grade"]) & audits["graded"]
        audits["escalated"] = (
            audits["overall_grade"].eq("Inadequate").fillna(False)
            | audits["moderated_grade"].eq("Inadequate").fillna(False)
            | audits["child_safe"].eq(False).fillna(False)
        ).astype(bool)
        voiced = wh.query("SELECT DISTINCT audit_id FROM child_voice WHERE audit_id IS NOT NULL")["audit_id"]
        audits["voiced"] = audits["audit_id"].isin(voiced)
        self.audits = audits
        practice = wh.query("SELECT audit_id, practice_area, grade FROM audit_grades")
        keep = ["audit_id", "cycle", "service_area", "team", "case_type", "instrument", "scale"]
        practice = practice.merge(audits[keep], on="audit_id")
        good = self.scale[["scale", "grade", "good_or_better"]]
        practice = practice.merge(good, on=["scale", "grade"])
        practice["practice_area"] = practice["practice_area"].astype("category")
        self.practice = practice
        self.supervision = wh.query(
            "SELECT cycle, service_area, team, sessions_held, sessions_expected FROM supervision_reviews"
        )
        self.actions = wh.query("SELECT service_area, team, status, raised_date, due_date, completed_date FROM actions")

    def memory_mb(self) -> float:
        frames = (self.audits, self.practice, self.supervision, self.actions)
        return sum(frame.memory_usage(deep=True).sum() for frame in frames) / 1048576


def mask(frame: pd.DataFrame, f: Filters, columns=("service_area", "team", "case_type", "cycle", "instrument")):
    """The boolean mask of ``Filters.where`` for the columns this frame has."""
    keep = np.ones(len(frame), dtype=bool)
    for name, values in (("service_area", f.service_areas), ("team", f.teams), ("case_type", f.case_types)):
        if values and name in columns:
            keep &= frame[name].isin(values).to_numpy()
    if "cycle" in columns:
        if f.cycle_from is not None:
            keep &= (frame["cycle"].astype(str) >= f.cycle_from).to_numpy()
        if f.cycle_to is not None:
            keep &= (frame["cycle"].astype(str) <= f.cycle_to).to_numpy()
    if f.instrument is not None and "instrument" in columns:
        keep &= (frame["instrument"] == f.instrument).to_numpy()
    return keep


def pandas_overview(d: Frames, f: Filters, today: dt.date) -> dict:
    """{measure: (numerator, denominator)} for the latest cycle and the one before, as findings.headline counts
    them: each as at the earlier of today and its cycle's last day."""
    audits = d.audits[mask(d.audits, f)]
    cycles = sorted(audits["cycle"].astype(str).unique())
    latest = cycles[-1] if cycles else None
    previous = cycles[-2] if len(cycles) > 1 else None
    out = {}
    for which, cycle in (("now", latest), ("before", previous)):
        if cycle is None:
            continue
        as_at = min(today, cycle_bounds(cycle)[1])
        scoped = audits[audits["cycle"] == cycle]
        graded = int(scoped["graded"].sum())
        escalated = scoped["escalated"]
        out[which] = {
            "audits_completed": len(scoped),
            "good_or_better": (int(scoped["good"].sum()), graded),
            "inadequate": (int((scoped["graded"] & (scoped["overall_grade"] == "Inadequate")).sum()), graded),
            "open_escalations": (int((escalated & scoped["oversight_date"].isna()).sum()), int(escalated.sum())),
            "child_voice": (int(scoped["voiced"].sum()), len(scoped)),
            "supervision_held": _supervision(d, f, cycle),
            "overdue_actions": _actions(d, f, as_at),
        }
    return out


def _supervision(d: Frames, f: Filters, cycle: str) -> tuple[int, int]:
    s = d.supervision
    rows = s[mask(s, f, ("service_area", "team")) & (s["cycle"] == cycle).to_numpy()]
    rows = rows.dropna(subset=["sessions_held", "sessions_expected"])
    return int(rows["sessions_held"].sum()), int(rows["sessions_expected"].sum())


def _actions(d: Frames, f: Filters, as_at: dt.date) -> tuple[int, int]:
    a = d.actions
    a = a[mask(a, f, ("service_area", "team")) & (a["status"] != "Cancelled").to_numpy()]
    day = pd.Timestamp(as_at)
    completed = (a["completed_date"] <= day).astype("boolean").fillna(a["status"] == "Completed")
    open_then = a[(a["raised_date"] <= day) & ~completed.astype(bool)]
    return int((open_then["due_date"] < day).sum()), len(open_then)


def pandas_distribution(d: Frames, f: Filters) -> pd.DataFrame:
    graded = d.audits[mask(d.audits, f) & d.audits["graded"].to_numpy()]
    counts = graded.groupby(["cycle", "overall_grade"], observed=True).size().rename("n").reset_index()
    counts = counts.rename(columns={"overall_grade": "grade"}).astype({"cycle": str, "grade": str})
    grid = pd.DataFrame({"cycle": pd.Series(sorted(counts["cycle"].unique()), dtype=str)}).merge(
        d.scale[d.scale["scale"] == "Ofsted"], how="cross"
    )
    out = grid.merge(counts, on=["cycle", "grade"], how="left").fillna({"n": 0})
    out["total"] = out.groupby("cycle")["n"].transform("sum")
    out["share"] = out["n"] / out["total"]
    return out.sort_values(["cycle", "rank"], ignore_index=True)


def pandas_by_team(d: Frames, f: Filters) -> pd.DataFrame:
    graded = d.audits[mask(d.audits, f) & d.audits["graded"].to_numpy()]
    out = graded.groupby(["cycle", "team"], observed=True).agg(n=("good", "size"), k=("good", "sum")).reset_index()
    return grades.with_interval(out.astype({"cycle": str, "team": str}).sort_values(["cycle", "team"]))


def pandas_heatmap(d: Frames, f: Filters) -> pd.DataFrame:
    p = d.practice
    rows = p[mask(p, f) & (p["scale"] == "Ofsted").to_numpy()]
    out = rows.groupby(["practice_area", "team"], observed=True)["good_or_better"].agg(n="size", k="sum")
    out = out.reset_index().astype({"practice_area": str, "team": str})
    return grades.with_interval(out.sort_values(["practice_area", "team"]))


def pandas_escalations(d: Frames, f: Filters, today: dt.date) -> pd.DataFrame:
    a = d.audits
    rows = a[mask(a, f) & a["escalated"].to_numpy()].copy()
    reasons = [
        np.where(rows["overall_grade"].eq("Inadequate").fillna(False), "graded Inadequate", ""),
        np.where(rows["moderated_grade"].eq("Inadequate").fillna(False), "moderated Inadequate", ""),
        np.where(rows["child_safe"].eq(False).fillna(False), "child not safe", ""),
    ]
    rows["reason"] = ["; ".join(r for r in parts if r) for parts in zip(*reasons, strict=True)]
    rows["days_to_oversight"] = (rows["oversight_date"] - rows["audit_date"]).dt.days
    rows["outstanding"] = rows["oversight_date"].isna()
    waiting = (pd.Timestamp(today) - rows["audit_date"]).dt.days
    rows["days_waiting"] = waiting.where(rows["outstanding"])
    rows = rows.sort_values(["outstanding", "audit_date", "audit_id"], ascending=[False, True, True]).head(LIST_ROWS)
    return rows[["audit_id", "cycle", "audit_date", "reason", "days_to_oversight", "outstanding", "days_waiting"]]


def ours(wh: Warehouse, view: str, f: Filters):
    return {
        "overview": lambda: headline.headline(wh, f, TODAY),
        "grade distribution": lambda: grades.grade_distribution(wh, f),
        "good or better by team": lambda: grades.good_or_better_by(wh, f, "team"),
        "practice heatmap": lambda: grades.practice_heatmap(wh, f),
        "escalations": lambda: moderation.escalations(wh, f, TODAY),
    }[view]()


def theirs(d: Frames, view: str, f: Filters):
    return {
        "overview": lambda: pandas_overview(d, f, TODAY),
        "grade distribution": lambda: pandas_distribution(d, f),
        "good or better by team": lambda: pandas_by_team(d, f),
        "practice heatmap": lambda: pandas_heatmap(d, f),
        "escalations": lambda: pandas_escalations(d, f, TODAY),
    }[view]()


def same(view: str, mine, base) -> str | None:
    """None when both give the same numbers, else what differs."""
    try:
        if view == "overview":
            for x in mine:
                for which in ("now", "before"):
                    expected = base.get(which, {}).get(x.key)
                    expected = expected if isinstance(expected, tuple) else (expected, np.nan)
                    if which == "now":
                        got = (x.numerator, x.denominator)
                    elif x.unit == "share":  # a finding keeps the share compared with and its denominator
                        got = (round((x.comparison or 0) * x.comparison_denominator), x.comparison_denominator)
                    else:
                        got = (x.comparison, x.comparison_denominator)
                    got = tuple(np.nan if v is None else v for v in got)
                    if expected[0] is None or not _close(got, expected):
                        return f"{x.key} ({which}): ours {got}, pandas {expected}"
            return None
        if view == "escalations":
            columns = ["audit_id", "days_to_oversight", "days_waiting"]
            left = mine[columns].reset_index(drop=True).astype("float64", errors="ignore")
            right = base[columns].reset_index(drop=True).astype("float64", errors="ignore")
            pd.testing.assert_frame_equal(left, right, check_dtype=False)
            assert mine["reason"].tolist() == base["reason"].tolist()
            return None
        keys = {"grade distribution": ["cycle", "grade", "n", "total"]}.get(view)
        keys = keys or [c for c in mine.columns if c in ("cycle", "team", "practice_area", "n", "k")]
        left = mine[keys].reset_index(drop=True).astype({k: "int64" for k in keys if k in ("n", "k", "total")})
        right = base[keys].reset_index(drop=True).astype({k: "int64" for k in keys if k in ("n", "k", "total")})
        pd.testing.assert_frame_equal(
            left.astype({"cycle": str}) if "cycle" in keys else left, right, check_dtype=False
        )
        return None
    except AssertionError as exc:
        return f"{view}: {str(exc).splitlines()[0:3]}"


def _close(got, expected) -> bool:
    return all((pd.isna(a) and pd.isna(b)) or float(a) == float(b) for a, b in zip(got, expected, strict=True))


def run(wh: Warehouse, combos: list[tuple[list[str], list[str]]]) -> Section:
    load_seconds, d = timed(lambda: Frames(wh))
    ours_times, pandas_times = {v: [] for v in VIEWS}, {v: [] for v in VIEWS}
    mismatches = []
    for number, (areas, cases) in enumerate(combos):
        f = Filters(service_areas=tuple(areas), case_types=tuple(cases))
        for view in VIEWS:
            for side in ("ours", "pandas") if number % 2 == 0 else ("pandas", "ours"):
                if side == "ours":
                    wh.cache.clear()
                    start = time.perf_counter()
                    mine = ours(wh, view, f)
                    ours_times[view].append(time.perf_counter() - start)
                else:
                    start = time.perf_counter()
                    base = theirs(d, view, f)
                    pandas_times[view].append(time.perf_counter() - start)
            problem = same(view, mine, base)
            if problem:
                mismatches.append(f"{areas} {cases}: {problem}")
    per_interaction_ours = [sum(ours_times[v][i] for v in VIEWS) for i in range(len(combos))]
    per_interaction_pandas = [sum(pandas_times[v][i] for v in VIEWS) for i in range(len(combos))]
    speedup = median(per_interaction_pandas) / median(per_interaction_ours)
    figures = [
        Figure(
            "Interactions vs pandas",
            f"speed-up on the five views together, {len(combos)} unseen filter combinations (uncached)",
            f"≥ {TARGET_SPEEDUP}×",
            f"{speedup:.1f}×",
            passed=speedup >= TARGET_SPEEDUP,
        ),
        Figure(
            "Interactions vs pandas",
            "one interaction (five views): our queries vs pandas masks + groupby",
            "",
            ms(median(per_interaction_ours)),
            ms(median(per_interaction_pandas)),
        ),
        Figure(
            "Interactions vs pandas",
            "both give the same numbers",
            "equal",
            "equal" if not mismatches else f"{len(mismatches)} differ",
            passed=not mismatches,
        ),
        Figure(
            "Interactions vs pandas",
            "pandas: one-off load of the tables / memory they hold",
            "",
            "–",
            f"{secs(load_seconds)} / {d.memory_mb():,.0f} MiB",
        ),
    ]
    rows = ["| view | ours (uncached) | pandas | pandas / ours |", "|---|---:|---:|---:|"]
    for view in VIEWS:
        mine, base = median(ours_times[view]), median(pandas_times[view])
        rows.append(f"| {view} | {ms(mine)} | {ms(base)} | {base / mine:.1f}× |")
    notes = "Medians per view over the same filter combinations:\n\n" + "\n".join(rows)
    if mismatches:
        notes += "\n\nDifferences:\n\n" + "\n".join(f"- {m}" for m in mismatches[:10])
    return Section("Interactions against a pandas baseline", figures, notes)
