"""What the assistant learns about one topic, as the knowledge base hands it over.

Owned here, below the assistant: the knowledge base builds these (from the database or straight from the shipped
files, content.topic_docs_from_files) without importing the assistant, and the assistant's engine trains on them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TopicDoc:
    topic_id: str
    title: str
    text: str
    examples: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
