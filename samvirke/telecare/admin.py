"""The admin for telemedicine's tables; every save and deletion is audited (directory's AuditedAdmin). Invoices
are issued only by the actions (numbered, audited), so the admin shows them read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from samvirke.directory.admin import AuditedAdmin
from samvirke.telecare.models import (
    AddOnService,
    AddOnUsage,
    Enrolment,
    Landsdel,
    SubscriptionInvoice,
    TelecareBudget,
)


@admin.register(Landsdel)
class LandsdelAdmin(AuditedAdmin):
    list_display = ["name", "region", "fellesskab", "weight", "region_share", "first_year"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Enrolment)
class EnrolmentAdmin(AuditedAdmin):
    list_display = ["citizen_ref", "landsdel", "municipality", "enrolled_from", "enrolled_to"]
    list_filter = ["landsdel", "municipality"]
    search_fields = ["citizen_ref"]


@admin.register(TelecareBudget)
class TelecareBudgetAdmin(AuditedAdmin):
    list_display = ["landsdel", "year", "forecast_total", "forecast_made_at", "actual_total", "closed_at"]
    list_filter = ["landsdel"]


class ReadOnlyAdmin(AuditedAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SubscriptionInvoice)
class SubscriptionInvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "payer_name", "year", "quarter", "amount", "issued_at"]
    list_filter = ["landsdel", "kind", "year"]


@admin.register(AddOnService)
class AddOnServiceAdmin(AuditedAdmin):
    list_display = ["name", "landsdel", "mode", "tariff", "unit"]


@admin.register(AddOnUsage)
class AddOnUsageAdmin(AuditedAdmin):
    list_display = ["service", "municipality", "year", "quarter", "quantity", "invoice"]
