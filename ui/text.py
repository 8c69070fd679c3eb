"""The one escaping path for text from the data on its way into markdown: no links, images, emphasis or HTML.

Free of Streamlit, so ``ui.access`` and ``ui.widgets`` both use it without importing each other.
"""

import re

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def escape(text: str) -> str:
    """Text from data, made inert for st.markdown: no links, images, emphasis or HTML."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def bold(text: str) -> str:
    return f"**{escape(text)}**"
