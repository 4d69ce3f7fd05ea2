"""Background work of the assistant, run by `samvirke db_worker` (django-tasks' database backend)."""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone
from django_tasks import task

from samvirke.assistant import actions, service

logger = logging.getLogger(__name__)


@task()
def retrain_assistant(reason: str = "", from_scratch: bool = False) -> dict[str, Any]:
    """Retrain the assistant on the knowledge as it is now and store the build; every web worker swaps it in at
    its next question. Queued by knowledge_changed (see apps.py), coalesced by service.request_retrain."""
    # Before the knowledge is read: a change from now on queues the next retrain. The build is named after the
    # latest change it learns (a burst of changes queued one retrain, with the first change's reason).
    reason = actions.do_start_retrain(timezone.now()) or reason
    try:
        result = service.build_engine(reason, from_scratch=from_scratch)
    except Exception as error:
        logger.exception("Retraining the assistant failed (%s); the previous model keeps answering", reason)
        actions.do_record_build_failure(timezone.now(), reason, f"{type(error).__name__}: {error}")
        raise  # the task is marked failed, with its traceback, in the task results
    build = result.build
    return {"build": build.pk if build is not None else None, "stored": result.stored, "reason": reason}
