"""Benchmark 3 (pages) and 5 (memory): every page of dashboard.py on the national-scale warehouse.

Each page is timed as Streamlit runs it, in-process with AppTest, three ways:

* first load: a fresh Python process per run, so no Streamlit cache, no open warehouse and no cached
  results: what the first visitor after a restart waits for. The process first does what the server does as
  it starts (``_server_started``), before anyone can visit; everything else the page imports is timed;
* interaction: the warehouse already open and the page already shown, a sidebar filter combination
  (service areas and case type) that no page in the process has seen, so every query runs;
* repeat: the same view again straight after, served from the per-snapshot result cache.

The browsing process visits every page with these filter changes and then reports its peak resident
set (VmHWM, its own: see ``common.peak_rss_mb``): the dashboard's memory at national scale, AppTest's overhead included.
Run as ``python -m bench.pages first PAGE`` or ``python -m bench.pages browse REPS``, it prints JSON;
``run`` starts those processes and turns their output into figures.
"""

import ast
import itertools
import json
import os
import random
import subprocess
import sys
import time

from bench.common import ROOT, Figure, Section, median, ms, peak_rss_mb
from bench.sampler import Sampler

DASHBOARD = ROOT / "dashboard.py"
TIMEOUT = 900  # seconds AppTest waits for one script run
TARGETS = {"first load": 2.0, "interaction": 0.3, "repeat": 0.1}
MEMORY_TARGET_MB = 1536


