"""Demo data for telemedicine's fællesskab (seed 003): the five landsdele, and for Sjælland populations aged 40+,
synthetic enrolments following the seed's N series, the current year's forecast, its quarterly invoices up to the
current quarter and one add-on service of each kind. Written through the telecare and directory actions; safe to run
again (what exists is left as it is, and a second run on the same day writes nothing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from samvirke.audit.actions import record
from samvirke.core.lib.formatting import kr
from samvirke.directory.actions import do_import_populations_40plus
from samvirke.directory.lib.populations import Population40PlusRow
from samvirke.directory.models import Fellesskab, FellesskabService, Municipality, PopulationAged40Plus, Region
from samvirke.economy.lib.fees import round_half_up
from samvirke.telecare.actions import (
    do_import_enrolments,
    do_invoice_addons,
    do_issue_quarter,
    do_make_forecast,
    do_record_addon_usage,
)
from samvirke.telecare.lib.demo_enrolments import simulate_enrolments
from samvirke.telecare.lib.seed_volumes import series_info
from samvirke.telecare.models import AddOnMode, AddOnService, AddOnUsage, Landsdel, SubscriptionInvoice, TelecareBudget

DEMO_LANDSDEL = "sjaelland"
REF_PREFIX = "SJ"
# No count of inhabitants aged 40+ per municipality ships with Samvirke (the seed prints three, for Midtjylland;
# data/costs.json's weights are inferred from payment tables, not populations). The demo estimates them.
POPULATION_SHARE_40PLUS = Decimal("0.52")
POPULATION_YEAR = 2024
POPULATION_SOURCE = "Skøn til demo: 52 % af indbyggertallet 2024 (Danmarks Statistik, FOLK1A)"

# (name, mode, unit, tariff). The tariff add-on is the seed's urgent installation ("2 arbejdsdage for hastesager"
# against 12 as standard, seed 003, Bilag C (l. 11008)); its price is invented for the demo.
DEMO_ADDONS: list[tuple[str, str, str, Decimal | None]] = [
    ("Oplæring af plejepersonale i udstyret", AddOnMode.FOLDED, "kursus", None),
    ("Rådgivning om nye telemedicinske forløb", AddOnMode.PARALLEL, "time", None),
    ("Akut opsætning inden for 2 arbejdsdage", AddOnMode.TARIFF, "opsætning", Decimal("850.00")),
]
# A little use of the tariff add-on: kommunekode → opsætninger per quarter (Holbæk, Næstved, Slagelse).
DEMO_ADDON_USE = {316: 3, 370: 2, 330: 1}


def _landsdele(first_year: int) -> list[Landsdel]:
    """The five landsdele of Bilag B, each with its region and a fællesskab of its own (invoice numbering); made
    only when missing, so settings the secretariat changed stay."""
    landsdele = []
    for key, info in series_info().items():
        if info.region_code is None:
            continue  # the whole country and the average municipality are no landsdel
        name = info.name.removeprefix("Landsdel ")
        landsdel = Landsdel.objects.filter(slug=key).first()
        if landsdel is None:
            fellesskab, _ = Fellesskab.objects.get_or_create(
                slug=f"telemedicin-{key}",
                defaults={
                    "name": f"Telemedicin {name}",
                    "service": FellesskabService.TELEMEDICINE,
                    "description": f"Demodata: landsdel {name}s fællesskab om service, support og logistik for "
                    "telemedicinsk hjemmemonitorering af borgere med KOL (abonnement og fakturaer).",
                },
            )
            landsdel = Landsdel.objects.create(
                name=name,
                slug=key,
                region=Region.objects.get(code=info.region_code),
                fellesskab=fellesskab,
                weight=Decimal(1),
                region_share=Decimal("0.65"),
                first_year=first_year,
            )
            record(None, "telecare.demo_landsdel_created", landsdel, {"first_year": first_year})
        landsdele.append(landsdel)
    return landsdele


def _populations(landsdel: Landsdel) -> dict[int, int]:
    """Every municipality of the region without any figure gets the demo's estimate; returns the counts in use."""
    municipalities = list(Municipality.objects.filter(region=landsdel.region_id))
    having = set(
        PopulationAged40Plus.objects.filter(municipality__in=municipalities).values_list("municipality_id", flat=True)
    )
    missing = [
        Population40PlusRow(0, m.code, int(round_half_up(m.population * POPULATION_SHARE_40PLUS)))
        for m in municipalities
        if m.pk not in having
    ]
    if missing:
        do_import_populations_40plus(None, missing, POPULATION_YEAR, POPULATION_SOURCE)
    counts: dict[int, int] = {}
    for code, count in (
        PopulationAged40Plus.objects.filter(municipality__in=municipalities)
        .order_by("year")
        .values_list("municipality__code", "count")
    ):
        counts[code] = count  # the latest year wins, as in the split
    return counts


