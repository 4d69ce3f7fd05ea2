"""Completing an exchange and a take-down (issue 16, seed 003 ch. 3): the exchange visit installs a new unit of the
faulty unit's kind from stock in the citizen's kit (paired) and collects the faulty one; the take-down collects
everything and dissolves the kit. Each refusal changes nothing and is logged; both pages' forms."""

import datetime as dt

import pytest
from django.utils import timezone

from samvirke.audit.models import AuditEntry
from samvirke.consent.actions import do_withdraw_consent
from samvirke.kits import actions
from samvirke.kits.forms import ExchangeForm
from samvirke.kits.lib import lifecycle as lc
from samvirke.kits.models import DeviceKind, DeviceModel, Kit, KitUnit, LogisticsTask, TaskState, Unit, UnitEvent
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
ALL = {step: True for step, _ in actions.EXCHANGE_STEPS}
START = dt.datetime(2025, 3, 12, 9, tzinfo=dt.UTC)


def refusals():
    return list(AuditEntry.objects.filter(action="kits.refused").values_list("details", flat=True))


ROUTE = (lc.PREPARING, lc.INSTALLED, lc.IN_USE, lc.FAULT)


def at_citizen(unit, citizen, status=lc.IN_USE):
    for step in ROUTE[: ROUTE.index(status) + 1]:
        unit = actions.do_move_unit(None, unit, step, "Hos borgeren", citizen=citizen)
    return unit


@pytest.fixture
def tablet(landsdel):
    model = DeviceModel.objects.create(name="Tab 9", kind=DeviceKind.TABLET, supplier="MedTech ApS")
    (unit,) = actions.do_receive_units(None, actions.do_order_units(None, landsdel, model, ["T-1"]), "Lager Sorø")
    return unit


@pytest.fixture
def home(citizen, landsdel, stock, tablet):
    """The citizen's paired kit: scale S-1 and tablet T-1 in use; S-1 breaks and an exchange is ordered."""
    old = at_citizen(stock[0], citizen)
    at_citizen(tablet, citizen)
    kit = actions.do_pair_kit(None, actions.do_build_kit(None, landsdel, [old, tablet], citizen=citizen))
    task = actions.do_create_exchange(None, citizen, old, "Vægten viser ikke noget")
    task = actions.do_set_window(None, task, START, START + dt.timedelta(hours=2))
    return {"old": old, "kit": kit, "task": task, "tablet": tablet}


def snapshot():
    units = list(Unit.objects.order_by("pk").values_list("serial", "status", "citizen_id", "location"))
    members = sorted(KitUnit.objects.values_list("kit_id", "unit_id"))
    tasks = list(LogisticsTask.objects.order_by("pk").values_list("state", "completed_at", "kit_id"))
    return units, members, tasks, UnitEvent.objects.count()


def test_the_exchange_installs_the_new_unit_and_collects_the_old(citizen, stock, home):
    task, old, kit = home["task"], home["old"], home["kit"]
    new = actions.do_move_unit(None, stock[1], lc.PREPARING, "Lager Sorø")  # a prepared unit is fine too
    done = actions.do_complete_exchange(None, task, new, ALL, START + dt.timedelta(minutes=30))
    assert done.state == TaskState.DONE and done.completed_at == START + dt.timedelta(minutes=30)
    assert done.result == "S-1 byttet med S-2; udstyret virker."
    assert done.result_reported_to == "Hospitalet: Lungemedicinsk afd., Roskilde" and done.result_reported_at
    assert done.checklist == ALL and done.kit_id == kit.pk
    new.refresh_from_db()
    old.refresh_from_db()
    assert (new.status, new.citizen_id, new.location) == (lc.INSTALLED, citizen.pk, "Hos borgeren")
    assert (old.status, old.location) == (lc.COLLECTED, "Hentet hos borgeren")
    kit.refresh_from_db()
    assert kit.paired and kit.citizen_id == citizen.pk
    assert set(kit.members.values_list("unit__serial", flat=True)) == {"S-2", "T-1"}
    assert list(UnitEvent.objects.filter(unit=new).values_list("to_status", flat=True))[-1] == lc.INSTALLED
    assert list(UnitEvent.objects.filter(unit=old).values_list("from_status", "to_status"))[-1] == (
        lc.FAULT,
        lc.COLLECTED,
    )
    entry = AuditEntry.objects.get(action="kits.exchange_completed")
    assert entry.details["old"] == "S-1" and entry.details["new"] == "S-2"
    # The old unit goes on through its lifecycle: cleaned and back in stock, no longer the citizen's.
    for status in (lc.CLEANING, lc.IN_STOCK):
        old = actions.do_move_unit(None, old, status, "Lager Sorø")
    assert old.citizen_id is None


