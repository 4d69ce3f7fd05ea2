"""gunicorn settings for the contact-centre benchmarks (bench/contact_concurrency.py, bench/contact_throughput.py).

The app and all its URL modules are loaded once in the master, before the workers fork. Django imports the URL
modules at a worker's first request, and they import the assistant's scikit-learn: about 3 s of CPU per worker on
the 2-core benchmark machine, which with four workers spilled into the measured seconds. Forked workers start warm
and share that memory. The same settings suit production (`gunicorn -c bench/gunicorn_conf.py samvirke.wsgi`).
"""

from __future__ import annotations

from typing import Any

preload_app = True


def when_ready(server: Any) -> None:
    """In the master, after the app is loaded and before the workers fork."""
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports every view module)
    connections.close_all()  # a connection must never be shared by forked workers
