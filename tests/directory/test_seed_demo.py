from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client, RequestFactory

from samvirke.directory.models import HotlineNumber, LineNumber, Membership, MembershipStatus, Person, Role


def seed(*extra: str) -> str:
    """seed-demo; by default without traffic and without the rota (the solver takes seconds, and most tests here
    are about the people and the members)."""
    out = StringIO()
    call_command("seed_demo", *(extra or ("--no-traffic", "--no-rota")), stdout=out)
    return out.getvalue()


@pytest.mark.slow
def test_the_demo_has_two_working_days_of_traffic_once(db: None) -> None:
    from samvirke.contact.models import Contact

    out = seed("--traffic-calls-per-year", "5000")
    assert "Trafik: 2 arbejdsdage før i dag" in out
    days = {moment.date() for moment in Contact.objects.values_list("offered_at", flat=True)}
    assert len(days) == 2 and Contact.objects.filter(state="ended").exists()
    # Health-app calls go to the region's one number; the menu tells whose citizen it is.
    health = Contact.objects.filter(queue__line="health_apps", transferred_from__isnull=True)
    assert health.exists() and set(health.values_list("called_number", flat=True)) == {"70210000"}
    assert not health.filter(citizen_municipality__isnull=True).exists()
    count = Contact.objects.count()
    assert "Trafik" not in seed("--traffic-calls-per-year", "5000")  # a second run adds no traffic
    assert Contact.objects.count() == count
    assert out.rstrip().splitlines()[-1].startswith("  agent-holbaek-1")  # the logins come last


def test_it_loads_the_region_sjaelland_pilot_and_prints_the_logins(db: None) -> None:
    out = seed()
    assert "17 medlemmer" in out
    assert "adgangskode for alle: samvirke-demo" in out
    assert "sekretariat" in out and "koordinator-holbaek" in out and "agent-holbaek-1" in out
    assert "Telemedicin: 5 landsdele" in out and "/telemedicin/sjaelland/" in out  # telecare/demo.py, its own tests
    assert Membership.objects.filter(status=MembershipStatus.ACTIVE).count() == 17
    assert set(Membership.objects.values_list("municipality__region__code", flat=True)) == {1085}
    assert Person.objects.filter(role=Role.COORDINATOR).count() == 17
    assert Person.objects.filter(role=Role.AGENT, is_simulated=False).count() == 51
    assert Person.objects.filter(role=Role.SECRETARIAT).count() == 1
    # One hotline number per member; the health-app line has one number for the region (seed 001), not 17.
    assert HotlineNumber.objects.filter(is_demo=True).count() == 17
    assert not HotlineNumber.objects.filter(line="health_apps").exists()
    assert list(
        LineNumber.objects.filter(line="health_apps").values_list("region__code", "line", "number", "is_demo")
    ) == [(1085, "health_apps", "70210000", True)]


@pytest.mark.slow
def test_without_the_rota_it_builds_none(db: None) -> None:
    from samvirke.staffing.models import Rota

    seed("--no-traffic", "--no-rota")
    assert not Rota.objects.exists()
    seed("--no-traffic")
    assert Rota.objects.count() == 2  # this week's and next week's


def test_running_it_twice_changes_nothing(db: None) -> None:
    seed()
    LineNumber.objects.filter(line="health_apps").update(
        number="70219999"
    )  # the secretariat's own regional number stays
    counts = (Person.objects.count(), Membership.objects.count(), HotlineNumber.objects.count())
    seed()
    assert (Person.objects.count(), Membership.objects.count(), HotlineNumber.objects.count()) == counts
    assert list(LineNumber.objects.filter(line="health_apps").values_list("number", flat=True)) == ["70219999"]


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


@pytest.mark.slow
def test_a_second_run_adds_no_row_to_any_table(db: None) -> None:
    # Every table, the audit log and the rota included: a run that changes nothing writes nothing.
    seed("--no-traffic")
    before = _row_counts()
    seed("--no-traffic")
    after = _row_counts()
    assert {label: (before[label], after[label]) for label in before if before[label] != after[label]} == {}
    assert before["audit.AuditEntry"] > 0 and before["directory.Person"] > 0 and before["staffing.Shift"] > 0


