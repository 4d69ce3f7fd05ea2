"""Guides as text: the file format (front matter + ## sections), variants, placeholders, Markdown to HTML."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field

REQUIRED_SECTIONS = ("Kort svar", "Sådan gør du", "Hvis det ikke virker", "Mere hjælp")
PLACEHOLDERS = ("municipality", "opening_hours", "phone", "address", "booking_url", "hotline_phone")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
# Every pattern here is linear in the length of a guide (an editor's or a coordinator's text, up to 50,000
# characters): no lazy group before optional trailing space, no \s that runs over line ends, bounded link parts
# (issue 12: "## x" + 20,000 spaces took 6 s, 20,000 "[" 6 s, 20,000 blank lines 13 s).
_HEADING = re.compile(r"^##[ \t]+([^\n]*)$", re.MULTILINE)  # the title is stripped by the caller


class GuideFormatError(ValueError):
    pass


@dataclass
class GuideFile:
    """One parsed guide or variant file (docs/guide-format.md)."""

    meta: dict[str, str]
    examples: list[str] = field(default_factory=list)
    body: str = ""

    @property
    def synonyms(self) -> list[str]:
        return [s.strip() for s in self.meta.get("synonyms", "").split(",") if s.strip()]

    @property
    def review_date(self) -> dt.date | None:
        raw = self.meta.get("review")
        return dt.date.fromisoformat(raw) if raw else None


def parse_guide_file(text: str, name: str = "guide") -> GuideFile:
    """Front matter between '---' lines (key: value, and '- item' lists under 'examples:'), then Markdown."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        raise GuideFormatError(f"{name}: første linje skal være '---'.")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise GuideFormatError(f"{name}: forsiden slutter ikke med '---'.") from None
    meta: dict[str, str] = {}
    examples: list[str] = []
    current_list: str | None = None
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip():
            continue
        if line.lstrip().startswith("- ") and current_list == "examples":
            examples.append(line.lstrip()[2:].strip())
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise GuideFormatError(f"{name}, linje {number}: forventede 'nøgle: værdi', fik {line!r}.")
        key = key.strip()
        current_list = key if not value.strip() else None
        if value.strip():
            meta[key] = value.strip()
    return GuideFile(meta=meta, examples=examples, body="\n".join(lines[end + 1 :]).strip() + "\n")


def sections(body: str) -> list[tuple[str, str]]:
    """The (heading, text) pairs of a Markdown body split at '## ' headings; text before the first is ''."""
    parts = _HEADING.split(body)
    result = []
    if parts[0].strip():
        result.append(("", parts[0].strip()))
    for i in range(1, len(parts), 2):
        result.append((parts[i].strip(), parts[i + 1].strip()))
    return result


def join_sections(parts: list[tuple[str, str]]) -> str:
    return "\n\n".join(f"## {heading}\n{text}" if heading else text for heading, text in parts) + "\n"


def apply_variant(shared: str, variant: str | None, mode: str = "sections") -> str:
    """The text a municipality's citizens see: the shared guide with its variant's sections (or whole text).

    mode "replace": the variant is the whole text. mode "sections": each variant section replaces the shared
    section with the same heading; a section the shared text lacks is added at the end.
    """
    if not variant:
        return shared
    if mode == "replace":
        return variant
    overrides = dict(sections(variant))
    merged = [(heading, overrides.pop(heading, text)) for heading, text in sections(shared)]
    merged += [(heading, text) for heading, text in overrides.items() if heading]
    return join_sections(merged)


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Replace {municipality}, {phone} … with the municipality's values; unknown values become a dash."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1)) or "–", text)


_LINK = re.compile(r"\[([^\[\]]{1,500})\]\(([^)\[\]\s]{1,1000})\)")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")


def _inline(text: str, guide_url: str) -> str:
    escaped = html.escape(text, quote=False)

    def link(match: re.Match[str]) -> str:
        label, target = match.group(1), html.unescape(match.group(2))
        if target.startswith("guide:"):
            href = guide_url.format(topic=target[len("guide:") :])
            return f'<a href="{html.escape(href)}">{label}</a>'
        if target.startswith("https://"):
            return f'<a href="{html.escape(target)}" rel="noopener" target="_blank">{label}</a>'
        return label  # anything else (javascript:, http:, relative) is not made a link

    return _BOLD.sub(r"<strong>\1</strong>", _LINK.sub(link, escaped))


def markdown_to_html(body: str, guide_url: str = "#{topic}") -> str:
    """The small Markdown subset guides use (## headings, paragraphs, - and 1. lists, **bold**, links), escaped.

    Written here rather than pulling in a Markdown library: guides use only this subset, and every piece of
    text is HTML-escaped first, so a guide (or a variant a coordinator wrote) can never inject markup.
    """
    out: list[str] = []
    list_tag: str | None = None
    paragraph: list[str] = []

    def flush() -> None:
        nonlocal list_tag
        if paragraph:
            out.append("<p>" + _inline(" ".join(paragraph), guide_url) + "</p>")
            paragraph.clear()
        if list_tag:
            out.append(f"</{list_tag}>")
            list_tag = None

    for raw in body.splitlines():
        line = raw.strip()
        numbered = re.match(r"^\d+[.)]\s+(.*)$", line)
        if not line:
            flush()
        elif line.startswith("## "):
            flush()
            out.append(f"<h3>{html.escape(line[3:].strip())}</h3>")
        elif line.startswith(("- ", "* ")) or numbered:
            tag = "ol" if numbered else "ul"
            if paragraph:
                out.append("<p>" + _inline(" ".join(paragraph), guide_url) + "</p>")
                paragraph.clear()
            if list_tag != tag:
                if list_tag:
                    out.append(f"</{list_tag}>")
                out.append(f"<{tag}>")
                list_tag = tag
            item = numbered.group(1) if numbered else line[2:]
            out.append(f"<li>{_inline(item, guide_url)}</li>")
        else:
            if list_tag:
                out.append(f"</{list_tag}>")
                list_tag = None
            paragraph.append(line)
    flush()
    return "\n".join(out)


def plain_text(body: str) -> str:
    """The guide's words without Markdown syntax (for search and readability)."""
    text = _LINK.sub(r"\1", body)
    text = re.sub(r"^#+[ \t]*", "", text, flags=re.MULTILINE)
    text = re.sub(r"^[ \t]*(?:[-*]|\d+[.)])[ \t]+", "", text, flags=re.MULTILINE)
    return text.replace("**", "")


def handled_by_text(forward_target: str | None, municipality_name: str | None = None, phone: str = "") -> str:
    """Where a topic's cases go (its Topic.forward_target), in plain Danish for the agent on the phone;
    `municipality_name`: the citizen's municipality when known, `phone` its Borgerservice number."""
    if forward_target is None:
        return "Hotlinen svarer selv"
    if forward_target == "municipality":
        if municipality_name is None:
            return "Borgerens egen kommune"
        return f"Borgerens egen kommune: {municipality_name} Kommune" + (f", tlf. {phone}" if phone else "")
    if forward_target == "region-minsp-support":
        return "Regionens MinSP-support (tekniske fejl i Min Sundhedsplatform)"
    return f"Stilles videre til {forward_target}"
