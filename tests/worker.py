"""Running the queued background tasks in a test, with the real worker of `samvirke db_worker --batch`."""

from __future__ import annotations

from unittest import mock

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_queued_tasks() -> int:
    """Run every ready task in this thread as `samvirke db_worker --batch` does; returns how many ran.

    The worker closes "old" database connections between tasks; inside a test's transaction that would break the
    test's connection, so that one call is a no-op here (as Django's test client does for requests)."""
    before = DBTaskResult.objects.ready().count()
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        worker.run()
    return before - DBTaskResult.objects.ready().count()
