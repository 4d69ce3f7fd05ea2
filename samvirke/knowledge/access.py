"""Permission checks on the knowledge base, written once.

- Guide editors and the secretariat edit the shared guides and see the quality and missing-answers reports.
- A coordinator edits only its own municipality's variants.
- Agents of members read guides (the agent desk's guide search).
- Everyone who reads guides sees the crisis notices; only the secretariat creates and publishes them.
"""

from __future__ import annotations

from typing import TypeGuard

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from samvirke.directory.access import belongs_to_fellesskab, is_secretariat
from samvirke.directory.models import Actor, Membership, MembershipStatus, Municipality, Person, Role
from samvirke.knowledge.models import CrisisNotice, ExampleQuestion, Guide, Topic


def can_edit_guides(user: Actor) -> TypeGuard[Person]:
    return belongs_to_fellesskab(user) and user.role in (Role.SECRETARIAT, Role.GUIDE_EDITOR)


def require_edit_guides(user: Actor) -> Person:
    if not can_edit_guides(user):
        raise PermissionDenied("Kun guideredaktører og sekretariatet kan redigere de fælles guides.")
    return user


def can_read_guides(user: Actor) -> TypeGuard[Person]:
    return belongs_to_fellesskab(user)


def require_read_guides(user: Actor) -> Person:
    if not can_read_guides(user):
        raise PermissionDenied("Vidensbasen er for fællesskabets medarbejdere.")
    return user


def can_edit_variant(user: Actor, municipality: Municipality) -> TypeGuard[Person]:
    if can_edit_guides(user):
        return True
    return bool(
        belongs_to_fellesskab(user) and user.role == Role.COORDINATOR and user.municipality_id == municipality.pk
    )


def require_edit_variant(user: Actor, municipality: Municipality) -> Person:
    if not can_edit_variant(user, municipality):
        raise PermissionDenied("Du kan kun redigere din egen kommunes varianter.")
    return user


def chat_municipality(code: int) -> Municipality:
    """The member municipality whose citizens' chat this is; a Danish 404 for anything else."""
    municipality = Municipality.objects.filter(code=code).first()
    member = (
        municipality is not None
        and Membership.objects.filter(municipality=municipality).exclude(status=MembershipStatus.LEFT).exists()
    )
    if not member:
        raise Http404(f"Der findes ingen chat for kommunekode {code}. Kommunen er ikke med i fællesskabet.")
    assert municipality is not None
    return municipality


def can_see_reports(user: Actor) -> TypeGuard[Person]:
    """The quality and missing-answers reports: guide editors and the secretariat."""
    return can_edit_guides(user)


def require_see_reports(user: Actor) -> Person:
    if not can_see_reports(user):
        raise PermissionDenied("Rapporterne om vidensbasen er for guideredaktører og sekretariatet.")
    return user


def can_manage_crisis_notices(user: Actor) -> TypeGuard[Person]:
    return is_secretariat(user)


def require_manage_crisis_notices(user: Actor) -> Person:
    if not can_manage_crisis_notices(user):
        raise PermissionDenied("Kun sekretariatet kan oprette og udgive krisemeddelelser.")
    return user


def member_municipalities() -> QuerySet[Municipality]:
    """The current members (not those that left), by name: whose citizens the hotline answers."""
    member_ids = Membership.objects.exclude(status=MembershipStatus.LEFT).values("municipality_id")
    return Municipality.objects.filter(pk__in=member_ids).order_by("name")


def access_topic(user: Actor, topic_id: str) -> Topic:
    """A topic of the knowledge base for someone who may read guides; 403 first, then a Danish 404."""
    require_read_guides(user)
    topic = Topic.objects.select_related("guide__owner").filter(pk=topic_id).first()
    if topic is None:
        raise Http404(f"Der findes intet emne med id »{topic_id}« i vidensbasen.")
    return topic


def access_member_municipality(user: Actor, code: int) -> Municipality:
    """A member municipality by kommunekode for someone who may read guides; a Danish 404 for anything else."""
    require_read_guides(user)
    municipality = member_municipalities().filter(code=code).first()
    if municipality is None:
        raise Http404(f"Der findes ingen medlemskommune med kommunekode {code}.")
    return municipality


def guide_of(topic: Topic) -> Guide:
    """The topic's shared guide; a Danish 404 for a topic that has none yet."""
    guide = Guide.objects.filter(topic=topic).first()
    if guide is None:
        raise Http404(f"Der findes ingen fælles guide for »{topic.title}« endnu.")
    return guide


def access_example(topic: Topic, example_id: int) -> ExampleQuestion:
    """One of the topic's example questions; a Danish 404 for any other id."""
    example = ExampleQuestion.objects.filter(pk=example_id, topic=topic).first()
    if example is None:
        raise Http404(f"Der findes intet eksempelspørgsmål nr. {example_id} til dette emne.")
    return example


def crisis_notice(notice_id: int) -> CrisisNotice:
    """A crisis notice by id; a Danish 404 for any other (check the permission first)."""
    notice = CrisisNotice.objects.filter(pk=notice_id).first()
    if notice is None:
        raise Http404(f"Der findes ingen krisemeddelelse nr. {notice_id}.")
    return notice
