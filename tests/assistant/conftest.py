from __future__ import annotations

import pytest

from samvirke.directory.models import Fellesskab
from samvirke.knowledge.actions import do_load_knowledge


@pytest.fixture
def knowledge(fellesskab: Fellesskab) -> dict[str, int]:
    """The shipped knowledge base loaded for the test fællesskab (Holbæk, Greve, Køge are members)."""
    return do_load_knowledge(None)
