"""The Django admin for agents' availability and weekly maximum (what the rota builder reads; audited), and the
rota builds, read-only (their state is the worker's to write)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from samvirke.directory.admin import AuditedAdmin
from samvirke.staffing.models import AgentAvailability, AgentHours, RotaBuild


@admin.register(AgentAvailability)
class AgentAvailabilityAdmin(AuditedAdmin):
    list_display = ("person", "weekday", "starts", "ends")
    list_filter = ("weekday", "person__municipality")
    autocomplete_fields = ("person",)


@admin.register(AgentHours)
class AgentHoursAdmin(AuditedAdmin):
    list_display = ("person", "max_hours_per_week")
    list_filter = ("person__municipality",)
    autocomplete_fields = ("person",)


@admin.register(RotaBuild)
class RotaBuildAdmin(admin.ModelAdmin):
    list_display = ("week_start", "state", "requested_by", "requested_at", "finished_at", "failure")
    list_filter = ("state",)
    date_hierarchy = "requested_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
