"""A landsdel's telemedicine page as an .xlsx workbook: the owners' year (forecast, invoiced, actual, difference),
the scenarios, the invoices, the volumes and the landsdel's cost table, each with its totals row. Cut to what the
user may see before it is written: a coordinator's workbook holds its own municipality's rows and the totals only.
Saved through samvirke.core.lib.spreadsheets (no text becomes a formula; totals are values)."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from samvirke.core.lib.spreadsheets import workbook_bytes
from samvirke.telecare import selectors
from samvirke.telecare.models import Landsdel

MONEY_FORMAT = "#,##0.00"
TOTAL_LABEL = "I alt"


def _bold_last(sheet: Worksheet) -> None:
    bold = Font(bold=True)
    for cell in sheet[sheet.max_row]:
        cell.font = bold


def _money(sheet: Worksheet, first_column: int) -> None:
    for row in sheet.iter_rows(min_row=2, min_col=first_column):
        for cell in row:
            if isinstance(cell.value, Decimal | int | float):
                cell.number_format = MONEY_FORMAT


def landsdel_workbook(landsdel: Landsdel, year: int, codes: set[int] | None) -> bytes:
    workbook = Workbook()
    workbook.properties.title = f"Telemedicin {landsdel.name} {year}"
    bold = Font(bold=True)

    owners = workbook.active
    assert owners is not None
    owners.title = "Ejere"
    owners.append(
        ["Ejer", "Prognose (kr.)", "Kvartalsfakturaer (kr.)", "Efterregulering (kr.)", "Faktureret i alt (kr.)",
         "Faktisk andel (kr.)", "Forskel (kr.)", "Tilkøb (kr.)"]
    )  # fmt: skip
    totals = selectors.owner_totals(landsdel, year, codes)
    for row in totals:
        owners.append(
            [row.name, row.forecast, row.instalments, row.true_up, row.invoiced, row.actual, row.difference, row.addons]
        )
    owners.append(
        [
            TOTAL_LABEL,
            selectors.sum_or_none([r.forecast for r in totals]),
            sum((r.instalments for r in totals), Decimal("0.00")),
            sum((r.true_up for r in totals), Decimal("0.00")),
            sum((r.invoiced for r in totals), Decimal("0.00")),
            selectors.sum_or_none([r.actual for r in totals]),
            selectors.sum_or_none([r.difference for r in totals]),
            sum((r.addons for r in totals), Decimal("0.00")),
        ]
    )
    _bold_last(owners)
    _money(owners, 2)

    table = selectors.scenario_table(landsdel, year, codes)
    scenarios = workbook.create_sheet("Scenarier")
    if table.problem:
        scenarios.append([table.problem])
    else:
        scenarios.append(["Ejer", *[s.label for s in table.scenarios]])
        for scenario_row in table.rows:
            scenarios.append([scenario_row.name, *scenario_row.amounts])
        scenarios.append(["Kommunerne i alt", *table.municipal_totals])
        if codes is None:
            scenarios.append(["Regionen", *table.region_totals])
        scenarios.append([TOTAL_LABEL, *table.totals])
        _bold_last(scenarios)
        _money(scenarios, 2)

    invoices = workbook.create_sheet("Fakturaer")
    invoices.append(["Nummer", "Art", "Betaler", "Kvartal", "Beløb (kr.)", "Forklaring"])
    listed = selectors.invoices_for(landsdel, year, codes)
    for invoice in listed:
        invoices.append(
            [invoice.number, invoice.get_kind_display(), invoice.payer_name, invoice.quarter, invoice.amount,
             invoice.explanation]
        )  # fmt: skip
    invoices.append([TOTAL_LABEL, None, None, None, sum((i.amount for i in listed), Decimal("0.00")), None])
    _bold_last(invoices)
    for cells in invoices.iter_rows(min_row=2, min_col=5, max_col=5):
        cells[0].number_format = MONEY_FORMAT

    volumes = workbook.create_sheet("Mængder")
    volumes.append(
        ["År", "Borgere i programmet", "Nye pr. måned", "Opkald pr. måned", "Kørsler pr. måned",
         "Supportere pr. åbningstime", "Besøg pr. arbejdsdag", "Dobbelt målgruppe: borgere",
         "Dobbelt: opkald pr. måned", "Dobbelt: kørsler pr. måned"]
    )  # fmt: skip
    for v in selectors.volume_rows(landsdel):
        volumes.append(
            [v.label, v.volume.citizens, v.volume.new_per_month, v.volume.calls_per_month, v.volume.trips_per_month,
             v.staffing.agents, v.visits_per_day, v.doubled.citizens, v.doubled.calls_per_month,
             v.doubled.trips_per_month]
        )  # fmt: skip

    cost = selectors.cost_section(landsdel, codes)
    if cost.landsdel is not None:
        sheet = workbook.create_sheet("Omkostninger")
        own = cost.landsdel
        sheet.append([f"seed 003, Bilag B, Tabel {own.region_municipal.number} og {own.municipal.number} (1.000 kr.)"])
        sheet.append(["", *own.region_municipal.columns])
        for cost_row in cost.municipal_rows:
            sheet.append([cost_row.name, *cost_row.values])
        sheet.append(["Kommunerne (trykt)", *own.region_municipal.municipalities.values])
        if codes is None:
            sheet.append(["Regionen (trykt)", *own.region_municipal.region.values])
        sheet.append([f"{TOTAL_LABEL} (trykt)", *own.region_municipal.total.values])
        _bold_last(sheet)

    for sheet in workbook.worksheets:
        for cell in sheet[1]:
            cell.font = bold
    return workbook_bytes(workbook)
