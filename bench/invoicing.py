"""How long invoicing a year holds the database. Run: .venv/bin/python bench/invoicing.py [--members 98]

Invoicing plans outside any transaction (samvirke.economy.actions.invoicing.prepare_invoicing: read the members,
the model and the issued invoices, compute the fees and the proration) and then writes in one short transaction
(_issue: lock the year's numbering, check nothing was numbered since, write invoices, credit notes and their
audit entries). Measured for a fællesskab of every municipality (98; pilot payer on half of them, so some members
get two invoices), on a fresh SQLite file under var/ (or DATABASE_URL's PostgreSQL with --postgres):
the first run, a run that changes nothing, and a run after every population changed (all credited and reissued).

Writes bench/results/invoicing-<database>.json. Timing depends on the machine; it is not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def setup(postgres: bool) -> None:
    if not postgres:
        database = ROOT / "var" / "bench-invoicing.sqlite3"
        database.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    elif not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit('--postgres needs DATABASE_URL pointing at a PostgreSQL database: eval "$(tools/postgres)"')
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvirke.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=98)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--postgres", action="store_true")
    options = parser.parse_args()
    setup(options.postgres)

    from django.db import connection

    from samvirke.directory.models import Fellesskab, Membership, MembershipStatus, Municipality, Region
    from samvirke.economy.actions import invoicing
    from samvirke.economy.models import Invoice

    fellesskab, _ = Fellesskab.objects.get_or_create(slug="bench-invoicing", defaults={"name": "Benchmark"})
    region = Region.objects.get(code=1085)
    for index, municipality in enumerate(Municipality.objects.order_by("code")[: options.members]):
        Membership.objects.get_or_create(
            fellesskab=fellesskab,
            municipality=municipality,
            defaults={
                "status": MembershipStatus.ACTIVE,
                "member_since": dt.date(options.year, 1 + index % 6, 1),  # some join during the year
                "pilot_start": dt.date(options.year - 1, 6, 1) if index % 2 else None,
                "pilot_end": dt.date(options.year, 5, 31) if index % 2 else None,
                "pilot_payer": region if index % 2 else None,
            },
        )
    invoicing.do_save_economy_settings(None, fellesskab, options.year, price_per_citizen=Decimal("1.25"))

    def run(label: str) -> dict[str, Any]:
        started = time.perf_counter()
        preview = invoicing.prepare_invoicing(fellesskab, options.year)
        planned = time.perf_counter()
        result = invoicing._issue(None, fellesskab, preview)
        written = time.perf_counter()
        row = {
            "run": label,
            "plan_outside_transaction_ms": round((planned - started) * 1000, 1),
            "write_transaction_ms": round((written - planned) * 1000, 1),
            "issued": len(result.issued),
            "credited": len(result.credit_notes),
            "unchanged": result.unchanged,
        }
        print(
            f"{label:36} plan {row['plan_outside_transaction_ms']:7.1f} ms   transaction "
            f"{row['write_transaction_ms']:7.1f} ms   {row['issued']} udstedt, {row['credited']} krediteret"
        )
        return row

    rows = [run("first run")]
    rows.append(run("again, nothing changed"))
    Municipality.objects.filter(memberships__fellesskab=fellesskab).update(population=models_plus_one())
    rows.append(run("every population changed"))
    assert Invoice.objects.filter(fellesskab=fellesskab).count() == rows[0]["issued"] * 2 + rows[2]["credited"]
    out = ROOT / "bench" / "results" / f"invoicing-{connection.vendor}.json"
    out.write_text(
        json.dumps(
            {
                "what": "invoicing a year: planning outside the transaction, then one short write transaction",
                "database": connection.vendor,
                "members": options.members,
                "python": platform.python_version(),
                "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
                "runs": rows,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"skrev {out}")


def models_plus_one() -> Any:
    from django.db.models import F

    return F("population") + 1


if __name__ == "__main__":
    main()
