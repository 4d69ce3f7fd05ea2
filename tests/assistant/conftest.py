from __future__ import annotations

import pytest

from samvirke.assistant import service
from samvirke.directory.models import Fellesskab, Person, Role
from samvirke.knowledge.actions import do_load_knowledge
from tests.conftest import PASSWORD
from tests.worker import run_queued_tasks


@pytest.fixture
def knowledge(fellesskab: Fellesskab) -> dict[str, int]:
    """The shipped knowledge base loaded for the test fællesskab (Holbæk, Greve, Køge are members), with the
    assistant trained on it (as `samvirke load-guides` does)."""
    counts = do_load_knowledge(None)
    service.build_engine("loaded")
    return counts


@pytest.fixture
def editor(knowledge: object) -> Person:
    """A guide editor, with the knowledge base loaded and the assistant trained on it."""
    person = Person(username="redaktoer", first_name="Jonas", role=Role.GUIDE_EDITOR)
    person.set_password(PASSWORD)
    person.save()
    return person


def run_background_worker() -> None:
    """`samvirke db_worker --batch`: run the queued tasks in this process, then return."""
    run_queued_tasks()


@pytest.fixture
def holbaek_agent(holbaek_agent: Person) -> Person:
    """tests/conftest.py's Holbæk agent, trained for the hotline: the contact centre routes only trained agents."""
    from tests.training.helpers import train

    train(holbaek_agent)
    return holbaek_agent
