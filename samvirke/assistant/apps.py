from typing import Any

from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "samvirke.assistant"
    verbose_name = "Borgerassistent"

    def ready(self) -> None:
        from samvirke.knowledge.signals import knowledge_changed

        knowledge_changed.connect(_retrain_on_change, dispatch_uid="samvirke.assistant.retrain")


def _retrain_on_change(sender: Any, reason: str = "", **kwargs: Any) -> None:
    """What the assistant learns from changed (the change is committed): queue a retrain in the background."""
    from samvirke.assistant import service

    service.request_retrain(reason or "changed")
