"""Moderation and escalation: is anyone waiting for management oversight, and do moderators agree?"""

import pandas as pd
import streamlit as st

from qa_read import cycles, exports, moderation
from ui import charts, filters, session, text, widgets
from ui.palette import ACCENT, GRADE_COLOURS

wh = session.warehouse()
f = filters.current()
widgets.header(
    "Moderation and escalation",
    wh,
    "Audits graded Inadequate or where the child is not safe must be escalated and followed by management oversight.",
)

st.subheader("Escalations")
summary = moderation.escalation_summary(wh, f).iloc[0]
left, middle, right, last = st.columns(4)
left.metric("Escalated audits", f"{summary['escalations']:.0f}")
middle.metric(
    "Followed by management oversight",
    widgets.percent(summary["pct_with_oversight"]) + (" (small n)" if summary["small_n"] else ""),
    help=f"{summary['with_oversight']:.0f} of {summary['escalations']:.0f} escalated audits",
)
right.metric("Still awaiting oversight", f"{summary['outstanding']:.0f}")
days = summary["median_days_to_oversight"]
last.metric("Median days to oversight", "–" if pd.isna(days) else f"{days:.0f}")

per_cycle = moderation.escalations_by_cycle(wh, f)
if per_cycle.empty:
    widgets.empty("No escalated audits match these filters.")
else:
    waiting = int(summary["outstanding"])
    fig = charts.stacked_counts(
        per_cycle,
        "cycle",
        "state",
        "audits",
        {"Oversight recorded": ACCENT, "Awaiting oversight": GRADE_COLOURS["Inadequate"]},
        f"{waiting} escalated audit{'s' if waiting != 1 else ''} still awaiting management oversight",
        "Escalated audits",
    )
    st.plotly_chart(fig, width="stretch")

escalated = moderation.escalations(wh, f) if f.rows and not per_cycle.empty else None
if escalated is None and not f.rows:
    widgets.rows_withheld("The list of escalated audits")
elif escalated is not None:
    # Escalations come awaiting oversight first, longest wait first.
    outstanding = escalated[escalated["outstanding"]]
    st.markdown(text.bold(f"Awaiting oversight: {waiting} audits, longest wait first"))
    widgets.listed(outstanding.drop(columns=["outstanding", "days_to_oversight"]), waiting, downloaded=False)
    widgets.list_cut(len(escalated), int(summary["escalations"]), "The download")
    widgets.downloads(exports.records(escalated), "escalated audits", "escalations")

st.subheader("Moderation")
scale = widgets.scale_picker(cycles.instruments(wh, f)["scale"], key="mod_scale")
agreement = moderation.moderation_agreement(wh, f, scale).iloc[0]
movement = moderation.moderation_movement(wh, f, scale)
left, middle, right = st.columns(3)
left.metric("Moderated audits", f"{agreement['n']:.0f}")
middle.metric(
    "Moderator agreed with the auditor",
    widgets.percent(agreement["pct_agreement"]) + (" (small n)" if agreement["small_n"] else ""),
    help=f"{agreement['agreed']:.0f} of {agreement['n']:.0f} moderated audits kept their grade",
)
kappa = agreement["kappa"]
right.metric(
    "Cohen's kappa",
    "–" if pd.isna(kappa) else f"{kappa:.2f}",
    help="Agreement beyond chance between auditor and moderator (1 = perfect, 0 = chance). "
    + (agreement["kappa_note"] or "")
    + f" n = {agreement['n']:.0f}.",
)
if agreement["n"]:
    moved = movement.set_index("direction")["n"]
    title = f"Moderation moved {moved.get('Moved up', 0)} grades up and {moved.get('Moved down', 0)} down"
    st.plotly_chart(charts.counts_bar(movement, "direction", "n", title, "", "Moderated audits"), width="stretch")
    widgets.downloads(exports.figures(movement, exports.on("n", "share")), "moderation movement", "movement")

st.subheader("Practitioners who disagreed with their grades")
disagreement = moderation.worker_disagreement(wh, f)
if disagreement.empty:
    widgets.empty("No audits record whether the practitioner agreed.")
else:
    total_k, total_n, partly = disagreement["k"].sum(), disagreement["n"].sum(), disagreement["partly"].sum()
    in_part = f", {partly} of them in part" if partly else ""
    fig = charts.rate_heatmap(
        disagreement,
        "service_area",
        "cycle",
        f"{total_k} of {total_n} practitioners ({total_k / total_n:.0%}) disagreed with their grades{in_part}",
        colorbar_title="% disagreed",
    )
    st.plotly_chart(fig, width="stretch")
    st.caption(
        "A practitioner who agreed only in part (“Partly”) counts as disagreeing: they disputed at least one grade."
    )
    widgets.downloads(
        exports.figures(disagreement, exports.on(("n", "k"), "share", "lower", "upper")),
        "worker disagreement",
        "disagreement",
    )
st.caption(widgets.SMALL_N_NOTE)
