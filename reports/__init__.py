"""The practice progress meeting pack: what goes in it (content), and its PowerPoint and PDF renderings.

No Streamlit here. ``content.build`` turns read-side query results into sections; ``pptx`` and ``pdf`` draw
those sections and nothing else, and the dashboard's presentation mode draws the same sections on screen.
"""
