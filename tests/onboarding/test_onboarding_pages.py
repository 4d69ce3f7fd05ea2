"""Onboarding's pages and actions: intake → proposal → cohort → checklist → ready; who may do what; bad input gives
a Danish message and changes nothing; the timeline SVG."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from samvirke.audit.models import AuditEntry
from samvirke.directory.models import Fellesskab, Membership, MembershipStatus, Person, Role
from samvirke.onboarding.actions import OnboardingError, do_create_cohort, do_create_intake
from samvirke.onboarding.models import ChecklistItem, Cohort, Intake
from tests.conftest import GREVE, _person, client_for
from tests.training.helpers import train

pytestmark = pytest.mark.django_db

LEJRE, ROSKILDE = 350, 265


@pytest.fixture
def lejre_coordinator(fellesskab: Fellesskab) -> Person:
    return _person("koordinator-lejre", Role.COORDINATOR, LEJRE)


def _intake(secretariat: Person, code: int, notified: str = "2026-03-02", wished: str = "") -> object:
    return client_for(secretariat).post(
        "/optagelse/ny/",
        {
            "municipality": str(_municipality_pk(code)),
            "contact_name": "Kim Hansen",
            "contact_email": "kim@example.dk",
            "notified_on": notified,
            "wished_start": wished,
        },
    )


def _municipality_pk(code: int) -> int:
    from samvirke.directory.models import Municipality

    return Municipality.objects.get(code=code).pk


def _membership(code: int) -> Membership:
    return Membership.objects.get(municipality__code=code)


def test_intake_to_ready_member(secretariat: Person, lejre_coordinator: Person) -> None:
    response = _intake(secretariat, LEJRE, wished="2026-06-01")
    assert response.status_code == 302  # type: ignore[attr-defined]
    membership = _membership(LEJRE)
    assert membership.status == MembershipStatus.ONBOARDING and membership.ready_for_shifts is False

    page = client_for(secretariat).get("/optagelse/plan/").content.decode()
    assert "Hold 1: første vagt 02.06.2026" in page
    assert "varslet 2. marts 2026 + 3 måneders varsel = 2. juni 2026" in page

    intake = Intake.objects.get(municipality__code=LEJRE)
    response = client_for(secretariat).post("/optagelse/hold/", {"intakes": [intake.pk], "first_shift": "2026-06-02"})
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.cohort is not None and intake.cohort.first_shift == dt.date(2026, 6, 2)
    dues = dict(intake.checklist.values_list("step", "due"))
    assert dues == {
        "start_meeting": dt.date(2026, 3, 10),
        "agreement_signed": dt.date(2026, 4, 7),
        "ivr_numbers": dt.date(2026, 5, 5),
        "guide_variants": dt.date(2026, 5, 19),
        "staff_trained": dt.date(2026, 5, 26),
    }

    # The member's coordinator sees and ticks its own checklist; the member is ready after the last step.
    coordinator = client_for(lejre_coordinator)
    page = coordinator.get("/optagelse/kommune/350/").content.decode()
    assert "Ikke klar" in page and "Opstartsmøde" in page and "Sekretariatet" in page
    items = list(intake.checklist.all())
    for item in items[:-1]:
        assert coordinator.post(f"/optagelse/kommune/350/punkt/{item.pk}/", {"done": "1"}).status_code == 302
    assert _membership(LEJRE).ready_for_shifts is False
    # "Agenter uddannet" is what the training records say, not only a tick: refused while no agent is trained.
    refused = coordinator.post(f"/optagelse/kommune/350/punkt/{items[-1].pk}/", {"done": "1"}, follow=True)
    assert "Ingen af kommunens agenter er uddannet til hotlinen endnu" in refused.content.decode()
    assert ChecklistItem.objects.get(pk=items[-1].pk).done_on is None
    assert _membership(LEJRE).ready_for_shifts is False
    train(_person("agent-lejre-1", Role.AGENT, LEJRE))
    coordinator.post(f"/optagelse/kommune/350/punkt/{items[-1].pk}/", {"done": "1"})
    membership = _membership(LEJRE)
    assert membership.ready_for_shifts is True
    assert membership.status == MembershipStatus.ACTIVE and membership.member_since == dt.date(2026, 6, 2)
    assert "Klar: kommunens agenter får opkald og vagter" in coordinator.get("/optagelse/kommune/350/").content.decode()
    # Undoing a step makes the member not ready again.
    coordinator.post(f"/optagelse/kommune/350/punkt/{items[0].pk}/", {"done": "0"})
    assert _membership(LEJRE).ready_for_shifts is False
    assert AuditEntry.objects.filter(action="onboarding.readiness_changed").count() == 2


def test_the_secretariat_overrides_the_checklist_with_a_reason(secretariat: Person) -> None:
    _intake(secretariat, LEJRE)
    intake = Intake.objects.get()
    do_create_cohort(secretariat, intake.fellesskab, [intake.pk], dt.date(2026, 6, 2))
    client = client_for(secretariat)
    response = client.post("/optagelse/kommune/350/tilsidesaet/", {"reason": ""})
    assert response.status_code == 400 and "Skriv en begrundelse" in response.content.decode()
    assert _membership(LEJRE).ready_for_shifts is False
    response = client.post("/optagelse/kommune/350/tilsidesaet/", {"reason": "Agenterne er uddannet i Greve"})
    assert response.status_code == 302
    assert _membership(LEJRE).ready_for_shifts is True
    entry = AuditEntry.objects.get(action="onboarding.checklist_overridden")
    assert entry.details == {"reason": "Agenterne er uddannet i Greve"}
    response = client.post("/optagelse/kommune/350/tilsidesaet/", {"reason": "igen"})
    assert response.status_code == 400 and "allerede tilsidesat" in response.content.decode()


def test_bad_input_gives_danish_messages_and_changes_nothing(secretariat: Person) -> None:
    response = _intake(secretariat, LEJRE, notified="2026-03-02", wished="2026-02-01")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Ønsket start kan ikke ligge før" in response.content.decode()  # type: ignore[attr-defined]
    assert not Intake.objects.exists() and not Membership.objects.filter(municipality__code=LEJRE).exists()

    _intake(secretariat, LEJRE)
    _intake(secretariat, ROSKILDE)
    lejre, roskilde = Intake.objects.get(municipality__code=LEJRE), Intake.objects.get(municipality__code=ROSKILDE)
    client = client_for(secretariat)
    # A cohort start inside the notice period.
    response = client.post("/optagelse/hold/", {"intakes": [lejre.pk], "first_shift": "2026-05-29"})
    assert response.status_code == 400
    assert "Lejre kan tidligst have første vagt 2. juni 2026" in response.content.decode()
    assert "ligger inden for varslet" in response.content.decode()
    assert not Cohort.objects.exists()
    # Not a working day.
    response = client.post("/optagelse/hold/", {"intakes": [lejre.pk], "first_shift": "2026-06-06"})
    assert "ikke en hverdag" in response.content.decode() and not Cohort.objects.exists()
    # A member in two cohorts.
    client.post("/optagelse/hold/", {"intakes": [lejre.pk], "first_shift": "2026-06-02"})
    response = client.post("/optagelse/hold/", {"intakes": [lejre.pk, roskilde.pk], "first_shift": "2026-06-09"})
    assert response.status_code == 400 and "kun være på ét hold" in response.content.decode()
    assert Cohort.objects.count() == 1 and Intake.objects.get(pk=roskilde.pk).cohort is None
    assert ChecklistItem.objects.count() == 5
    # Ticking a step twice.
    item = lejre.checklist.first()
    assert item is not None
    client.post(f"/optagelse/kommune/350/punkt/{item.pk}/", {"done": "1"})
    page = client.post(f"/optagelse/kommune/350/punkt/{item.pk}/", {"done": "1"}, follow=True).content.decode()
    assert "allerede markeret som udført" in page


def test_too_many_in_a_cohort_and_an_active_member(fellesskab: Fellesskab) -> None:
    codes = [350, 265, 269, 320, 326, 329, 330, 340]
    from samvirke.directory.models import Municipality

    intakes = [
        do_create_intake(None, fellesskab, Municipality.objects.get(code=c), "K", "k@x.dk", dt.date(2026, 1, 5), None)
        for c in codes
    ]
    with pytest.raises(OnboardingError, match="højst 7 kommuner"):
        do_create_cohort(None, fellesskab, [i.pk for i in intakes], dt.date(2026, 5, 5))
    with pytest.raises(OnboardingError, match="allerede aktiv"):
        do_create_intake(
            None, fellesskab, Municipality.objects.get(code=GREVE), "K", "k@x.dk", dt.date(2026, 1, 5), None
        )


def test_who_may_see_what(
    secretariat: Person, lejre_coordinator: Person, greve_coordinator: Person, outsider: Person, holbaek_agent: Person
) -> None:
    _intake(secretariat, LEJRE)
    intake = Intake.objects.get()
    do_create_cohort(secretariat, intake.fellesskab, [intake.pk], dt.date(2026, 6, 2))
    item = intake.checklist.first()
    assert item is not None
    for person in (greve_coordinator, outsider, holbaek_agent):
        client = client_for(person)
        assert client.get("/optagelse/kommune/350/").status_code == 403
        assert client.post(f"/optagelse/kommune/350/punkt/{item.pk}/", {"done": "1"}).status_code == 403
        for url in ("/optagelse/", "/optagelse/plan/", "/optagelse/tidslinje/", "/optagelse/ny/"):
            assert client.get(url).status_code == 403, (person, url)
    # The joining member's coordinator: its checklist, but not the planning pages nor the override.
    coordinator = client_for(lejre_coordinator)
    assert coordinator.get("/optagelse/kommune/350/").status_code == 200
    assert coordinator.get("/optagelse/plan/").status_code == 403
    assert coordinator.post("/optagelse/kommune/350/tilsidesaet/", {"reason": "x"}).status_code == 403
    assert (
        coordinator.post("/optagelse/hold/", {"intakes": [intake.pk], "first_shift": "2026-06-09"}).status_code == 403
    )
    assert ChecklistItem.objects.filter(done_on__isnull=False).count() == 0
    assert _membership(LEJRE).ready_for_shifts is False
    # The menu links the coordinator to its checklist.
    assert 'href="/optagelse/kommune/350/"' in coordinator.get("/optagelse/kommune/350/").content.decode()


def test_the_timeline_is_an_svg_with_a_row_per_member(secretariat: Person) -> None:
    _intake(secretariat, LEJRE)
    _intake(secretariat, ROSKILDE, notified="2026-04-15")
    lejre, roskilde = Intake.objects.get(municipality__code=LEJRE), Intake.objects.get(municipality__code=ROSKILDE)
    do_create_cohort(secretariat, lejre.fellesskab, [lejre.pk], dt.date(2026, 6, 2))
    do_create_cohort(secretariat, lejre.fellesskab, [roskilde.pk], dt.date(2026, 8, 17))
    page = client_for(secretariat).get("/optagelse/tidslinje/").content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "Hold 1: første vagt 02.06.2026" in svg and "Hold 2: første vagt 17.08.2026" in svg
    assert svg.count('<g class="member">') == 2 and svg.count("<circle") == 10
    # Coordinates are plain numbers (no Danish decimal commas or thousands separators in SVG attributes).
    assert all(
        re.fullmatch(r"-?\d+(\.\d+)?", v) for v in re.findall(r' (?:x|y|x1|x2|y1|y2|width|cx|cy)="([^"]*)"', svg)
    )


def test_the_planner_takes_a_smaller_cohort_size_and_refuses_a_larger_one(secretariat: Person) -> None:
    for code in (LEJRE, ROSKILDE, 269):
        _intake(secretariat, code)
    client = client_for(secretariat)
    page = client.get("/optagelse/plan/").content.decode()
    assert "Hold 1: første vagt 02.06.2026" in page and "Hold 2" not in page
    page = client.get("/optagelse/plan/?max_cohort=2").content.decode()
    assert "Hold 1: første vagt 02.06.2026" in page and "Hold 2: første vagt 09.06.2026" in page
    assert "hold 1 (2. juni 2026) var fuldt (2 kommuner)" in page
    response = client.get("/optagelse/plan/?max_cohort=9")
    assert response.status_code == 400 and "Et hold har højst 7 kommuner" in response.content.decode()


def test_the_intake_form_offers_only_municipalities_that_are_not_members(secretariat: Person) -> None:
    page = client_for(secretariat).get("/optagelse/ny/").content.decode()
    assert ">Lejre Kommune</option>" in page and ">Greve Kommune</option>" not in page
