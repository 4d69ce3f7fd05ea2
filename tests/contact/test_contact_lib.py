"""The contact centre's pure logic: signatures, event validation, opening hours, wait estimate, KPIs."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from samvirke.contact.lib.events import EventError, parse_event
from samvirke.contact.lib.kpi import ContactRecord, Kpis, compute_kpis, kpis_by, period_key, who_carries_whom
from samvirke.contact.lib.signature import is_valid, sign
from samvirke.contact.lib.waiting import estimated_wait_seconds
from samvirke.core.lib.opening import OpeningHoursError, parse_opening_hours

LOCAL = ZoneInfo("Europe/Copenhagen")
T0 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=LOCAL)


def later(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_signature_round_trip_and_tampering() -> None:
    body = b'{"event_id": "1"}'
    signature = sign(body, "hemmelig")
    assert signature.startswith("sha256=") and len(signature) == 7 + 64
    assert is_valid(body, "hemmelig", signature)
    assert not is_valid(body + b" ", "hemmelig", signature)
    assert not is_valid(body, "en anden", signature)
    assert not is_valid(body, "hemmelig", "sha256=" + "0" * 64)


def _event(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "event_id": "e1",
        "type": "call_offered",
        "occurred_at": "2026-11-23T10:00:00+01:00",
        "call_id": "c1",
        "called_number": "+45 70 20 03 16",
    }
    base.update(fields)
    if base["type"] in ("satisfaction", "agent_status"):
        base.pop("called_number")  # an offer's field: refused on other types
    if base["type"] == "agent_status":
        base.pop("call_id")
    return base


def test_a_valid_offer_is_parsed_and_the_number_normalised() -> None:
    event = parse_event(_event(ivr_municipality_code=316))
    assert event.called_number == "70200316"
    assert event.ivr_municipality_code == 316
    assert event.occurred_at == T0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"event_id": ""}, "event_id"),
        ({"type": "call_exploded"}, "Ukendt hændelsestype"),
        ({"occurred_at": "i går"}, "occurred_at"),
        ({"occurred_at": "2026-11-23T10:00:00"}, "tidszone"),
        ({"call_id": None}, "call_id"),
        ({"called_number": "ring mig"}, "telefonnummer"),
        ({"called_number": None}, "called_number"),
        ({"ivr_municipality_code": 42}, "kommunekode"),
        ({"ivr_municipality_code": True}, "kommunekode"),
        ({"type": "satisfaction", "rating": 10}, "1 til 9"),
        ({"type": "satisfaction", "rating": "7"}, "1 til 9"),
        ({"type": "agent_status", "agent": "a", "status": "busy"}, "status"),
        ({"type": "agent_status", "status": "ready"}, "agent"),
        ({"call_id": "x" * 101}, "for langt"),
        ({"call_id": {"nested": 1}}, "tekst"),
    ],
)
def test_bad_events_are_refused_with_a_danish_message(fields: dict[str, object], message: str) -> None:
    with pytest.raises(EventError, match=message):
        parse_event(_event(**fields))


def test_an_event_must_be_an_object() -> None:
    with pytest.raises(EventError, match="JSON-objekt"):
        parse_event(["call_offered"])


def test_opening_hours_are_parsed_and_checked() -> None:
    hours = parse_opening_hours({"0": [["08:00", "20:00"]], "5": [["10:00", "12:30"]]})
    assert hours.week[0] == [(dt.time(8), dt.time(20))]
    assert hours.hours_per_week() == 14.5
    for bad in ({"7": [["08:00", "09:00"]]}, {"0": [["09:00", "08:00"]]}, {"0": [["8", "9"]]}, {"0": [["08:00"]]}):
        with pytest.raises(OpeningHoursError):
            parse_opening_hours(bad)


def test_estimated_wait() -> None:
    assert estimated_wait_seconds(0, 3, 300) == 0
    assert estimated_wait_seconds(1, 1, 300) == 150  # half a handle time for the first in line
    assert estimated_wait_seconds(7, 2, 240) == 780  # 6.5 × 240 / 2
    assert estimated_wait_seconds(3, 0, 300) == float("inf")


def _record(
    state: str, offered: float = 0, answered: float | None = None, ended: float | None = None, **fields: object
) -> ContactRecord:
    return ContactRecord(
        channel=str(fields.pop("channel", "phone")),
        state=state,
        offered_at=later(offered),
        answered_at=later(answered) if answered is not None else None,
        ended_at=later(ended) if ended is not None else None,
        **fields,  # type: ignore[arg-type]
    )


def test_kpis_worked_by_hand() -> None:
    records = [
        # answered after 30 s, talked 270 s, registered 60 s after the end: handle 330 s; resolved at once
        _record("ended", 0, 30, 300, registered_at=later(360), resolved_at_once=True, satisfaction=9),
        # answered after 90 s (outside the 60 s service level), talked 210 s, registered during the call
        _record("ended", 0, 90, 300, registered_at=later(200), resolved_at_once=False, satisfaction=6),
        # a chat answered after 10 s, still going
        _record("answered", 0, 10, channel="chat"),
        _record("abandoned", 0),
        _record("queued", 0),
        _record("closed", 0),
        # ended, but its answered event never arrived: answered, though its wait is unknown
        _record("ended", 0, None, 100),
    ]
    kpis = compute_kpis(records, service_level_seconds=60, chatbot_conversations=4)
    assert (kpis.offered, kpis.answered, kpis.abandoned, kpis.waiting, kpis.closed) == (6, 4, 1, 1, 1)
    assert (kpis.offered_phone, kpis.offered_chat) == (5, 1)
    # within 60 s: the 30 s and the 10 s answer; base: three known answer times + one abandoned
    assert kpis.service_level == pytest.approx(2 / 4)
    assert kpis.average_speed_of_answer == pytest.approx((30 + 90 + 10) / 3)
    assert kpis.average_handle_time == pytest.approx((330 + 210) / 2)
    assert kpis.resolved_at_once_share == pytest.approx(1 / 2)
    assert kpis.satisfaction == pytest.approx(7.5)
    assert kpis.chatbot_share == pytest.approx(4 / (4 + 5 + 1))
    assert kpis.abandon_rate == pytest.approx(1 / 6)


def test_the_spec_chatbot_share_is_reproduced() -> None:
    """hotline-economy.md, 2024: 266,444 calls and 91,983 chatbot conversations → 25.7 %, not the 29 % quoted."""
    kpis = Kpis(offered_phone=266_444, chatbot_conversations=91_983)
    assert kpis.chatbot_share is not None
    assert round(kpis.chatbot_share * 100, 1) == 25.7


def test_no_contacts_give_no_figures_instead_of_zero() -> None:
    kpis = compute_kpis([])
    assert kpis.service_level is None and kpis.average_handle_time is None and kpis.satisfaction is None
    assert kpis.as_dict()["service_level"] is None


def test_period_keys() -> None:
    moment = dt.datetime(2026, 12, 31, 23, 30, tzinfo=LOCAL)
    assert period_key(moment, "day") == "2026-12-31"
    assert period_key(moment, "week") == "2026-U53"
    assert period_key(moment, "month") == "2026-12"
    with pytest.raises(ValueError):
        period_key(moment, "year")


def test_kpis_by_group_include_groups_with_only_chatbot_conversations() -> None:
    groups = kpis_by(
        [_record("abandoned", 0, citizen_municipality="Holbæk")],
        lambda r: r.citizen_municipality,
        chatbot_by_key={"Greve": 3},
    )
    assert list(groups) == ["Greve", "Holbæk"]
    assert groups["Greve"].chatbot_conversations == 3 and groups["Greve"].offered == 0
    assert groups["Holbæk"].abandoned == 1


def test_who_carries_whom() -> None:
    records = [
        # Holbæk's agent answers a Greve citizen for 1 hour, and a Holbæk citizen for half an hour
        _record("ended", 0, 0, 3600, citizen_municipality="Greve", agent_municipality="Holbæk"),
        _record("ended", 0, 0, 1800, citizen_municipality="Holbæk", agent_municipality="Holbæk"),
        _record("abandoned", 0, citizen_municipality="Køge"),  # not answered: carries no one
    ]
    rows = {row.municipality: row for row in who_carries_whom(records)}
    assert set(rows) == {"Greve", "Holbæk"}
    assert rows["Holbæk"].agent_hours == pytest.approx(1.5) and rows["Holbæk"].citizen_hours == pytest.approx(0.5)
    assert rows["Holbæk"].balance_hours == pytest.approx(1.0)
    assert rows["Greve"].balance_hours == pytest.approx(-1.0)
    assert sum(row.balance_hours for row in rows.values()) == pytest.approx(0)
