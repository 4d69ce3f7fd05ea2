"""The shift-hour balance (/oekonomi/vagttimer/): planned hours from published rotas only, weeks outside
the band (ISO weeks), and staffed hours compared with the owed hours pro rata to today."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from samvirke.directory.models import Fellesskab, Municipality, Person
from samvirke.economy.lib.balance import BandWeeks, annualised, band_weeks, contact_volumes, hour_balance
from samvirke.economy.lib.fees import EconomyParams
from samvirke.economy.models import EconomySettings
from samvirke.staffing.models import Rota, RotaStatus, Shift
from tests.conftest import GREVE, client_for

LOCAL = ZoneInfo("Europe/Copenhagen")
FEB_3, FEB_10, FEB_17, FEB_24, JAN_27 = (dt.date(2025, m, d) for m, d in ((2, 3), (2, 10), (2, 17), (2, 24), (1, 27)))


def cell(page: str, column: str) -> str:
    match = re.search(rf'data-col="{column}">(.*?)</td>', page, re.S)
    assert match is not None, column
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def rota(fellesskab: Fellesskab, monday: dt.date, status: str, greve_hours: list[int]) -> Rota:
    week = Rota.objects.create(
        fellesskab=fellesskab,
        week_start=monday,
        status=status,
        forecast_source="test",
        aht_seconds=300,
        target_service_level=0.8,
        target_seconds=60,
        shrinkage=0.3,
        max_occupancy=0.85,
    )
    greve = Municipality.objects.get(code=GREVE)
    for day, hours in enumerate(greve_hours):
        starts = dt.datetime.combine(monday + dt.timedelta(days=day), dt.time(9), tzinfo=LOCAL)
        Shift.objects.create(
            rota=week, municipality=greve, starts_at=starts, ends_at=starts + dt.timedelta(hours=hours)
        )
    return week


def at(moment: dt.datetime) -> Any:
    return mock.patch("django.utils.timezone.now", return_value=moment)


# --- lib ------------------------------------------------------------------------------------------


def test_weeks_below_and_above_the_band_are_counted_and_a_week_without_shifts_is_zero():
    weeks = [FEB_3, FEB_10, FEB_17, FEB_24]
    hours = {FEB_3: Decimal(5), FEB_10: Decimal(6), FEB_17: Decimal("11.5")}
    result = band_weeks(hours, weeks, band_min=6, band_max=11)
    assert result == BandWeeks(checked=4, below=(FEB_3, FEB_24), above=(FEB_17,))
    assert (result.below_iso_weeks, result.above_iso_weeks) == ([6, 9], [8])


def test_staffed_hours_are_compared_with_the_owed_hours_pro_rata_to_today():
    params = EconomyParams(price_per_citizen=Decimal("1.7375"))
    # Greve 52,157 inhabitants: 417 h a year; 152 of 365 days → 173.65 → 174 h owed so far
    row = hour_balance(GREVE, "Greve", 52157, 334, 365, params, staffed=Decimal(100), member_days_so_far=152)
    assert (row.owed_this_year, row.owed_so_far, row.staffed_difference) == (382, 174, Decimal(-74))


# --- the page -------------------------------------------------------------------------------------


def test_planned_hours_are_a_dash_when_the_year_has_no_published_rota(
    model_2025: EconomySettings, fellesskab: Fellesskab, greve_coordinator: Person
):
    rota(fellesskab, FEB_3, RotaStatus.DRAFT, [8])  # a draft does not count
    page = client_for(greve_coordinator).get("/oekonomi/vagttimer/?aar=2025").content.decode()
    assert cell(page, "planned") == "–"
    assert cell(page, "band-weeks") == "–"
    assert "ingen offentliggjort vagtplan for 2025" in page


def test_published_weeks_are_checked_against_the_band_during_membership(
    model_2025: EconomySettings, fellesskab: Fellesskab, greve_coordinator: Person
):
    rota(fellesskab, JAN_27, RotaStatus.PUBLISHED, [])  # before Greve joined on 1 Feb: not checked
    rota(fellesskab, FEB_3, RotaStatus.PUBLISHED, [5])  # ISO week 6: below the band 6–11
    rota(fellesskab, FEB_10, RotaStatus.PUBLISHED, [4, 4])  # week 7: 8 h, inside
    rota(fellesskab, FEB_17, RotaStatus.PUBLISHED, [6, 6])  # week 8: 12 h, above
    rota(fellesskab, FEB_24, RotaStatus.DRAFT, [1])  # a draft: not counted
    page = client_for(greve_coordinator).get("/oekonomi/vagttimer/?aar=2025").content.decode()
    assert cell(page, "planned") == "25,0 (−357,0)"  # 5 + 8 + 12 h against 382 owed
    assert cell(page, "band-weeks") == "1 / 1 af 3"
    assert 'title="Under: uge 6. Over: uge 8."' in page


def test_staffed_hours_so_far_are_compared_with_the_owed_hours_to_today(
    model_2025: EconomySettings, greve_coordinator: Person
):
    client = client_for(greve_coordinator)
    with at(dt.datetime(2025, 7, 2, 10, tzinfo=LOCAL)):
        page = client.get("/oekonomi/vagttimer/?aar=2025").content.decode()
    # 1 Feb – 2 Jul 2025 is 152 days: 417 × 152 / 365 = 173.65 → 174 h owed so far, none staffed
    assert cell(page, "owed-so-far") == "174"
    assert cell(page, "staffed") == "0 (−174)"
    assert "til og med i dag (02.07.2025)" in page


def test_a_past_year_compares_the_staffed_hours_with_the_whole_years(
    model_2025: EconomySettings, greve_coordinator: Person
):
    with at(dt.datetime(2026, 3, 1, 10, tzinfo=LOCAL)):
        page = client_for(greve_coordinator).get("/oekonomi/vagttimer/?aar=2025").content.decode()
    assert cell(page, "owed-so-far") == "382"
    assert cell(page, "staffed") == "0 (−382)"


def test_a_future_year_has_neither_owed_hours_so_far_nor_staffed_hours(
    fellesskab: Fellesskab, greve_coordinator: Person
):
    from samvirke.economy.actions.invoicing import do_save_economy_settings

    do_save_economy_settings(None, fellesskab, 2025, price_per_citizen=Decimal("1.25"))
    with at(dt.datetime(2024, 12, 1, 10, tzinfo=LOCAL)):
        page = client_for(greve_coordinator).get("/oekonomi/vagttimer/?aar=2025").content.decode()
    assert cell(page, "owed-so-far") == "–" and cell(page, "staffed") == "–"


def test_the_secretariat_sees_every_members_row(model_2025: EconomySettings, secretariat: Person):
    page = client_for(secretariat).get("/oekonomi/vagttimer/?aar=2025").content.decode()
    assert page.count('data-col="band-weeks"') == 3


def test_a_registered_volume_wins_and_other_channels_take_the_contact_centres_count():
    volumes = contact_volumes({"phone": 100}, {"phone": 7, "chat": 3, "chatbot": 0}, ["phone", "chat", "chatbot"])
    assert volumes == {"phone": (100, "typed"), "chat": (3, "contact_centre")}


def test_a_count_over_part_of_the_year_is_scaled_to_the_whole_year_half_up() -> None:
    assert annualised(241, 2, 365) == 43_983  # 43,982.5 rounds up
    assert annualised(4, 1, 366) == 1_464
    assert annualised(100, 365, 365) == 100
    with pytest.raises(ValueError, match="mindst én dag"):
        annualised(5, 0, 365)
