"""Support's pages: who sees which landsdel's desk, cases, trees and steering data; the case page's citizen card
goes through consent.disclosure (logged, refused after a withdrawal); the tree editor refuses a cycle and an
over-long text and changes nothing; the walk and the close through the forms."""

from __future__ import annotations

import pytest

from samvirke.consent.actions import do_withdraw_consent
from samvirke.consent.models import Disclosure, OperatorKind, ProgrammeCitizen
from samvirke.directory.models import Person
from samvirke.kits.models import LogisticsTask, Unit
from samvirke.telecare.models import Landsdel
from samvirke.telesupport.actions import do_open_case, do_setup_landsdel_support
from samvirke.telesupport.models import CaseState, ProblemTree, SupportCase, TelesupportSettings
from tests.conftest import client_for
from tests.telesupport.conftest import operator_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(
    landsdel: Landsdel, support: TelesupportSettings, operators: dict[str, Person], citizen: ProgrammeCitizen
) -> SupportCase:
    return do_open_case(
        operators["support"], landsdel, device_kind="scale", description="Vægten viser intet", citizen_ref="SJ-0001"
    )


def test_the_desk_by_role(
    landsdel: Landsdel,
    other_landsdel: Landsdel,
    support: TelesupportSettings,
    operators: dict[str, Person],
    secretariat: Person,
    region_staff: Person,
    greve_coordinator: Person,
    holbaek_agent: Person,
    case: SupportCase,
) -> None:
    do_setup_landsdel_support(None, other_landsdel)
    url = "/telesupport/sjaelland/"
    for person in (operators["support"], secretariat, region_staff):
        response = client_for(person).get(url)
        assert response.status_code == 200, person
        assert f"/telesupport/sager/{case.pk}/" in response.content.decode()
    for person in (greve_coordinator, holbaek_agent, operators["logistics"], operators["service"]):
        assert client_for(person).get(url).status_code == 403, person
        assert client_for(person).get(f"/telesupport/sager/{case.pk}/").status_code == 403, person
    other_support = operator_person(other_landsdel, OperatorKind.SUPPORT, "support-hovedstaden")
    assert client_for(other_support).get(url).status_code == 403
    assert client_for(other_support).get(f"/telesupport/sager/{case.pk}/").status_code == 403
    assert client_for(other_support).get("/telesupport/").status_code == 302  # to its own landsdel
    # region staff see, but do not write
    response = client_for(region_staff).post(url, {"device_kind": "app", "description": "Test", "priority": "low"})
    assert response.status_code == 403
    assert SupportCase.objects.count() == 1


def test_opening_a_case_through_the_desk_with_a_bad_input_changes_nothing(
    landsdel: Landsdel, support: TelesupportSettings, operators: dict[str, Person]
) -> None:
    client = client_for(operators["support"])
    response = client.post("/telesupport/sjaelland/", {"device_kind": "toaster", "description": "x", "priority": "low"})
    assert response.status_code == 302 and not SupportCase.objects.exists()
    response = client.post(
        "/telesupport/sjaelland/",
        {"device_kind": "app", "description": "Appen starter ikke", "priority": "critical", "caller_kind": "citizen"},
    )
    created = SupportCase.objects.get()
    assert response["Location"] == f"/telesupport/sager/{created.pk}/" and created.priority == "critical"


def test_the_case_page_discloses_through_consent_and_stops_at_a_withdrawal(
    operators: dict[str, Person], citizen: ProgrammeCitizen, case: SupportCase
) -> None:
    client = client_for(operators["support"])
    before = Disclosure.objects.count()
    page = client.get(f"/telesupport/sager/{case.pk}/").content.decode()
    assert "Karen Hansen" in page and "Byvej 1" in page
    assert "SpO2" not in page  # measurements never reach support
    assert Disclosure.objects.count() == before + 1
    logged = Disclosure.objects.order_by("-pk").first()
    assert logged is not None and "measurements_note" not in logged.fields and str(case.pk) in logged.purpose
    for consent in citizen.consents.all():
        do_withdraw_consent(None, consent)
    page = client.get(f"/telesupport/sager/{case.pk}/").content.decode()
    assert "Karen Hansen" not in page and "samtykke" in page


