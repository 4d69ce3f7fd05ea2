"""Simulated agents (the traffic simulator's own, made by seed-demo): never a login, named for what they are."""

from __future__ import annotations

import pytest

from samvirke.directory.models import Fellesskab, Municipality, Person, Role
from tests.conftest import HOLBAEK, client_for


@pytest.fixture
def simulated_agent(fellesskab: Fellesskab) -> Person:
    person = Person(
        username="sim-holbaek-1",
        first_name="Agent",
        last_name="Holbæk 1",
        role=Role.AGENT,
        municipality=Municipality.objects.get(code=HOLBAEK),
        is_simulated=True,
        is_active=False,
    )
    person.set_unusable_password()
    person.save()
    return person


def test_a_simulated_agent_is_called_simulated_wherever_its_name_is_shown(simulated_agent: Person) -> None:
    assert simulated_agent.get_full_name() == "Agent Holbæk 1 (simuleret)"
    assert str(simulated_agent) == "Agent Holbæk 1 (simuleret)"


def test_a_person_keeps_their_plain_name(holbaek_agent: Person) -> None:
    assert "(simuleret)" not in str(holbaek_agent) and "(simuleret)" not in holbaek_agent.get_full_name()


def test_the_admin_lists_the_flag_and_will_not_give_a_simulated_agent_a_password(
    simulated_agent: Person, secretariat: Person
) -> None:
    secretariat.is_staff = secretariat.is_superuser = True
    secretariat.save()
    client = client_for(secretariat)
    listing = client.get("/admin/directory/person/?is_simulated__exact=1").content.decode()
    assert "sim-holbaek-1" in listing and "sekretariat" not in listing.split("result_list")[-1]
    assert client.get(f"/admin/directory/person/{simulated_agent.pk}/password/").status_code == 403
    change = client.get(f"/admin/directory/person/{simulated_agent.pk}/change/").content.decode()
    assert 'name="is_active"' not in change and 'name="is_simulated"' not in change  # read-only


def test_the_admin_cannot_turn_a_person_into_a_simulated_agent(holbaek_agent: Person, secretariat: Person) -> None:
    secretariat.is_staff = secretariat.is_superuser = True
    secretariat.save()
    change = client_for(secretariat).get(f"/admin/directory/person/{holbaek_agent.pk}/change/").content.decode()
    assert 'name="is_simulated"' not in change and 'name="is_active"' in change