def registered_pages() -> list[str]:
    """The page files dashboard.py registers with ``st.Page``, in menu order."""
    pages = []
    for node in ast.walk(ast.parse(DASHBOARD.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page" and node.args:
            if isinstance(node.args[0], ast.Constant):
                pages.append(node.args[0].value)
    return pages


def _app():
    """An AppTest of dashboard.py, with the navigation-mode patch of tests/app/conftest.py."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    if not getattr(PagesManager, "_bench_patched", False):
        original = PagesManager.__init__

        def init(self, *args, **kwargs):
            original(self, *args, **kwargs)
            PagesManager.uses_pages_directory = False

        PagesManager.__init__ = init
        PagesManager._bench_patched = True
    return AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)


def _timed_run(at) -> tuple[float, float, str | None]:
    """Wall and CPU seconds of one script run (CPU of every thread in the process), and any exception."""
    start, cpu = time.perf_counter(), time.process_time()
    at.run()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return seconds, cpu, _problem(at.exception[0]) if at.exception else None


def _problem(exc) -> str:
    """Where in our code a page failed, and the error (AppTest redacts the message but keeps the trace)."""
    trace = [line.strip() for line in exc.stack_trace or []]
    ours = [line for line in trace if line.startswith("File") and str(ROOT) in line and ".venv" not in line]
    return f"{ours[-1] if ours else ''} {trace[-1] if trace else exc.message}".strip()[:300]


def _server_started(at) -> None:
    """Do what the dashboard's server does once as it starts, before anyone can visit: import the read side
    (``ui.serve.preload``, as scripts/dashboard starts it) and scan the installed packages for components
    (``Runtime.__init__``). AppTest does the scan inside its first run, which would charge each first load with
    0.3-0.5 s no visitor waits for."""
    from streamlit.components.v2.component_manager import BidiComponentManager

    from ui import serve

    serve.preload()
    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    at._bidi_component_manager = manager  # AppTest's own slot for it (streamlit/testing/v1/app_test.py)


def first_load(page: str) -> dict:
    """One page's first run in this (fresh) process, started as a server would be."""
    at = _app()
    at.switch_page(page)
    _server_started(at)
    seconds, cpu, problem = _timed_run(at)
    return {"page": page, "seconds": seconds, "cpu": cpu, "problem": problem}


def filter_combinations() -> list[tuple[list[str], list[str]]]:
    """Distinct (service areas, case types) sidebar choices that select audits, in a fixed shuffled order:
    one to three areas, with or without one of their case types, or a case type alone."""
    from qa_read.db import Warehouse

    wh = Warehouse(os.environ["QA_WAREHOUSE"])
    pairs = wh.query("SELECT DISTINCT service_area, case_type FROM audits WHERE case_type IS NOT NULL")
    by_area = pairs.groupby("service_area")["case_type"].apply(sorted).to_dict()
    combos = [([], [case]) for case in sorted(pairs["case_type"].unique())]
    for n in (1, 2, 3):
        for areas in itertools.combinations(sorted(by_area), n):
            cases = sorted({case for area in areas for case in by_area[area]})
            combos += [(list(areas), []), *((list(areas), [case]) for case in cases)]
    random.Random(7).shuffle(combos)
    return combos


def browse(reps: int) -> dict:
    """Every page: shown once, then ``reps`` times an unseen filter combination and its repeat."""
    combos = iter(filter_combinations())
    out = {}
    samplers = {"interaction": Sampler(), "repeat": Sampler()}
    for page in registered_pages():
        at = _app()
        at.switch_page(page)
        _, _, problem = _timed_run(at)
        timings = {"interaction": [], "repeat": [], "cpu interaction": [], "cpu repeat": []}
        timings["problems"] = [problem] if problem else []
        for _ in range(reps):
            areas, cases = next(combos, (None, None))
            if areas is None:
                raise RuntimeError("too few distinct filter combinations for this many repetitions")
            at.multiselect(key="area").set_value(areas)
            at.multiselect(key="case").set_value(cases)
            for kind in ("interaction", "repeat"):
                with samplers[kind]:
                    seconds, cpu, problem = _timed_run(at)
                timings[kind].append(seconds)
                timings[f"cpu {kind}"].append(cpu)
                if problem:
                    timings["problems"].append(problem)
        out[page] = timings
    return {"pages": out, "peak_rss_mb": peak_rss_mb(), "hot": {k: s.top() for k, s in samplers.items()}}


def _child(*args: str) -> dict:
    """Run this module in a fresh interpreter and parse the JSON it prints last."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.pages", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"bench.pages {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(lines[-1])


def run(first_runs: int, reps: int) -> tuple[Section, Section]:
    pages = registered_pages()
    first: dict[str, list[dict]] = {page: [] for page in pages}
    for _ in range(first_runs):  # round-robin over pages, so drift in machine load hits every page alike
        for page in pages:
            first[page].append(_child("first", page))
    browsed = _child("browse", str(reps))
    problems = [f"{p} (first load): {r['problem']}" for p in pages for r in first[p] if r["problem"]]
    kinds = ("first load", "interaction", "repeat")
    wall: dict[str, list[float]] = {kind: [] for kind in kinds}
    cpu: dict[str, list[float]] = {kind: [] for kind in kinds}
    rows = [
        "| page | first load | interaction | repeat | CPU: first load | interaction | repeat |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for page in pages:
        timings = browsed["pages"][page]
        problems += [f"{page}: {p}" for p in timings["problems"]]
        page_wall = {"first load": median([r["seconds"] for r in first[page]])}
        page_cpu = {"first load": median([r["cpu"] for r in first[page]])}
        for kind in ("interaction", "repeat"):
            page_wall[kind], page_cpu[kind] = median(timings[kind]), median(timings[f"cpu {kind}"])
        for kind in kinds:
            wall[kind].append(page_wall[kind])
            cpu[kind].append(page_cpu[kind])
        cells = [_marked(page_wall[k], TARGETS[k]) for k in kinds] + [ms(page_cpu[k]) for k in kinds]
        rows.append(f"| {page} | " + " | ".join(cells) + " |")
    figures = [_figure(kind, wall[kind], TARGETS[kind], pages) for kind in kinds]
    figures += [
        Figure("Pages", f"{kind}: CPU time, median over pages (all threads of the process)", "", ms(median(cpu[kind])))
        for kind in kinds
    ]
    figures.append(Figure("Pages", "script errors in any run", "none", str(len(problems)), passed=not problems))
    notes = (
        f"Medians per page: first load over {first_runs} fresh processes, interaction and repeat over {reps} "
        "filter changes each; wall time (a bold figure misses its target) and the CPU time the process "
        "spent, which a busy machine inflates far less. A first load starts once the process has done what the "
        "dashboard's server does before anyone can visit (import the read side and its libraries, "
        "ui/serve.py, and Streamlit's scan for components) and includes importing everything else the page "
        "needs.\n\n" + "\n".join(rows)
    )
    for kind, hot in browsed["hot"].items():
        notes += f"\n\nWhere the {kind} runs spend their time (stack samples over all pages):\n\n"
        notes += "| our function (inclusive) | share | | innermost frame (own) | share |\n|---|---:|---|---|---:|\n"
        for (a, x), (b, y) in zip(hot["ours"], hot["own"], strict=False):
            notes += f"| `{a}` | {x:.0%} | | `{b}` | {y:.0%} |\n"
    if problems:
        notes += "\n\nErrors:\n\n" + "\n".join(f"- {p}" for p in problems)
    rss = browsed["peak_rss_mb"]
    memory = Section(
        "Memory",
        [
            Figure(
                "Memory",
                f"peak RSS (VmHWM) of a process of its own browsing {len(pages)} pages × {reps} filter changes",
                f"< {MEMORY_TARGET_MB / 1024:.1f} GB",
                f"{rss:,.0f} MiB",
                passed=rss < MEMORY_TARGET_MB,
            )
        ],
    )
    return Section("Pages", figures, notes), memory


def _figure(kind: str, values: list[float], target: float, pages: list[str]) -> Figure:
    slowest = max(range(len(values)), key=values.__getitem__)
    overall = median(values)
    return Figure(
        "Pages",
        f"{kind}: median over pages, every page must pass (slowest: {pages[slowest]}, {ms(values[slowest])})",
        f"< {ms(target)}",
        ms(overall),
        passed=overall < target and values[slowest] < target,
    )


def _marked(seconds: float, target: float) -> str:
    return ms(seconds) if seconds < target else f"**{ms(seconds)}**"


if __name__ == "__main__":
    command, argument = sys.argv[1], sys.argv[2]
    result = first_load(argument) if command == "first" else browse(int(argument))
    print(json.dumps(result))
