import pytest
from streamlit.runtime.pages_manager import PagesManager


@pytest.fixture(autouse=True)
def _navigation_mode_as_on_a_running_server(monkeypatch):
    """AppTest resets Streamlit's "pages/ folder" mode before every run, so each run would take the
    first-deep-link path of ui.session (switch the mode off, rerun), and a button click made for that
    run would be spent on the discarded half. A running server switches the mode off once, for good;
    do the same here. tests/browser covers the first deep link itself."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
