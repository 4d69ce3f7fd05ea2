from __future__ import annotations

import datetime as dt

import pytest

from samvirke.knowledge.lib.guides import (
    GuideFormatError,
    apply_variant,
    fill_placeholders,
    markdown_to_html,
    parse_guide_file,
)
from samvirke.knowledge.lib.quality import check_guide, lix

SHARED = "## Kort svar\nFælles svar.\n\n## Sådan gør du\nFælles trin.\n\n## Mere hjælp\n- [borger.dk](https://www.borger.dk)\n"


def test_a_guide_file_has_front_matter_examples_and_body() -> None:
    guide = parse_guide_file(
        "---\nid: pas\nreview: 2027-01-31\nsynonyms: pas, rejsepas\nexamples:\n- nyt pas\n- mistet pas\n---\n"
        "## Kort svar\nTekst\n"
    )
    assert guide.meta["id"] == "pas"
    assert guide.examples == ["nyt pas", "mistet pas"]
    assert guide.synonyms == ["pas", "rejsepas"]
    assert guide.review_date == dt.date(2027, 1, 31)
    assert guide.body.startswith("## Kort svar")


def test_a_file_without_front_matter_is_refused() -> None:
    with pytest.raises(GuideFormatError, match="første linje skal være '---'"):
        parse_guide_file("## Kort svar\n")


def test_a_variant_replaces_only_its_named_sections() -> None:
    merged = apply_variant(SHARED, "## Sådan gør du\nHolbæks egne trin.\n")
    assert "Holbæks egne trin." in merged and "Fælles trin." not in merged
    assert "Fælles svar." in merged and "borger.dk" in merged


def test_a_replace_variant_replaces_everything() -> None:
    assert apply_variant(SHARED, "Kun dette.", mode="replace") == "Kun dette."


def test_placeholders_are_filled_and_unknown_values_become_a_dash() -> None:
    text = "Ring til {municipality} på {phone}. Åbent {opening_hours}."
    assert fill_placeholders(text, {"municipality": "Holbæk", "phone": "72 36 36 36"}) == (
        "Ring til Holbæk på 72 36 36 36. Åbent –."
    )


def test_markdown_is_escaped_and_only_safe_links_are_made() -> None:
    html = markdown_to_html("## Kort svar\n<script>x</script> [ok](https://borger.dk) [bad](javascript:alert(1))\n")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://borger.dk"' in html
    assert "javascript:" not in html


def test_internal_guide_links_point_at_the_topic() -> None:
    assert 'href="?emne=pas"' in markdown_to_html("[Pas](guide:pas)", guide_url="?emne={topic}")


def test_lix_of_easy_and_hard_text() -> None:
    assert lix("Jeg har en kat. Den er sød.") < 20
    hard = "Sundhedsplatformsadministrationens kommunikationsstrategiimplementering forudsætter koordination."
    assert lix(hard) > 60


def test_the_quality_check_names_every_shortcoming() -> None:
    problems = check_guide(
        "## Kort svar\nKort.\n[x](guide:findes-ikke) [y](http://usikker.dk)",
        known_topics={"pas"},
        review_date=dt.date(2026, 1, 1),
        today=dt.date(2026, 11, 23),
    )
    checks = [p.check for p in problems]
    assert checks == ["sections", "length", "links", "links", "review"]
    assert "Mangler afsnit: Sådan gør du, Hvis det ikke virker, Mere hjælp." in problems[0].message
