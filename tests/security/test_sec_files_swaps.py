"""Issue 12, finding 6: a coordinator cannot change another member's rota without its consent. Its swap is a
request; the other member's coordinator (or the secretariat) accepts or declines it on its own page; only on
acceptance, and only if the shifts are still as they were, does the rota change. The secretariat swaps directly."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from samvirke.audit.models import AuditEntry
from samvirke.directory.models import Fellesskab, Person, Role
from samvirke.staffing.models import Shift, SwapRequest, SwapRequestState
from tests.conftest import _person, client_for
from tests.staffing.handmade import WEEK, HandmadeRota, make_rota

pytestmark = pytest.mark.django_db

HOLBAEK_SWAP = f"/bemanding/{WEEK}/316/byt/"
GREVE_PAGE = f"/bemanding/{WEEK}/253/"
HOLBAEK_PAGE = f"/bemanding/{WEEK}/316/"


@pytest.fixture
def week(fellesskab: Fellesskab, holbaek_agent: Person) -> HandmadeRota:
    return make_rota(fellesskab, holbaek_agent)


@pytest.fixture
def holbaek_coordinator(fellesskab: Fellesskab) -> Person:
    return _person("koordinator-holbaek", Role.COORDINATOR, 316)


def said(response: Any) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def exchange_h1_for_g1(client: Client, week: HandmadeRota) -> Any:
    return client.post(
        HOLBAEK_SWAP, {"kind": "bytte", "shift": week.shifts["H1"].pk, "other_shift": week.shifts["G1"].pk}
    )


def answer_url(request: SwapRequest, decision: str, code: int = 253) -> str:
    return f"/bemanding/{WEEK}/{code}/anmodninger/{request.pk}/{decision}/"


def test_the_holbaek_coordinators_swap_changes_nothing_of_greves_until_greve_accepts(
    week: HandmadeRota, holbaek_coordinator: Person, greve_coordinator: Person
) -> None:
    before = week.reload()
    response = exchange_h1_for_g1(client_for(holbaek_coordinator), week)
    assert said(response) == [
        (
            "success",
            "Anmodningen er sendt til Greve. Vagtplanen ændres først, når Greves koordinator eller sekretariatet "
            "accepterer den.",
        )
    ]
    assert week.reload() == before  # neither Greve's shift nor its agent moved
    request = SwapRequest.objects.get()
    assert request.state == SwapRequestState.PENDING
    assert AuditEntry.objects.filter(action="staffing.swap_requested").count() == 1
    assert not AuditEntry.objects.filter(action="staffing.swap_shift").exists()

    # Both members see the waiting request; only Greve's page offers to answer it.
    greve_page = client_for(greve_coordinator).get(GREVE_PAGE).content.decode()
    assert "Holbæk vil give vagten mandag 09.00–12.00" in greve_page and "afventer Greves svar" in greve_page
    assert answer_url(request, "accepter") in greve_page
    holbaek_page = client_for(holbaek_coordinator).get(HOLBAEK_PAGE).content.decode()
    assert "afventer svar fra Greve" in holbaek_page and "accepter/" not in holbaek_page

    response = client_for(greve_coordinator).post(answer_url(request, "accepter"))
    assert response.status_code == 302
    now = week.reload()
    assert now["H1"][0] == 253 and now["G1"] == (316, week.agents["holbaek-1"].pk)
    request.refresh_from_db()
    assert request.state == SwapRequestState.ACCEPTED and request.decided_by == greve_coordinator
    assert AuditEntry.objects.get(action="staffing.swap_request_accepted").actor_name == "koordinator-greve"
    assert AuditEntry.objects.filter(action="staffing.swap_shift").count() == 1


def test_greve_can_decline_and_the_rota_stays_as_it_was(
    week: HandmadeRota, holbaek_coordinator: Person, greve_coordinator: Person
) -> None:
    before = week.reload()
    exchange_h1_for_g1(client_for(holbaek_coordinator), week)
    request = SwapRequest.objects.get()
    response = client_for(greve_coordinator).post(answer_url(request, "afvis"))
    assert said(response) == [("success", "Anmodningen fra Holbæk er afvist; vagtplanen er uændret.")]
    assert week.reload() == before
    request.refresh_from_db()
    assert request.state == SwapRequestState.DECLINED
    assert AuditEntry.objects.filter(action="staffing.swap_request_declined").count() == 1
    # Answered once: a second answer (a double click, a stale tab) changes nothing.
    again = client_for(greve_coordinator).post(answer_url(request, "accepter"))
    assert said(again) == [("error", "Anmodningen er allerede afvist.")]
    assert week.reload() == before


def test_a_hand_over_is_a_request_too(week: HandmadeRota, holbaek_coordinator: Person, secretariat: Person) -> None:
    before = week.reload()
    client_for(holbaek_coordinator).post(HOLBAEK_SWAP, {"kind": "overdrag", "shift": week.shifts["H2"].pk, "to": "253"})
    assert week.reload() == before
    request = SwapRequest.objects.get()
    assert request.other_shift is None
    client_for(secretariat).post(answer_url(request, "accepter"))  # the secretariat may answer for any member
    assert week.reload()["H2"][0] == 253


def test_a_shift_changed_after_the_request_makes_it_stale_and_nothing_more_changes(
    week: HandmadeRota, holbaek_coordinator: Person, greve_coordinator: Person
) -> None:
    exchange_h1_for_g1(client_for(holbaek_coordinator), week)
    request = SwapRequest.objects.get()
    Shift.objects.filter(pk=week.shifts["G1"].pk).update(agent=week.agents["greve-2"])  # Greve reassigned G1
    before = week.reload()
    response = client_for(greve_coordinator).post(answer_url(request, "accepter"))
    assert said(response)[0][0] == "error" and "ændret, siden anmodningen blev sendt" in said(response)[0][1]
    assert week.reload() == before
    request.refresh_from_db()
    assert request.state == SwapRequestState.STALE


def test_a_request_that_could_not_be_carried_out_is_refused_at_once(
    week: HandmadeRota, holbaek_coordinator: Person
) -> None:
    data = {"kind": "bytte", "shift": week.shifts["H1"].pk, "other_shift": week.shifts["G1"].pk}
    response = client_for(holbaek_coordinator).post(HOLBAEK_SWAP, {**data, "taker": week.agents["holbaek-2"].pk})
    assert said(response)[0][0] == "error" and "har allerede en vagt på det tidspunkt" in said(response)[0][1]
    assert not SwapRequest.objects.exists()
    exchange_h1_for_g1(client_for(holbaek_coordinator), week)
    response = exchange_h1_for_g1(client_for(holbaek_coordinator), week)  # the same again: one request waits
    assert said(response)[0][0] == "error" and SwapRequest.objects.count() == 1


@pytest.mark.parametrize("who", ["holbaek_coordinator", "holbaek_agent", "region_staff", "outsider"])
def test_only_the_receiving_members_coordinator_or_the_secretariat_answers(
    week: HandmadeRota, holbaek_coordinator: Person, who: str, request: pytest.FixtureRequest
) -> None:
    exchange_h1_for_g1(client_for(holbaek_coordinator), week)
    swap_request = SwapRequest.objects.get()
    before = week.reload()
    person = request.getfixturevalue(who)
    for decision in ("accepter", "afvis"):
        assert client_for(person).post(answer_url(swap_request, decision)).status_code == 403
        response = Client().post(answer_url(swap_request, decision))
        assert response.status_code == 302 and response["Location"].startswith("/login/")
        # Nor through Holbæk's own address for the request: it is Greve's to answer.
        assert client_for(person).post(answer_url(swap_request, decision, code=316)).status_code in (403, 404)
    assert week.reload() == before and SwapRequest.objects.get().state == SwapRequestState.PENDING


def test_the_secretariat_still_swaps_directly(week: HandmadeRota, secretariat: Person) -> None:
    exchange_h1_for_g1(client_for(secretariat), week)
    assert week.reload()["H1"][0] == 253 and not SwapRequest.objects.exists()
