from __future__ import annotations

import pytest

from samvirke.assistant.lib.masking import bounded, mask_personal_data


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("mit cpr er 010190-1234", "mit cpr er [CPR-nummer]"),
        ("cpr 0101901234 tak", "cpr [CPR-nummer] tak"),
        ("cpr 010190 1234", "cpr [CPR-nummer]"),
        ("ring på 20 30 40 50", "ring på [telefonnummer]"),
        ("ring på +45 20304050", "ring på [telefonnummer]"),
        ("ring 2030 4050", "ring [telefonnummer]"),
        ("skriv til anne.hansen@holbaek.dk", "skriv til [e-mail]"),
    ],
)
def test_personal_data_is_masked(text: str, masked: str) -> None:
    assert mask_personal_data(text) == masked


def test_ordinary_numbers_stay() -> None:
    assert (
        mask_personal_data("jeg er 67 år og bor i 4300 Holbæk, nr. 12") == "jeg er 67 år og bor i 4300 Holbæk, nr. 12"
    )


def test_a_mistyped_cpr_number_with_an_impossible_date_is_masked_too() -> None:
    assert mask_personal_data("cpr 991399-1234") == "cpr [CPR-nummer]"


def test_control_characters_are_dropped_so_any_database_can_store_the_text() -> None:
    assert mask_personal_data("nul\x00 og \x07bip\n") == "nul og bip\n"


def test_text_is_cut_before_masking_and_a_number_the_cut_runs_through_is_dropped() -> None:
    text = "x" * 480 + " mit cpr er 010190-1234, hjælp"
    cut = bounded(text, 500)
    assert len(cut) <= 500 and cut.endswith("mit cpr er")  # not "010190-12", which masking would no longer see
    assert bounded("kort tekst", 500) == "kort tekst"
    assert bounded("a" * 600, 500) == "a" * 500
