"""Audit sampling: draw next cycle's audit sample from an open case list, at random from a recorded seed."""

import datetime as dt
import json
import secrets

import pandas as pd
import streamlit as st

from data_pipeline import caselist, plans, sampling, settings
from data_pipeline.pseudonym import load_key
from data_pipeline.sampling import Criteria
from data_pipeline.vocab import cycle_of
from data_pipeline.warehouse import Busy
from qa_read import exports
from qa_read import plans as plan_reads
from ui import access, filters, session, trail, widgets

wh = session.warehouse()
f = filters.current()
widgets.header(
    "Audit sampling",
    wh,
    "Random within each service area and case type, every case-holding worker covered, children audited "
    "recently left out. The case list is read here and never stored; only the plan, by keyed hashes, is kept.",
)

upload = st.file_uploader("Open case list (.xlsx or .csv)", type=["xlsx", "csv"], key="caselist")
if upload is None:
    st.info(
        "Export the open cases from the case management system (case ID, child ID, allocated worker, team, "
        "service area, case type, start date) and drop the file here. See docs/profiles.md.",
        icon=":material/upload_file:",
    )
    drawn = plan_reads.plans(wh)
    if not drawn.empty:
        st.subheader("Plans drawn")
        widgets.table(drawn)
    st.stop()

today = dt.date.today()
try:
    listed = caselist.read(upload.getvalue(), upload.name, load_key(settings.path("QA_KEY_FILE")), today)
except caselist.CaseListError as exc:
    st.error(str(exc), icon=":material/block:")
    st.stop()
scope = f.scope
listed = caselist.limit_to(listed, scope and scope.service_areas, scope and scope.teams)
left, middle, right = st.columns(3)
left.metric("Rows read", f"{listed.rows_read:,}")
middle.metric("Open cases used", f"{len(listed.cases):,}")
right.metric("Rows rejected", f"{len(listed.rejects):,}")
if not listed.rejects.empty:
    with st.expander(f"{len(listed.rejects)} rows rejected, and why"):
        widgets.table(listed.rejects)
if listed.cases.empty:
    widgets.empty("No open case in this list can be used.")
    st.stop()

st.subheader("Criteria")
st.session_state.setdefault("sampling_seed", secrets.randbelow(10**9))
for name, value in {"per_stratum": 2, "per_worker": 1, "exclude_months": 6}.items():
    st.session_state.setdefault(name, value)
drawn = plan_reads.plans(wh)


def repeat_plan() -> None:
    """Fill the criteria and seed from the saved plan chosen, so the same list draws it again."""
    chosen = st.session_state["repeat_plan"]
    if chosen is None:
        return
    plan = drawn.set_index("plan_id").loc[chosen]
    saved = json.loads(plan["criteria"])
    st.session_state.update(
        sampling_seed=int(plan["seed"]), per_stratum=saved["per_stratum"], per_worker=saved["per_worker"],
        exclude_months=saved["exclude_months"], case_types=saved["case_types"], min_days=saved["min_days_open"],
        max_days=saved["max_days_open"], flag=saved["flag"], flag_value=saved["flag_value"],
    )  # fmt: skip


repeating = None if drawn.empty else st.selectbox(
    "Repeat a saved plan", drawn["plan_id"], index=None, key="repeat_plan", on_change=repeat_plan,
    placeholder="No: a new draw", help="Its seed and criteria, drawn as on its day: the same list gives the same cases",
)  # fmt: skip
if repeating is not None:
    today = pd.Timestamp(drawn.set_index("plan_id").loc[repeating, "drawn_on"]).date()
one, two, three, four = st.columns(4)
per_stratum = one.number_input("Random cases per service area and case type", 0, 500, key="per_stratum")
per_worker = two.number_input("At least this many per worker", 0, 20, key="per_worker")
exclude = three.number_input("Leave out children audited in the last (months)", 0, 60, key="exclude_months")
seed = four.number_input("Seed", 0, 10**12, key="sampling_seed", help="The same list, criteria and seed give "
                         "the same sample: record it to show the draw was random and can be repeated.")  # fmt: skip
