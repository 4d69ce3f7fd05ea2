"""Swapping shifts between members: an exchange moves both shifts and gives each a free agent of the member that
receives it; a hand-over is an explicit choice; a member outside its band is warned about; one agent on two
shifts at once is refused; bad ids and outsiders change nothing."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from samvirke.audit.models import AuditEntry
from samvirke.directory.models import Fellesskab, Municipality, Person, Role
from samvirke.staffing import actions
from samvirke.staffing.models import SwapRequest
from tests.conftest import _person, client_for
from tests.staffing.handmade import WEEK, HandmadeRota, make_rota

pytestmark = pytest.mark.django_db

SWAP_HOLBAEK = f"/bemanding/{WEEK}/316/byt/"


@pytest.fixture
def week(fellesskab: Fellesskab, holbaek_agent: Person) -> HandmadeRota:
    return make_rota(fellesskab, holbaek_agent)


def post(client: Client, url: str, data: Mapping[str, object]) -> list[tuple[str, str]]:
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def test_an_exchange_moves_both_shifts_and_gives_each_a_free_agent_of_its_new_member(
    week: HandmadeRota, secretariat: Person
) -> None:
    h1, g1 = week.shifts["H1"], week.shifts["G1"]
    said = post(client_for(secretariat), SWAP_HOLBAEK, {"kind": "bytte", "shift": h1.pk, "other_shift": g1.pk})
    now = week.reload()
    # H1 (Mon 9–12) to Greve: greve-1 is free once G1 leaves, but has G2's 4 hours; greve-2 has none.
    assert now["H1"] == (253, week.agents["greve-2"].pk)
    # G1 (Mon 12–14) to Holbæk: holbaek-2 is on H3 (Mon 12–13); holbaek-1 is free once H1 leaves.
    assert now["G1"] == (316, week.agents["holbaek-1"].pk)
    assert said[0][0] == "success" and said[0][1].startswith(
        "Byttet: Greve har nu vagten mandag 09.00–12.00 (Ida Madsen)"
    )
    assert not [m for level, m in said if level == "warning"]  # both stay in their bands (Holbæk 6, Greve 7)
    entry = AuditEntry.objects.get(action="staffing.swap_shift")
    assert entry.details["from"] == 316 and entry.details["to"] == 253 and entry.details["exchanged_for"] == g1.pk


def test_the_balances_on_the_pages_follow_the_exchange(week: HandmadeRota, secretariat: Person) -> None:
    client = client_for(secretariat)
    post(client, SWAP_HOLBAEK, {"kind": "bytte", "shift": week.shifts["H1"].pk, "other_shift": week.shifts["G1"].pk})
    member = client.get(f"/bemanding/{WEEK}/316/").content.decode()
    assert 'id="member-total">6,0 timer<' in member  # 7 − 3 + 2
    rota = client.get(f"/bemanding/{WEEK}/").content.decode()
    greve_row = rota[rota.index(">Greve</a>") :].split("</tr>")[0]
    assert ">7,0<" in greve_row  # 6 − 2 + 3


def test_a_hand_over_is_one_way_and_warns_when_members_leave_their_bands(
    week: HandmadeRota, secretariat: Person
) -> None:
    said = post(client_for(secretariat), SWAP_HOLBAEK, {"kind": "overdrag", "shift": week.shifts["H2"].pk, "to": "253"})
    now = week.reload()
    assert now["H2"][0] == 253 and now["G1"] == (253, week.agents["greve-1"].pk)
    warnings = [m for level, m in said if level == "warning"]
    assert warnings == [
        "Holbæk har nu 4,0 timer i ugen, uden for båndet 5–8 timer.",
        "Greve har nu 9,0 timer i ugen, uden for båndet 4–7 timer.",
    ]
    assert AuditEntry.objects.get(action="staffing.swap_shift").details["warnings"] == warnings


def test_with_nobody_free_the_shift_is_not_assigned(week: HandmadeRota, secretariat: Person) -> None:
    said = post(
        client_for(secretariat),
        f"/bemanding/{WEEK}/253/byt/",
        {"kind": "overdrag", "shift": week.shifts["G1"].pk, "to": "259"},
    )
    assert week.reload()["G1"] == (259, None)  # Køge has no agents
    assert "ikke fordelt" in said[0][1]
    assert "ikke fordelt" in client_for(secretariat).get(f"/bemanding/{WEEK}/259/").content.decode()


def test_a_chosen_agent_who_is_busy_then_is_refused_and_nothing_changes(
    week: HandmadeRota, secretariat: Person
) -> None:
    before = week.reload()
    data = {"kind": "bytte", "shift": week.shifts["H1"].pk, "other_shift": week.shifts["G1"].pk}
    said = post(client_for(secretariat), SWAP_HOLBAEK, {**data, "taker": week.agents["holbaek-2"].pk})
    assert said == [
        (
            "error",
            "Hanne Andersen har allerede en vagt på det tidspunkt; "
            "vælg en anden agent eller lad Samvirke finde en ledig.",
        )
    ]
    assert week.reload() == before and not AuditEntry.objects.filter(action="staffing.swap_shift").exists()
    # The agent whose own shift leaves in the exchange is free for the one that comes back.
    post(client_for(secretariat), SWAP_HOLBAEK, {**data, "taker": week.agents["holbaek-1"].pk})
    assert week.reload()["G1"] == (316, week.agents["holbaek-1"].pk)


def test_a_coordinator_swaps_its_own_shifts_but_not_another_members(
    week: HandmadeRota, greve_coordinator: Person
) -> None:
    client = client_for(greve_coordinator)
    data = {"kind": "bytte", "shift": week.shifts["G1"].pk, "other_shift": week.shifts["H1"].pk}
    assert client.post(SWAP_HOLBAEK, data).status_code == 403  # from Holbæk's page: not Greve's to give
    html = client.get(f"/bemanding/{WEEK}/253/").content.decode()
    assert 'id="swap"' in html and "Holbæk: Mandag 09.00–12.00" in html
    post(client, f"/bemanding/{WEEK}/253/byt/", data)
    # Holbæk's shift changes hands only when Holbæk accepts (tests/security/test_sec_files_swaps.py).
    assert week.reload()["G1"][0] == 253 and week.reload()["H1"][0] == 316
    assert SwapRequest.objects.get().to_municipality.code == 316


@pytest.mark.parametrize("who", ["outsider", "holbaek_agent", "region_staff"])
def test_outsiders_agents_and_region_staff_are_refused(
    week: HandmadeRota, who: str, request: pytest.FixtureRequest
) -> None:
    before = week.reload()
    person = request.getfixturevalue(who)
    data = {"kind": "bytte", "shift": week.shifts["H1"].pk, "other_shift": week.shifts["G1"].pk}
    assert client_for(person).post(SWAP_HOLBAEK, data).status_code == 403
    assert Client().post(SWAP_HOLBAEK, data).status_code == 302  # to the login page
    assert week.reload() == before
    assert 'id="swap"' not in client_for(person).get(f"/bemanding/{WEEK}/316/").content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "bytte", "shift": "G1", "other_shift": "H2"}, "Vælg en af Holbæks vagter i ugen."),
        ({"kind": "bytte", "shift": "abc", "other_shift": "G1"}, "Vælg en af Holbæks vagter i ugen."),
        (
            {"kind": "bytte", "shift": "H1", "other_shift": "999999"},
            "Vælg den vagt fra et andet medlem, der skal byttes med.",
        ),
        ({"kind": "bytte", "shift": "H1"}, "Vælg den vagt fra et andet medlem, der skal byttes med."),
        (
            {"kind": "bytte", "shift": "H1", "other_shift": "G1", "to": "259"},
            "Den valgte vagt hører ikke til det valgte medlem.",
        ),
        ({"shift": "H1", "to": "253"}, "Vælg, om vagterne skal byttes, eller om vagten kun skal overdrages."),
        (
            {"kind": "overdrag", "shift": "H1", "to": "99999"},
            "Vælg kun det medlem, der overtager vagten, når den overdrages.",
        ),
        (
            {"kind": "overdrag", "shift": "H1", "to": "253", "other_shift": "G1"},
            "Vælg kun det medlem, der overtager vagten, når den overdrages.",
        ),
        ({"kind": "overdrag", "shift": "H1", "to": "751"}, "Aarhus er ikke aktivt medlem og kan ikke overtage vagter."),
        ({"kind": "bytte", "shift": "H1", "other_shift": "G1", "taker": "999999"}, "Den valgte agent findes ikke."),
        (
            {"kind": "bytte", "shift": "H1", "other_shift": "G1", "taker": "greve-1"},
            "Peter Hansen er ikke agent i Holbæk.",
        ),
        (
            {"kind": "overdrag", "shift": "H1", "to": "253", "taker": "holbaek-2"},
            "Der er ingen vagt at give en agent, når vagten kun overdrages.",
        ),
    ],
)
def test_bad_ids_get_a_clear_message_and_change_nothing(
    week: HandmadeRota, secretariat: Person, data: dict[str, str], message: str
) -> None:
    before = week.reload()
    posted = {
        key: str(week.shifts[v].pk) if v in week.shifts else str(week.agents[v].pk) if v in week.agents else v
        for key, v in data.items()
    }
    said = post(client_for(secretariat), SWAP_HOLBAEK, posted)
    assert said == [("error", message)]
    assert week.reload() == before
    assert not AuditEntry.objects.filter(action="staffing.swap_shift").exists()


def test_a_week_without_a_rota_is_a_404(secretariat: Person, fellesskab: Fellesskab) -> None:
    assert (
        client_for(secretariat).post(SWAP_HOLBAEK, {"kind": "overdrag", "shift": "1", "to": "253"}).status_code == 404
    )


def test_the_action_refuses_a_swap_with_itself_and_unknown_shifts(week: HandmadeRota, secretariat: Person) -> None:
    holbaek = Municipality.objects.get(code=316)
    with pytest.raises(actions.StaffingError, match="allerede Holbæks"):
        actions.do_swap_shift(secretariat, week.shifts["H1"].pk, holbaek)
    with pytest.raises(actions.StaffingError, match="findes ikke"):
        actions.do_swap_shift(secretariat, 999_999, holbaek)
    greve = Municipality.objects.get(code=253)
    with pytest.raises(actions.StaffingError, match="blandt Greves vagter"):
        actions.do_swap_shift(secretariat, week.shifts["H1"].pk, greve, other_shift_id=week.shifts["K1"].pk)


def test_a_holbaek_coordinator_sees_the_swap_form_on_its_page(week: HandmadeRota) -> None:
    coordinator = _person("koordinator-holbaek", Role.COORDINATOR, 316)
    html = client_for(coordinator).get(f"/bemanding/{WEEK}/316/").content.decode()
    assert 'id="swap"' in html and 'name="kind" value="overdrag"' in html
    assert "Greve: Mandag 12.00–14.00 (Peter Hansen)" in html
