"""Invoicing a year against the database: numbering, payer, idempotence, credit notes, audit."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from samvirke.audit.models import AuditEntry
from samvirke.directory.actions import do_change_membership_status
from samvirke.directory.models import Fellesskab, Membership, Municipality
from samvirke.economy.actions.invoicing import (
    EconomySettingsMissing,
    InvoicingChanged,
    InvoicingNotConfirmed,
    do_run_invoicing,
    do_save_economy_settings,
    prepare_invoicing,
)
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


def test_a_confirmed_run_whose_plan_has_changed_issues_nothing(
    model_2025: EconomySettings, fellesskab: Fellesskab
) -> None:
    token = prepare_invoicing(fellesskab, 2025).token
    do_run_invoicing(None, fellesskab, 2025)  # a colleague's run, just before
    with pytest.raises(InvoicingChanged, match="Intet er udstedt denne gang. Der er intet nyt at udstede nu."):
        do_run_invoicing(None, fellesskab, 2025, confirmed_token=token)
    assert Invoice.objects.count() == 3


def test_invoicing_before_the_years_end_must_be_confirmed_as_such(
    model_2025: EconomySettings, fellesskab: Fellesskab
) -> None:
    with pytest.raises(InvoicingNotConfirmed, match="Året 2025 er ikke slut"):
        do_run_invoicing(None, fellesskab, 2025, today=dt.date(2025, 12, 7))
    assert not Invoice.objects.exists()
    run = do_run_invoicing(None, fellesskab, 2025, today=dt.date(2025, 12, 7), early_confirmed=True)
    assert len(run.issued) == 3
    assert len(do_run_invoicing(None, fellesskab, 2025, today=dt.date(2026, 1, 2)).issued) == 0  # over: no question


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two writers at once need a server database (the in-memory SQLite test database locks whole tables)",
)
@pytest.mark.django_db(transaction=True)
def test_two_confirmed_runs_at_once_issue_once_and_the_other_is_told(fellesskab: Fellesskab) -> None:
    # A double click: two requests with the same confirmation, in two threads with their own connections.
    do_save_economy_settings(None, fellesskab, 2025, price_per_citizen=Decimal("1.7375"))
    token = prepare_invoicing(fellesskab, 2025).token
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def click() -> None:
        try:
            barrier.wait()
            run = do_run_invoicing(None, fellesskab, 2025, confirmed_token=token)
            outcomes.append(f"issued {len(run.issued)}")
        except InvoicingChanged:
            outcomes.append("told")
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["issued 3", "told"]
    assert Invoice.objects.count() == 3
    assert sorted(Invoice.objects.values_list("number", flat=True)) == ["2025-0001", "2025-0002", "2025-0003"]
