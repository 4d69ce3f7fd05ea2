"""htmx in every template, checked as text: no attribute is inherited (issue 11: the desk's poll passed its
hx-swap="outerHTML" to the chat and the guide search inside it, which then replaced their own targets and broke after
the first poll), and every poll says how it swaps."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "samvirke" / "templates"
BASES = ("base.html", "citizen_base.html")
TAG = re.compile(r"<[a-z][a-z0-9]*\s[^>]*>", re.S)
CONFIG = re.compile(r"<meta name=\"htmx-config\" content='([^']*)'>")


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("base", BASES)
def test_the_base_templates_switch_htmx_inheritance_off(base: str) -> None:
    found = CONFIG.search((TEMPLATES / base).read_text())
    assert found is not None, f"{base} has no htmx-config"
    assert json.loads(found.group(1))["disableInheritance"] is True


def test_every_page_that_loads_htmx_extends_a_base_that_configures_it() -> None:
    # A fragment (_name.html) is drawn inside a page, whose base carries the configuration; it may load htmx for
    # a page that has no other use for it (the knowledge pages' model status line).
    loading = [path for path in _templates() if "htmx_script" in path.read_text() and not path.name.startswith("_")]
    assert loading  # the desk, the wallboard, the citizen's chat
    for path in loading:
        text = path.read_text()
        assert any(f'{{% extends "{base}" %}}' in text for base in BASES), path.relative_to(TEMPLATES)


def test_every_poll_says_how_it_swaps() -> None:
    polls = [
        (path.relative_to(TEMPLATES), tag)
        for path in _templates()
        for tag in TAG.findall(path.read_text())
        if re.search(r'hx-trigger="[^"]*\bevery\b', tag)
    ]
    assert polls
    assert [(path, tag) for path, tag in polls if "hx-swap=" not in tag] == []
