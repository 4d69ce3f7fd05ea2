from __future__ import annotations

from django.contrib import admin

from samvirke.directory.admin import AuditedAdmin
from samvirke.economy.models import PilotGrant


@admin.register(PilotGrant)
class PilotGrantAdmin(AuditedAdmin):
    list_display = ["name", "region", "amount", "start", "end", "is_demo"]
    list_filter = ["region"]
