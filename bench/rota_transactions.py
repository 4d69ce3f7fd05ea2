"""How long staffing's writes hold a transaction, and how long its pages take, on the demo (issue 11's siblings).

Run:  .venv/bin/python bench/rota_transactions.py            # a SQLite file in a temporary directory
      DATABASE_URL=postgres://samvirke:samvirke@127.0.0.1:5432/samvirke_bench \
          .venv/bin/python bench/rota_transactions.py

A fresh test database beside the one named (as tests/staffing/live_traffic.py makes it), the demo without traffic
(`seed-demo --no-traffic`: 17 members, their agents, this week's and next week's published rota), then:
- a week's rota computed outside any transaction (builder.plan_rota, 10 s solver limit) and written with
  actions.do_save_rota: the one transaction a build holds;
- do_swap_shift (one transaction: lock, find a free agent, band warnings, audit) five times, do_publish_rota once;
- the staffing pages (week list, week page, member page, Excel, a member's calendar file), five GETs each after one
  warm-up, as the secretariat.

Writes bench/results/rota_transactions.json (milliseconds unless named otherwise).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
RESULTS = PROJECT / "bench" / "results" / "rota_transactions.json"


def _ms(seconds: float) -> float:
    return round(1000 * seconds, 1)


def measure() -> dict[str, Any]:
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from samvirke.directory.models import Fellesskab, Municipality, Person
    from samvirke.staffing import actions
    from samvirke.staffing.builder import RotaSettings, plan_rota

    call_command("seed_demo", "--no-traffic", "--quiet-logins", stdout=open(os.devnull, "w"))  # noqa: SIM115
    fellesskab = Fellesskab.objects.get()
    secretariat = Person.objects.get(username="sekretariat")
    week = timezone.localdate() + dt.timedelta(weeks=3)
    started = time.perf_counter()
    plan = plan_rota(fellesskab, week, RotaSettings(time_limit_seconds=10), timezone.localdate())
    computed = time.perf_counter() - started
    started = time.perf_counter()
    rota = actions.do_save_rota(secretariat, plan)
    saved = time.perf_counter() - started

    members = [row["kommunekode"] for row in rota.report["members"]]
    swaps = []
    for shift in list(rota.shifts.select_related("municipality"))[:5]:
        receiver = Municipality.objects.filter(code__in=members).exclude(pk=shift.municipality_id).first()
        assert receiver is not None
        started = time.perf_counter()
        actions.do_swap_shift(secretariat, shift.pk, receiver)
        swaps.append(time.perf_counter() - started)
    started = time.perf_counter()
    actions.do_publish_rota(secretariat, rota)
    published = time.perf_counter() - started

    client = Client()
    client.force_login(secretariat)
    pages = {}
    for url in (
        "/bemanding/",
        f"/bemanding/{rota.week_start}/",
        f"/bemanding/{rota.week_start}/316/",
        f"/bemanding/{rota.week_start}/vagtplan.xlsx",
        "/bemanding/kalender/316.ics",
    ):
        assert client.get(url).status_code == 200, url
        times = []
        for _ in range(5):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        pages[url] = {"median": _ms(statistics.median(times)), "max": _ms(max(times))}
    return {
        "build": {
            "shifts": len(plan.shifts),
            "compute_seconds_outside_any_transaction": round(computed, 1),
            "save_transaction": _ms(saved),
        },
        "swap_transaction": {"median": _ms(statistics.median(swaps)), "max": _ms(max(swaps))},
        "publish_transaction": _ms(published),
        "pages": pages,
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvirke.settings")
        sys.path.insert(0, str(PROJECT))
        import django

        django.setup()
        from django.db import connection

        database = connection.settings_dict
        if connection.vendor == "sqlite":
            named = Path(database["NAME"])
            database.setdefault("TEST", {})["NAME"] = str(named.with_name(f"test-{named.name}"))
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            result = measure()
        finally:
            connection.close()
            connection.creation.destroy_test_db(database["NAME"], verbosity=0)
    report = {
        "what": "staffing's write transactions and pages on the demo (17 members)",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "database": connection.vendor,
        **result,
    }
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
