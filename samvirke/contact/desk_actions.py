"""Extra actions on the agent's desk for the contact in hand, by the queue's line — told at start-up by the apps
above the contact centre (docs/architecture.md: a lower app never imports a higher one; it is told). Telemedicine
support (telesupport) registers "Opret supportsag" for the telemedicine line in its AppConfig.ready().

A provider gets the agent and the answered contact and returns the action (a label and a URL) or None (not for
this agent). Without any provider, the desk shows no extra actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from samvirke.contact.models import Contact
from samvirke.directory.models import Person


@dataclass(frozen=True)
class DeskAction:
    label: str
    url: str
    hint: str = ""


Provider = Callable[[Person, Contact], DeskAction | None]

_PROVIDERS: dict[str, list[Provider]] = {}


def register(line: str, provider: Provider) -> None:
    """Offer `provider`'s action on contacts of queues on `line`; registering the same provider again is a no-op
    (ready() may run more than once in tests)."""
    providers = _PROVIDERS.setdefault(line, [])
    if provider not in providers:
        providers.append(provider)


def unregister(line: str, provider: Provider) -> None:
    if provider in _PROVIDERS.get(line, []):
        _PROVIDERS[line].remove(provider)


def actions_for(person: Person, contact: Contact) -> list[DeskAction]:
    found = (provider(person, contact) for provider in _PROVIDERS.get(contact.queue.line, []))
    return [action for action in found if action is not None]
