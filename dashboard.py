"""Entry point: `streamlit run dashboard.py`. Lets the reader in (or not), registers the pages their role may
open, draws the global filters within their scope and records the page in the access trail."""

from pathlib import Path

import streamlit as st

from ui import access, filters, meeting, session, trail

# A file of our own, served by the dashboard: a ":material/...:" page icon is fetched from a font host outside.
ICON = Path(__file__).parent / "ui" / "assets" / "icon.svg"
st.set_page_config(page_title="QA dashboard", page_icon=str(ICON), layout="wide")

PAGES = {
    "Practice": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/grade_trends.py", title="Grade trends", icon=":material/stacked_bar_chart:"),
        st.Page("pages/moderation.py", title="Moderation and escalation", icon=":material/balance:"),
    ],
    "Insight": [
        st.Page("pages/pld_log.py", title="PLD log", icon=":material/event_available:"),
        st.Page("pages/coverage.py", title="Audit coverage", icon=":material/group:"),
        st.Page("pages/episodes.py", title="Learning Episodes", icon=":material/school:"),
        st.Page("pages/impact.py", title="Impact", icon=":material/trending_up:"),
        st.Page("pages/loop.py", title="Learning loop", icon=":material/autorenew:"),
        st.Page("pages/child_voice.py", title="Child's voice", icon=":material/record_voice_over:"),
        st.Page("pages/supervision.py", title="Supervision", icon=":material/supervisor_account:"),
        st.Page("pages/actions.py", title="Actions", icon=":material/task_alt:"),
        st.Page("pages/themes.py", title="Themes", icon=":material/forum:"),
        st.Page("pages/benchmarks.py", title="Benchmarks", icon=":material/leaderboard:"),
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
wh = session.warehouse()
meeting.start(navigation.url_path, wh, who.scope)
filters.sidebar(wh)
access.sidebar(who)
trail.viewed(navigation, filters.current())
navigation.run()
