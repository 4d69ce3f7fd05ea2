"""KPIs per line (seed 002): the hotline and the health-app line apart, each with its own queue's service-level
threshold, and the count of transfers to the region's MinSP support. Numbers computed by hand."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from samvirke.contact.lib.kpi import ContactRecord, compute_kpis, kpis_per_line
from samvirke.contact.models import Queue
from samvirke.contact.selectors import forget_cached_queues
from samvirke.directory.models import LineNumber, Person, Region
from tests.conftest import client_for
from tests.contact.conftest import Telephony, at

T0 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def _record(line: str, state: str, wait: float | None = None, **fields: object) -> ContactRecord:
    answered = T0 + dt.timedelta(seconds=wait) if wait is not None else None
    ended = answered + dt.timedelta(seconds=300) if answered is not None else None
    return ContactRecord("phone", state, T0, answered, ended, line=line, **fields)  # type: ignore[arg-type]


RECORDS = [
    # The hotline (threshold 60 s): 3 offered (the closed one is not), 2 answered, 1 abandoned.
    _record("citizen_service", "ended", 30, resolved_at_once=True, satisfaction=8),
    _record("citizen_service", "ended", 90, resolved_at_once=False),
    _record("citizen_service", "abandoned"),
    _record("citizen_service", "closed"),
    # The health-app line (threshold 120 s): 3 offered and answered, two of them sent on to MinSP support.
    _record("health_apps", "transferred", 90, resolved_at_once=False, satisfaction=6, forwarded_to="minsp_support"),
    _record("health_apps", "ended", 150, resolved_at_once=True),
    _record("health_apps", "transferred", 100, forwarded_to="minsp_support"),
    _record("health_apps", "transferred", 20, forwarded_to="citizen_municipality"),
]


def test_each_line_has_its_own_figures_and_threshold() -> None:
    lines = kpis_per_line(RECORDS, {"citizen_service": 60, "health_apps": 120})
    hotline, health = lines["citizen_service"], lines["health_apps"]
    assert (hotline.offered, hotline.answered, hotline.abandoned, hotline.closed) == (3, 2, 1, 1)
    assert hotline.service_level == pytest.approx(1 / 3)  # 30 s within 60; 90 s not; the abandoned one counts
    assert hotline.resolved_at_once_share == pytest.approx(1 / 2)
    assert hotline.satisfaction == 8 and hotline.transferred_to_minsp == 0
    assert (health.offered, health.answered, health.abandoned) == (4, 4, 0)
    assert health.service_level == pytest.approx(3 / 4)  # 90, 100 and 20 s within 120; 150 s not
    assert health.resolved_at_once_share == pytest.approx(1 / 2)  # 2 registered, 1 resolved
    assert health.satisfaction == 6 and health.transferred_to_minsp == 2
    assert health.as_dict()["transfers_to_minsp_support"] == 2


def test_the_threshold_is_the_lines_own() -> None:
    # With the hotline's 60 s the health-app line would be at 1 of 4.
    assert compute_kpis([r for r in RECORDS if r.line == "health_apps"], 60).service_level == pytest.approx(1 / 4)


def test_a_line_without_contacts_is_shown_with_zeros() -> None:
    lines = kpis_per_line(RECORDS[:3], {"citizen_service": 60, "health_apps": 120})
    assert lines["health_apps"].offered == 0 and lines["health_apps"].service_level is None
    assert list(lines) == ["citizen_service", "health_apps"]


# --- the reports page -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_report_shows_each_line_and_its_minsp_transfers(agents: list[Person], secretariat: Person) -> None:
    Queue.objects.filter(line="health_apps").update(service_level_seconds=120)
    forget_cached_queues()
    LineNumber.objects.create(region=Region.objects.get(code=1085), line="health_apps", number="70210000")
    telephony = Telephony()
    # The hotline: Holbæk's citizen answered by Greve's agent after 90 s (beyond 60 s).
    telephony.agent("agent-koege-1", "ready", at(0))
    telephony.offer("c1", at(0))
    telephony.agent("agent-greve-1", "ready", at(90))
    telephony.event("call_answered", at(91), call_id="c1")
    # The health-app line: answered at once by Køge's trained agent, and transferred to MinSP support.
    telephony.offer("h1", at(10), called="70210000", ivr_municipality_code=316)
    telephony.event("call_answered", at(30), call_id="h1")
    telephony.event("call_transferred", at(200), call_id="h1", transfer_target="minsp_support")
    html = client_for(secretariat).get("/kontaktcenter/rapporter/?fra=2026-11-23&til=2026-11-23").content.decode()
    assert "Pr. linje" in html
    minsp = html[html.index('id="minsp-table"') :]
    assert re.search(r"<td>Sundhedsapps-linje</td><td class=\"num\">1</td>", minsp)
    assert re.search(r"<td>Borgerservice-hotline</td><td class=\"num\">0</td>", minsp)
    per_line = html[html.index("Pr. linje") : html.index('id="minsp-table"')]
    hotline_row = per_line[per_line.index("Borgerservice-hotline") :].split("</tr>")[0]
    health_row = per_line[per_line.index("Sundhedsapps-linje") :].split("</tr>")[0]
    assert "0,0 %" in hotline_row and "100,0 %" in health_row
