"""Demo economy for the Region Sjælland pilot: the seed's two price levels, contact volumes, invoices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from samvirke.directory.models import Fellesskab, Region
from samvirke.economy.actions.invoicing import do_run_invoicing, do_save_economy_settings, do_set_contact_volume
from samvirke.economy.models import ContactVolume, EconomySettings, PilotGrant

# Seed 000: 1.7375 kr. per citizen in 2025 because fewer municipalities joined; 1.25 kr. once all 17 are in.
DEMO_PRICES = {2025: Decimal("1.7375"), 2026: Decimal("1.25")}
DEMO_HOURLY_RATE = Decimal(343)
# Plausible volumes for 11 members in 2025, scaled from seed 002's national figures (266,444 calls and
# 91,983 chatbot conversations for 45 municipalities in 2024). Marked as demo data.
DEMO_GRANT_NAME = "Den Digitale Hotline i Region Sjælland (Regionale Udviklingsmidler)"
DEMO_VOLUMES_2025 = {"phone": 41_300, "chat": 6_200, "chatbot": 14_900}


def load_demo_economy(fellesskab: Fellesskab) -> str:
    """Create what is missing (never overwrites a year the secretariat has changed) and invoice 2025."""
    for year, price in DEMO_PRICES.items():
        if not EconomySettings.objects.filter(fellesskab=fellesskab, year=year).exists():
            do_save_economy_settings(None, fellesskab, year, price_per_citizen=price, hourly_rate=DEMO_HOURLY_RATE)
    for channel, contacts in DEMO_VOLUMES_2025.items():
        if not ContactVolume.objects.filter(fellesskab=fellesskab, year=2025, channel=channel).exists():
            do_set_contact_volume(None, fellesskab, 2025, channel, contacts, "Demodata (skaleret fra DDH 2024)")
    sjaelland = Region.objects.filter(code=1085).first()
    if sjaelland is not None:
        # Seed 001: 2.000.000 kr. of Region Sjælland's regional development funds, early 2025 – early 2027.
        PilotGrant.objects.get_or_create(
            region=sjaelland,
            name=DEMO_GRANT_NAME,
            defaults={
                "amount": Decimal("2000000.00"),
                "start": dt.date(2025, 1, 1),
                "end": dt.date(2027, 1, 31),
                "is_demo": True,
            },
        )
    run = do_run_invoicing(None, fellesskab, 2025)
    return f"Økonomi: modeller for {', '.join(map(str, DEMO_PRICES))}; {run.summary()}"
