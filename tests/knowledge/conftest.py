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


# A guide on a topic the shipped knowledge does not have, written to the standard (sections, 80–450 words, LIX ≤ 45,
# allowed links), and one that falls short the way issue 11's did: a few long words, no sections.
BONFIRE_BODY = """## Kort svar
Du må gerne tænde bål i din have, hvis røgen ikke generer naboerne. Når der er bålforbud, må du ikke tænde bål. \
Kommunen melder forbuddet ud på sin hjemmeside.

## Sådan gør du
1. Se på kommunens side, om der er bålforbud i dag.
2. Hold bålet lille, og hav en spand vand eller en haveslange klar.
3. Brænd kun tørt træ. Du må ikke brænde affald, plast eller malet træ.
4. Sluk bålet helt, før du går fra det.

## Hvis det ikke virker
Hvis røgen generer en nabo, så tal med naboen først. Hvis det ikke hjælper, kan naboen klage til kommunen. Ring 112, \
hvis ilden kommer ud af kontrol.

## Mere hjælp
- [Regler for bål og afbrænding](https://www.borger.dk/bolig-og-flytning)
- [Se også: Affald og storskrald](guide:waste)
"""
POOR_BODY = (
    "Afbrændingsbestemmelserne vedrørende haveaffaldsforbrænding administreres kommunalt, og overtrædelser "
    "sanktioneres efter miljøbeskyttelseslovgivningens bestemmelser om luftforurening, hvorfor borgerens "
    "henvendelse vedrørende bålafbrænding bør rettes til den kommunale miljømyndighed.\n"
)
BONFIRE_EXAMPLES = "må jeg tænde bål i haven\nmå man lave bål i haven\nhvornår er der bålforbud\nmå jeg brænde grene af"
