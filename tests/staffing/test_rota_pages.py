"""The rota pages: building a week (forecast → Erlang → CP-SAT), publishing, swapping, exports, access."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from samvirke.audit.models import AuditEntry
from samvirke.contact.models import Queue
from samvirke.directory.models import Person
from samvirke.staffing.models import Rota, Shift
from tests.conftest import client_for
from tests.training.helpers import train
from tests.worker import run_queued_tasks

pytestmark = pytest.mark.django_db

WEEK = "2026-11-30"  # a Monday without holidays
BUILD = {"week": "2026-12-02", "calls_per_year": "2000", "aht_seconds": "270", "target_service_level": "0.8",
         "target_seconds": "60", "shrinkage": "0"}  # fmt: skip


@pytest.fixture(autouse=True)
def short_opening_hours(db: None) -> None:
    """The test fællesskab has three members owing 22–41 hours a week between them: a 25-hour week they can
    cover (Mon–Fri 9–14), the hotline's 60 hours they cannot."""
    Queue.objects.filter(is_default=True).update(opening_hours={str(d): [["09:00", "14:00"]] for d in range(5)})


def build(client: Client, form: dict[str, str]) -> None:
    """Ask for a build as the page does, and let the background worker run it."""
    response = client.post("/bemanding/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert run_queued_tasks() == 1


@pytest.fixture
def rota(secretariat: Person) -> Rota:
    build(client_for(secretariat), BUILD)
    return Rota.objects.get()


def test_building_a_week_covers_it_within_every_band(rota: Rota) -> None:
    assert rota.week_start == dt.date(2026, 11, 30)  # the Monday of the day chosen
    assert len(rota.intervals) == 50 and len(rota.requirement) == 50  # Mon–Fri 9–14 in half hours
    assert rota.report["coverage_met"] is True and rota.report["bands_held"] is True
    shifts = list(rota.shifts.all())
    assert shifts and all(2 <= s.hours <= 4 for s in shifts)
    assert {s.municipality.code for s in shifts} == {316, 253, 259}
    assert AuditEntry.objects.filter(action="staffing.build_rota").count() == 1
    simulated = rota.report["simulation"]
    assert 0.5 <= simulated["service_level"] <= 1 and simulated["abandonment_rate"] < 0.2
    assert rota.report["forecast_error"] is None  # from a yearly volume: no history to measure it on


def test_the_rota_page_shows_requirement_scheduled_and_members(rota: Rota, holbaek_agent: Person) -> None:
    html = client_for(holbaek_agent).get(f"/bemanding/{WEEK}/").content.decode()
    assert "Vagtplan uge 49 2026" in html and 'id="member-hours"' in html and "Holbæk" in html
    assert 'id="uncovered">0<' in html
    assert "height: " in html and "%," not in html  # chart heights with a decimal point, whatever the locale


def test_bad_input_gets_a_danish_message_and_builds_nothing(secretariat: Person) -> None:
    response = client_for(secretariat).post("/bemanding/", {**BUILD, "target_service_level": "1.5"})
    assert response.status_code == 400 and not Rota.objects.exists()
    Queue.objects.filter(is_default=True).update(opening_hours={})
    response = client_for(secretariat).post("/bemanding/", BUILD)
    assert response.status_code == 400
    assert "ingen åbningstid" in response.content.decode() or "ingen vagter" in response.content.decode()
    assert not Rota.objects.exists()


def test_obligations_too_small_are_reported_with_the_numbers(secretariat: Person) -> None:
    build(client_for(secretariat), {**BUILD, "calls_per_year": "200000"})
    rota = Rota.objects.get()
    assert rota.report["coverage_met"] is False
    html = client_for(secretariat).get(f"/bemanding/{WEEK}/").content.decode()
    assert "Det kan ikke lade sig gøre helt" in html and "mangler" in html


def test_publish_then_a_rebuild_is_refused_but_a_swap_works(rota: Rota, secretariat: Person) -> None:
    client = client_for(secretariat)
    client.post(f"/bemanding/{WEEK}/offentliggoer/")
    rota.refresh_from_db()
    assert rota.status == "published"
    response = client.post("/bemanding/", BUILD)
    assert response.status_code == 400 and "offentliggjort" in response.content.decode()
    shift = rota.shifts.filter(municipality__code=316).first()
    assert shift is not None
    holbaek_hours = sum(s.hours for s in rota.shifts.filter(municipality__code=316))
    client.post(f"/bemanding/{WEEK}/316/byt/", {"kind": "overdrag", "shift": shift.pk, "to": "253"})
    shift.refresh_from_db()
    assert shift.municipality.code == 253
    assert sum(s.hours for s in rota.shifts.filter(municipality__code=316)) == pytest.approx(
        holbaek_hours - shift.hours
    )
    assert AuditEntry.objects.filter(action="staffing.swap_shift").exists()


def test_only_the_secretariat_plans(rota: Rota, greve_coordinator: Person) -> None:
    client = client_for(greve_coordinator)
    assert client.post("/bemanding/", BUILD).status_code == 403
    assert client.post(f"/bemanding/{WEEK}/offentliggoer/").status_code == 403
    shift = Shift.objects.filter(municipality__code=316).first()
    assert shift is not None  # a coordinator swaps its own member's shifts (tests/staffing/test_swap.py), not others'
    swap = {"kind": "overdrag", "shift": shift.pk, "to": "253"}
    assert client.post(f"/bemanding/{WEEK}/316/byt/", swap).status_code == 403
    assert client.get(f"/bemanding/{WEEK}/316/").status_code == 403  # another municipality's shifts
    assert client.get(f"/bemanding/{WEEK}/253/").status_code == 200


def test_calendar_file_and_excel(rota: Rota, greve_coordinator: Person, secretariat: Person) -> None:
    client_for(secretariat).post(f"/bemanding/{WEEK}/offentliggoer/")
    ics = client_for(greve_coordinator).get("/bemanding/kalender/253.ics")
    text = ics.content.decode()
    assert ics["Content-Type"].startswith("text/calendar")
    assert (
        text.startswith("BEGIN:VCALENDAR\r\n")
        and text.count("BEGIN:VEVENT") == Shift.objects.filter(municipality__code=253).count()
    )
    assert all("– hotlinevagt (Greve)" in line for line in text.split("\r\n") if line.startswith("SUMMARY:"))
    assert client_for(greve_coordinator).get("/bemanding/kalender/316.ics").status_code == 403
    workbook = load_workbook(io.BytesIO(client_for(secretariat).get(f"/bemanding/{WEEK}/vagtplan.xlsx").content))
    assert workbook.sheetnames == ["Vagter", "Behov"]
    assert workbook["Vagter"].max_row - 1 == Shift.objects.count()


@pytest.mark.parametrize("url", ["/bemanding/", f"/bemanding/{WEEK}/", "/bemanding/kalender/316.ics"])
def test_anonymous_goes_to_login_and_an_outsider_is_refused(url: str, rota: Rota, outsider: Person) -> None:
    # With a real rota for the week, so a 404 for a missing week cannot pass for a refusal.
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client_for(outsider).get(url).status_code == 403


def test_an_unknown_week_is_a_404(secretariat: Person) -> None:
    assert client_for(secretariat).get("/bemanding/2026-13-01/").status_code == 404
    assert client_for(secretariat).get(f"/bemanding/{WEEK}/").status_code == 404


def test_the_economy_balance_shows_the_published_hours(rota: Rota, secretariat: Person) -> None:
    from samvirke.directory.models import Fellesskab, FellesskabService
    from samvirke.economy.demo import load_demo_economy

    load_demo_economy(Fellesskab.objects.get(service=FellesskabService.HOTLINE))
    client = client_for(secretariat)
    client.post(f"/bemanding/{WEEK}/offentliggoer/")
    holbaek = sum(s.hours for s in rota.shifts.filter(municipality__code=316))
    html = client.get("/oekonomi/vagttimer/?aar=2026").content.decode()
    row = html[html.index('<th scope="row">Holbæk</th>') :].split("</tr>")[0]
    assert f"{holbaek:.1f}".replace(".", ",") + " (" in row


def test_with_history_the_forecast_comes_from_it_and_reports_its_error(
    secretariat: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five weeks of calls in the contact centre: the rota's forecast uses them and is measured on the last."""
    from django.utils import timezone as tz

    monkeypatch.setattr(tz, "localdate", lambda *args: dt.date(2026, 11, 30))  # the history ends before "today"

    from samvirke.contact.models import Contact

    hotline = Queue.objects.get(is_default=True)
    start = dt.datetime(2026, 10, 26, 9, 0, tzinfo=tz.get_current_timezone())
    contacts = [
        Contact(
            channel="phone",
            external_id=f"h{day}-{n}",
            queue=hotline,
            state="ended",
            municipality_source="unknown",
            offered_at=start + dt.timedelta(days=day, minutes=7 * n),
        )
        for day in range(35)
        if (start + dt.timedelta(days=day)).weekday() < 5
        for n in range(30)
    ]
    Contact.objects.bulk_create(contacts)
    build(client_for(secretariat), {**BUILD, "calls_per_year": ""})
    rota = Rota.objects.get()
    assert rota.forecast_source.startswith(f"{len(contacts)} henvendelser siden 26.10.2026")
    assert rota.report["forecast_error"]["wape_day"] < 0.05  # the same 30 calls every weekday: easy to forecast
    html = client_for(secretariat).get(f"/bemanding/{WEEK}/").content.decode()
    assert "Prognosens fejl" in html and 'id="simulation"' in html


def test_shifts_go_to_the_members_own_agents_without_overlaps(secretariat: Person, holbaek_agent: Person) -> None:
    from samvirke.directory.models import Municipality, Role

    second = Person.objects.create(
        username="agent-holbaek-2", role=Role.AGENT, municipality=Municipality.objects.get(code=316)
    )
    train(holbaek_agent)
    train(second)
    build(client_for(secretariat), BUILD)
    rota = Rota.objects.get()
    holbaek = list(rota.shifts.filter(municipality__code=316).order_by("starts_at"))
    assert holbaek and all(s.agent in (holbaek_agent, second) for s in holbaek if s.agent)
    for agent in (holbaek_agent, second):
        mine = [s for s in holbaek if s.agent == agent]
        assert all(a.ends_at <= b.starts_at for a, b in zip(mine, mine[1:], strict=False))
    client_for(secretariat).post(f"/bemanding/{WEEK}/offentliggoer/")
    ics = client_for(holbaek_agent).get("/bemanding/mine-vagter.ics").content.decode()
    assert ics.count("BEGIN:VEVENT") == sum(1 for s in holbaek if s.agent == holbaek_agent) > 0


def test_assign_to_agents_balances_and_reports_what_nobody_can_take() -> None:
    from samvirke.core.lib.clock import LOCAL
    from samvirke.staffing.lib.planning import assign_to_agents

    def at(hour: int) -> dt.datetime:
        return dt.datetime(2026, 11, 30, hour, tzinfo=LOCAL)

    shifts = [(1, at(8), at(11)), (2, at(9), at(12)), (3, at(10), at(13)), (4, at(12), at(14))]
    assigned, missing = assign_to_agents(shifts, ["a", "b"])
    assert assigned == {1: "a", 2: "b", 4: "a"} and missing == [3]  # three overlap at 10–11; two agents