with st.expander("Thematic criteria (optional)"):
    types = sorted(listed.cases["case_type"].dropna().unique())
    case_types = st.multiselect("Case types", types, key="case_types", placeholder="Every case type")
    low, high = st.columns(2)
    min_days = low.number_input("Open at least (days)", 0, 10_000, None, key="min_days", placeholder="No minimum")
    max_days = high.number_input("Open at most (days)", 0, 10_000, None, key="max_days", placeholder="No maximum")
    flag = low.selectbox("Flag", listed.flags, index=None, key="flag", placeholder="No flag")
    values = sorted(listed.cases[f"flag:{flag}"].dropna().unique()) if flag else []
    flag_value = high.selectbox("Flag value", values, key="flag_value", disabled=not flag)
criteria = Criteria(
    per_stratum=int(per_stratum), per_worker=int(per_worker), case_types=tuple(case_types),
    min_days_open=min_days, max_days_open=max_days, flag=flag, flag_value=flag_value if flag else None,
    exclude_months=int(exclude),
)  # fmt: skip
since = sampling.window_start(today, criteria)
draw = sampling.draw(listed.cases, criteria, int(seed), plan_reads.recently_audited(wh, since, today), today)

st.subheader("The sample")
if repeating is not None:
    again = set(draw.planned["case_key"])
    saved = set(plan_reads.planned_keys(wh, f, repeating)["case_key"])
    if again == saved:
        st.success(f"The same {len(saved)} cases as {repeating}: the draw repeats exactly.", icon=":material/check:")
    else:
        st.warning(
            f"{len(again ^ saved)} cases differ from {repeating}. A different case list, or audits loaded since "
            "that changed who was recently audited, change the draw.",
            icon=":material/warning:",
        )
workers = draw.workers()
left, middle, right = st.columns(3)
left.metric("Cases planned", f"{len(draw.planned):,}", help=f"of {int(draw.cases['left_out'].isna().sum()):,} eligible")
middle.metric("Case-holding workers covered", f"{int(workers['covered'].sum())} of {len(workers)}")
right.metric("Children left out as audited since", f"{since:%d %b %Y}")
st.caption(
    f"Seed {int(seed)}, drawn {today:%d %B %Y}: numpy's PCG64 generator picks uniformly within each stratum, "
    "then tops up any worker still short. Strata with fewer eligible cases than asked give all they have."
)
widgets.table(draw.strata())
uncovered = workers[~workers["covered"]]
if not uncovered.empty and criteria.per_worker:
    st.warning(f"{len(uncovered)} workers have no eligible case and are not covered.", icon=":material/warning:")
    widgets.table(uncovered[["worker", "team", "open_cases", "eligible"]])

st.subheader("The auditors' list")
st.caption("With the council's case IDs: made for download now and never stored.")
auditors = plans.auditors_list(draw)
widgets.table(auditors)
widgets.downloads(exports.records(auditors), "audit sample", "sample")

cycles = [cycle_of(today), cycle_of(today + dt.timedelta(days=92))]
cycle = st.selectbox("Cycle the plan is for", cycles, index=1, key="plan_cycle")
if st.button("Save the plan", type="primary", icon=":material/save:", key="save_plan"):
    try:
        plan_id = plans.save(draw, listed, cycle)
    except Busy as exc:
        st.error(str(exc), icon=":material/hourglass:")
        st.stop()
    who = access.current()
    outcome = f"case list read, not kept; plan {plan_id} saved: {len(auditors)} cases, seed {int(seed)}"
    trail.write("upload", who.email, who.role, page="Audit sampling", file=upload.name, rows=listed.rows_read,
                sha256=listed.sha256, outcome=outcome)  # fmt: skip
    st.success(f"Saved plan {plan_id}: Audit coverage now shows it planned against done.", icon=":material/check:")
