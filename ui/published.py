"""Published figures drawn beside our own on the pages that read better with them (findings/context.py)."""

import streamlit as st

from findings import context
from qa_read.db import Warehouse
from ui import text, widgets


def context_cards(wh: Warehouse, keys: tuple[str, ...], heading: str) -> None:
    """One card per measure: the council's latest published figure, its neighbours' median and England, in the
    same words as the Benchmarks page. Nothing when no council or figure is loaded."""
    council = context.our_council(wh)
    latest = context.latest(wh, council, keys) if council is not None else []
    if not latest:
        return
    st.markdown(widgets.bold(heading))
    for column, item in zip(st.columns(len(latest)), latest, strict=True):
        column.metric(
            f"{item.measure.label}, {item.period}",
            context.number(item.finding.value, item.measure),
            f"{context.number(item.finding.comparison, item.measure)} neighbours' median, "
            f"{context.number(item.england, item.measure)} England",
            delta_color="off",
            delta_arrow="off",
        )
        column.caption(f"{text.md(item.finding.sentence)} Source: {text.md(item.source)}.")
