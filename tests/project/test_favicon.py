"""The site's icon: linked from both base templates, served by whitenoise, and /favicon.ico answers too."""

from __future__ import annotations

import re

from django.test import Client

from samvirke.directory.models import Fellesskab, Person
from tests.conftest import client_for


def _icons(page: str) -> list[str]:
    return re.findall(r'<link rel="icon" href="([^"]+)"', page)


def test_staff_and_citizen_pages_link_an_icon_that_is_served(fellesskab: Fellesskab, secretariat: Person) -> None:
    for client, url in ((client_for(secretariat), "/medlemmer/"), (Client(), "/chat/316/"), (Client(), "/login/")):
        icons = _icons(client.get(url).content.decode())
        assert icons == ["/static/samvirke/favicon.svg", "/static/samvirke/favicon.ico"], url
        for icon in icons:
            response = Client().get(icon)
            assert response.status_code == 200, icon
            assert response["Content-Type"] in ("image/svg+xml", "image/x-icon", "image/vnd.microsoft.icon")


def test_favicon_ico_at_the_root_answers_for_pages_that_link_none(db: None) -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/samvirke/favicon.ico"
    icon = Client().get(response["Location"])
    assert b"".join(icon.streaming_content).startswith(b"\x00\x00\x01\x00")  # type: ignore[attr-defined]
