"""Demo set-up of the contact centre: every demo agent has a presence (logged off), and the first agent of
each member is trained in health apps, so the health-app line has someone to route to; the desk's canned replies
and, to transfer to, Region Sjælland's MinSP support (an invented number, marked demo)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from samvirke.contact.actions import agent_state_for
from samvirke.contact.models import AgentState, CannedReply, ForwardedTo, Queue, Skill, TransferNumber
from samvirke.contact.reference_data import ensure_canned_replies, ensure_queues
from samvirke.directory.models import Person, Region, Role

DEMO_MINSP_SUPPORT = ("Region Sjællands MinSP-support", "70200999")  # invented, like the demo's hotline numbers


@transaction.atomic
def load_demo_contact_centre() -> str:
    now = timezone.now()
    ensure_queues(Skill, Queue)
    ensure_canned_replies(CannedReply)
    sjaelland = Region.objects.filter(code=1085).first()
    if sjaelland is not None:
        name, phone = DEMO_MINSP_SUPPORT
        TransferNumber.objects.get_or_create(
            name=name,
            defaults={"phone": phone, "region": sjaelland, "forwarded_to": ForwardedTo.MINSP_SUPPORT, "is_demo": True},
        )
    health = Skill.objects.get(slug="health_apps")
    agents = Person.objects.filter(role__in=[Role.AGENT, Role.COORDINATOR], municipality__isnull=False)
    trained = 0
    for person in agents:
        state = agent_state_for(person, now)  # (the simulator's agents: on the phone only, see takes_chats)
        if person.role == Role.AGENT and person.username.endswith("-1"):
            state.skills.add(health)
            trained += 1
    # Made by an earlier version that offered them chats too.
    AgentState.objects.filter(person__is_simulated=True, takes_chats=True).update(takes_chats=False)
    people = agents.filter(is_simulated=False).count()
    simulated = agents.count() - people
    return (
        f"Kontaktcenter: {people} medarbejdere og {simulated} simulerede agenter (kun telefon) kan tage opkald; "
        f"{trained} er uddannet i sundhedsapps."
    )
