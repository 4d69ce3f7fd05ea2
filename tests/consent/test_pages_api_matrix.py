"""The must-show matrix on every surface: for each operator kind and each citizen field, allowed or refused on the
citizen page, in the export and in the API; a withdrawn consent stops every disclosure at once (page, export, API)
and the refusal is logged; outsiders are refused."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from samvirke.consent.actions import do_withdraw_consent
from samvirke.consent.disclosure import FIELD_LABELS
from samvirke.consent.models import CITIZEN_FIELDS, Consent, Disclosure, ProgrammeCitizen
from samvirke.directory.models import Person
from tests.conftest import client_for
from tests.consent.conftest import KINDS
from tests.consent.test_disclosure_app import EXPECTED

pytestmark = pytest.mark.django_db

# Values unique enough to be found in a page: the label and the value of each field on the fixture's citizen.
SHOWN = {
    "name": "Karen Hansen",
    "address": "Byvej 1",
    "phone": "43 40 00 00",
    "referrer_name": "Lungemedicinsk afd., Roskilde",
    "measurements_note": "SpO2 93 %",
}


def _page_labels(html: str) -> set[str]:
    return {field for field, label in FIELD_LABELS.items() if f"<dt>{label}</dt>" in html}


def _export(person: Person) -> tuple[list[str], list[list[object]]]:
    response = client_for(person).get("/samtykke/borgere.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return [str(c) for c in rows[0]], rows[1:]


@pytest.mark.parametrize("kind", KINDS)
def test_page_export_and_api_show_exactly_the_kinds_fields(
    kind: str, operators: dict[str, Person], citizen: ProgrammeCitizen
) -> None:
    person = operators[kind]
    allowed = EXPECTED[kind]
    client = client_for(person)

    page = client.get(f"/samtykke/borgere/{citizen.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert _page_labels(html) == allowed
    for field, value in SHOWN.items():
        assert (value in html) == (field in allowed), (kind, field)

    columns, rows = _export(person)
    assert columns == [FIELD_LABELS[f] for f in CITIZEN_FIELDS if f in allowed]
    assert len(rows) == 1
    exported = " ".join(str(v) for v in rows[0])
    for field, value in SHOWN.items():
        assert (value in exported) == (field in allowed), (kind, field)

    api = client.get("/api/telecare/citizens/SJ-0001")
    assert api.status_code == 200
    assert set(api.json()) == allowed
    if "measurements_note" in allowed:
        assert api.json()["measurements_note"] == "SpO2 93 %, vægt 71,2 kg"

    # Three disclosures logged (page, export, API), each naming exactly the allowed fields.
    logged = list(Disclosure.objects.filter(person=person, refused=False))
    assert len(logged) == 3
    assert all(set(d.fields) == allowed for d in logged)
    assert {d.purpose for d in logged} == {
        "Borgerens side i samtykkeregistret",
        "Eksport af borgerlisten",
        "Opslag via API",
    }


def test_withdrawal_stops_page_export_and_api_at_once(
    operators: dict[str, Person], citizen: ProgrammeCitizen, secretariat: Person
) -> None:
    person = operators["support"]
    client = client_for(person)
    assert client.get(f"/samtykke/borgere/{citizen.pk}/").status_code == 200

    response = client_for(secretariat).post(f"/samtykke/samtykker/{Consent.objects.get().pk}/tilbagekald/")
    assert response.status_code == 302
    assert Consent.objects.get().withdrawn_at is not None

    page = client.get(f"/samtykke/borgere/{citizen.pk}/")
    assert page.status_code == 403
    assert "Karen Hansen" not in page.content.decode()
    _, rows = _export(person)
    assert not any("Karen Hansen" in str(v) for row in rows for v in row)
    api = client.get("/api/telecare/citizens/SJ-0001")
    assert api.status_code == 403
    assert "samtykke" in api.json()["detail"]
    assert "name" not in api.json()

    refused = Disclosure.objects.filter(person=person, refused=True)
    assert refused.count() == 3 and all("samtykke" in d.reason for d in refused)
    assert Disclosure.objects.filter(person=person, refused=False).count() == 1  # the page before


def test_withdrawal_by_action_every_kind(operators: dict[str, Person], citizen: ProgrammeCitizen) -> None:
    do_withdraw_consent(None, Consent.objects.get())
    for kind in KINDS:
        assert client_for(operators[kind]).get("/api/telecare/citizens/SJ-0001").status_code == 403
    assert Disclosure.objects.filter(refused=False).count() == 0


def test_secretariat_sees_all_but_measurements(secretariat: Person, citizen: ProgrammeCitizen) -> None:
    api = client_for(secretariat).get("/api/telecare/citizens/SJ-0001")
    assert api.status_code == 200
    assert set(api.json()) == set(CITIZEN_FIELDS) - {"measurements_note"}
    html = client_for(secretariat).get(f"/samtykke/borgere/{citizen.pk}/").content.decode()
    assert "SpO2" not in html and "Karen Hansen" in html and "consent-form" in html


def test_outsiders_are_refused(
    outsider: Person, holbaek_agent: Person, greve_coordinator: Person, citizen: ProgrammeCitizen
) -> None:
    for person in (outsider, holbaek_agent):
        client = client_for(person)
        assert client.get("/samtykke/").status_code == 403
        assert client.get(f"/samtykke/borgere/{citizen.pk}/").status_code == 403
        assert client.get("/samtykke/borgere.xlsx").status_code == 403
        assert client.get("/api/telecare/citizens/SJ-0001").status_code == 403
    # Greve's coordinator sees Greve's citizen; the fixture citizen is of Greve.
    assert client_for(greve_coordinator).get("/api/telecare/citizens/SJ-0001").status_code == 200
    assert client_for(greve_coordinator).get("/api/telecare/citizens/SJ-9999").status_code == 404


def test_operators_cannot_record_or_withdraw_consent(operators: dict[str, Person], citizen: ProgrammeCitizen) -> None:
    client = client_for(operators["service"])
    consent = Consent.objects.get()
    assert client.post(f"/samtykke/samtykker/{consent.pk}/tilbagekald/").status_code == 403
    assert client.post(f"/samtykke/borgere/{citizen.pk}/samtykke/", {"operator_kinds": ["service"]}).status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_at is None and Consent.objects.count() == 1


def test_consent_form_records_and_bad_input_changes_nothing(secretariat: Person, citizen: ProgrammeCitizen) -> None:
    client = client_for(secretariat)
    url = f"/samtykke/borgere/{citizen.pk}/samtykke/"
    response = client.post(url, {"operator_kinds": ["support"], "diagnoses": "KOL", "by_proxy": "on"}, follow=True)
    assert "stedfortræder" in response.content.decode()
    assert Consent.objects.count() == 1
    client.post(
        url,
        {
            "operator_kinds": ["support"],
            "data_categories": ["identitet", "kontakt"],
            "purposes": ["support"],
            "diagnoses": "KOL, Hjertesvigt",
            "by_proxy": "on",
            "proxy_name": "Jens Hansen",
            "proxy_authority": "Værgemål",
        },
    )
    consent = Consent.objects.latest("id")
    assert consent.by_proxy and consent.diagnoses == ["KOL", "Hjertesvigt"] and consent.operator_kinds == ["support"]
    printed = client.get(f"/samtykke/samtykker/{consent.pk}/udskrift/").content.decode()
    assert "Jens Hansen" in printed and "Værgemål" in printed and "2025.1" in printed


def test_the_register_lists_references_only_and_navigation_links_it(
    operators: dict[str, Person], citizen: ProgrammeCitizen
) -> None:
    html = client_for(operators["support"]).get("/samtykke/").content.decode()
    assert "SJ-0001" in html and "aktivt" in html
    assert "Karen Hansen" not in html and "Byvej" not in html
    assert 'href="/samtykke/"' in html  # the header's link "Samtykker"
    assert not Disclosure.objects.exists()  # a pseudonymous list discloses nothing