def test_a_person_and_a_number_edited_after_seeding_survive_a_second_run(db: None) -> None:
    seed()
    agent = Person.objects.get(username="agent-holbaek-1")
    agent.first_name, agent.last_name, agent.is_active = "Omdøbt", "Agent", False
    agent.set_password("mit-eget-kodeord")
    agent.save()
    number = HotlineNumber.objects.filter(membership__municipality__code=316).first()
    assert number is not None
    number.number = "12345678"
    number.save()
    seed()
    agent.refresh_from_db()
    assert (agent.first_name, agent.last_name, agent.is_active) == ("Omdøbt", "Agent", False)
    assert agent.check_password("mit-eget-kodeord") and not agent.check_password("samvirke-demo")
    number.refresh_from_db()
    assert number.number == "12345678"


def test_a_member_changed_by_the_secretariat_is_not_reset_by_a_second_run(db: None) -> None:
    seed()
    Membership.objects.filter(municipality__code=316).update(status=MembershipStatus.LEFT)
    seed()
    assert Membership.objects.get(municipality__code=316).status == MembershipStatus.LEFT


def test_the_demo_logins_work(db: None) -> None:
    seed()
    client = Client()
    # django-axes checks every authentication against the request it came with (the login form passes its own).
    assert client.login(request=RequestFactory().post("/login/"), username="agent-koege-2", password="samvirke-demo")
    assert client.get("/medlemmer/").status_code == 200
    assert client.get("/kommuner/259/").status_code == 200
    assert client.get("/kommuner/316/").status_code == 403


def test_pilot_financing_lasts_two_years_from_the_first_shift(db: None) -> None:
    seed()
    holbaek = Membership.objects.get(municipality__code=316)
    assert holbaek.pilot_start is not None and holbaek.pilot_end is not None and holbaek.pilot_payer is not None
    assert (holbaek.pilot_start.isoformat(), holbaek.pilot_end.isoformat()) == ("2025-02-01", "2027-01-31")
    assert holbaek.pilot_payer.name == "Region Sjælland"


def test_the_traffic_simulator_gets_agents_of_its_own_that_can_never_log_in(db: None) -> None:
    out = seed()
    simulated = Person.objects.filter(is_simulated=True)
    assert simulated.count() == 51 and set(simulated.values_list("role", flat=True)) == {Role.AGENT}
    assert "51 simulerede agenter" in out
    agent = Person.objects.get(username="sim-holbaek-1")
    assert agent.municipality is not None and agent.municipality.code == 316
    assert str(agent) == "Agent Holbæk 1 (simuleret)"
    assert not agent.is_active and not agent.has_usable_password()
    client = Client()
    for password in ("samvirke-demo", "", agent.password):
        assert not client.login(request=RequestFactory().post("/login/"), username="sim-holbaek-1", password=password)
    assert client.get("/medlemmer/").status_code == 302  # still anonymous


def test_the_database_refuses_a_simulated_agent_that_could_log_in(db: None) -> None:
    seed()
    agent = Person.objects.get(username="sim-holbaek-1")
    agent.is_active = True
    with pytest.raises(IntegrityError), transaction.atomic():
        agent.save()
    agent.refresh_from_db()
    agent.set_password("et-kodeord")
    with pytest.raises(IntegrityError), transaction.atomic():
        agent.save()


def test_a_simulated_agents_old_session_is_not_honoured(db: None) -> None:
    # Even a session made before (force_login skips the password) is dropped: the agent is not active.
    seed()
    client = Client()
    client.force_login(Person.objects.get(username="sim-holbaek-1"))
    assert client.get("/medlemmer/").status_code == 302


@pytest.mark.slow
def test_the_rota_and_the_people_lists_know_a_simulated_agent_for_what_it_is(db: None) -> None:
    from samvirke.staffing.models import Shift

    seed("--no-traffic")
    assert Shift.objects.filter(agent__isnull=False).exists()
    assert not Shift.objects.filter(agent__is_simulated=True).exists()  # the rota plans real people only
    secretariat = Person.objects.get(username="sekretariat")
    client = Client()
    client.force_login(secretariat)
    page = client.get("/kommuner/316/").content.decode()
    assert "Agent Holbæk 1 (simuleret)" in page and "kan ikke logge ind" in page
    assert "agent-holbaek-1" in page


def test_the_demo_invoices_name_the_real_population_source(db: None) -> None:
    from samvirke.economy.models import Invoice

    seed()
    invoice = Invoice.objects.filter(municipality__code=316).first()
    assert invoice is not None
    assert invoice.population_source.startswith("Danmarks Statistik, FOLK1A, 2024")
    assert "(2024, Danmarks Statistik, FOLK1A, 2024" in invoice.explanation
    assert not Invoice.objects.filter(explanation__icontains="seed").exists()
