"""The secretariat keeps the desk's canned replies, the numbers agents transfer to and the queues' times in the
admin; every change is in the audit log, and a number that is not a Danish number is refused in Danish."""

from __future__ import annotations

import pytest
from django.test import Client

from samvirke.audit.models import AuditEntry
from samvirke.contact.models import CannedReply, Queue, TransferNumber
from samvirke.directory.models import Person, Region
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(secretariat: Person) -> Client:
    secretariat.is_staff = secretariat.is_superuser = True
    secretariat.save(update_fields=["is_staff", "is_superuser"])
    return client_for(secretariat)


def test_the_secretariat_edits_a_canned_reply(admin_client: Client) -> None:
    reply = CannedReply.objects.get(title="Et øjeblik")
    response = admin_client.post(
        f"/admin/contact/cannedreply/{reply.pk}/change/",
        {"title": "Et øjeblik", "text": "Et øjeblik, jeg slår det op.", "position": 2, "active": "on"},
    )
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.text == "Et øjeblik, jeg slår det op."
    assert AuditEntry.objects.filter(action="admin.changed", object_id=str(reply.pk)).exists()


def test_a_transfer_number_must_be_a_danish_number(admin_client: Client) -> None:
    sjaelland = Region.objects.get(code=1085)
    data = {"name": "Region Sjællands MinSP-support", "phone": "12 34", "forwarded_to": "minsp_support"}
    refused = admin_client.post("/admin/contact/transfernumber/add/", {**data, "region": sjaelland.pk})
    assert refused.status_code == 200
    assert "Skriv et dansk telefonnummer med 8 cifre" in refused.content.decode()
    assert not TransferNumber.objects.exists()
    admin_client.post(
        "/admin/contact/transfernumber/add/", {**data, "phone": "+45 70 20 09 99", "region": sjaelland.pk}
    )
    assert TransferNumber.objects.get().phone == "70200999"


def test_the_queues_wrap_up_and_chat_offer_times_are_set_in_the_admin(admin_client: Client) -> None:
    html = admin_client.get(f"/admin/contact/queue/{Queue.objects.get(slug='hotline').pk}/change/").content.decode()
    assert 'name="wrap_up_seconds"' in html and 'name="chat_offer_seconds"' in html
    assert "derefter bliver medarbejderen klar af sig selv" in html
