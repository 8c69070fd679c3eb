"""Benchmark 6, concurrency: 20 sessions browse one shared Warehouse while an ingest lands.

Each session is a thread running page-equivalent query calls (the calls the pages make, on filter
choices drawn from a small set, so some are cached and some are not, with a short pause between views
as a reader has) against ONE shared ``Warehouse``, as all sessions of a Streamlit server share the
``st.cache_resource`` one. Meanwhile ``python -m data_pipeline ingest`` loads an export with new rows
in another process. A watcher records when the snapshot file is replaced (its inode changes: the
``os.replace``); each session records when it first sees the new data (``data_as_of`` changes). No
session may fail, and each must see the new snapshot within 5 s of the swap.
"""

import csv
import io
import os
import random
import shutil
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

from bench.common import ROOT, TODAY, Figure, Section, median, ms
from findings import headline
from qa_read import actions, child_voice, grades, moderation, supervision
from qa_read.db import Warehouse
from qa_read.filters import Filters

SESSIONS = 20
TARGET_LAG = 5.0
NEW_ROWS = 2000
ID_OFFSET = 10_000_000

# One entry per page visit: the queries that page runs first.
VISITS = (
    lambda wh, f: (headline.headline(wh, f, TODAY), grades.good_or_better_by_cycle(wh, f)),
    lambda wh, f: (grades.grade_distribution(wh, f), grades.good_or_better_by(wh, f, "team")),
    lambda wh, f: (grades.practice_heatmap(wh, f),),
    lambda wh, f: (moderation.escalation_summary(wh, f), moderation.escalations(wh, f, TODAY)),
    lambda wh, f: (supervision.compliance(wh, f, "team"), supervision.elements(wh, f)),
    lambda wh, f: (child_voice.agreement(wh, f, "cycle"), child_voice.responses(wh, f)),
    lambda wh, f: (actions.summary(wh, f, TODAY), actions.ageing(wh, f, TODAY)),
)


def new_actions_export(source: Path, target: Path) -> int:
    """The first NEW_ROWS rows of an action-tracker CSV, their references moved past every existing one."""
    raw = source.read_bytes()
    encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "cp1252"
    rows = list(csv.reader(io.StringIO(raw.decode(encoding), newline="")))
    body = [[str(int(r[0]) + ID_OFFSET), *r[1:]] for r in rows[1 : NEW_ROWS + 1]]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([rows[0], *body])
    target.write_bytes(out.getvalue().encode(encoding))
    return len(body)


class Session(threading.Thread):
    def __init__(self, number: int, wh: Warehouse, choices: list[Filters], stop: threading.Event, before):
        super().__init__(name=f"session-{number}", daemon=True)
        self.wh, self.choices, self.stop, self.before = wh, choices, stop, before
        self.random = random.Random(number)
        self.errors: list[str] = []
        self.views = 0
        self.saw_new_at: float | None = None  # the page header's "Data as of" shows the new snapshot
        self.page_done_at: float | None = None  # a whole page view drawn from the new snapshot

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                fresh = self.wh.data_as_of() != self.before  # every page starts with its header
                if fresh and self.saw_new_at is None:
                    self.saw_new_at = time.time()
                self.random.choice(VISITS)(self.wh, self.random.choice(self.choices))
                self.views += 1
                if fresh and self.page_done_at is None:
                    self.page_done_at = time.time()
            except Exception:
                self.errors.append(traceback.format_exc(limit=3))
            time.sleep(self.random.uniform(0.1, 0.5))


def watch_swap(path: Path, stop: threading.Event, seen: dict) -> None:
    inode = os.stat(path).st_ino
    while not stop.is_set() and "swap" not in seen:
        try:
            if os.stat(path).st_ino != inode:
                seen["swap"] = time.time()
        except FileNotFoundError:
            pass
        time.sleep(0.005)


def run(warehouse: Path, actions_csv: Path, workdir: Path, combos: list) -> Section:
    folder = workdir / "concurrency"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    db = folder / "qa.duckdb"
    shutil.copyfile(warehouse, db)
    export = folder / "new-actions.csv"
    added = new_actions_export(actions_csv, export)
    wh = Warehouse(db)
    before = wh.data_as_of()
    actions_before = int(wh.query("SELECT count(*) AS n FROM actions")["n"].iloc[0])
    choices = [Filters()] + [Filters(service_areas=tuple(a), case_types=tuple(c)) for a, c in combos[:6]]
    stop, seen = threading.Event(), {}
    sessions = [Session(n, wh, choices, stop, before) for n in range(SESSIONS)]
    watcher = threading.Thread(target=watch_swap, args=(db, stop, seen), daemon=True)
    watcher.start()
    for session in sessions:
        session.start()
    time.sleep(3)  # every session is browsing before the ingest starts
    started = time.time()
    ingest = subprocess.run(
        [sys.executable, "-m", "data_pipeline", "ingest", str(export), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    deadline = time.time() + 30
    while time.time() < deadline and any(s.page_done_at is None for s in sessions):
        time.sleep(0.1)
    stop.set()
    for session in sessions:
        session.join(timeout=120)
    actions_after = int(wh.query("SELECT count(*) AS n FROM actions")["n"].iloc[0])
    swap = seen.get("swap")
    lags = [s.saw_new_at - swap for s in sessions if s.saw_new_at is not None and swap is not None]
    pages_done = [s.page_done_at - swap for s in sessions if s.page_done_at is not None and swap is not None]
    errors = [e for s in sessions for e in s.errors]
    if ingest.returncode != 0:
        errors.append(f"ingest exited {ingest.returncode}: {ingest.stderr[-500:]}")
    missed = SESSIONS - len(lags)
    worst = max(lags) if lags and not missed else float("inf")
    figures = [
        Figure(
            "Concurrency",
            f"errors in {SESSIONS} sessions during the ingest",
            "none",
            str(len(errors)),
            passed=not errors,
        ),
        Figure(
            "Concurrency",
            f"lag from the swap to each session's header showing the new data: max (median {ms(median(lags))})",
            f"≤ {TARGET_LAG:.0f} s",
            f"{worst:.2f} s" if worst != float("inf") else f"{missed} sessions never saw it",
            passed=worst <= TARGET_LAG,
        ),
        Figure(
            "Concurrency",
            f"lag to each session's first whole page view from the new snapshot: max (median {ms(median(pages_done))})",
            "",
            f"{max(pages_done):.2f} s" if pages_done else "–",
        ),
        Figure(
            "Concurrency",
            "page views served during the run / new actions visible after it (bad rows are rejected)",
            "",
            f"{sum(s.views for s in sessions):,} / {actions_after - actions_before:,} of {added:,}",
            passed=None,
        ),
    ]
    notes = (
        f"The ingest ({added:,} new actions into a copy of the benchmark warehouse) ran "
        f"{(swap or time.time()) - started:.1f} s from start to swap. "
        f"Lags (s): {', '.join(f'{x:.2f}' for x in sorted(lags))}."
    )
    if errors:
        notes += "\n\nFirst error:\n\n```\n" + errors[0] + "\n```"
    shutil.rmtree(folder, ignore_errors=True)
    return Section("Concurrency", figures, notes)
