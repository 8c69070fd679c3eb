"""Entry point: `streamlit run dashboard.py`. Registers the pages and draws the global filters."""

import streamlit as st

from ui import filters, session

st.set_page_config(page_title="QA dashboard", page_icon=":material/fact_check:", layout="wide")

PAGES = {
    "Practice": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/grade_trends.py", title="Grade trends", icon=":material/stacked_bar_chart:"),
        st.Page("pages/moderation.py", title="Moderation and escalation", icon=":material/balance:"),
    ],
}

navigation = st.navigation(PAGES)
filters.sidebar(session.warehouse())
navigation.run()
