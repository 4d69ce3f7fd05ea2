"""Health-app topics are answered on the health-app line (seed 001): the assistant gives that line's one regional
number and its hours, not the hotline's; every other topic keeps the hotline's."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from samvirke.assistant import service
from samvirke.contact.models import Queue
from samvirke.contact.selectors import forget_cached_queues
from samvirke.directory.models import LineNumber, Municipality, Region

pytestmark = pytest.mark.django_db

LOCAL = ZoneInfo("Europe/Copenhagen")
MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=LOCAL)


@pytest.fixture
def health_line(knowledge: object) -> LineNumber:
    forget_cached_queues()
    return LineNumber.objects.create(region=Region.objects.get(code=1085), line="health_apps", number="70210000")


def test_a_health_app_answer_gives_the_health_lines_number_and_hours(health_line: LineNumber) -> None:
    holbaek = Municipality.objects.get(code=316)
    reply = service.ask("", holbaek, now=MONDAY_10, topic_id="min-sundhed-app")
    assert reply.kind == "answer" and reply.line is not None
    assert reply.line.as_json() == {
        "line": "health_apps",
        "name": "Sundhedsapps-linjen",
        "phone": "70 21 00 00",
        "hours": "mandag–fredag kl. 08.00–20.00",
        "open": True,
        "status": "Sundhedsapps-linjen har åbent nu, indtil kl. 20.00.",
    }
    assert "Sundhedsapps-linjen på 70 21 00 00 (mandag–fredag kl. 08.00–20.00)" in reply.answer_text
    # The guide's own "Ring til …" is the health line's number too, never Holbæk's hotline number.
    assert "70 21 00 00" in reply.answer_html and "70 20 03 16" not in reply.answer_html


def test_the_line_hours_are_the_queues_own(health_line: LineNumber) -> None:
    Queue.objects.filter(line="health_apps").update(opening_hours={str(d): [["09:00", "15:00"]] for d in range(4)})
    forget_cached_queues()
    evening = MONDAY_10.replace(hour=16)
    reply = service.ask("", Municipality.objects.get(code=253), now=evening, topic_id="min-laege-app")
    assert reply.line is not None
    assert reply.line.hours == "mandag–torsdag kl. 09.00–15.00"
    assert reply.line.open is False
    assert reply.line.status == "Sundhedsapps-linjen har lukket nu. Den åbner i morgen kl. 09.00."


def test_other_topics_keep_the_members_hotline(health_line: LineNumber) -> None:
    reply = service.ask("", Municipality.objects.get(code=316), now=MONDAY_10, topic_id="mitid-get")
    assert reply.line is not None
    assert (reply.line.line, reply.line.phone) == ("citizen_service", "70 20 03 16")
    assert "Sundhedsapps-linjen" not in reply.answer_text


def test_a_handover_about_a_health_app_topic_names_the_health_line(health_line: LineNumber) -> None:
    reply = service.ask(
        "jeg vil tale med et menneske",
        Municipality.objects.get(code=316),
        now=MONDAY_10,
        conversation_topic="min-sundhed-app",
    )
    assert reply.kind == "human" and reply.handover is not None
    assert reply.handover.phone == "70 21 00 00"
    assert "Sundhedsapps-linjen på 70 21 00 00" in reply.answer_text


def test_without_a_regional_number_the_hotline_number_is_given(knowledge: object) -> None:
    reply = service.ask("", Municipality.objects.get(code=316), now=MONDAY_10, topic_id="min-sundhed-app")
    assert reply.line is not None and reply.line.phone == "70 20 03 16"


def test_samvirke_ask_json_carries_the_line(health_line: LineNumber) -> None:
    out = StringIO()
    call_command("ask", "hvordan ser jeg mine prøvesvar i min sundhed", "--municipality", "316", stdout=out)
    result = json.loads(out.getvalue())
    assert result["topic_id"] == "min-sundhed-test-results"
    assert result["line"]["line"] == "health_apps" and result["line"]["phone"] == "70 21 00 00"
    assert result["line"]["hours"] == "mandag–fredag kl. 08.00–20.00"
