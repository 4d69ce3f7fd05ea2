"""The installation's hotline fællesskab is never a landsdel's telemedicine fællesskab, whichever came first (the
demo makes five of those beside the hotline: pages and commands that took "the first fællesskab" must still find
the hotline)."""

from __future__ import annotations

import pytest

from samvirke.directory.models import Fellesskab, FellesskabService
from samvirke.directory.selectors import the_fellesskab

pytestmark = pytest.mark.django_db


def test_a_telemedicine_fellesskab_created_first_is_not_the_installations_fellesskab() -> None:
    Fellesskab.objects.create(name="Telemedicin Sjælland", slug="telemedicin-sjaelland", service="telemedicine")
    assert the_fellesskab() is None
    hotline = Fellesskab.objects.create(name="Den Digitale Hotline", slug="ddh")
    assert hotline.service == FellesskabService.HOTLINE
    assert the_fellesskab() == hotline
