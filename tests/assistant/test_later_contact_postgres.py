"""A callback form sent twice at the same moment (a double click on a slow line) makes one contact, on
PostgreSQL, where the two requests really run at once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone

from samvirke.contact.actions import LaterRequest, do_request_later_contact
from samvirke.contact.models import Contact
from samvirke.directory.models import Fellesskab, Municipality
from tests.conftest import HOLBAEK

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent writers (SQLite serialises them); run with DATABASE_URL=postgres://…",
)


@pytest.mark.django_db(transaction=True)
def test_the_same_callback_form_sent_twice_at_once_makes_one_contact(fellesskab: Fellesskab) -> None:
    holbaek = Municipality.objects.get(code=HOLBAEK)
    request = LaterRequest("Ring om mit pas", phone="20304050", key="cb-" + "k" * 22)
    start = threading.Barrier(4)
    made: list[int] = []
    errors: list[BaseException] = []

    def click() -> None:
        try:
            start.wait()
            made.append(do_request_later_contact(holbaek, request, "", timezone.now()).pk)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Contact.objects.filter(external_id="later-cb-" + "k" * 22).count() == 1
    assert len(set(made)) == 1
