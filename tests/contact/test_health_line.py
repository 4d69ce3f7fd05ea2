"""The health-app line as its own line (seed 001): one regional number, its own queue with 60 hours a week, and the
transfer reply that tells the telephony platform the number of the region's MinSP support."""

from __future__ import annotations

import datetime as dt
import importlib
import json

import pytest
from django.apps import apps

from samvirke.contact import actions
from samvirke.contact.models import Contact, ForwardedTo, Queue, TransferNumber
from samvirke.contact.selectors import forget_cached_queues
from samvirke.core.lib.opening import parse_opening_hours
from samvirke.directory.models import HotlineNumber, LineNumber, Membership, Person, Region
from tests.contact.conftest import LOCAL, Telephony, at

pytestmark = pytest.mark.django_db

REGIONAL = "70210000"
MINSP_SJAELLAND = "70200999"
MINSP_HOVEDSTADEN = "70300999"


@pytest.fixture
def health_line(agents: list[Person]) -> LineNumber:
    """Region Sjælland's one health-app number, and MinSP support numbers of two regions (only one is ours)."""
    sjaelland, hovedstaden = Region.objects.get(code=1085), Region.objects.get(code=1084)
    TransferNumber.objects.create(
        name="Region Sjællands MinSP-support",
        phone=MINSP_SJAELLAND,
        region=sjaelland,
        forwarded_to=ForwardedTo.MINSP_SUPPORT,
    )
    TransferNumber.objects.create(
        name="Region Hovedstadens MinSP-support",
        phone=MINSP_HOVEDSTADEN,
        region=hovedstaden,
        forwarded_to=ForwardedTo.MINSP_SUPPORT,
    )
    forget_cached_queues()
    return LineNumber.objects.create(region=sjaelland, line="health_apps", number=REGIONAL)


def test_the_health_line_is_open_sixty_hours_a_week_by_default() -> None:
    queue = Queue.objects.get(line="health_apps")
    hours = parse_opening_hours(queue.opening_hours)
    assert hours.hours_per_week() == 60
    assert queue.skill is not None and queue.skill.slug == "health_apps"
    assert Queue.objects.get(line="citizen_service").skill is None


def test_the_regional_number_routes_to_the_health_queue_with_the_menus_municipality(
    telephony: Telephony, health_line: LineNumber
) -> None:
    telephony.agent("agent-greve-1", "ready", at(-10))
    telephony.agent("agent-koege-1", "ready", at(-5))
    reply = telephony.offer("h1", at(0), called=REGIONAL, ivr_municipality_code=316).json()
    assert reply["queue"] == "sundhedsapps" and reply["unknown_number"] is False
    assert reply["municipality"] == {"code": 316, "name": "Holbæk"}
    contact = Contact.objects.get(external_id="h1")
    assert contact.queue.line == "health_apps"
    assert contact.citizen_municipality is not None
    assert (contact.citizen_municipality.code, contact.municipality_source) == (316, "ivr")
    # Greve's agent has waited longer, but only Køge's is trained for the line: she gets the call.
    assert reply["agent"] == "agent-koege-1"


def test_the_regional_number_without_a_menu_choice_leaves_the_municipality_unknown(
    telephony: Telephony, health_line: LineNumber
) -> None:
    reply = telephony.offer("h1", at(0), called=REGIONAL).json()
    assert (reply["queue"], reply["municipality"], reply["unknown_number"]) == ("sundhedsapps", None, False)
    contact = Contact.objects.get(external_id="h1")
    assert contact.citizen_municipality is None and contact.municipality_source == "unknown"


def _answered_call(telephony: Telephony, call_id: str, called: str, **fields: object) -> None:
    telephony.offer(call_id, at(0), called=called, **fields)
    telephony.agent("agent-koege-1", "ready", at(1))
    telephony.event("call_answered", at(5), call_id=call_id)


def test_the_transfer_reply_carries_the_citizens_regions_minsp_support_number(
    telephony: Telephony, health_line: LineNumber
) -> None:
    _answered_call(telephony, "h1", REGIONAL, ivr_municipality_code=316)
    reply = telephony.event("call_transferred", at(60), call_id="h1", transfer_target="minsp_support")
    assert reply.status_code == 200
    body = reply.json()
    assert body["transfer_number"] == MINSP_SJAELLAND
    assert body["transfer_name"] == "Region Sjællands MinSP-support"
    contact = Contact.objects.get(external_id="h1")
    assert contact.state == "transferred"
    assert contact.transfer_number == MINSP_SJAELLAND
    assert contact.forwarded_to == ForwardedTo.MINSP_SUPPORT
    assert contact.transferred_to == "Region Sjællands MinSP-support, tlf. 70 20 09 99"
    # A redelivery gets the same reply.
    again = telephony.post(
        {"event_id": "ev-4", "type": "call_transferred", "occurred_at": at(60).isoformat(), "call_id": "h1"}
    )
    assert again.json()["transfer_number"] == MINSP_SJAELLAND and again.json()["duplicate"] is True


def test_without_the_citizens_municipality_the_called_numbers_region_decides(
    telephony: Telephony, health_line: LineNumber
) -> None:
    _answered_call(telephony, "h1", REGIONAL)
    body = telephony.event("call_transferred", at(60), call_id="h1", transfer_target="minsp_support").json()
    assert body["transfer_number"] == MINSP_SJAELLAND


