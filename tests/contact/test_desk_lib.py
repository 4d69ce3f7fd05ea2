"""The desk's pure rules: numbers an agent types, what the citizen reads after a transfer, leg ids, what guides are
suggested from, canned replies' placeholder, the wrap-up deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from samvirke.contact.lib.desk import (
    citizen_words,
    fill_canned_reply,
    region_key,
    suggestion_query,
    wrap_up_ends_at,
)
from samvirke.contact.lib.transfer import (
    PhoneNumberError,
    destination_label,
    display_phone,
    next_leg_id,
    normalise_phone,
)


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("72363636", "72363636"),
        ("72 36 36 36", "72363636"),
        ("+45 7236-3636", "72363636"),
        ("004572363636", "72363636"),
        (" 72.36.36.36 ", "72363636"),
    ],
)
def test_a_danish_number_is_read_as_an_agent_types_it(typed: str, digits: str) -> None:
    assert normalise_phone(typed) == digits


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Skriv nummeret, der skal viderestilles til."),
        ("1234", "Skriv et dansk telefonnummer med 8 cifre, fx 72 36 36 36."),
        ("7236363a", "Skriv et dansk telefonnummer med 8 cifre, fx 72 36 36 36."),
        ("７２３６３６３６", "Skriv et dansk telefonnummer med 8 cifre, fx 72 36 36 36."),  # full-width digits
        ("+46 72363636", "Skriv et dansk telefonnummer med 8 cifre, fx 72 36 36 36."),
        ("02363636", "Et dansk telefonnummer med 8 cifre begynder ikke med 0 eller 1."),
        ("7" * 10_000, "Skriv et dansk telefonnummer med 8 cifre, fx 72 36 36 36."),
    ],
)
def test_a_number_that_is_not_a_danish_number_is_refused_in_danish(typed: str, message: str) -> None:
    with pytest.raises(PhoneNumberError) as refused:
        normalise_phone(typed)
    assert str(refused.value) == message


def test_the_citizen_reads_where_it_was_transferred() -> None:
    assert display_phone("72363636") == "72 36 36 36"
    assert display_phone("112") == "112"
    assert destination_label("Holbæk Kommune", "72363636") == "Holbæk Kommune, tlf. 72 36 36 36"
    assert destination_label("", "72363636") == "tlf. 72 36 36 36"
    assert destination_label("  Sundhedsapps-linje ", "") == "Sundhedsapps-linje"
    assert len(destination_label("x" * 300, "72363636")) == 100


def test_a_transfer_to_a_queue_numbers_its_legs() -> None:
    assert next_leg_id("call-1", is_leg=False) == "call-1/2"
    assert next_leg_id("call-1/2", is_leg=True) == "call-1/3"
    assert next_leg_id("a/b", is_leg=False) == "a/b/2"  # a platform id with a slash, not a leg
    assert next_leg_id("x" * 100, is_leg=False) == "x" * 98 + "/2"


def test_guides_are_suggested_from_what_the_citizen_said() -> None:
    transcript = "Borger: jeg har mistet min telefon\nAssistent: Mistet eller ny telefon\nBorger: og mitid virker ikke"
    assert citizen_words(transcript) == "jeg har mistet min telefon og mitid virker ikke"
    assert citizen_words("en samtale\nuden navne") == "en samtale uden navne"
    assert citizen_words("Borger: " + "a" * 1000) == "a" * 500  # bounded, the newest kept
    assert suggestion_query(transcript, "passport", {"passport": "Pas"}) == citizen_words(transcript)
    assert suggestion_query("", "passport", {"passport": "Pas"}) == "Pas"
    assert suggestion_query("  ", "digital post", {}) == "digital post"
    assert suggestion_query("", "", {}) == ""


def test_a_canned_reply_names_the_citizens_municipality() -> None:
    assert fill_canned_reply("Hotlinen for {kommune}.", "Holbæk") == "Hotlinen for Holbæk Kommune."
    assert fill_canned_reply("Hotlinen for {kommune}.", None) == "Hotlinen for din kommune."


def test_the_wrap_up_ends_after_the_queues_wrap_up_time() -> None:
    since = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    assert wrap_up_ends_at(since, 60) == dt.datetime(2026, 11, 23, 10, 1, tzinfo=dt.UTC)


def test_a_parts_key_changes_with_what_it_shows() -> None:
    assert region_key(["ready", 1]) == region_key(["ready", 1])
    assert region_key(["ready", 1]) != region_key(["ready", 2])
    assert len(region_key([])) == 16
