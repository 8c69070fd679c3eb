"""One colour and one pattern per grade, everywhere: in charts, tables and the meeting pack.

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
SCALE_ORDER = {
    "Ofsted": ("Outstanding", "Good", "Requires improvement", "Inadequate"),
    "Assurance": ("High", "Medium", "Low"),
}
ACCENT = "#2166ac"
MUTED = "#767676"
SMALL_N_COLOUR = "#bdbdbd"
