"""Streamlit-side pieces shared by the pages: the warehouse resource, sidebar filters, charts, widgets."""
