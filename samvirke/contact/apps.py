from __future__ import annotations

from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "samvirke.contact"
    verbose_name = "Kontaktcenter"

    def ready(self) -> None:
        # The assistant offers the hotline but sits below the contact centre, so it is told the hotline's reads
        # here rather than importing them.
        from samvirke.assistant import hotline
        from samvirke.contact import selectors

        hotline.tell(
            hotline.HotlineReads(
                chat_opening_hours=selectors.chat_opening_hours,
                registered_topic_counts=selectors.registered_topic_counts,
                line_opening_hours=selectors.line_opening_hours,
            )
        )
