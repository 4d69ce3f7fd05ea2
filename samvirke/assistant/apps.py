import time
from typing import Any

from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "samvirke.assistant"
    verbose_name = "Borgerassistent"

    def ready(self) -> None:
        from samvirke.knowledge.signals import knowledge_changed, knowledge_loaded

        knowledge_changed.connect(_retrain_on_change, dispatch_uid="samvirke.assistant.retrain")
        knowledge_loaded.connect(_train_after_loading, dispatch_uid="samvirke.assistant.train_after_loading")


def _retrain_on_change(sender: Any, reason: str = "", **kwargs: Any) -> None:
    """What the assistant learns from changed (the change is committed): queue a retrain in the background."""
    from samvirke.assistant import service

    service.request_retrain(reason or "changed")


def _train_after_loading(sender: Any, reason: str = "", **kwargs: Any) -> str | None:
    """A command loaded the knowledge base: train here and now; nothing is trained when the newest model already
    has this knowledge. What to print: how long the training took, or None."""
    from samvirke.assistant import service

    started = time.perf_counter()
    result = service.build_engine(reason or "loaded")
    if not result.stored:
        return None
    return f"Borgerassistenten er trænet på {time.perf_counter() - started:.1f} s."
