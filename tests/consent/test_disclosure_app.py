"""The one place a citizen's fields leave the model: field by field per operator kind, consent, withdrawal, scope,
and every disclosure and refused attempt logged."""

from __future__ import annotations

import datetime as dt

import pytest

from samvirke.consent.access import CONTROLLER_FIELDS, FIELDS_BY_KIND, has_active_consent
from samvirke.consent.actions import do_record_consent, do_withdraw_consent
from samvirke.consent.disclosure import DisclosureRefused, citizen_card, disclose
from samvirke.consent.models import CITIZEN_FIELDS, Consent, Disclosure, ProgrammeCitizen
from samvirke.directory.models import Person
from samvirke.telecare.models import Landsdel
from tests.consent.conftest import KINDS, operator_person, refer

pytestmark = pytest.mark.django_db

# The matrix, written out by hand (not derived from FIELDS_BY_KIND), so a change to the rules fails here.
IDENTITY = {"citizen_ref", "name", "address", "postcode", "city", "phone", "diagnosis", "in_programme"}
EXPECTED = {
    "support": IDENTITY,
    "logistics": IDENTITY
    | {
        "latitude",
        "longitude",
        "municipality",
        "urgency",
        "referred_at",
        "referrer_kind",
        "referrer_name",
        "enrolled_at",
        "ended_at",
        "self_collect",
    },
    "service": IDENTITY | {"municipality", "enrolled_at", "ended_at", "measurements_note"},
    "health": IDENTITY
    | {"municipality", "enrolled_at", "ended_at", "referred_at", "referrer_kind", "referrer_name", "measurements_note"},
}


def test_the_rules_are_the_matrix() -> None:
    assert {k: set(v) for k, v in FIELDS_BY_KIND.items()} == EXPECTED
    assert set(CONTROLLER_FIELDS) == set(CITIZEN_FIELDS) - {"measurements_note"}
    for kind in ("support", "logistics"):
        assert "measurements_note" not in FIELDS_BY_KIND[kind]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("field", CITIZEN_FIELDS)
def test_each_field_for_each_operator_kind(
    kind: str, field: str, operators: dict[str, Person], citizen: ProgrammeCitizen
) -> None:
    person = operators[kind]
    if field in EXPECTED[kind]:
        values = disclose(person, citizen, [field], "test")
        assert list(values) == [field]
        log = Disclosure.objects.get(person=person)
        assert (log.fields, log.refused, log.purpose) == ([field], False, "test")
        assert log.operator is not None and log.operator.kind == kind
    else:
        with pytest.raises(DisclosureRefused, match="Din rolle må ikke se"):
            disclose(person, citizen, [field], "test")
        log = Disclosure.objects.get(person=person)
        assert (log.fields, log.refused) == ([field], True)


def test_values_are_the_citizens(operators: dict[str, Person], citizen: ProgrammeCitizen) -> None:
    card = citizen_card(operators["service"], citizen, "opkald om vægt")
    assert card["name"] == "Karen Hansen"
    assert card["measurements_note"] == "SpO2 93 %, vægt 71,2 kg"
    assert card["municipality"] == "Greve"
    assert card["in_programme"] is True
    assert list(card) == [f for f in CITIZEN_FIELDS if f in EXPECTED["service"]]


def test_one_refused_field_refuses_the_whole_request_and_discloses_nothing(
    operators: dict[str, Person], citizen: ProgrammeCitizen
) -> None:
    before = ProgrammeCitizen.objects.values().get(pk=citizen.pk)
    with pytest.raises(DisclosureRefused, match="Målinger"):
        disclose(operators["support"], citizen, ["name", "measurements_note"], "fejlsøgning")
    log = Disclosure.objects.get()
    assert log.refused and log.fields == ["name", "measurements_note"] and "Målinger" in log.reason
    assert ProgrammeCitizen.objects.values().get(pk=citizen.pk) == before
    assert Consent.objects.get().withdrawn_at is None


def test_withdrawal_stops_disclosure_at_once(operators: dict[str, Person], citizen: ProgrammeCitizen) -> None:
    person = operators["logistics"]
    assert disclose(person, citizen, ["address"], "opsætning") == {"address": "Byvej 1"}
    do_withdraw_consent(None, Consent.objects.get(citizen=citizen))
    with pytest.raises(DisclosureRefused, match="samtykke"):
        disclose(person, citizen, ["address"], "opsætning")  # the same (old) instance: nothing cached
    assert list(Disclosure.objects.filter(person=person).order_by("id").values_list("refused", flat=True)) == [
        False,
        True,
    ]