def test_the_number_the_agent_chose_at_the_desk_is_the_one_the_platform_is_told(
    telephony: Telephony, health_line: LineNumber, agents: list[Person]
) -> None:
    _answered_call(telephony, "h1", REGIONAL, ivr_municipality_code=316)
    contact = Contact.objects.get(external_id="h1")
    destination = actions.TransferDestination(
        "Region Sjællands MinSP-support, tlf. 70 20 09 99", ForwardedTo.MINSP_SUPPORT, phone=MINSP_SJAELLAND
    )
    actions.do_transfer_contact(agents[2], contact.pk, destination, at(50))
    body = telephony.event("call_transferred", at(60), call_id="h1").json()
    assert (body["transfer_number"], body["transfer_name"]) == (MINSP_SJAELLAND, "Region Sjællands MinSP-support")


def test_a_target_without_a_number_gets_null_and_changes_nothing_else(
    telephony: Telephony, health_line: LineNumber
) -> None:
    _answered_call(telephony, "h1", REGIONAL, ivr_municipality_code=316)
    body = telephony.event("call_transferred", at(60), call_id="h1", transfer_target="ukendt sted").json()
    assert body["transfer_number"] is None and body["transfer_name"] is None
    contact = Contact.objects.get(external_id="h1")
    assert (contact.transfer_number, contact.forwarded_to, contact.transferred_to) == ("", "", "ukendt sted")


def test_the_schema_declares_the_transfer_number() -> None:
    from samvirke.api import api

    schema = json.loads(json.dumps(api.get_openapi_schema()))
    reply = schema["paths"]["/api/telephony/events"]["post"]["responses"]["200"]["content"]["application/json"]
    ref = reply["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "transfer_number" in schema["components"]["schemas"][ref]["properties"]


# --- the migrations --------------------------------------------------------------------------------------------


def test_the_demo_numbers_per_member_become_one_regional_number(fellesskab: object) -> None:
    migration = importlib.import_module("samvirke.directory.migrations.0007_health_line_one_regional_number")
    holbaek, greve = Membership.objects.get(municipality__code=316), Membership.objects.get(municipality__code=253)
    HotlineNumber.objects.create(membership=holbaek, line="health_apps", number="70210316", is_demo=True)
    HotlineNumber.objects.create(membership=greve, line="health_apps", number="70210253", is_demo=True)
    own = HotlineNumber.objects.get(membership=greve, line="citizen_service")
    migration.one_regional_number(apps, None)
    migration.one_regional_number(apps, None)  # twice: still one
    assert not HotlineNumber.objects.filter(line="health_apps").exists()
    assert list(LineNumber.objects.values_list("region__code", "line", "number")) == [(1085, "health_apps", "70210000")]
    assert HotlineNumber.objects.filter(pk=own.pk).exists()


def test_a_real_member_health_number_is_left_alone(fellesskab: object) -> None:
    migration = importlib.import_module("samvirke.directory.migrations.0007_health_line_one_regional_number")
    holbaek = Membership.objects.get(municipality__code=316)
    HotlineNumber.objects.create(membership=holbaek, line="health_apps", number="70210316", is_demo=False)
    migration.one_regional_number(apps, None)
    assert HotlineNumber.objects.filter(line="health_apps").count() == 1
    assert not LineNumber.objects.exists()


def test_the_thirty_hour_queue_gets_sixty_and_an_edited_one_keeps_its_hours() -> None:
    migration = importlib.import_module("samvirke.contact.migrations.0008_health_line_60_hours")
    queue = Queue.objects.get(line="health_apps")
    queue.opening_hours = migration.OLD
    queue.save()
    migration.sixty_hours(apps, None)
    queue.refresh_from_db()
    assert parse_opening_hours(queue.opening_hours).hours_per_week() == 60
    edited = {"0": [["10:00", "12:00"]]}
    queue.opening_hours = edited
    queue.save()
    migration.sixty_hours(apps, None)
    queue.refresh_from_db()
    assert queue.opening_hours == edited


def test_the_health_line_is_reached_at_eight_in_the_morning(telephony: Telephony, health_line: LineNumber) -> None:
    eight = dt.datetime(2026, 11, 23, 8, 5, tzinfo=LOCAL)  # before 9: the line used to be closed then
    reply = telephony.offer("h1", eight, called=REGIONAL, ivr_municipality_code=316).json()
    assert reply["state"] != "closed" and reply["queue"] == "sundhedsapps"


def test_minsp_support_without_a_stored_number_is_null_but_still_counted(
    telephony: Telephony, agents: list[Person]
) -> None:
    forget_cached_queues()
    LineNumber.objects.create(region=Region.objects.get(code=1085), line="health_apps", number=REGIONAL)
    _answered_call(telephony, "h1", REGIONAL, ivr_municipality_code=316)
    body = telephony.event("call_transferred", at(60), call_id="h1", transfer_target="minsp_support").json()
    assert body["transfer_number"] is None
    contact = Contact.objects.get(external_id="h1")
    assert (contact.transfer_number, contact.forwarded_to) == ("", ForwardedTo.MINSP_SUPPORT)


def test_the_desk_offers_the_called_regions_minsp_support_for_a_call_without_municipality(
    telephony: Telephony, health_line: LineNumber
) -> None:
    from samvirke.contact.selectors import cached_queues, transfer_destinations

    _answered_call(telephony, "h1", REGIONAL)
    contact = Contact.objects.get(external_id="h1")
    numbers = [o for o in transfer_destinations(contact, cached_queues(), at(30)) if o.value.startswith("number:")]
    assert [(o.label, o.phone) for o in numbers] == [
        ("Region Sjællands MinSP-support, tlf. 70 20 09 99", MINSP_SJAELLAND)
    ]
