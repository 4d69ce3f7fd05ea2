"""Permission checks of the assistant's staff pages. (The citizens' chat is public; see knowledge.access.)"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from samvirke.directory.models import Actor, Person
from samvirke.knowledge.access import can_read_guides


def require_see_model_status(user: Actor) -> Person:
    """The model's training state is shown beside the guides: whoever reads the guides may see it."""
    if not can_read_guides(user):
        raise PermissionDenied("Assistentens status er for fællesskabets medarbejdere.")
    return user
