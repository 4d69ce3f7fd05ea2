"""Pure rules behind the agent desk: the wrap-up deadline, what to suggest guides from, the canned replies'
placeholder, and the keys that tell the desk's poll whether a part of the page changed."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

MAX_SUGGESTION_QUERY_CHARS = 500
CITIZEN_PREFIX = "Borger:"


def wrap_up_ends_at(wrap_up_since: dt.datetime, wrap_up_seconds: int) -> dt.datetime:
    """When an agent in wrap-up is made ready by itself."""
    return wrap_up_since + dt.timedelta(seconds=wrap_up_seconds)


def citizen_words(transcript: str, limit: int = MAX_SUGGESTION_QUERY_CHARS) -> str:
    """What the citizen said to the assistant, newest last, at most `limit` characters (the newest kept). A
    transcript without "Borger:" lines is taken as it is."""
    lines = [line.strip() for line in transcript.splitlines()]
    said = [line[len(CITIZEN_PREFIX) :].strip() for line in lines if line.startswith(CITIZEN_PREFIX)]
    text = " ".join(part for part in said if part) if said else " ".join(part for part in lines if part)
    return text[-limit:] if len(text) > limit else text


def suggestion_query(transcript: str, ivr_topic: str, topic_titles: dict[str, str]) -> str:
    """The text to search the guides with before the agent types anything: the conversation with the assistant
    (a chat), else the topic chosen in the phone menu (an id is turned into its title)."""
    if transcript.strip():
        return citizen_words(transcript)
    topic = ivr_topic.strip()
    return topic_titles.get(topic, topic)[:MAX_SUGGESTION_QUERY_CHARS]


def fill_canned_reply(text: str, municipality_name: str | None) -> str:
    """A canned reply for this citizen: {kommune} becomes "Holbæk Kommune", or "din kommune" when unknown."""
    return text.replace("{kommune}", f"{municipality_name} Kommune" if municipality_name else "din kommune")


def region_key(parts: Iterable[object]) -> str:
    """A short, stable key for what a part of the desk shows: equal keys, nothing to redraw."""
    return hashlib.blake2s("|".join(str(part) for part in parts).encode(), digest_size=8).hexdigest()
