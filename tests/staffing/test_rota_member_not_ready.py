"""A member still joining (directory's Membership.ready_for_shifts false, set by onboarding) is left out of the rota:
no shifts, named or anonymous, for it; once it is ready it is planned like the others."""

from __future__ import annotations

import datetime as dt

import pytest

from samvirke.contact.models import Queue
from samvirke.directory.models import Fellesskab, Membership, Role
from samvirke.staffing import actions, builder
from tests.conftest import GREVE, HOLBAEK, _person

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)
WEEK = dt.date(2026, 11, 30)
SETTINGS = actions.RotaSettings(calls_per_year=2000, shrinkage=0, time_limit_seconds=10)


@pytest.fixture(autouse=True)
def short_opening_hours(db: None) -> None:
    Queue.objects.filter(is_default=True).update(opening_hours={str(d): [["09:00", "14:00"]] for d in range(5)})


def test_a_member_not_ready_is_not_an_active_member_of_the_week(fellesskab: Fellesskab) -> None:
    Membership.objects.filter(municipality__code=GREVE).update(ready_for_shifts=False)
    codes = {m.municipality.code for m in builder.active_members(fellesskab, WEEK)}
    assert GREVE not in codes and HOLBAEK in codes


def test_the_rota_gives_a_member_not_ready_no_shifts_and_a_ready_one_its_share(fellesskab: Fellesskab) -> None:
    _person("agent-greve-1", Role.AGENT, GREVE)
    Membership.objects.filter(municipality__code=GREVE).update(ready_for_shifts=False)
    rota = actions.do_build_rota(None, fellesskab, WEEK, SETTINGS, today=TODAY)
    assert rota.shifts.exists()
    assert not rota.shifts.filter(municipality__code=GREVE).exists()
    assert not rota.shifts.filter(agent__username="agent-greve-1").exists()

    Membership.objects.filter(municipality__code=GREVE).update(ready_for_shifts=True)
    rota = actions.do_build_rota(None, fellesskab, WEEK + dt.timedelta(days=7), SETTINGS, today=TODAY)
    assert rota.shifts.filter(municipality__code=GREVE).exists()
