"""Nothing leaves the machine: every page, Present and the Meeting pack ask only the dashboard's own server.

The data is OFFICIAL-SENSITIVE and the dashboard must work offline, so an icon or font fetched from another
host (Streamlit's default page icon and Material icons come from a font CDN unless served locally) fails here.
"""

from urllib.parse import urlparse

import pytest

from .conftest import PAGE_IDS, PAGES, new_tab, open_page

# The browser's own schemes: inline images, generated blobs, nothing fetched over a network.
LOCAL_SCHEMES = {"data", "blob", "about"}


@pytest.mark.parametrize("spec", PAGES, ids=PAGE_IDS)
def test_page_requests_only_the_dashboard(context, server, spec):
    own = urlparse(server.url).netloc
    outside = []

    def note(request):
        address = urlparse(request.url)
        if address.scheme not in LOCAL_SCHEMES and address.netloc != own:
            outside.append(request.url)

    tab = new_tab(context, server)
    tab.on("request", note)
    try:
        open_page(tab, spec.path)
        tab.wait_for_timeout(1_000)  # icons and fonts the finished page asks for late
    finally:
        tab.close()
    assert outside == [], f"{spec.path} asked hosts other than {own}"
