"""The Django admin shows onboarding read-only: every write goes through the pages' actions, which keep the member's
readiness (directory's Membership.ready_for_shifts) in step with its checklist and audit it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from samvirke.onboarding.models import ChecklistItem, Cohort, Intake


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Intake)
class IntakeAdmin(ReadOnlyAdmin):
    list_display = ("municipality", "contact_name", "notified_on", "wished_start", "cohort", "override_reason")


@admin.register(Cohort)
class CohortAdmin(ReadOnlyAdmin):
    list_display = ("first_shift", "fellesskab", "created_at")


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ReadOnlyAdmin):
    list_display = ("intake", "step", "owner", "due", "done_on", "done_by")
    list_filter = ("step", "owner")
