"""axe-core on every page: no serious or critical accessibility violations.

axe-core comes from npm: package.json at the repo root pins it and ``npm ci`` installs it into node_modules/.
"""

from typing import NamedTuple

import pytest

from .conftest import AXE, PAGE_IDS, PAGES, missing

BLOCKING = ("serious", "critical")


class Waiver(NamedTuple):
    """A violation of ``rule`` on an element inside ``selector``, with why it is not (yet) failing the build."""

    rule: str
    selector: str
    reason: str


# Streamlit's own markup, which no page code can change: left out of the verdict, but printed on every run.
STREAMLIT_INTERNAL = [
    # With sections (st.navigation({"Practice": [...], ...})) Streamlit 1.67 puts each section's <div> with its
    # <header> straight inside <ul data-testid="stSidebarNavItems">, so the <ul> has <div> children and the
    # <li>s have a <div> parent. A flat page list renders valid markup; the sections are worth keeping.
    Waiver("list", '[data-testid="stSidebarNavItems"]', "Streamlit's sectioned sidebar navigation markup"),
    Waiver("listitem", '[data-testid="stSidebarNavItems"]', "Streamlit's sectioned sidebar navigation markup"),
]

WAIVERS = STREAMLIT_INTERNAL

# Runs axe and, for each offending element, the index of the first waiver that covers it (-1 for none).
AXE_RUN = """async (waivers) => {
    const {violations} = await axe.run(document, {resultTypes: ['violations'], elementRef: true});
    return violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({
            target: n.target.map(String).join(' >>> '),
            html: n.html,
            summary: n.failureSummary,
            waiver: waivers.findIndex(([rule, selector]) => rule === v.id && n.element?.closest(selector)),
        })),
    }));
}"""

_audits: dict[str, list[dict]] = {}


def audit(opened, spec) -> list[dict]:
    """axe's violations on the page as first loaded; each page is audited once per session."""
    if spec.path not in _audits:
        page = opened(spec)
        crashed = page.locator('[data-testid="stException"]').count()
        assert not crashed, f"{spec.title} raised an exception, so its audit would mean little (see test_page_renders)"
        page.add_script_tag(path=str(AXE))
        _audits[spec.path] = page.evaluate(AXE_RUN, [[w.rule, w.selector] for w in WAIVERS])
    return _audits[spec.path]


def select(violations: list[dict], keep) -> list[dict]:
    """The violations narrowed to the elements for which ``keep(waiver index)`` holds; empty ones dropped."""
    narrowed = [v | {"nodes": [n for n in v["nodes"] if keep(n["waiver"])]} for v in violations]
    return [v for v in narrowed if v["nodes"]]


def describe(violations: list[dict], shown: int = 4) -> str:
    lines = []
    for v in violations:
        nodes = v["nodes"]
        lines.append(f"- {v['id']} [{v['impact']}] {v['help']} ({len(nodes)} elements)")
        for node in nodes[:shown]:
            lines.append(f"    {node['target'][-140:]}\n      {node['html'][:140]}")
        lines.append(f"    {nodes[0]['summary'].splitlines()[-1].strip()[:240]}")
    return "\n".join(lines)


@pytest.fixture(autouse=True)
def _axe_installed():
    if not AXE.exists():
        missing("axe-core", "run `npm ci` in the repository root")


@pytest.mark.parametrize("spec", PAGES, ids=PAGE_IDS)
def test_no_serious_accessibility_violations(opened, spec):
    violations = audit(opened, spec)
    streamlit = range(len(STREAMLIT_INTERNAL))
    unwaived = select(violations, lambda w: w == -1)
    for label, found in [
        ("minor violations (not failing)", [v for v in unwaived if v["impact"] not in BLOCKING]),
        ("waived: Streamlit's own markup", select(violations, lambda w: w in streamlit)),
        ("waived: known content issues", select(violations, lambda w: w >= len(STREAMLIT_INTERNAL))),
    ]:
        if found:
            print(f"{spec.title}: {label}:\n{describe(found)}")
    blocking = [v for v in unwaived if v["impact"] in BLOCKING]
    assert not blocking, f"{spec.title}: serious or critical accessibility violations:\n{describe(blocking)}"