def test_an_exchange_without_a_kit_makes_the_citizen_one(citizen, stock):
    old = at_citizen(stock[0], citizen, lc.FAULT)
    task = actions.do_create_exchange(None, citizen, old, "Ingen forbindelse")
    done = actions.do_complete_exchange(None, task, stock[1], ALL, timezone.now(), "Virker igen")
    kit = Kit.objects.get(citizen=citizen)
    assert kit.paired and list(kit.members.values_list("unit__serial", flat=True)) == ["S-2"]
    assert done.result == "Virker igen"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("not_in_stock", "S-3 er ikke på lager eller klargjort"),
        ("other_kind", "T-2 er af typen «Tablet \\(SIM og MDM\\)», men den defekte er af typen «Bluetooth-vægt»"),
        ("outside_window", "uden for opgavens tidsvindue"),
        ("no_consent", "ikke længere et aktivt samtykke"),
        ("checklist", "Tjeklisten mangler: Den defekte enhed taget med"),
        ("in_a_kit", "S-3 er allerede i et kit"),
        ("the_old_one", "den samme som den defekte"),
    ],
)
def test_a_refused_exchange_changes_nothing_and_is_logged(citizen, landsdel, stock, home, case, message):
    task, at, checklist, new = home["task"], START + dt.timedelta(minutes=30), ALL, stock[1]
    if case == "not_in_stock":
        new = at_citizen(stock[2], None, lc.INSTALLED)
    elif case == "other_kind":
        model = DeviceModel.objects.get(kind=DeviceKind.TABLET)
        new = actions.do_receive_units(None, actions.do_order_units(None, landsdel, model, ["T-2"]), "Lager")[0]
    elif case == "outside_window":
        at = START + dt.timedelta(hours=3)
    elif case == "no_consent":
        do_withdraw_consent(None, citizen.consents.get())
        task = actions.do_set_window(None, task, START, timezone.now() + dt.timedelta(days=1))
        at = timezone.now()
    elif case == "checklist":
        checklist = {**ALL, "collect": False}
    elif case == "in_a_kit":
        new = stock[2]
        actions.do_build_kit(None, landsdel, [new])
    elif case == "the_old_one":
        new = home["old"]
    before = snapshot()
    with pytest.raises(actions.KitsActionError, match=message):
        actions.do_complete_exchange(None, task, new, checklist, at)
    assert snapshot() == before
    assert refusals()[-1]["action"] == "complete_exchange"
    assert not AuditEntry.objects.filter(action="kits.exchange_completed").exists()


def test_a_done_exchange_or_another_kind_of_task_is_refused(citizen, stock, home):
    at = START + dt.timedelta(minutes=30)
    actions.do_complete_exchange(None, home["task"], stock[1], ALL, at)
    with pytest.raises(actions.KitsActionError, match="allerede afsluttet"):
        actions.do_complete_exchange(None, home["task"], stock[2], ALL, at)
    setup = LogisticsTask.objects.get(citizen=citizen, kind="setup")
    with pytest.raises(actions.KitsActionError, match="ikke en ombytning"):
        actions.do_complete_exchange(None, setup, stock[2], ALL, at)
    with pytest.raises(actions.KitsActionError, match="ikke en nedtagning"):
        actions.do_complete_takedown(None, setup)


