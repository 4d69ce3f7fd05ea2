from __future__ import annotations

from django.test import Client

from samvirke.audit.models import AuditEntry
from samvirke.directory.models import Membership, MembershipStatus, Person
from tests.conftest import client_for


def test_a_coordinator_sees_its_own_municipality_and_its_staff(greve_coordinator: Person) -> None:
    page = client_for(greve_coordinator).get("/kommuner/253/").content.decode()
    assert "Greve Kommune" in page
    assert "52.157" in page
    assert "koordinator-greve" in page  # the staff list


def test_a_coordinator_is_refused_another_municipality(greve_coordinator: Person) -> None:
    assert client_for(greve_coordinator).get("/kommuner/316/").status_code == 403


def test_an_agent_sees_its_municipality_but_not_the_staff_list(holbaek_agent: Person) -> None:
    page = client_for(holbaek_agent).get("/kommuner/316/").content.decode()
    assert "Holbæk Kommune" in page
    assert "Medarbejdere i Samvirke" not in page


def test_region_staff_see_their_regions_municipalities_only(region_staff: Person) -> None:
    client = client_for(region_staff)
    assert client.get("/kommuner/316/").status_code == 200
    assert client.get("/kommuner/360/").status_code == 200  # Lolland: Sjælland, not a member
    assert client.get("/kommuner/751/").status_code == 403  # Aarhus: Midtjylland


def test_the_secretariat_sees_any_municipality(secretariat: Person) -> None:
    page = client_for(secretariat).get("/kommuner/751/").content.decode()
    assert "Aarhus Kommune" in page
    assert "Ikke medlem" in page


def test_an_unknown_kommunekode_gives_a_danish_404(secretariat: Person) -> None:
    response = client_for(secretariat).get("/kommuner/999/")
    assert response.status_code == 404
    assert "Der findes ingen kommune med kommunekode 999." in response.content.decode()


def test_the_secretariat_moves_a_member_along_and_the_change_is_audited(secretariat: Person) -> None:
    client = client_for(secretariat)
    response = client.post("/kommuner/316/status/", {"status": "left"}, follow=True)
    assert "Holbæk: status ændret." in response.content.decode()
    membership = Membership.objects.get(municipality__code=316)
    assert membership.status == MembershipStatus.LEFT
    assert membership.left_on is not None
    entry = AuditEntry.objects.get(action="directory.membership_status_changed")
    assert entry.actor == secretariat
    assert entry.details["from"] == "active" and entry.details["to"] == "left"


def test_an_impossible_status_change_says_why_and_changes_nothing(secretariat: Person) -> None:
    response = client_for(secretariat).post("/kommuner/316/status/", {"status": "prospective"}, follow=True)
    assert "kan ikke gå fra &#x27;Aktiv&#x27; til &#x27;Interesseret&#x27;" in response.content.decode()
    assert Membership.objects.get(municipality__code=316).status == MembershipStatus.ACTIVE
    assert not AuditEntry.objects.exists()


def test_the_status_form_starts_with_no_choice_and_an_empty_choice_changes_nothing(secretariat: Person) -> None:
    client = client_for(secretariat)
    page = client.get("/kommuner/316/").content.decode()
    assert '<option value="" selected disabled>Vælg ny status</option>' in page
    response = client.post("/kommuner/316/status/", {"status": ""}, follow=True)
    assert "status ændret" not in response.content.decode()
    assert Membership.objects.get(municipality__code=316).status == MembershipStatus.ACTIVE
    assert not AuditEntry.objects.exists()


def test_a_coordinator_cannot_change_the_membership(greve_coordinator: Person) -> None:
    response = client_for(greve_coordinator).post("/kommuner/253/status/", {"status": "left"})
    assert response.status_code == 403
    assert Membership.objects.get(municipality__code=253).status == MembershipStatus.ACTIVE


def test_login_and_logout(greve_coordinator: Person) -> None:
    client = Client()
    page = client.get("/login/").content.decode()
    assert "Log ind" in page and 'lang="da"' in page
    bad = client.post("/login/", {"username": "koordinator-greve", "password": "wrong"})
    assert "Brugernavn eller adgangskode er forkert" in bad.content.decode()
    good = client.post("/login/", {"username": "koordinator-greve", "password": "test-password-123"})
    assert good.status_code == 302
    assert client.get("/medlemmer/").status_code == 200
    client.post("/logout/")
    assert client.get("/medlemmer/").status_code == 302
