"""The Django admin for agents' availability and weekly maximum (what the rota builder reads). Audited."""

from __future__ import annotations

from django.contrib import admin

from samvirke.directory.admin import AuditedAdmin
from samvirke.staffing.models import AgentAvailability, AgentHours


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
