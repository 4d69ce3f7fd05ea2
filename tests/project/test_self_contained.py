"""The repository speaks for itself: nothing in it points at working material outside it.

The project was built from notes and source documents kept beside the repository (a design note, a style note,
distilled models, five source documents). A reader with only the repository cannot follow a citation to them, so
what the code relies on lives in docs/ (docs/cli.md, docs/models/*.md, docs/sources.md) and
samvirke/knowledge/data/topics.csv, and these tests keep it that way:
- no tracked file names the outside notes, their folder or the source documents' file names;
- every docs/….md path named anywhere exists, and so does every relative link in docs/;
- every "seed NNN" cited anywhere is one of the source documents docs/sources.md describes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCES = ROOT / "docs" / "sources.md"

# Built from pieces so that this file does not name what it forbids.
_OUTSIDE = [
    ("the design note", re.escape("DESIGN" + ".md")),
    ("the style note", re.escape("STYLE" + ".md")),
    ("the folder beside the repository", re.escape(".." + "/shared")),
    ("a distilled model outside the repository", r"(?<![\w./-])[Ss]pec" + r"(?:/|\s+)[\w-]+\.(?:md|csv)\b"),
    ("a path into the models' folder outside the repository", r"(?<![\w./-])spec" + r"/[\w-]"),
    ("a source document's file name", r"\b\d{3}_[0-9a-f]{16}\." + "txt"),
    ("the source documents' folder", r"(?<![\w./-])seeds" + r"/"),
]
OUTSIDE = [(what, re.compile(pattern)) for what, pattern in _OUTSIDE]
DOCS_PATH = re.compile(r"(?<![\w/.-])docs/[\w./-]+?\.md\b")
SEED_CITATION = re.compile(r"\b[Ss]eed\s+(\d{3})\b")
DESCRIBED_SEED = re.compile(r"^## Seed (\d{3})\b", re.MULTILINE)
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
URI_SCHEME = re.compile(r"^[A-Za-z][\w+.-]*:")


@cache
def tracked_text_files() -> dict[str, str]:
    """Every file git tracks, as text; binary files (a NUL byte, or not UTF-8) are left out."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the tracked files are unknown")
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.decode(
        "utf-8"
    )
    files: dict[str, str] = {}
    for name in filter(None, listing.split("\0")):
        path = ROOT / name
        if not path.is_file():
            continue  # deleted in the working tree, not yet in the index
        data = path.read_bytes()
        if b"\0" in data:
            continue
        try:
            files[name] = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
    return files


def occurrences(pattern: re.Pattern[str]) -> list[tuple[str, int, re.Match[str]]]:
    """(file, line number, match) for every match in every tracked text file."""
    found = []
    for name, text in sorted(tracked_text_files().items()):
        for match in pattern.finditer(text):
            found.append((name, text.count("\n", 0, match.start()) + 1, match))
    return found


def test_there_are_tracked_files_to_check() -> None:
    files = tracked_text_files()
    assert "README.md" in files
    assert "docs/sources.md" in files
    assert len(files) > 100


@pytest.mark.parametrize(("what", "pattern"), OUTSIDE, ids=[what for what, _ in OUTSIDE])
def test_no_tracked_file_points_outside_the_repository(what: str, pattern: re.Pattern[str]) -> None:
    offenders = [f"{name}:{line}: {match.group(0)!r}" for name, line, match in occurrences(pattern)]
    assert offenders == [], f"{what} is cited; cite the repository's own copy (docs/, samvirke/…/data/) instead"


def test_every_docs_path_named_anywhere_exists() -> None:
    missing = [
        f"{name}:{line}: {match.group(0)}"
        for name, line, match in occurrences(DOCS_PATH)
        if not (ROOT / match.group(0)).is_file()
    ]
    assert missing == []


def test_every_relative_link_in_the_docs_resolves() -> None:
    broken = []
    for name, text in sorted(tracked_text_files().items()):
        if not (name.startswith("docs/") and name.endswith(".md")):
            continue
        for match in MARKDOWN_LINK.finditer(text):
            target = match.group(1).split("#", 1)[0]
            if not target or URI_SCHEME.match(target):
                continue  # an anchor on the same page, a web address, or Samvirke's own guide: links
            if not ((ROOT / name).parent / target).exists():
                broken.append(f"{name}:{text.count(chr(10), 0, match.start()) + 1}: {match.group(1)}")
    assert broken == []


def test_sources_describes_the_five_seeds() -> None:
    described = DESCRIBED_SEED.findall(SOURCES.read_text(encoding="utf-8"))
    assert described == ["000", "001", "002", "003", "004"]


def test_every_seed_cited_is_one_docs_sources_describes() -> None:
    described = set(DESCRIBED_SEED.findall(SOURCES.read_text(encoding="utf-8")))
    unknown = [
        f"{name}:{line}: {match.group(0)}"
        for name, line, match in occurrences(SEED_CITATION)
        if match.group(1) not in described
    ]
    assert unknown == []
