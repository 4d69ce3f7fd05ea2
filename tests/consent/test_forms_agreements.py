"""The data processing agreements' forms (sign from the template, accede, sub-processor with notice, the yearly
audit statement, termination with return/deletion) and the admin: happy paths through the actions (audited), bad
input (Danish message, 400, nothing changed), scoping; the admin's disclosure log is read-only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from samvirke.audit.models import AuditEntry
from samvirke.consent.actions import do_add_sub_processor, do_sign_agreement
from samvirke.consent.models import (
    Accession,
    DataProcessingAgreement,
    Disclosure,
    DpaTemplate,
    Operator,
    ProgrammeCitizen,
    SubProcessor,
)
from samvirke.directory.models import Municipality, Person, Role
from samvirke.telecare.models import Landsdel
from tests.conftest import PASSWORD, client_for
from tests.consent.conftest import GREVE, HOLBAEK

pytestmark = pytest.mark.django_db

BASE = "/samtykke/databehandleraftaler/"


@pytest.fixture
def operator(landsdel: Landsdel) -> Operator:
    DpaTemplate.objects.create(operator_kind="logistics", version="L-1", body="…")
    return Operator.objects.create(name="Logistik A/S", kind="logistics", landsdel=landsdel)


@pytest.fixture
def region_dpa(landsdel: Landsdel, operator: Operator) -> DataProcessingAgreement:
    return do_sign_agreement(None, operator, signed_at=dt.date(2025, 2, 1), region=landsdel.region)


def _state() -> tuple[object, ...]:
    return (
        list(DataProcessingAgreement.objects.order_by("pk").values()),
        list(Accession.objects.order_by("pk").values()),
        list(SubProcessor.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


def test_the_secretariat_signs_an_agreement_from_the_template(secretariat: Person, operator: Operator) -> None:
    client = client_for(secretariat)
    html = client.get(BASE).content.decode()
    assert 'id="sign-form"' in html and 'id="sub-form"' in html
    greve = Municipality.objects.get(code=GREVE)
    response = client.post(
        f"{BASE}ny/", {"operator": operator.pk, "controller": f"municipality:{greve.pk}", "signed_at": "2025-02-28"}
    )
    assert response.status_code == 302
    dpa = DataProcessingAgreement.objects.get()
    assert dpa.municipality == greve and dpa.template.version == "L-1"
    assert dpa.audit_statement_due == dt.date(2026, 2, 28)
    assert AuditEntry.objects.filter(action="consent.dpa_signed").count() == 1


def test_bad_signatures_change_nothing(secretariat: Person, region_dpa: DataProcessingAgreement) -> None:
    client = client_for(secretariat)
    operator, region = region_dpa.operator, region_dpa.region
    assert region is not None
    before = _state()
    ok = {"operator": operator.pk, "controller": f"region:{region.pk}", "signed_at": "2025-03-01"}
    cases = [
        (ok, "allerede en aftale"),
        ({**ok, "controller": "region:999999"}, "du handler for"),
        ({**ok, "operator": 999999}, "Vælg en operatør"),
        ({**ok, "signed_at": ""}, "Angiv datoen"),
    ]
    for data, message in cases:
        response = client.post(f"{BASE}ny/", data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    assert _state() == before


def test_accession_and_the_yearly_audit_statement(region_staff: Person, region_dpa: DataProcessingAgreement) -> None:
    client = client_for(region_staff)
    prefix = f"dpa{region_dpa.pk}"
    html = client.get(BASE).content.decode()
    assert f'id="accede-{region_dpa.pk}"' in html and f'id="audit-{region_dpa.pk}"' in html
    response = client.post(
        f"{BASE}{region_dpa.pk}/tiltraedelse/",
        {f"{prefix}-participant": "Greve Kommune", f"{prefix}-acceded_at": "2025-03-01"},
    )
    assert response.status_code == 302
    assert list(region_dpa.accessions.values_list("participant", "acceded_at")) == [
        ("Greve Kommune", dt.date(2025, 3, 1))
    ]
    response = client.post(f"{BASE}{region_dpa.pk}/revisionserklaering/", {f"{prefix}-received_at": "2025-01-20"})
    assert response.status_code == 302
    region_dpa.refresh_from_db()
    assert region_dpa.last_audit_statement_at == dt.date(2025, 1, 20)
    assert region_dpa.audit_statement_due == dt.date(2026, 1, 20)
    assert {"consent.dpa_acceded", "consent.dpa_audit_statement"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )


def test_bad_accessions_and_audit_statements_change_nothing(
    secretariat: Person, region_dpa: DataProcessingAgreement
) -> None:
    client = client_for(secretariat)
    prefix = f"dpa{region_dpa.pk}"
    Accession.objects.create(agreement=region_dpa, participant="Greve Kommune", acceded_at=dt.date(2025, 3, 1))
    before = _state()
    cases = [
        ("tiltraedelse", {f"{prefix}-participant": "", f"{prefix}-acceded_at": "2025-03-01"}, "Angiv deltageren."),
        ("tiltraedelse", {f"{prefix}-participant": "Greve Kommune", f"{prefix}-acceded_at": "2025-03-02"}, "allerede"),
        ("tiltraedelse", {f"{prefix}-participant": "Køge Kommune", f"{prefix}-acceded_at": "snart"}, "som en dato"),
        ("revisionserklaering", {f"{prefix}-received_at": "2999-01-01"}, "kan ikke være modtaget i fremtiden"),
        ("revisionserklaering", {}, "Angiv datoen, revisionserklæringen er modtaget."),
    ]
    for step, data, message in cases:
        response = client.post(f"{BASE}{region_dpa.pk}/{step}/", data)
        assert response.status_code == 400, (step, data)
        assert message in response.content.decode(), (step, data)
    assert _state() == before


def test_termination_records_return_or_deletion(secretariat: Person, region_dpa: DataProcessingAgreement) -> None:
    client = client_for(secretariat)
    prefix = f"dpa{region_dpa.pk}"
    url = f"{BASE}{region_dpa.pk}/ophoer/"
    data = {
        f"{prefix}-terminated_at": "2025-06-30",
        f"{prefix}-handling": "deleted",
        f"{prefix}-handled_at": "2025-07-15",
    }
    before = _state()
    for bad, message in [
        ({**data, f"{prefix}-handling": ""}, "tilbageleveret eller slettet"),
        ({**data, f"{prefix}-handled_at": "2025-06-01"}, "før ophøret"),
    ]:
        response = client.post(url, bad)
        assert response.status_code == 400 and message in response.content.decode()
    assert _state() == before
    assert client.post(url, data).status_code == 302
    region_dpa.refresh_from_db()
    assert (region_dpa.terminated_at, region_dpa.data_returned_or_deleted) == (dt.date(2025, 6, 30), "deleted")
    assert client.post(url, data).status_code == 400  # already terminated: refused, unchanged


def test_a_sub_processor_replacement_needs_notice(secretariat: Person, operator: Operator) -> None:
    old = do_add_sub_processor(None, operator, name="Kurer ApS", service="Transport", since=dt.date(2025, 1, 1))
    client = client_for(secretariat)
    url = f"{BASE}underdatabehandlere/"
    data = {
        "operator": operator.pk,
        "name": "Fragt A/S",
        "service": "Transport",
        "country": "Danmark",
        "since": "2025-05-01",
        "replaces": old.pk,
    }
    before = _state()
    response = client.post(url, data)
    assert response.status_code == 400 and "de dataansvarlige er underrettet" in response.content.decode()
    response = client.post(url, {**data, "notified_at": "2025-05-02"})
    assert response.status_code == 400 and "underrettes før udskiftningen" in response.content.decode()
    assert _state() == before
    assert client.post(url, {**data, "notified_at": "2025-04-01"}).status_code == 302
    old.refresh_from_db()
    new = SubProcessor.objects.get(name="Fragt A/S")
    assert old.until == dt.date(2025, 5, 1) and new.replaces == old and new.notified_at == dt.date(2025, 4, 1)


def test_agreement_writes_are_scoped(
    greve_coordinator: Person,
    operators: dict[str, Person],
    outsider: Person,
    region_dpa: DataProcessingAgreement,
    operator: Operator,
) -> None:
    prefix = f"dpa{region_dpa.pk}"
    before = _state()
    # A coordinator sees the region's agreement but does not act for the region, nor registers sub-processors.
    coordinator = client_for(greve_coordinator)
    html = coordinator.get(BASE).content.decode()
    assert f'id="dpa-{region_dpa.pk}"' in html and f'id="accede-{region_dpa.pk}"' not in html
    assert 'id="sub-form"' not in html
    assert (
        coordinator.post(f"{BASE}{region_dpa.pk}/revisionserklaering/", {f"{prefix}-received_at": "2025-01-20"})
    ).status_code == 403
    assert coordinator.post(f"{BASE}underdatabehandlere/", {"operator": operator.pk}).status_code == 403
    holbaek = Municipality.objects.get(code=HOLBAEK)
    response = coordinator.post(
        f"{BASE}ny/", {"operator": operator.pk, "controller": f"municipality:{holbaek.pk}", "signed_at": "2025-03-01"}
    )
    assert response.status_code == 400 and "du handler for" in response.content.decode()
    # Operators and outsiders: no agreement page and no write.
    for person in [*operators.values(), outsider]:
        client = client_for(person)
        assert client.get(BASE).status_code == 403
        for step in ("tiltraedelse", "revisionserklaering", "ophoer"):
            assert client.post(f"{BASE}{region_dpa.pk}/{step}/", {}).status_code == 403
        assert client.post(f"{BASE}ny/", {}).status_code == 403
    assert _state() == before
    # The coordinator signs for their own municipality, and then accedes to that agreement.
    greve = Municipality.objects.get(code=GREVE)
    response = coordinator.post(
        f"{BASE}ny/", {"operator": operator.pk, "controller": f"municipality:{greve.pk}", "signed_at": "2025-03-01"}
    )
    assert response.status_code == 302
    own = DataProcessingAgreement.objects.get(municipality=greve)
    response = coordinator.post(
        f"{BASE}{own.pk}/tiltraedelse/",
        {f"dpa{own.pk}-participant": "Greve Kommune", f"dpa{own.pk}-acceded_at": "2025-03-02"},
    )
    assert response.status_code == 302 and own.accessions.count() == 1


# --- the admin --------------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(fellesskab: object) -> Client:
    person = Person(username="admin", role=Role.SECRETARIAT, is_staff=True, is_superuser=True)
    person.set_password(PASSWORD)
    person.save()
    return client_for(person)


def test_the_admin_shows_the_disclosure_log_read_only(
    admin_client: Client, operators: dict[str, Person], citizen: ProgrammeCitizen
) -> None:
    assert client_for(operators["support"]).get(f"/samtykke/borgere/{citizen.pk}/").status_code == 200
    disclosure = Disclosure.objects.get()
    listing = admin_client.get("/admin/consent/disclosure/")
    assert listing.status_code == 200 and "/admin/consent/disclosure/add/" not in listing.content.decode()
    assert admin_client.get("/admin/consent/disclosure/add/").status_code == 403
    detail = admin_client.get(f"/admin/consent/disclosure/{disclosure.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()  # view only
    before = list(Disclosure.objects.values())
    assert admin_client.post(f"/admin/consent/disclosure/{disclosure.pk}/change/", {"purpose": "x"}).status_code == 403
    assert admin_client.post(f"/admin/consent/disclosure/{disclosure.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = admin_client.post(
        "/admin/consent/disclosure/", {"action": "delete_selected", "_selected_action": [disclosure.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302)
    assert list(Disclosure.objects.values()) == before


def test_the_admin_lists_the_consent_models_and_hides_the_measurements(
    admin_client: Client, citizen: ProgrammeCitizen, region_dpa: DataProcessingAgreement
) -> None:
    for model in (
        "operator",
        "operatoruser",
        "programmecitizen",
        "consenttext",
        "consent",
        "dpatemplate",
        "dataprocessingagreement",
        "subprocessor",
    ):
        assert admin_client.get(f"/admin/consent/{model}/").status_code == 200, model
    page = admin_client.get(f"/admin/consent/programmecitizen/{citizen.pk}/change/").content.decode()
    assert "SJ-0001" in page and "SpO2" not in page and 'name="measurements_note"' not in page
    assert admin_client.get("/admin/consent/consent/add/").status_code == 403  # consents only through the actions
