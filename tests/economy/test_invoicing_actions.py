"""Invoicing a year against the database: numbering, payer, idempotence, credit notes, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from samvirke.audit.models import AuditEntry
from samvirke.directory.actions import do_change_membership_status
from samvirke.directory.models import Fellesskab, Membership, Municipality
from samvirke.economy.actions.invoicing import EconomySettingsMissing, do_run_invoicing, do_save_economy_settings
from samvirke.economy.models import EconomySettings, Invoice, InvoiceKind


def test_each_member_gets_a_numbered_invoice_addressed_to_the_payer(
    model_2025: EconomySettings, fellesskab: Fellesskab
) -> None:
    run = do_run_invoicing(None, fellesskab, 2025)
    assert [i.number for i in run.issued] == ["2025-0001", "2025-0002", "2025-0003"]
    greve = Invoice.objects.get(municipality__code=253)
    # Greve: member and pilot from 1 Feb 2025 (conftest): the region pays 334 of 365 days of 90,622.79 kr.
    assert (greve.payer_kind, greve.payer_name, greve.days_billed) == ("region", "Region Sjælland", 334)
    assert greve.amount == Decimal("82926.06")
    assert greve.payer_region is not None and greve.payer_region.code == 1085


def test_after_the_pilot_the_municipality_pays(fellesskab: Fellesskab) -> None:
    do_save_economy_settings(None, fellesskab, 2028, price_per_citizen=Decimal("1.25"))
    do_run_invoicing(None, fellesskab, 2028)
    holbaek = Invoice.objects.get(municipality__code=316)
    assert (holbaek.payer_kind, holbaek.payer_name) == ("municipality", "Holbæk Kommune")
    assert holbaek.amount == Decimal("92208.75")  # a leap year, but a whole year is the whole fee


def test_rerunning_a_year_issues_nothing_new(model_2025: EconomySettings, fellesskab: Fellesskab) -> None:
    do_run_invoicing(None, fellesskab, 2025)
    again = do_run_invoicing(None, fellesskab, 2025)
    assert (len(again.issued), len(again.credit_notes), again.unchanged) == (0, 0, 3)
    assert Invoice.objects.count() == 3


def test_a_population_change_after_invoicing_gives_a_credit_note_and_a_new_invoice(
    model_2025: EconomySettings, fellesskab: Fellesskab
) -> None:
    do_run_invoicing(None, fellesskab, 2025)
    Municipality.objects.filter(code=316).update(population=74000)
    run = do_run_invoicing(None, fellesskab, 2025)
    [note] = run.credit_notes
    [new] = run.issued
    old = note.credits
    assert old is not None and old.municipality.code == 316
    assert note.kind == InvoiceKind.CREDIT_NOTE and note.amount == -old.amount
    assert new.population == 74000 and new.number == "2025-0005"
    assert note.number == "2025-0004"
    assert old.is_cancelled
    # What is owed is now the new invoice: the sum over the year equals a fresh computation.
    assert sum(Invoice.objects.filter(municipality__code=316).values_list("amount", flat=True)) == new.amount
    assert AuditEntry.objects.filter(action="economy.credit_note_issued").count() == 1


def test_a_member_that_leaves_before_invoicing_is_billed_for_its_days(
    model_2025: EconomySettings, fellesskab: Fellesskab
) -> None:
    do_run_invoicing(None, fellesskab, 2025)
    membership = Membership.objects.get(municipality__code=259)
    do_change_membership_status(None, membership, "left", dt.date(2025, 7, 1))
    run = do_run_invoicing(None, fellesskab, 2025)
    [note] = run.credit_notes
    [new] = run.issued
    assert note.municipality.code == 259
    assert (new.period_start, new.period_end) == (dt.date(2025, 2, 1), dt.date(2025, 6, 30))


def test_a_year_without_a_model_is_refused_and_nothing_is_written(fellesskab: Fellesskab) -> None:
    with pytest.raises(EconomySettingsMissing, match="Der er ingen økonomimodel for 2024"):
        do_run_invoicing(None, fellesskab, 2024)
    assert not Invoice.objects.exists()
    assert not AuditEntry.objects.exists()


def test_each_run_is_audited(model_2025: EconomySettings, fellesskab: Fellesskab) -> None:
    do_run_invoicing(None, fellesskab, 2025)
    entry = AuditEntry.objects.get(action="economy.invoicing_run")
    assert entry.details == {"year": 2025, "issued": 3, "credited": 0, "unchanged": 0}
    assert AuditEntry.objects.filter(action="economy.invoice_issued").count() == 3
