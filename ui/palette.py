"""One colour and one pattern per grade, everywhere: in charts, tables and the meeting pack. No Plotly or
Streamlit here: the pack's content (reports.content) reads these facts without drawing anything.

Blue-to-red diverging colours (ColorBrewer RdBu) stay distinct under the common colour-vision
deficiencies; each grade also has its own fill pattern and its name is always shown, so no chart
relies on colour alone.
"""

GRADE_COLOURS = {
    "Outstanding": "#2166ac",
    "Good": "#67a9cf",
    "Requires improvement": "#ef8a62",
    "Inadequate": "#b2182b",
    "High": "#2166ac",
    "Medium": "#fddbc7",
    "Low": "#b2182b",
}
GRADE_PATTERNS = {
    "Outstanding": "",
    "Good": "/",
    "Requires improvement": ".",
    "Inadequate": "x",
    "High": "",
    "Medium": ".",
    "Low": "x",
}
ACCENT = "#2166ac"
MUTED = "#767676"
INK = "#262730"  # body text
HEAT_SCALE = [[0.0, "#f7fbff"], [0.5, "#6baed6"], [1.0, "#08306b"]]  # shares 0 to 1, light to dark blue


def text_on(colour: str) -> str:
    """Black or white text, whichever contrasts more with ``colour`` (WCAG relative luminance)."""

    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "white" if 1.05 / (luminance + 0.05) > (luminance + 0.05) / 0.05 else INK
