"""The admin cannot change a membership's status: that goes through the transition rules on the municipality page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from samvirke.audit.models import AuditEntry
from samvirke.directory.models import Membership, MembershipStatus, Person
from tests.conftest import client_for


@pytest.fixture
def admin_client(secretariat: Person) -> Client:
    secretariat.is_staff = secretariat.is_superuser = True
    secretariat.save(update_fields=["is_staff", "is_superuser"])
    return client_for(secretariat)


def change_form_data(membership: Membership, **changes: Any) -> dict[str, Any]:
    data = {
        "fellesskab": membership.fellesskab_id,
        "municipality": membership.municipality_id,
        "member_since": membership.member_since.isoformat() if membership.member_since else "",
        "pilot_start": membership.pilot_start.isoformat() if membership.pilot_start else "",
        "pilot_end": membership.pilot_end.isoformat() if membership.pilot_end else "",
        "pilot_payer": membership.pilot_payer_id or "",
        "hotline_numbers-TOTAL_FORMS": "0",
        "hotline_numbers-INITIAL_FORMS": "0",
        "hotline_numbers-MIN_NUM_FORMS": "0",
        "hotline_numbers-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_the_status_is_read_only_and_the_page_says_where_to_change_it(admin_client: Client) -> None:
    holbaek = Membership.objects.get(municipality__code=316)
    html = admin_client.get(f"/admin/directory/membership/{holbaek.pk}/change/").content.decode()
    assert 'name="status"' not in html and 'name="left_on"' not in html
    assert 'href="/kommuner/316/"' in html and "kommunens side" in html


def test_a_posted_status_is_ignored(admin_client: Client) -> None:
    holbaek = Membership.objects.get(municipality__code=316)
    response = admin_client.post(
        f"/admin/directory/membership/{holbaek.pk}/change/",
        change_form_data(holbaek, status=MembershipStatus.PROSPECTIVE, left_on="2025-03-01"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    holbaek.refresh_from_db()
    assert holbaek.status == MembershipStatus.ACTIVE and holbaek.left_on is None
    assert not AuditEntry.objects.filter(action="directory.membership_status_changed").exists()


def test_a_new_membership_may_be_given_its_first_status(admin_client: Client) -> None:
    html = admin_client.get("/admin/directory/membership/add/").content.decode()
    assert 'name="status"' in html
