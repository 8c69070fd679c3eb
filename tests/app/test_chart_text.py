"""Data in chart text (ui.charts.base.inert): tags Plotly would read are escaped, and nothing Plotly would show
as written. Plotly decodes &amp; &lt; &gt; and numeric entities but shows &quot; as those six characters, which
put "&quot;finally&quot;" on Present's quotes slide."""

import pytest

from reports.model import Table
from ui.charts import pack
from ui.charts.base import esc, inert, wrap


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('Thank you for listening to me, "finally".', 'Thank you for listening to me, "finally".'),
        ("I don't like it", "I don't like it"),
        ("<img src=x onerror=alert(1)> Team", "&lt;img src=x onerror=alert(1)&gt; Team"),
        ("<b>loud</b> & clear", "&lt;b&gt;loud&lt;/b&gt; &amp; clear"),
        (3, "3"),
    ],
)
def test_tags_are_escaped_and_quotes_kept(value, expected):
    assert inert(value) == expected
    assert esc([value]) == [expected]


def test_wrapped_labels_and_table_cells_take_the_same_path():
    assert wrap('Said "no" <i>twice</i>', 40) == 'Said "no" &lt;i&gt;twice&lt;/i&gt;'
    table = Table(("Theme", "What was said"), (("Voice", '“Me, "finally".”'),))
    cells = pack.pack_table(table, "").data[0].cells.values
    assert list(cells[1]) == ['“Me, "finally".”']
