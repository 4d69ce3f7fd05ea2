"""The Django admin for directory data. Saves and deletions are written to the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from samvirke.audit.actions import record
from samvirke.directory.models import (
    Fellesskab,
    HotlineNumber,
    LineNumber,
    Membership,
    Municipality,
    Person,
    PopulationAged40Plus,
    Region,
)


class AuditedAdmin(admin.ModelAdmin):
    """Every save and deletion in the admin is an audit entry naming the changed fields (never their values: a
    password's are secret), the inline rows' own included (a hotline number changed on its membership's page)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change and not form.changed_data:
                return  # only inline rows changed: save_formset records those
            action = "admin.changed" if change else "admin.added"
            record(request.user, action, obj, {"fields": sorted(form.changed_data)})

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            for added in formset.new_objects:
                fields: list[str] = next((f.changed_data for f in formset.forms if f.instance is added), [])
                record(request.user, "admin.added", added, {"fields": sorted(fields), "parent": str(form.instance)})
            for changed, fields in formset.changed_objects:
                record(request.user, "admin.changed", changed, {"fields": sorted(fields), "parent": str(form.instance)})
            for deleted in formset.deleted_objects:
                record(request.user, "admin.deleted", deleted, {"parent": str(form.instance)})

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


@admin.register(PopulationAged40Plus)
class PopulationAged40PlusAdmin(AuditedAdmin):
    list_display = ["municipality", "year", "count", "source"]
    list_filter = ["year", "municipality__region"]
    search_fields = ["municipality__name", "municipality__code"]


@admin.register(LineNumber)
class LineNumberAdmin(AuditedAdmin):
    list_display = ["number", "line", "region", "is_demo"]
    list_filter = ["region", "line"]


class HotlineNumberInline(admin.TabularInline):
    model = HotlineNumber
    extra = 0


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["municipality", "fellesskab", "status", "member_since", "pilot_end", "pilot_payer"]
    list_filter = ["fellesskab", "status"]
    search_fields = ["municipality__name"]
    inlines = [HotlineNumberInline]

    # A status change follows prospective → onboarding → active → left and stamps its dates
    # (do_change_membership_status); the admin would skip both, so an existing membership's status is changed
    # only on the municipality's page, and the admin shows where.
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["status", "left_on", "status_changed_where"] if obj is not None else []

    @admin.display(description="Skift status")
    def status_changed_where(self, obj: Membership) -> str:
        return format_html(
            'På <a href="{}">kommunens side</a>, efter reglerne for medlemskabets forløb.',
            reverse("directory:municipality", args=[obj.municipality.code]),
        )


@admin.register(Fellesskab)
class FellesskabAdmin(AuditedAdmin):
    list_display = ["name", "slug"]


@admin.register(Person)
class PersonAdmin(UserAdmin, AuditedAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "municipality",
        "region",
        "is_active",
        "is_simulated",
    ]
    list_filter = ["role", "municipality__region", "is_active", "is_simulated"]
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        ("Samvirke", {"fields": ("role", "municipality", "region", "is_simulated")}),
    )
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Samvirke", {"fields": ("role", "municipality", "region")}))

    # A simulated agent (seed-demo makes them for the traffic simulator) can never log in, and a person is never
    # turned into one: the flag, and for a simulated agent what would let it log in, are read-only here.
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly.append("is_simulated")
            if obj.is_simulated:
                readonly += ["is_active", "is_staff", "is_superuser"]
        return readonly

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        person = self.get_object(request, unquote(id))
        if person is not None and person.is_simulated:
            raise PermissionDenied("En simuleret agent kan ikke få en adgangskode: den kan aldrig logge ind.")
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            # A valid form is saved and answered with a redirect; an invalid one is shown again (200).
            if request.method == "POST" and response.status_code == 302 and person is not None:
                person.refresh_from_db(fields=["password"])
                action = "admin.password_changed" if person.has_usable_password() else "admin.password_removed"
                record(request.user, action, person, {"fields": ["password"]})
        return response


# Groups (and their permissions) are admin data too: audited like the rest.
admin.site.unregister(Group)


@admin.register(Group)
class AuditedGroupAdmin(GroupAdmin, AuditedAdmin):
    pass
