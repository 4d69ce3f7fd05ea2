"""The pure text rules behind editing: what counts as a change, synonyms and examples as stored, a new topic's id,
and the new guide's template, which is the one docs/guide-format.md shows."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from samvirke.knowledge.lib.editing import (
    GUIDE_TEMPLATE,
    GuideContent,
    changed_fields,
    normalize_examples,
    normalize_synonyms,
    topic_id_problem,
)
from samvirke.knowledge.lib.guides import parse_guide_file
from samvirke.knowledge.lib.quality import check_guide

DOCS = Path(__file__).resolve().parents[2] / "docs" / "guide-format.md"


def test_the_new_guides_template_is_the_one_in_the_guide_format_document() -> None:
    example = re.search(r"```\n(---\n.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    assert example is not None
    assert parse_guide_file(example.group(1)).body == GUIDE_TEMPLATE


def test_the_untouched_template_does_not_meet_the_standard() -> None:
    problems = check_guide(
        GUIDE_TEMPLATE, known_topics={"borger-dk-login"}, review_date=None, today=dt.date(2026, 1, 1)
    )
    template = [p.message for p in problems if p.check == "template"]
    assert len(template) == 4
    assert template[0] == (
        "Skabelonens hjælpetekst står der stadig: "
        "»To til fire sætninger, der svarer på det, borgeren oftest spørger om.«."
    )
    assert not [p for p in problems if p.check == "sections"]


def test_only_the_fields_that_differ_are_changes() -> None:
    old = GuideContent("Pas", "pas", "## Kort svar\nTekst.\n", dt.date(2027, 1, 31))
    assert changed_fields(old, old) == []
    new = GuideContent("Pas", "pas, rejsepas", "## Kort svar\nTekst.\n", None)
    assert changed_fields(old, new) == ["synonyms", "review_date"]


def test_synonyms_are_stored_comma_separated_without_repeats() -> None:
    assert normalize_synonyms(" nyt  pas,forny pas\nNYT PAS, , pasfoto ") == "nyt pas, forny pas, pasfoto"
    assert normalize_synonyms("") == ""


def test_examples_are_one_per_line_without_repeats() -> None:
    assert normalize_examples("  hvor får jeg  et pas\n\nHVOR FÅR JEG ET PAS\r\nmit pas er væk ") == [
        "hvor får jeg et pas",
        "mit pas er væk",
    ]


@pytest.mark.parametrize(
    ("topic_id", "problem"),
    [
        ("sundhedskort-nyt", None),
        ("mitid2", None),
        ("ab", None),
        ("a", "skal være 2–80 tegn langt"),
        ("a" * 81, "skal være 2–80 tegn langt"),
        ("Pas", "små bogstaver a–z"),
        ("bål", "små bogstaver a–z"),
        ("nyt pas", "små bogstaver a–z"),
        ("nyt--pas", "små bogstaver a–z"),
        ("-pas", "små bogstaver a–z"),
        ("pas-", "små bogstaver a–z"),
        ("pas/../x", "små bogstaver a–z"),
        ("ny", "navnet på en af vidensbasens egne sider"),
        ("rapporter", "navnet på en af vidensbasens egne sider"),
    ],
)
def test_a_new_topic_id_is_a_short_slug_that_is_not_a_page(topic_id: str, problem: str | None) -> None:
    found = topic_id_problem(topic_id)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found
