"""The Django admin for directory data. Saves and deletions are written to the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models, transaction
from django.http import HttpRequest

from samvirke.audit.actions import record
from samvirke.directory.models import Fellesskab, HotlineNumber, Membership, Municipality, Person, Region


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            action = "admin.changed" if change else "admin.added"
            record(request.user, action, obj, {"fields": sorted(form.changed_data)})

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            record(request.user, "admin.deleted", obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                record(request.user, "admin.deleted", obj)
            super().delete_queryset(request, queryset)


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdmin):
    list_display = ["code", "name", "region", "population", "population_year"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


class HotlineNumberInline(admin.TabularInline):
    model = HotlineNumber
    extra = 0


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["municipality", "fellesskab", "status", "member_since", "pilot_end", "pilot_payer"]
    list_filter = ["fellesskab", "status"]
    search_fields = ["municipality__name"]
    inlines = [HotlineNumberInline]


@admin.register(Fellesskab)
class FellesskabAdmin(AuditedAdmin):
    list_display = ["name", "slug"]


@admin.register(Person)
class PersonAdmin(UserAdmin, AuditedAdmin):
    list_display = ["username", "first_name", "last_name", "role", "municipality", "region", "is_active"]
    list_filter = ["role", "municipality__region", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("Samvirke", {"fields": ("role", "municipality", "region")}))  # type: ignore[misc]
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Samvirke", {"fields": ("role", "municipality", "region")}))
