from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from samvirke.assistant.service import build_engine
from samvirke.directory.models import Fellesskab, Person, Role
from samvirke.knowledge import content
from samvirke.knowledge.actions import do_load_knowledge
from tests.conftest import PASSWORD

SMALL_TOPICS = ("passport", "opening-hours", "mitid-get", "waste")


@pytest.fixture
def knowledge(fellesskab: Fellesskab) -> dict[str, int]:
    """The shipped knowledge base loaded for the test fællesskab (Holbæk, Greve, Køge are members), with the
    assistant trained on it (as `samvirke load-guides` does; a web request never trains)."""
    counts = do_load_knowledge(None)
    build_engine("loaded")
    return counts


@pytest.fixture
def small_knowledge(fellesskab: Fellesskab, tmp_path: Path) -> dict[str, int]:
    """Four of the shipped topics with their guides, variants and service info: enough for the access tests,
    and a second rather than the five the whole knowledge base takes to load."""
    source = content.DATA_DIR
    rows = list(csv.DictReader(io.StringIO((source / "topics.csv").read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(row for row in rows if row["topic_id"] in SMALL_TOPICS)
    (tmp_path / "topics.csv").write_text(out.getvalue(), encoding="utf-8")
    (tmp_path / "guides").mkdir()
    (tmp_path / "examples").mkdir()
    for topic_id in SMALL_TOPICS:
        shutil.copy(source / "guides" / f"{topic_id}.md", tmp_path / "guides")
        if (source / "variants" / topic_id).is_dir():
            shutil.copytree(source / "variants" / topic_id, tmp_path / "variants" / topic_id)
    shutil.copy(source / "demo_service_info.csv", tmp_path)
    return do_load_knowledge(None, tmp_path)


@pytest.fixture
def guide_editor(fellesskab: Fellesskab) -> Person:
    """An editor of the shared guides, employed by the secretariat (no municipality)."""
    person = Person(username="redaktoer", first_name="Jonas", role=Role.GUIDE_EDITOR, municipality=None)
    person.set_password(PASSWORD)
    person.save()
    return person
