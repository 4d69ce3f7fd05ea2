"""A landsdel's page: the volumes chart and staffing, the costs with the seed's discrepancies, the split explained
and the scenarios, the owners' year; the Excel export with its totals — and a coordinator's page and export hold
only its own municipality's rows."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from samvirke.directory.models import Person
from samvirke.telecare.actions import do_close_year, do_issue_quarter, do_make_forecast
from samvirke.telecare.lib.seed_volumes import seed_series
from samvirke.telecare.lib.volumes import year_volumes
from samvirke.telecare.models import Landsdel
from tests.conftest import client_for
from tests.telecare.conftest import GREVE, HOLBAEK, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_done(landsdel: Landsdel) -> Landsdel:
    enrol(landsdel, GREVE, "SJ-1", dt.date(2025, 1, 2))
    enrol(landsdel, HOLBAEK, "SJ-2", dt.date(2025, 4, 1), dt.date(2025, 8, 31))
    do_make_forecast(None, landsdel, 2025, total=Decimal("5580000"))
    for quarter in (1, 2, 3, 4):
        do_issue_quarter(None, landsdel, 2025, quarter)
    do_close_year(None, landsdel, 2025, Decimal("5000000"))
    return landsdel


def _page(person: Person) -> str:
    response = client_for(person).get("/telemedicin/sjaelland/?aar=2025")
    assert response.status_code == 200
    return response.content.decode()


def test_the_volumes_chart_draws_the_seed_series(landsdel: Landsdel, secretariat: Person) -> None:
    page = _page(secretariat)
    volumes = year_volumes(seed_series()["sjaelland"])
    assert [v.citizens for v in volumes] == [170, 780, 1410, 1800, 1850]
    assert page.count('class="bar-citizens"') == 5 and page.count('class="bar-calls"') == 5
    for volume in volumes:
        assert 'class="bar-calls" ' in page and f'data-value="{volume.calls_per_month}"' in page
    assert "2025 (År 1)" in page and "2029 (År 5)" in page
    assert "Supportere pr. åbningstime" in page


def test_costs_show_table_18_and_its_discrepancies_honestly(landsdel: Landsdel, secretariat: Person) -> None:
    page = _page(secretariat)
    assert 'id="national-costs"' in page and 'id="national-discrepancies"' in page
    assert "trykt 36,9, posterne giver 36,8" in page  # seed 003, Tabel 18, År 2 operations
    assert 'id="landsdel-costs"' in page and page.count('class="cost-municipality"') == 17


def test_the_split_is_explained_and_the_scenarios_stand_side_by_side(year_done: Landsdel, secretariat: Person) -> None:
    page = _page(secretariat)
    for label in ("w = 1", "w = 0,5", "w = 0", "Region 65 %", "Region 80 %", "Region 50 %", "Dobbelt målgruppe"):
        assert label in page
    assert page.count('<tr data-owner="') == 2 * 18  # scenarios and owner totals: region + 17 municipalities
    assert "Greve: " in page and "Med w = 1 er andelen" in page
    # at region 80 % the region pays 4.464.000,00 of 5.580.000,00
    assert "4.464.000,00" in page


def test_owner_totals_after_the_true_up_have_no_difference(year_done: Landsdel, secretariat: Person) -> None:
    page = _page(secretariat)
    table = page.split('id="owner-totals"')[1].split("</table>")[0]
    assert "5.580.000,00" in table and "5.000.000,00" in table  # forecast and actual totals
    assert table.split("<tfoot>")[1].count("0,00") >= 1


def test_a_coordinator_sees_only_its_own_rows(year_done: Landsdel, greve_coordinator: Person) -> None:
    page = _page(greve_coordinator)
    assert "Holbæk" not in page and "Roskilde" not in page
    assert page.count('<tr data-owner="') == 2 and f'data-owner="{GREVE}"' in page
    assert 'data-owner="region"' not in page and page.count('class="cost-municipality"') == 1
    assert 'id="sekretariat"' not in page and "Lav prognose" not in page


def _workbook(person: Person) -> dict[str, list[tuple[object, ...]]]:
    response = client_for(person).get("/telemedicin/sjaelland/2025.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    book = load_workbook(io.BytesIO(body))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_the_export_holds_the_page_s_figures_with_totals(year_done: Landsdel, secretariat: Person) -> None:
    book = _workbook(secretariat)
    owners = book["Ejere"]
    assert len(owners) == 1 + 18 + 1 and owners[-1][0] == "I alt"
    assert Decimal(str(owners[-1][1])) == Decimal("5580000") and Decimal(str(owners[-1][5])) == Decimal("5000000")
    assert Decimal(str(owners[-1][6])) == 0  # trued up
    assert book["Scenarier"][-1][0] == "I alt" and len(book["Mængder"]) == 6
    invoices = book["Fakturaer"]
    assert invoices[-1][0] == "I alt"
    assert sum(Decimal(str(row[4])) for row in invoices[1:-1]) == Decimal(str(invoices[-1][4])) == Decimal("5000000")


def test_a_coordinator_s_export_holds_only_its_own_rows(year_done: Landsdel, greve_coordinator: Person) -> None:
    book = _workbook(greve_coordinator)
    names = {str(row[0]) for sheet in book.values() for row in sheet if row and row[0]}
    assert "Greve Kommune" in names
    assert not any("Holbæk" in name or "Region Sjælland" in name or "Roskilde" in name for name in names)
    text = " ".join(str(cell) for sheet in book.values() for row in sheet for cell in row if cell is not None)
    assert "Holbæk" not in text and "Region Sjælland" not in text
    assert len(book["Ejere"]) == 1 + 1 + 1


@pytest.mark.parametrize("who", ["holbaek_agent", "outsider"])
@pytest.mark.parametrize(
    "url", ["/telemedicin/sjaelland/2025.xlsx", "/telemedicin/sjaelland/kvartal/?aar=2025&kvartal=1"]
)
def test_agents_and_outsiders_get_403_on_the_new_pages(
    landsdel: Landsdel, who: str, url: str, request: pytest.FixtureRequest
) -> None:
    person: Person = request.getfixturevalue(who)
    assert client_for(person).get(url).status_code == 403


def test_region_staff_and_coordinators_may_not_see_the_confirmation_step(
    landsdel: Landsdel, region_staff: Person, greve_coordinator: Person
) -> None:
    for person in (region_staff, greve_coordinator):
        assert client_for(person).get("/telemedicin/sjaelland/kvartal/?aar=2025&kvartal=1").status_code == 403