def test_consent_must_cover_the_kind(landsdel: Landsdel, operators: dict[str, Person], consent_text: object) -> None:
    citizen = refer(landsdel, "SJ-0002")
    with pytest.raises(DisclosureRefused):
        disclose(operators["support"], citizen, ["name"], "opkald")  # no consent yet
    do_record_consent(None, citizen, operator_kinds=["logistics"])
    assert has_active_consent(citizen, "logistics") and not has_active_consent(citizen, "support")
    assert disclose(operators["logistics"], citizen, ["name"], "opsætning") == {"name": "Karen Hansen"}
    with pytest.raises(DisclosureRefused):
        disclose(operators["support"], citizen, ["name"], "opkald")


def test_consent_must_cover_the_diagnosis(
    landsdel: Landsdel, operators: dict[str, Person], consent_text: object
) -> None:
    citizen = refer(landsdel, "SJ-0003", diagnosis="Hjertesvigt")
    do_record_consent(None, citizen, operator_kinds=KINDS, diagnoses=["KOL"])
    with pytest.raises(DisclosureRefused):
        disclose(operators["support"], citizen, ["name"], "opkald")
    do_record_consent(None, citizen, operator_kinds=KINDS, diagnoses=["KOL", "Hjertesvigt"])
    assert disclose(operators["support"], citizen, ["name"], "opkald")


def test_consent_given_later_does_not_count_before(citizen: ProgrammeCitizen) -> None:
    assert not has_active_consent(citizen, "support", dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
    assert has_active_consent(citizen, "support", dt.datetime(2025, 3, 5, tzinfo=dt.UTC))


def test_an_operator_of_another_landsdel_is_refused(other_landsdel: Landsdel, citizen: ProgrammeCitizen) -> None:
    stranger = operator_person(other_landsdel, "support")
    with pytest.raises(DisclosureRefused, match="adgang til denne borger"):
        disclose(stranger, citizen, ["name"], "opkald")
    assert Disclosure.objects.get().refused


def test_controllers_see_all_but_measurements_without_consent(
    secretariat: Person,
    region_staff: Person,
    greve_coordinator: Person,
    landsdel: Landsdel,
    consent_text: object,
) -> None:
    citizen = refer(landsdel, "SJ-0004")  # referred, no consent yet: the register must still show the citizen
    for person in (secretariat, region_staff, greve_coordinator):
        card = citizen_card(person, citizen, "register")
        assert set(card) == set(CITIZEN_FIELDS) - {"measurements_note"}
        with pytest.raises(DisclosureRefused):
            disclose(person, citizen, ["measurements_note"], "register")
    assert Disclosure.objects.filter(refused=False).count() == 3
    assert Disclosure.objects.filter(refused=True).count() == 3


def test_a_coordinator_sees_only_their_municipality(
    greve_coordinator: Person, landsdel: Landsdel, consent_text: object
) -> None:
    holbaek_citizen = refer(landsdel, "SJ-0005", code=316, city="Holbæk", postcode="4300")
    with pytest.raises(DisclosureRefused):
        citizen_card(greve_coordinator, holbaek_citizen, "register")


def test_people_without_a_role_and_agents_are_refused_and_logged(
    holbaek_agent: Person, outsider: Person, citizen: ProgrammeCitizen
) -> None:
    for person in (holbaek_agent, outsider):
        with pytest.raises(DisclosureRefused):
            disclose(person, citizen, ["name"], "nysgerrighed")
    assert Disclosure.objects.filter(refused=True).count() == 2


def test_unknown_fields_and_missing_purpose_are_refused(
    operators: dict[str, Person], citizen: ProgrammeCitizen
) -> None:
    with pytest.raises(DisclosureRefused, match="Ukendt felt"):
        disclose(operators["service"], citizen, ["cpr"], "opkald")
    with pytest.raises(DisclosureRefused, match="formål"):
        disclose(operators["service"], citizen, ["name"], "  ")
    assert Disclosure.objects.filter(refused=True).count() == 2
