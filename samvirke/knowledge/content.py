"""Reading the knowledge base shipped in data/: topics, guides, variants, service info (docs/guide-format.md)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from samvirke.knowledge.lib.guides import GuideFile, parse_guide_file, plain_text
from samvirke.knowledge.lib.topicdoc import TopicDoc

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class TopicRecord:
    topic_id: str
    category: str
    title: str
    must_cover: str
    handled_by: str


def read_topics(data_dir: Path = DATA_DIR) -> list[TopicRecord]:
    text = (data_dir / "topics.csv").read_text(encoding="utf-8")
    return [
        TopicRecord(row["topic_id"], row["category"], row["title_da"], row["must_cover"], row["handled_by"])
        for row in csv.DictReader(io.StringIO(text))
    ]


def read_guides(data_dir: Path = DATA_DIR) -> dict[str, GuideFile]:
    guides = {}
    for path in sorted((data_dir / "guides").glob("*.md")):
        guide = parse_guide_file(path.read_text(encoding="utf-8"), path.name)
        if guide.meta.get("id") != path.stem:
            raise ValueError(f"{path.name}: id {guide.meta.get('id')!r} svarer ikke til filnavnet")
        guides[path.stem] = guide
    return guides


def read_extra_examples(data_dir: Path = DATA_DIR) -> dict[str, list[str]]:
    """More example questions per topic, one per line in data/examples/<topic_id>.txt."""
    return {
        path.stem: [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for path in sorted((data_dir / "examples").glob("*.txt"))
    }


def all_examples(guide: GuideFile | None, extra: list[str]) -> list[str]:
    """The guide's own examples then the extra ones, without repeats (case-insensitive)."""
    seen: set[str] = set()
    result = []
    for text in [*(guide.examples if guide else []), *extra]:
        if text.lower() not in seen:
            seen.add(text.lower())
            result.append(text)
    return result


def read_variants(data_dir: Path = DATA_DIR) -> list[tuple[str, int, GuideFile]]:
    variants = []
    for path in sorted((data_dir / "variants").glob("*/*.md")):
        variant = parse_guide_file(path.read_text(encoding="utf-8"), f"{path.parent.name}/{path.name}")
        variants.append((path.parent.name, int(path.stem), variant))
    return variants


def read_service_info(data_dir: Path = DATA_DIR) -> list[dict[str, str]]:
    path = data_dir / "demo_service_info.csv"
    if not path.exists():
        return []
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def read_out_of_scope_training(data_dir: Path = DATA_DIR) -> list[str]:
    path = data_dir / "out_of_scope_training.txt"
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_synonym_pairs(data_dir: Path = DATA_DIR) -> list[tuple[str, str]]:
    path = data_dir / "synonyms.csv"
    if not path.exists():
        return []
    return [(row["word"], row["means"]) for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))]


def topic_docs_from_files(data_dir: Path = DATA_DIR) -> list[TopicDoc]:
    """The engine's input straight from the files (benchmarks and evaluation without a database)."""
    guides = read_guides(data_dir)
    extra = read_extra_examples(data_dir)
    return [
        TopicDoc(
            topic_id=topic.topic_id,
            title=topic.title,
            text=plain_text(guides[topic.topic_id].body) if topic.topic_id in guides else "",
            examples=tuple(all_examples(guides.get(topic.topic_id), extra.get(topic.topic_id, []))),
            synonyms=tuple(guides[topic.topic_id].synonyms) if topic.topic_id in guides else (),
        )
        for topic in read_topics(data_dir)
    ]