def _forecast_and_invoices(landsdel: Landsdel, today: dt.date) -> TelecareBudget:
    year = today.year
    budget = TelecareBudget.objects.filter(landsdel=landsdel, year=year).first()
    if budget is None:
        # Made in the spring of the year before (seed 003, ch. 5), from the landsdel's Bilag B total.
        spring = timezone.make_aware(dt.datetime(year - 1, 4, 15, 10, 0))
        budget = do_make_forecast(None, landsdel, year, now=spring)
    if budget.closed_at is None:
        for quarter in range(1, (today.month - 1) // 3 + 2):
            issued = timezone.make_aware(dt.datetime(year, 3 * quarter - 2, 1, 9, 0))
            do_issue_quarter(None, landsdel, year, quarter, now=issued)
    return budget


def _addons(landsdel: Landsdel, today: dt.date) -> None:
    services = []
    for name, mode, unit, tariff in DEMO_ADDONS:
        service, created = AddOnService.objects.get_or_create(
            landsdel=landsdel, name=name, defaults={"mode": mode, "unit": unit, "tariff": tariff}
        )
        if created:
            record(None, "telecare.demo_addon_created", service, {"mode": mode})
        services.append(service)
    tariffed = [s for s in services if s.mode == AddOnMode.TARIFF]
    current = (today.month - 1) // 3 + 1
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=DEMO_ADDON_USE)}
    for service in tariffed:
        for quarter in range(1, current + 1):
            for code, quantity in DEMO_ADDON_USE.items():
                if not AddOnUsage.objects.filter(
                    service=service, municipality=municipalities[code], year=today.year, quarter=quarter
                ).exists():
                    do_record_addon_usage(None, service, municipalities[code], today.year, quarter, Decimal(quantity))
    # The quarters that have ended are invoiced; the current one is still being used.
    for quarter in range(1, current):
        issued = timezone.make_aware(dt.datetime(today.year, 3 * quarter + 1, 5, 9, 0))
        do_invoice_addons(None, landsdel, today.year, quarter, now=issued)


def load_demo_telecare(today: dt.date) -> str:
    """The demo's telemedicine; `today` decides År 1 (the year before, so today's year is programme year 2: the
    seed's +24 months, 780 citizens in Sjælland) when the landsdele are first made, and how far the months run."""
    landsdele = _landsdele(first_year=today.year - 1)
    sjaelland = next(landsdel for landsdel in landsdele if landsdel.slug == DEMO_LANDSDEL)
    populations = _populations(sjaelland)
    rows = simulate_enrolments(
        first_year=sjaelland.first_year,
        citizens=series_info()[DEMO_LANDSDEL].citizens,
        weights=populations,
        until=today,
        prefix=REF_PREFIX,
    )
    imported = do_import_enrolments(None, sjaelland, rows)
    budget = _forecast_and_invoices(sjaelland, today)
    _addons(sjaelland, today)
    enrolled = sum(1 for r in rows if r.enrolled_to is None)
    invoices = SubscriptionInvoice.objects.filter(landsdel=sjaelland, year=today.year).count()
    return (
        f"Telemedicin: {len(landsdele)} landsdele; {sjaelland.name} (År 1 = {sjaelland.first_year}) med "
        f"{enrolled} borgere i programmet i dag, {len(rows)} indskrivninger i alt ({imported.created} nye), "
        f"prognose {today.year} på {kr(budget.forecast_total)} kr. og {invoices} fakturaer. "
        f"Se /telemedicin/{sjaelland.slug}/ (sekretariat, region, koordinator-<kommune>)."
    )
