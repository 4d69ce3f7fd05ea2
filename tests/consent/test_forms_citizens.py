"""The citizen forms on the consent pages: referral, enrolment, end of course and consent. Each form's happy path
(written through the actions, audited), each bad input (a Danish message, 400, nothing changed), and who may use
them (the controllers' staff in their own scope; never an operator; outsiders 403)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from samvirke.audit.models import AuditEntry
from samvirke.consent.models import Consent, ConsentText, ProgrammeCitizen
from samvirke.directory.models import Municipality, Person
from samvirke.telecare.models import Enrolment, Landsdel
from tests.conftest import client_for
from tests.consent.conftest import GREVE, HOLBAEK, refer

pytestmark = pytest.mark.django_db

REFER = "/samtykke/borgere/henvis/"
CPR = "010203-1234"


def _referral(landsdel: Landsdel, code: int = GREVE, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "landsdel": landsdel.pk,
        "municipality": Municipality.objects.get(code=code).pk,
        "citizen_ref": "SJ-0100",
        "name": "Ole Jensen",
        "address": "Strandvej 4",
        "postcode": "2670",
        "city": "Greve",
        "phone": "43 40 11 11",
        "latitude": "55,58",
        "longitude": "12,3",
        "diagnosis": "KOL",
        "referred_at": "2025-03-03",
        "referrer_kind": "municipality",
        "referrer_name": "Greve Kommune, Sundhed",
        "urgency": "urgent",
    }
    data.update(extra)
    return data


def _snapshot() -> tuple[int, int, int, int]:
    return (
        ProgrammeCitizen.objects.count(),
        Consent.objects.count(),
        Enrolment.objects.count(),
        AuditEntry.objects.count(),
    )


# --- referral ---------------------------------------------------------------------------------------------------


def test_the_secretariat_refers_a_citizen(secretariat: Person, landsdel: Landsdel) -> None:
    client = client_for(secretariat)
    page = client.get(REFER)
    assert page.status_code == 200 and 'id="refer-form"' in page.content.decode()
    response = client.post(REFER, _referral(landsdel))
    found = ProgrammeCitizen.objects.get(citizen_ref="SJ-0100")
    assert response.status_code == 302 and response["Location"] == f"/samtykke/borgere/{found.pk}/"
    assert found.landsdel == landsdel and found.municipality.code == GREVE
    assert found.urgency == "urgent" and found.referrer_kind == "municipality"
    assert str(found.latitude) == "55.580000" and found.referred_at == dt.date(2025, 3, 3)
    assert found.measurements_note == ""  # the controllers do not write the measurements
    entry = AuditEntry.objects.get(action="consent.citizen_referred")
    assert entry.actor_name and "SJ-0100" in entry.object_repr


def test_a_coordinator_refers_only_their_own_municipalitys_citizens(
    greve_coordinator: Person, landsdel: Landsdel
) -> None:
    client = client_for(greve_coordinator)
    html = client.get(REFER).content.decode()
    assert "Greve" in html and "Holbæk" not in html  # the choice offers their own municipality only
    before = _snapshot()
    response = client.post(REFER, _referral(landsdel, code=HOLBAEK, citizen_ref="SJ-0101"))
    assert response.status_code == 400
    assert "Du kan ikke henvise borgere fra den kommune." in response.content.decode()
    assert _snapshot() == before
    assert client.post(REFER, _referral(landsdel)).status_code == 302
    assert ProgrammeCitizen.objects.get().municipality.code == GREVE


def test_a_municipality_outside_the_landsdels_region_is_refused(
    secretariat: Person, landsdel: Landsdel, other_landsdel: Landsdel
) -> None:
    before = _snapshot()
    response = client_for(secretariat).post(REFER, _referral(other_landsdel, code=GREVE))
    assert response.status_code == 400
    assert "Kommunen ligger ikke i landsdelens region." in response.content.decode()
    assert _snapshot() == before


@pytest.mark.parametrize("field", ["citizen_ref", "name", "address", "referrer_name"])
def test_a_cpr_looking_value_is_refused_and_not_repeated(secretariat: Person, landsdel: Landsdel, field: str) -> None:
    before = _snapshot()
    response = client_for(secretariat).post(REFER, _referral(landsdel, **dict[str, Any]({field: f"{CPR}"})))
    html = response.content.decode()
    assert response.status_code == 400
    assert "ligner et CPR-nummer" in html
    assert CPR not in html and "0102031234" not in html  # neither in the message nor back in the field
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"citizen_ref": ""}, "Angiv en borgerreference (et pseudonym)."),
        ({"name": ""}, "Angiv borgerens navn."),
        ({"postcode": "26"}, "Postnummeret er fire cifre."),
        ({"latitude": "nord"}, "Breddegraden skal være et tal"),
        ({"latitude": "91"}, "Breddegraden ligger mellem -90 og 90."),
        ({"referred_at": "i går"}, "som en dato"),
        ({"referred_at": "2999-01-01"}, "Henvisningen kan ikke ligge i fremtiden."),
        ({"referrer_kind": "læge"}, "Vælg kommunen eller hospitalet."),
        ({"urgency": "meget"}, "Vælg standard eller hastende."),
        # the fixture's citizen: one reference per landsdel
        ({"citizen_ref": "SJ-0001"}, "Referencen findes allerede i landsdelen; brug en anden."),
    ],
)
def test_bad_referrals_change_nothing(
    secretariat: Person, citizen: ProgrammeCitizen, change: dict[str, str], message: str
) -> None:
    before = _snapshot()
    response = client_for(secretariat).post(REFER, _referral(citizen.landsdel, **dict[str, Any](change)))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _snapshot() == before


def test_operators_and_outsiders_cannot_refer(
    operators: dict[str, Person], outsider: Person, holbaek_agent: Person, landsdel: Landsdel
) -> None:
    for person in [*operators.values(), outsider, holbaek_agent]:
        client = client_for(person)
        assert client.get(REFER).status_code == 403
        assert client.post(REFER, _referral(landsdel)).status_code == 403
    assert not ProgrammeCitizen.objects.exists()


# --- enrolment and end of course --------------------------------------------------------------------------------


def test_enrol_then_end_the_course(region_staff: Person, landsdel: Landsdel) -> None:
    found = refer(landsdel, ref="SJ-0200")
    client = client_for(region_staff)
    assert 'id="enrol-form"' in client.get(f"/samtykke/borgere/{found.pk}/").content.decode()
    response = client.post(f"/samtykke/borgere/{found.pk}/indskriv/", {"enrol-day": "2025-03-10"})
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.enrolled_at == dt.date(2025, 3, 10)
    assert Enrolment.objects.get(citizen_ref="SJ-0200").enrolled_to is None
    assert 'id="end-form"' in client.get(f"/samtykke/borgere/{found.pk}/").content.decode()
    response = client.post(f"/samtykke/borgere/{found.pk}/afslut/", {"end-day": "10.9.2025"})
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.ended_at == dt.date(2025, 9, 10)
    assert Enrolment.objects.get(citizen_ref="SJ-0200").enrolled_to == dt.date(2025, 9, 10)
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "consent.citizen_enrolled",
        "consent.course_ended",
    }


@pytest.mark.parametrize(
    ("step", "day", "message"),
    [
        ("indskriv", "2025-03-01", "Indskrivningen kan ikke ligge før henvisningen."),
        ("indskriv", "", "Angiv datoen."),
        ("indskriv", "31.2.2025", "som en dato"),
        ("afslut", "2025-03-10", "Borgeren er ikke indskrevet i programmet."),
    ],
)
def test_bad_enrolment_or_end_changes_nothing(
    secretariat: Person, landsdel: Landsdel, step: str, day: str, message: str
) -> None:
    found = refer(landsdel, ref="SJ-0201")  # referred 3.3.2025, not enrolled
    before = _snapshot()
    prefix = "enrol" if step == "indskriv" else "end"
    response = client_for(secretariat).post(f"/samtykke/borgere/{found.pk}/{step}/", {f"{prefix}-day": day})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _snapshot() == before
    found.refresh_from_db()
    assert found.enrolled_at is None and found.ended_at is None


def test_the_course_cannot_end_before_enrolment(secretariat: Person, citizen: ProgrammeCitizen) -> None:
    before = _snapshot()  # the fixture's citizen is enrolled 10.3.2025
    response = client_for(secretariat).post(f"/samtykke/borgere/{citizen.pk}/afslut/", {"end-day": "2025-03-09"})
    assert response.status_code == 400
    assert "Forløbet kan ikke slutte før indskrivningen." in response.content.decode()
    assert _snapshot() == before
    citizen.refresh_from_db()
    assert citizen.ended_at is None


def test_course_steps_are_refused_outside_the_scope(
    operators: dict[str, Person], outsider: Person, greve_coordinator: Person, landsdel: Landsdel
) -> None:
    holbaek_citizen = refer(landsdel, ref="SJ-0300", code=HOLBAEK)  # Greve's coordinator may not act for Holbæk
    for person in [*operators.values(), outsider, greve_coordinator]:
        response = client_for(person).post(
            f"/samtykke/borgere/{holbaek_citizen.pk}/indskriv/", {"enrol-day": "2025-03-10"}
        )
        assert response.status_code == 403, person.username
    holbaek_citizen.refresh_from_db()
    assert holbaek_citizen.enrolled_at is None


# --- consent ----------------------------------------------------------------------------------------------------


def _consent(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "data_categories": ["identitet", "kontakt", "programdeltagelse"],
        "purposes": ["opsætning og logistik", "support"],
        "operator_kinds": ["support", "logistics"],
        "diagnoses": "KOL; Hjertesvigt, Diabetes",
    }
    data.update(extra)
    return data


def test_a_consent_is_recorded_on_the_citizen_page(
    greve_coordinator: Person, landsdel: Landsdel, consent_text: ConsentText
) -> None:
    newer = ConsentText.objects.create(version="2025.2", body="Ny tekst", active=True)
    ConsentText.objects.create(version="2024.1", body="Gammel", active=False)
    found = refer(landsdel, ref="SJ-0400")
    client = client_for(greve_coordinator)
    html = client.get(f"/samtykke/borgere/{found.pk}/").content.decode()
    assert 'id="consent-form"' in html and "2025.2" in html and "2024.1" not in html
    response = client.post(f"/samtykke/borgere/{found.pk}/samtykke/", _consent(text_version=consent_text.pk))
    assert response.status_code == 302
    consent = Consent.objects.get(citizen=found)
    assert consent.text_version == consent_text and consent.text_version != newer
    assert consent.data_categories == ["identitet", "kontakt", "programdeltagelse"]
    assert consent.purposes == ["opsætning og logistik", "support"]
    assert consent.operator_kinds == ["support", "logistics"]
    assert consent.diagnoses == ["KOL", "Hjertesvigt", "Diabetes"]  # several in advance
    assert not consent.by_proxy and consent.recorded_by == greve_coordinator
    assert consent.given_at <= timezone.now()
    assert AuditEntry.objects.filter(action="consent.consent_recorded").count() == 1


def test_a_consent_by_proxy_names_who_and_on_what_authority(secretariat: Person, citizen: ProgrammeCitizen) -> None:
    response = client_for(secretariat).post(
        f"/samtykke/borgere/{citizen.pk}/samtykke/",
        _consent(by_proxy="on", proxy_name="Jens Hansen", proxy_authority="Fremtidsfuldmagt"),
    )
    assert response.status_code == 302
    consent = Consent.objects.latest("id")
    assert consent.by_proxy and (consent.proxy_name, consent.proxy_authority) == ("Jens Hansen", "Fremtidsfuldmagt")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"operator_kinds": []}, "Vælg mindst én operatørtype."),
        ({"operator_kinds": ["naboen"]}, "Ukendt operatørtype."),
        ({"data_categories": []}, "Vælg mindst én datakategori."),
        ({"data_categories": ["økonomi"]}, "Ukendt datakategori."),
        ({"purposes": []}, "Vælg mindst ét formål."),
        ({"diagnoses": " , ;"}, "Angiv mindst én diagnose."),
        ({"diagnoses": ""}, "Angiv mindst én diagnose."),
        ({"by_proxy": "on", "proxy_name": "Jens Hansen"}, "kræver stedfortræderens hjemmel."),
        ({"by_proxy": "on", "proxy_authority": "Værgemål"}, "kræver stedfortræderens navn."),
        ({"proxy_name": "Jens Hansen", "proxy_authority": "Værgemål"}, "Markér «Givet ved stedfortræder»"),
        ({"text_version": "999999"}, "Vælg en aktiv version af standardteksten."),
    ],
)
def test_bad_consents_change_nothing(
    secretariat: Person, citizen: ProgrammeCitizen, change: dict[str, Any], message: str
) -> None:
    before = _snapshot()
    response = client_for(secretariat).post(f"/samtykke/borgere/{citizen.pk}/samtykke/", _consent(**change))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _snapshot() == before


def test_an_inactive_text_version_is_refused(secretariat: Person, citizen: ProgrammeCitizen) -> None:
    old = ConsentText.objects.create(version="2024.1", body="Gammel", active=False)
    before = _snapshot()
    response = client_for(secretariat).post(f"/samtykke/borgere/{citizen.pk}/samtykke/", _consent(text_version=old.pk))
    assert response.status_code == 400 and "Vælg en aktiv version" in response.content.decode()
    assert _snapshot() == before


def test_a_cpr_number_as_proxy_is_refused_and_not_repeated(secretariat: Person, citizen: ProgrammeCitizen) -> None:
    before = _snapshot()
    response = client_for(secretariat).post(
        f"/samtykke/borgere/{citizen.pk}/samtykke/",
        _consent(by_proxy="on", proxy_name=CPR, proxy_authority="Værgemål", diagnoses=f"KOL, {CPR}"),
    )
    html = response.content.decode()
    assert response.status_code == 400 and "ligner et CPR-nummer" in html and CPR not in html
    assert _snapshot() == before


def test_operators_and_outsiders_cannot_record_consent(
    operators: dict[str, Person], outsider: Person, citizen: ProgrammeCitizen
) -> None:
    before = _snapshot()
    for person in [*operators.values(), outsider]:
        response = client_for(person).post(f"/samtykke/borgere/{citizen.pk}/samtykke/", _consent())
        assert response.status_code == 403, person.username
        html = client_for(person).get(f"/samtykke/borgere/{citizen.pk}/").content.decode()
        assert 'id="consent-form"' not in html and 'id="end-form"' not in html
    assert _snapshot()[:3] == before[:3]  # (the operators' page views are logged as disclosures, not audited writes)