def test_the_walk_the_exchange_and_the_close_through_the_forms(
    operators: dict[str, Person], citizen: ProgrammeCitizen, case: SupportCase, scale: Unit
) -> None:
    client = client_for(operators["support"])
    action = f"/telesupport/sager/{case.pk}/handling/"
    page = client.get(f"/telesupport/sager/{case.pk}/").content.decode()
    assert "Viser vægtens display noget" in page and "SC-0001" in page
    client.post(action, {"handling": "svar", "answer": "Nej"})
    client.post(action, {"handling": "svar", "answer": "Nej"})
    page = client.get(f"/telesupport/sager/{case.pk}/").content.decode()
    assert "bestil en ombytning hos Logistik" in page
    client.post(action, {"handling": "videresend", "forward_to": "logistics", "unit": str(scale.pk)})
    assert LogisticsTask.objects.filter(kind="exchange", unit=scale).exists()
    response = client.post(action, {"handling": "luk"}, follow=True)
    assert "fulgt op" in response.content.decode()
    client.post(action, {"handling": "opfoelgning", "note": "Ny vægt virker"})
    client.post(action, {"handling": "luk"})
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED


def test_the_tree_editor_refuses_a_cycle_and_an_over_long_text(
    landsdel: Landsdel, support: TelesupportSettings, operators: dict[str, Person], region_staff: Person
) -> None:
    client = client_for(operators["support"])
    url = "/telesupport/sjaelland/traeer/scale/"
    tree = ProblemTree.objects.get(landsdel=landsdel, device_kind="scale")
    before, version = tree.data, tree.version
    response = client.post(
        url, {"node_id": "batteri", "kind": "question", "text": "Igen?", "answers": "Ja -> start\nNej -> ombyt-vaegt"}
    )
    assert response.status_code == 400 and "løkke" in response.content.decode()
    response = client.post(url, {"node_id": "loest-batteri", "kind": "outcome", "text": "x" * 700})
    assert response.status_code == 400 and "for lang" in response.content.decode()
    tree.refresh_from_db()
    assert tree.data == before and tree.version == version
    response = client.post(
        url, {"node_id": "loest-batteri", "kind": "outcome", "text": "Batterierne er skiftet.", "cause": "Batteri"}
    )
    assert response.status_code == 302
    tree.refresh_from_db()
    assert tree.version == version + 1 and tree.data["nodes"]["loest-batteri"]["text"] == "Batterierne er skiftet."
    assert client_for(region_staff).get(url).status_code == 200
    assert client_for(region_staff).post(url, {"node_id": "x", "kind": "outcome", "text": "Hej der"}).status_code == 403


def test_steering_is_for_the_secretariat_and_the_region(
    landsdel: Landsdel,
    support: TelesupportSettings,
    operators: dict[str, Person],
    secretariat: Person,
    region_staff: Person,
    greve_coordinator: Person,
    case: SupportCase,
) -> None:
    url = "/telesupport/sjaelland/styring/"
    for person in (secretariat, region_staff):
        page = client_for(person).get(url).content.decode()
        assert "Sager efter prioritet" in page and "0,083" in page
    for person in (operators["support"], greve_coordinator):
        assert client_for(person).get(url).status_code == 403
    assert client_for(secretariat).get(url + "?fra=2026-05-01&til=2026-01-01").status_code == 200


def test_steering_counts_a_fault_per_device_model_and_the_case_by_cause(
    operators: dict[str, Person], secretariat: Person, case: SupportCase, scale: Unit
) -> None:
    client = client_for(operators["support"])
    action = f"/telesupport/sager/{case.pk}/handling/"
    client.post(action, {"handling": "svar", "answer": "Nej"})
    client.post(action, {"handling": "svar", "answer": "Nej"})
    client.post(action, {"handling": "videresend", "forward_to": "logistics", "unit": str(scale.pk)})
    page = client_for(secretariat).get("/telesupport/sjaelland/styring/").content.decode()
    repeat = page.split('id="repeat-faults"')[1].split("</table>")[0]
    assert "Model scale" in repeat
    by_cause = page.split('id="by-cause"')[1].split("</table>")[0]
    assert "Vægt defekt" in by_cause
