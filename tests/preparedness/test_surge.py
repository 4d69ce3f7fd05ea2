"""Surge requests: the secretariat asks members for extra agents during a crisis; each member's coordinator answers
yes with a number or no on the preparedness page; the secretariat sees who answered."""

from __future__ import annotations

import pytest

from samvirke.directory.models import Municipality, Person, Role
from samvirke.preparedness.actions import PreparednessError, do_end_crisis, do_request_surge, do_start_crisis
from samvirke.preparedness.models import Crisis, CrisisScope, SurgeAnswer, SurgeRequest
from tests.conftest import GREVE, HOLBAEK, KOEGE, _person, client_for
from tests.contact.conftest import MONDAY_10


@pytest.fixture
def crisis(secretariat: Person) -> Crisis:
    return do_start_crisis(
        secretariat,
        at=MONDAY_10,
        title="Strømsvigt",
        text="Strømmen er gået i Holbæk.",
        scope=CrisisScope.MEMBER,
        stricken=Municipality.objects.get(code=HOLBAEK),
    )


def _m(*codes: int) -> list[Municipality]:
    return list(Municipality.objects.filter(code__in=codes))


def test_the_secretariat_asks_and_sees_who_answered(
    crisis: Crisis, secretariat: Person, greve_coordinator: Person
) -> None:
    # The stricken member is never asked.
    assert do_request_surge(secretariat, crisis, _m(GREVE, KOEGE, HOLBAEK), at=MONDAY_10) == 2
    with pytest.raises(PreparednessError, match="ikke er spurgt endnu"):
        do_request_surge(secretariat, crisis, _m(GREVE), at=MONDAY_10)
    surge = SurgeRequest.objects.get(municipality__code=GREVE)
    coordinator = client_for(greve_coordinator)
    page = coordinator.get("/beredskab/").content.decode()
    assert f'data-testid="surge-request-{surge.pk}"' in page
    assert (
        coordinator.post(f"/beredskab/forstaerkning/{surge.pk}/svar/", {"answer": "yes", "agents": "3"}).status_code
        == 302
    )
    surge.refresh_from_db()
    assert (surge.answer, surge.agents, surge.answered_by) == (SurgeAnswer.YES, 3, greve_coordinator)
    table = client_for(secretariat).get("/beredskab/").content.decode().split('data-testid="surge-answers"')[1]
    assert "Greve</td><td>Ja</td><td>3</td>" in table and "Køge</td><td>Ikke besvaret</td>" in table
    assert crisis.log.filter(text="Greve svarede på forstærkning: ja, 3 medarbejder(e).").exists()


def test_a_yes_needs_a_number_and_nothing_changes_without_it(
    crisis: Crisis, secretariat: Person, greve_coordinator: Person
) -> None:
    do_request_surge(secretariat, crisis, _m(GREVE), at=MONDAY_10)
    surge = SurgeRequest.objects.get()
    client = client_for(greve_coordinator)
    response = client.post(f"/beredskab/forstaerkning/{surge.pk}/svar/", {"answer": "yes"}, follow=True)
    assert "Skriv, hvor mange ekstra medarbejdere I kan stille." in response.content.decode()
    response = client.post(
        f"/beredskab/forstaerkning/{surge.pk}/svar/", {"answer": "yes", "agents": "500"}, follow=True
    )
    assert "Højst 50 medarbejdere." in response.content.decode()
    surge.refresh_from_db()
    assert surge.answer == SurgeAnswer.PENDING and surge.agents is None
    assert client.post(f"/beredskab/forstaerkning/{surge.pk}/svar/", {"answer": "no"}).status_code == 302
    surge.refresh_from_db()
    assert surge.answer == SurgeAnswer.NO


def test_only_the_asked_members_coordinator_answers_and_only_the_secretariat_asks(
    crisis: Crisis, secretariat: Person, greve_coordinator: Person, outsider: Person, holbaek_agent: Person
) -> None:
    do_request_surge(secretariat, crisis, _m(KOEGE), at=MONDAY_10)
    surge = SurgeRequest.objects.get()
    for person in (greve_coordinator, outsider, holbaek_agent, secretariat):
        response = client_for(person).post(f"/beredskab/forstaerkning/{surge.pk}/svar/", {"answer": "no"})
        assert response.status_code == 403
    ids = {"municipalities": [m.pk for m in _m(KOEGE, GREVE)]}
    assert client_for(greve_coordinator).post(f"/beredskab/{crisis.pk}/forstaerkning/", ids).status_code == 403
    holbaek_coordinator = _person("coordinator-holbaek", Role.COORDINATOR, HOLBAEK)  # the stricken member's own
    asked = client_for(holbaek_coordinator).post(f"/beredskab/{crisis.pk}/forstaerkning/", ids, follow=True)
    assert "Kun sekretariatet kan bede om forstærkning" in asked.content.decode()
    assert client_for(outsider).post(f"/beredskab/{crisis.pk}/forstaerkning/", {}).status_code == 403
    surge.refresh_from_db()
    assert SurgeRequest.objects.count() == 1 and surge.answer == SurgeAnswer.PENDING


def test_after_the_crisis_no_one_is_asked_and_no_answer_is_taken(
    crisis: Crisis, secretariat: Person, greve_coordinator: Person
) -> None:
    do_request_surge(secretariat, crisis, _m(GREVE), at=MONDAY_10)
    do_end_crisis(secretariat, crisis, at=MONDAY_10)
    crisis.refresh_from_db()
    with pytest.raises(PreparednessError, match="mens krisen er slået til"):
        do_request_surge(secretariat, crisis, _m(KOEGE), at=MONDAY_10)
    surge = SurgeRequest.objects.get()
    response = client_for(greve_coordinator).post(
        f"/beredskab/forstaerkning/{surge.pk}/svar/", {"answer": "no"}, follow=True
    )
    assert "kan ikke længere besvares" in response.content.decode()
    surge.refresh_from_db()
    assert surge.answer == SurgeAnswer.PENDING
