"""The case page speaks Danish: the citizen card's "I KOL-programmet" reads Ja/Nej (never True/False) and the
history shows each event kind's Danish label (never the stored key: opened, tree_outcome, forwarded …); the kit
table's recent events show Danish statuses."""

from __future__ import annotations

import re

import pytest

from samvirke.consent.actions import do_end_course
from samvirke.consent.models import ProgrammeCitizen
from samvirke.directory.models import Person
from samvirke.kits.models import Unit
from samvirke.telecare.models import Landsdel
from samvirke.telesupport import actions
from samvirke.telesupport.labels import EVENT_LABELS, CaseEventKind, card_value, event_label
from samvirke.telesupport.models import CaseEvent, SupportCase, TelesupportSettings
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(
    landsdel: Landsdel,
    support: TelesupportSettings,
    operators: dict[str, Person],
    citizen: ProgrammeCitizen,
    scale: Unit,
) -> SupportCase:
    agent = operators["support"]
    case = actions.do_open_case(
        agent, landsdel, device_kind="scale", description="Vægten viser intet", citizen_ref="SJ-0001"
    )
    actions.do_set_priority(agent, case, "high")
    actions.do_walk_tree(agent, case, ["Nej", "Nej"])
    actions.do_forward(agent, case, "logistics", "Ombytning", unit=scale)
    actions.do_follow_up(agent, case, "Virker igen")
    return case


def history(html: str) -> str:
    return re.search(r'<section id="history">(.*?)</section>', html, re.S).group(1)  # type: ignore[union-attr]


def card(html: str) -> str:
    return re.search(r'<section id="citizen">(.*?)</section>', html, re.S).group(1)  # type: ignore[union-attr]


def test_every_event_kind_the_actions_write_has_a_danish_label() -> None:
    with open("samvirke/telesupport/actions.py", encoding="utf-8") as source:
        written = set(re.findall(r'_event\(case, actor, "([a-z_]+)"', source.read()))
    assert written and written <= set(EVENT_LABELS)
    assert event_label("forwarded") == "Videresendt" and event_label("unknown_kind") == "unknown_kind"


def test_card_values() -> None:
    assert (card_value("in_programme", True), card_value("in_programme", False)) == ("Ja", "Nej")
    assert card_value("name", "Karen Hansen") == "Karen Hansen"


def test_the_history_shows_danish_labels(case: SupportCase, operators: dict[str, Person]) -> None:
    html = client_for(operators["support"]).get(f"/telesupport/sager/{case.pk}/").content.decode()
    text = history(html)
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == ["opened", "priority", "tree_outcome", "forwarded", "followed_up"]
    for kind in kinds:
        assert f"– {CaseEventKind(kind).label}" in text, kind
        assert f"– {kind}" not in text, kind
    assert "Problemtræets resultat" in text and "Videresendt" in text


def test_in_the_programme_reads_ja_then_nej(
    case: SupportCase, operators: dict[str, Person], citizen: ProgrammeCitizen
) -> None:
    client = client_for(operators["support"])
    url = f"/telesupport/sager/{case.pk}/"
    text = card(client.get(url).content.decode())
    assert "<dt>I KOL-programmet</dt><dd>Ja</dd>" in text
    assert "True" not in text and "False" not in text
    assert citizen.enrolled_at is not None
    do_end_course(None, citizen, citizen.enrolled_at.replace(year=citizen.enrolled_at.year + 1))
    text = card(client.get(url).content.decode())
    assert "<dt>I KOL-programmet</dt><dd>Nej</dd>" in text


def test_the_kit_table_shows_danish_statuses(case: SupportCase, operators: dict[str, Person]) -> None:
    html = client_for(operators["support"]).get(f"/telesupport/sager/{case.pk}/").content.decode()
    kit = re.search(r'<section id="kit">(.*?)</section>', html, re.S).group(1)  # type: ignore[union-attr]
    assert " fejl" in kit and "fault" not in kit
