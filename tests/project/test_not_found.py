"""A page that does not exist: citizens get a Danish page in the citizen style, also with DEBUG on; staff get
the staff 404. Never Django's English debug page on a citizen's screen."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from samvirke.directory.models import Fellesskab, Person
from tests.conftest import client_for

CITIZEN_MISSES = {
    "/chat/999/": "Der findes ingen chat for kommunekode 999.",  # the view's own 404 (not a member)
    "/chat/751/": "Der findes ingen chat for kommunekode 751.",  # Aarhus: a municipality, not a member
    "/chat/abc/": "Siden findes ikke.",  # matches no URL at all
    "/chat/316/samtale/ikke-et-token/": "Samtalen findes ikke.",
}


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize(("url", "message"), CITIZEN_MISSES.items())
def test_a_citizen_gets_a_danish_citizen_styled_404(
    fellesskab: Fellesskab, debug: bool, url: str, message: str
) -> None:
    with override_settings(DEBUG=debug):
        response = Client().get(url)
    page = response.content.decode()
    assert response.status_code == 404
    assert '<body class="citizen">' in page and 'lang="da"' in page
    assert "<h1>Siden findes ikke</h1>" in page and message in page
    assert "Page not found" not in page and "Using the URLconf" not in page and "Traceback" not in page
    assert "Log ud" not in page and "topbar" not in page  # not the staff layout


def test_staff_pages_keep_the_staff_404(secretariat: Person) -> None:
    response = client_for(secretariat).get("/oekonomi/fakturaer/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Der findes ingen faktura med det nummer." in page and 'class="topbar"' in page