def test_the_takedown_collects_everything_and_dissolves_the_kit(citizen, stock, home):
    remote = at_citizen(stock[2], citizen, lc.FAULT)
    remote = actions.do_move_unit(None, remote, lc.REMOTE_FIXED)  # fixed remotely: collected via "fault"
    task = actions.do_create_takedown(None, citizen)
    done = actions.do_complete_takedown(None, task)
    assert done.state == TaskState.DONE and done.result == "Udstyret hentet: S-1, S-3, T-1."
    assert set(Unit.objects.filter(citizen=citizen).values_list("status", flat=True)) == {lc.COLLECTED}
    kit = home["kit"]
    kit.refresh_from_db()
    assert (kit.citizen_id, kit.paired, kit.members.count()) == (None, False, 0)
    assert AuditEntry.objects.get(action="kits.takedown_completed").details["collected"] == ["S-1", "S-3", "T-1"]
    with pytest.raises(actions.KitsActionError, match="allerede afsluttet"):
        actions.do_complete_takedown(None, task)


def test_a_takedown_outside_its_window_is_refused(citizen, home):
    task = actions.do_create_takedown(None, citizen)
    task = actions.do_set_window(None, task, START, START + dt.timedelta(hours=1))
    before = snapshot()
    with pytest.raises(actions.KitsActionError, match="uden for opgavens tidsvindue"):
        actions.do_complete_takedown(None, task, START + dt.timedelta(hours=2))
    assert snapshot() == before and refusals()[-1]["action"] == "complete_takedown"


# --- the task page's forms ------------------------------------------------------------------------------------


def test_the_exchange_form_offers_stock_of_the_right_kind(operators, stock, home, landsdel):
    url = f"/telemedicin/udstyr/opgaver/{home['task'].pk}/"
    html = client_for(operators["logistics"]).get(url).content.decode()
    assert 'id="exchange-form"' in html and 'id="checklist-form"' not in html
    form = ExchangeForm(candidates=actions.selectors.exchange_candidates(home["task"]))
    assert [label for value, label in form.fields["new_unit"].widget.choices if value] == [
        "S-2 – BS-410 (på lager, Lager Sorø)",
        "S-3 – BS-410 (på lager, Lager Sorø)",
    ]  # not the tablet T-1, not the faulty S-1
    assert "T-1 –" not in html and "S-2 – BS-410" in html


def test_the_exchange_form_completes_the_task_and_shows_refusals(operators, stock, home, tablet, landsdel):
    spare = actions.do_receive_units(None, actions.do_order_units(None, landsdel, tablet.model, ["T-2"]), "Lager")[0]
    client = client_for(operators["logistics"])
    url = f"/telemedicin/udstyr/opgaver/{home['task'].pk}/"
    post = {**{k: "on" for k in ALL}, "visited_at": "2025-03-12T10:30"}
    wrong = client.post(url, {**post, "new_unit": str(spare.pk)})
    assert wrong.status_code == 400 and "men den defekte er af typen «Bluetooth-vægt»" in wrong.content.decode()
    late = client.post(url, {**post, "new_unit": str(stock[1].pk), "visited_at": "2025-03-12T14:30"})
    assert late.status_code == 400 and "uden for opgavens tidsvindue" in late.content.decode()
    assert LogisticsTask.objects.get(pk=home["task"].pk).state != TaskState.DONE
    ok = client.post(url, {**post, "new_unit": str(stock[1].pk)}, follow=True)
    html = ok.content.decode()
    assert "Ombytningen er registreret" in html and "S-1 byttet med S-2" in html
    assert Unit.objects.get(pk=stock[1].pk).status == lc.INSTALLED


def test_the_takedown_form_needs_the_confirmation(citizen, operators, home):
    task = actions.do_create_takedown(None, citizen)
    client = client_for(operators["logistics"])
    url = f"/telemedicin/udstyr/opgaver/{task.pk}/"
    html = client.get(url).content.decode()
    assert 'id="takedown-form"' in html and "S-1" in html and "T-1" in html
    refused = client.post(url, {"visited_at": "2025-03-12T10:30"})
    assert refused.status_code == 400 and "Bekræft, at alt udstyr er hentet." in refused.content.decode()
    ok = client.post(url, {"confirm": "on", "visited_at": "2025-03-12T10:30"}, follow=True)
    assert "Nedtagningen er registreret" in ok.content.decode()
    assert LogisticsTask.objects.get(pk=task.pk).state == TaskState.DONE
