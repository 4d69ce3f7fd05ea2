"""Editing guides as text: what an edit consists of, what changed, a new topic's id, the new guide's template.

Pure: no database, no settings, no clock. The actions decide what to write from these answers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from samvirke.knowledge.lib.guides import REQUIRED_SECTIONS

# The id is the last part of the guide's address (/vidensbase/<id>/), so it is a slug, and it must not be one of the
# knowledge base's own pages: /vidensbase/ny/ would show the create form, never the topic "ny".
TOPIC_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOPIC_ID_MIN, TOPIC_ID_MAX = 2, 80
RESERVED_TOPIC_IDS = frozenset({"ny", "soeg", "rapporter", "krise"})

# The body a new guide starts from: the required sections with the guidance of docs/guide-format.md (a test keeps
# the two the same). The guidance sentences are to be replaced; check_guide reports any that are left.
TEMPLATE_HINTS = (
    "To til fire sætninger, der svarer på det, borgeren oftest spørger om.",
    "Trin for trin, konkret (hvor man klikker, hvad man skal have klar).",
    "Typiske fejl og hvad man så gør; hvornår man skal kontakte Borgerservice eller andre.",
    "Beskrivende linktekst",
)
GUIDE_TEMPLATE = f"""## {REQUIRED_SECTIONS[0]}
{TEMPLATE_HINTS[0]}

## {REQUIRED_SECTIONS[1]}
1. {TEMPLATE_HINTS[1]}
2. ...

## {REQUIRED_SECTIONS[2]}
{TEMPLATE_HINTS[2]}

## {REQUIRED_SECTIONS[3]}
- [{TEMPLATE_HINTS[3]}](https://www.borger.dk/...)
- [Se også: Log ind på borger.dk](guide:borger-dk-login)
"""

FIELD_NAMES = {"title": "titel", "synonyms": "synonymer", "body": "tekst", "review_date": "næste gennemsyn"}


@dataclass(frozen=True)
class GuideContent:
    """What an editor edits on a guide, and what a draft holds: the topic's title and synonyms (the assistant
    learns from both), the Markdown text and the date of the next review."""

    title: str
    synonyms: str
    body: str
    review_date: dt.date | None


def changed_fields(old: GuideContent, new: GuideContent) -> list[str]:
    """The names of the fields that differ, in the form's order; [] when the edit changes nothing."""
    return [f.name for f in dataclasses.fields(GuideContent) if getattr(old, f.name) != getattr(new, f.name)]


def normalize_synonyms(raw: str) -> str:
    """Synonyms as the topic stores them: comma-separated, single spaces, no empties, no repeats (any case)."""
    seen: set[str] = set()
    kept: list[str] = []
    for part in re.split(r"[,\n]", raw):
        synonym = " ".join(part.split())
        if synonym and synonym.lower() not in seen:
            seen.add(synonym.lower())
            kept.append(synonym)
    return ", ".join(kept)


def normalize_examples(raw: str) -> list[str]:
    """One example question per line: single spaces, no empty lines, no repeats (any case)."""
    seen: set[str] = set()
    kept: list[str] = []
    for line in raw.splitlines():
        text = " ".join(line.split())
        if text and text.lower() not in seen:
            seen.add(text.lower())
            kept.append(text)
    return kept


def topic_id_problem(topic_id: str) -> str | None:
    """Why a new topic cannot have this id, in Danish; None when it can (uniqueness is the database's to say)."""
    if not TOPIC_ID_MIN <= len(topic_id) <= TOPIC_ID_MAX:
        return f"Emne-id'et skal være {TOPIC_ID_MIN}–{TOPIC_ID_MAX} tegn langt."
    if not TOPIC_ID_PATTERN.match(topic_id):
        return (
            "Emne-id'et må kun indeholde små bogstaver a–z, tal og enkelte bindestreger mellem ordene "
            "(fx »sundhedskort-nyt«), uden æ, ø, å og mellemrum."
        )
    if topic_id in RESERVED_TOPIC_IDS:
        return f"»{topic_id}« er navnet på en af vidensbasens egne sider. Vælg et andet emne-id."
    return None


def template_hints_left(body: str) -> list[str]:
    """The template's guidance sentences still in a guide's text."""
    return [hint for hint in TEMPLATE_HINTS if hint in body]
