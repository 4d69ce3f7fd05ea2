"""The Django admin for the contact centre's settings: queues (opening hours, wrap-up time, the time to take a chat,
overflow), the desk's canned replies and the outside numbers agents transfer to. Saves and deletions are written to
the audit log.

Contacts, presence and telephony events are not edited here: they are written only by the contact centre's own
actions (routing depends on it)."""

from __future__ import annotations

from django.contrib import admin

from samvirke.contact.models import CannedReply, Queue, Skill, TransferNumber
from samvirke.directory.admin import AuditedAdmin


@admin.register(Queue)
class QueueAdmin(AuditedAdmin):
    list_display = ("name", "line", "priority", "skill", "wrap_up_seconds", "overflow_after_seconds", "is_default")
    fields = (
        "name",
        "slug",
        "line",
        "skill",
        "priority",
        "is_default",
        "opening_hours",
        "service_level_seconds",
        "overflow_after_seconds",
        "callback_offer_seconds",
        "chat_offer_seconds",
        "wrap_up_seconds",
        "closed_message",
    )


@admin.register(Skill)
class SkillAdmin(AuditedAdmin):
    list_display = ("name", "slug")


@admin.register(CannedReply)
class CannedReplyAdmin(AuditedAdmin):
    list_display = ("title", "text", "position", "active")
    list_editable = ("position", "active")
    list_filter = ("active",)


@admin.register(TransferNumber)
class TransferNumberAdmin(AuditedAdmin):
    list_display = ("name", "phone", "region", "forwarded_to", "is_demo")
    list_filter = ("region", "forwarded_to")
