from data_pipeline.settings import SETTINGS
from tests.conftest import ROOT


def test_every_setting_is_documented():
    page = (ROOT / "docs" / "settings.md").read_text()
    undocumented = [s.name for s in SETTINGS if f"| `{s.name}` |" not in page]
    assert not undocumented, f"add these to docs/settings.md: {undocumented}"
