"""Entry point: `streamlit run dashboard.py`. Lets the reader in (or not), registers the pages their role may
open, draws the global filters within their scope and records the page in the access trail."""

import streamlit as st

from ui import access, filters, session, trail

st.set_page_config(page_title="QA dashboard", page_icon=":material/fact_check:", layout="wide")

PAGES = {
    "Practice": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/grade_trends.py", title="Grade trends", icon=":material/stacked_bar_chart:"),
        st.Page("pages/moderation.py", title="Moderation and escalation", icon=":material/balance:"),
    ],
    "Insight": [
        st.Page("pages/pld_log.py", title="PLD log", icon=":material/event_available:"),
        st.Page("pages/coverage.py", title="Audit coverage", icon=":material/group:"),
        st.Page("pages/impact.py", title="Impact", icon=":material/trending_up:"),
        st.Page("pages/child_voice.py", title="Child's voice", icon=":material/record_voice_over:"),
        st.Page("pages/supervision.py", title="Supervision", icon=":material/supervisor_account:"),
        st.Page("pages/actions.py", title="Actions", icon=":material/task_alt:"),
        st.Page("pages/themes.py", title="Themes", icon=":material/forum:"),
    ],
    "Meetings": [
        st.Page("pages/pack.py", title="Meeting pack", icon=":material/slideshow:"),
        st.Page("pages/present.py", title="Present", icon=":material/present_to_all:"),
    ],
    "Data": [
        st.Page("pages/data.py", title="Data", icon=":material/database:"),
        st.Page("pages/sampling.py", title="Audit sampling", icon=":material/shuffle:"),
        st.Page("pages/trail.py", title="Access trail", icon=":material/policy:"),
    ],
}

who = access.gate()
navigation = st.navigation(access.pages_for(who, PAGES), expanded=True)
filters.sidebar(session.warehouse())
access.sidebar(who)
trail.viewed(navigation)
navigation.run()
