"""The admin for consent's tables; every save and deletion is audited (directory's AuditedAdmin).

The admin does not bypass what the actions guard: the disclosure log is read-only (no add, change or delete);
consents are read-only too (recorded and withdrawn only through consent.actions, which audit and signal kits);
a citizen's course dates and measurements are not edited here (enrolment keeps telecare's billing coverage in
step, and the controllers' staff may not see the measurements)."""

from __future__ import annotations

from django.contrib import admin

from samvirke.consent.models import (
    Accession,
    Consent,
    ConsentText,
    DataProcessingAgreement,
    Disclosure,
    DpaTemplate,
    Operator,
    OperatorUser,
    ProgrammeCitizen,
    SubProcessor,
)
from samvirke.directory.admin import AuditedAdmin
from samvirke.telecare.admin import ReadOnlyAdmin


@admin.register(Operator)
class OperatorAdmin(AuditedAdmin):
    list_display = ["name", "kind", "landsdel", "cvr"]
    list_filter = ["landsdel", "kind"]
    search_fields = ["name", "cvr"]


@admin.register(OperatorUser)
class OperatorUserAdmin(AuditedAdmin):
    list_display = ["person", "operator"]
    list_filter = ["operator__landsdel", "operator__kind"]
    raw_id_fields = ["person"]


@admin.register(ProgrammeCitizen)
class ProgrammeCitizenAdmin(AuditedAdmin):
    list_display = ["citizen_ref", "landsdel", "municipality", "referred_at", "urgency", "enrolled_at", "ended_at"]
    list_filter = ["landsdel", "urgency", "referrer_kind"]
    search_fields = ["citizen_ref"]
    exclude = ["measurements_note"]
    readonly_fields = ["enrolled_at", "ended_at"]


@admin.register(ConsentText)
class ConsentTextAdmin(AuditedAdmin):
    list_display = ["version", "active", "created_at"]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["citizen", "text_version", "given_at", "by_proxy", "withdrawn_at"]
    list_filter = ["text_version", "by_proxy"]
    search_fields = ["citizen__citizen_ref"]


@admin.register(DpaTemplate)
class DpaTemplateAdmin(AuditedAdmin):
    list_display = ["operator_kind", "version"]


class AccessionInline(admin.TabularInline):
    model = Accession
    extra = 0


@admin.register(DataProcessingAgreement)
class DataProcessingAgreementAdmin(AuditedAdmin):
    list_display = ["operator", "controller_kind", "region", "municipality", "signed_at", "audit_statement_due"]
    list_filter = ["controller_kind", "operator__landsdel"]
    inlines = [AccessionInline]


@admin.register(SubProcessor)
class SubProcessorAdmin(AuditedAdmin):
    list_display = ["name", "operator", "service", "country", "since", "until", "notified_at"]
    list_filter = ["operator"]


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    list_display = ["at", "person", "operator", "citizen", "refused", "purpose"]
    list_filter = ["refused", "operator"]
    search_fields = ["citizen__citizen_ref", "person__username"]
    date_hierarchy = "at"
