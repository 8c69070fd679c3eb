"""The one way a value from the data reaches anything Streamlit renders as markdown.

st.markdown, st.write, titles, headers, captions, alerts, metric and widget labels and tab names all render
GitHub-flavoured markdown plus Streamlit's own directives (``:red[...]``, ``:material/icon:``, ``$maths$``). A
service-area name like ``![x](http://host/x.png)`` would load an outside image; ``**team**`` would turn bold.
``md`` makes any value inert text: every character markdown, HTML or a directive could act on is escaped with a
backslash, which CommonMark turns back into that character and nothing else.

Free of Streamlit, so ``ui.access`` and ``ui.widgets`` both use it without importing each other.
"""

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'@^%])")


def md(value) -> str:
    """``value`` as markdown that shows exactly its text."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(value).splitlines()))


def bold(value) -> str:
    return f"**{md(value)}**"
