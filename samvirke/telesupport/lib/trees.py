"""Problem trees: the support agent's guided fault finding per device kind (seed 003, ch. 3, Tabel 12, l. 1890:
"Følge problemtræer og stille uddybende spørgsmål til problemet"; l. 6694: "stille spørgsmål og ud fra svarene
gennemgå et problemtræ for at finde en rudimentær udbedring"; docs/sources.md#seed-003).

A tree is JSON, stored on the ProblemTree row and edited by the secretariat and the support operator:

    {"root": "start",
     "nodes": {
        "start": {"kind": "question", "text": "Kan tabletten tændes?",
                  "answers": [{"label": "Ja", "next": "net"}, {"label": "Nej", "next": "oplad"}]},
        "oplad": {"kind": "outcome", "text": "Sæt tabletten til opladning i 30 minutter …",
                  "forward": "", "cause": "Batteri"},
        …}}

A question has answers, each leading to another node; an outcome is a leaf: a proposed fix the agent can try with
the caller (`forward` empty) or a forward to problem solving, Service, Logistics (an exchange) or the health staff
(seed 003, l. 6710: "videresende de problemer, der ikke kan løses gennem problemtræerne"). `cause` names the fault
for the steering data (cases by cause).

`parse_tree` refuses a tree with a cycle, a leaf that is not an outcome, an answer to a node that does not exist,
too many nodes, too deep a path or texts outside their bounds — all with Danish messages, every problem at once.
Nodes no path reaches are allowed (the editor adds a node before linking it) and reported by `unreachable`.
`walk` follows a list of answers from the root.

Pure: no Django, no database, no settings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "DEVICE_KINDS",
    "FORWARDS",
    "MAX_ANSWERS",
    "MAX_DEPTH",
    "MAX_NODES",
    "Answer",
    "Outcome",
    "Question",
    "Tree",
    "TreeError",
    "WalkError",
    "WalkResult",
    "parse_tree",
    "paths",
    "reachable",
    "remove_node",
    "unreachable",
    "upsert_node",
    "walk",
]

DEVICE_KINDS: Mapping[str, str] = {
    "tablet": "Tablet",
    "app": "App",
    "scale": "Vægt",
    "saturation_meter": "Saturationsmåler",
}
FORWARDS: Mapping[str, str] = {
    "problem_solving": "Problemløsning",
    "service": "Service",
    "logistics": "Logistik (ombytning)",
    "health_staff": "Sundhedspersonale",
}

MAX_NODES = 200
MAX_DEPTH = 25  # questions on one path from the root
MAX_ANSWERS = 8
MIN_TEXT, MAX_TEXT = 3, 600
MAX_LABEL = 120
MAX_CAUSE = 60
PLACEHOLDER = "Nyt resultat: skriv, hvad agenten skal gøre."
NODE_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


class TreeError(ValueError):
    """An invalid tree; `problems` are every Danish message, `str()` joins them."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


class WalkError(ValueError):
    """An answer the current question does not have, or answers after the outcome."""


@dataclass(frozen=True)
class Answer:
    label: str
    next: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    answers: tuple[Answer, ...]
    kind: Literal["question"] = "question"


@dataclass(frozen=True)
class Outcome:
    id: str
    text: str
    forward: str = ""  # "" = a fix to try; else one of FORWARDS
    cause: str = ""
    kind: Literal["outcome"] = "outcome"

    @property
    def is_forward(self) -> bool:
        return bool(self.forward)


Node = Question | Outcome


@dataclass(frozen=True)
class Tree:
    root: str
    nodes: Mapping[str, Node]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for node_id, node in self.nodes.items():
            if isinstance(node, Question):
                out[node_id] = {
                    "kind": "question",
                    "text": node.text,
                    "answers": [{"label": a.label, "next": a.next} for a in node.answers],
                }
            else:
                out[node_id] = {"kind": "outcome", "text": node.text, "forward": node.forward, "cause": node.cause}
        return {"root": self.root, "nodes": out}

    @property
    def outcomes(self) -> list[Outcome]:
        return [node for node in self.nodes.values() if isinstance(node, Outcome)]


@dataclass(frozen=True)
class WalkResult:
    """Where a list of answers leads: the questions asked with the answers given, and the node reached (a
    question still to answer, or the outcome)."""

    steps: tuple[tuple[Question, Answer], ...]
    node: Node
    done: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "done", isinstance(self.node, Outcome))


def _text(value: object, where: str, problems: list[str], low: int = MIN_TEXT, high: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        problems.append(f"{where}: teksten mangler.")
        return ""
    text = value.strip()
    if len(text) < low:
        problems.append(f"{where}: teksten er for kort (mindst {low} tegn).")
    elif len(text) > high:
        problems.append(f"{where}: teksten er for lang ({len(text)} tegn, højst {high}).")
    return text


def _node(node_id: str, raw: object, problems: list[str]) -> Node | None:
    where = f"Knuden «{node_id}»"
    if not isinstance(raw, Mapping):
        problems.append(f"{where} er ikke et spørgsmål eller et resultat.")
        return None
    kind = raw.get("kind")
    text = _text(raw.get("text"), where, problems)
    if kind == "outcome":
        forward = raw.get("forward") or ""
        if forward and forward not in FORWARDS:
            problems.append(f"{where}: ukendt videresendelse «{str(forward)[:40]}».")
            forward = ""
        cause = raw.get("cause") or ""
        if not isinstance(cause, str) or len(cause.strip()) > MAX_CAUSE:
            problems.append(f"{where}: årsagen skal være en tekst på højst {MAX_CAUSE} tegn.")
            cause = ""
        return Outcome(node_id, text, str(forward), cause.strip())
    if kind != "question":
        problems.append(f"{where}: typen skal være «question» (spørgsmål) eller «outcome» (resultat).")
        return None
    raw_answers = raw.get("answers")
    if not isinstance(raw_answers, Sequence) or isinstance(raw_answers, str) or not raw_answers:
        problems.append(f"{where} er et spørgsmål uden svar: et spørgsmål skal have mindst ét svar.")
        return Question(node_id, text, ())
    if len(raw_answers) > MAX_ANSWERS:
        problems.append(f"{where} har {len(raw_answers)} svar (højst {MAX_ANSWERS}).")
    answers: list[Answer] = []
    seen: set[str] = set()
    for position, raw_answer in enumerate(raw_answers[:MAX_ANSWERS], start=1):
        if not isinstance(raw_answer, Mapping):
            problems.append(f"{where}, svar {position}: skal have en tekst og en næste knude.")
            continue
        label = _text(raw_answer.get("label"), f"{where}, svar {position}", problems, 1, MAX_LABEL)
        target = raw_answer.get("next")
        if not isinstance(target, str) or not target:
            problems.append(f"{where}, svar «{label}»: mangler den næste knude.")
            continue
        if label.casefold() in seen:
            problems.append(f"{where}: svaret «{label}» står der to gange.")
        seen.add(label.casefold())
        answers.append(Answer(label, target))
    return Question(node_id, text, tuple(answers))


def _cycle_and_depth(tree: Tree, problems: list[str]) -> None:
    """Depth-first from every node (iteratively): a back edge is a cycle; the longest path of questions from the
    root is the depth."""
    colour: dict[str, int] = {}  # 1 on the stack, 2 done
    depth: dict[str, int] = {}  # the longest run of questions from this node to an outcome
    for start in tree.nodes:
        if start in colour:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        colour[start] = 1
        while stack:
            node_id, index = stack[-1]
            node = tree.nodes[node_id]
            answers = node.answers if isinstance(node, Question) else ()
            if index < len(answers):
                stack[-1] = (node_id, index + 1)
                target = answers[index].next
                if target not in tree.nodes:
                    continue
                if colour.get(target) == 1:
                    problems.append(
                        f"Træet har en løkke: svaret «{answers[index].label}» i «{node_id}» fører tilbage til "
                        f"«{target}»."
                    )
                    return
                if target not in colour:
                    colour[target] = 1
                    stack.append((target, 0))
                continue
            colour[node_id] = 2
            below = [depth.get(a.next, 0) for a in answers if a.next in tree.nodes]
            depth[node_id] = (1 + max(below, default=0)) if isinstance(node, Question) else 0
            stack.pop()
    if depth.get(tree.root, 0) > MAX_DEPTH:
        problems.append(f"Træet er for dybt: {depth[tree.root]} spørgsmål i træk (højst {MAX_DEPTH}).")


def parse_tree(data: object) -> Tree:
    """A valid tree from its JSON, or TreeError with every problem (Danish)."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise TreeError(["Træet skal være et JSON-objekt med «root» og «nodes»."])
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, Mapping) or not raw_nodes:
        raise TreeError(["Træet har ingen knuder."])
    if len(raw_nodes) > MAX_NODES:
        raise TreeError([f"Træet har {len(raw_nodes)} knuder (højst {MAX_NODES})."])
    nodes: dict[str, Node] = {}
    for node_id, raw in raw_nodes.items():
        if not isinstance(node_id, str) or not NODE_ID.fullmatch(node_id):
            problems.append(
                f"Knudenavnet «{str(node_id)[:40]}» er ugyldigt: brug små bogstaver a–z, tal, - og _ (højst 40 tegn)."
            )
            continue
        node = _node(node_id, raw, problems)
        if node is not None:
            nodes[node_id] = node
    root = data.get("root")
    if not isinstance(root, str) or root not in raw_nodes:
        problems.append(f"Træets start «{str(root)[:40]}» er ikke en af knuderne.")
    elif root in nodes and not isinstance(nodes[root], Question):
        problems.append("Træet skal starte med et spørgsmål.")
    for node in nodes.values():
        if isinstance(node, Question):
            for answer in node.answers:
                if answer.next not in raw_nodes:
                    problems.append(
                        f"Knuden «{node.id}», svar «{answer.label}»: knuden «{answer.next[:40]}» findes ikke."
                    )
    if problems:
        raise TreeError(problems)
    assert isinstance(root, str)
    tree = Tree(root, nodes)
    _cycle_and_depth(tree, problems)
    if problems:
        raise TreeError(problems)
    return tree


def reachable(tree: Tree) -> set[str]:
    seen = {tree.root}
    todo = [tree.root]
    while todo:
        node = tree.nodes[todo.pop()]
        if isinstance(node, Question):
            for answer in node.answers:
                if answer.next not in seen:
                    seen.add(answer.next)
                    todo.append(answer.next)
    return seen


def unreachable(tree: Tree) -> list[str]:
    """Nodes no path from the root reaches (drafts in the editor), in the tree's order."""
    seen = reachable(tree)
    return [node_id for node_id in tree.nodes if node_id not in seen]


def walk(tree: Tree, answers: Sequence[str]) -> WalkResult:
    """Follow the answers (their labels, case-insensitively) from the root."""
    node: Node = tree.nodes[tree.root]
    steps: list[tuple[Question, Answer]] = []
    for given in answers:
        if not isinstance(node, Question):
            raise WalkError("Træet er allerede nået til et resultat; der er ikke flere spørgsmål.")
        answer = next((a for a in node.answers if a.label.casefold() == str(given).strip().casefold()), None)
        if answer is None:
            raise WalkError(f"«{str(given)[:60]}» er ikke et svar på «{node.text}».")
        steps.append((node, answer))
        node = tree.nodes[answer.next]
    return WalkResult(tuple(steps), node)


def paths(tree: Tree) -> Iterator[tuple[list[str], Node]]:
    """Every path from the root: the answer labels and the node it ends in (a leaf)."""
    stack: list[tuple[str, list[str]]] = [(tree.root, [])]
    while stack:
        node_id, labels = stack.pop()
        node = tree.nodes[node_id]
        if isinstance(node, Question) and node.answers:
            for answer in reversed(node.answers):
                stack.append((answer.next, [*labels, answer.label]))
        else:
            yield labels, node


def _parse_answer_lines(text: str) -> list[dict[str, str]]:
    """The editor's answers, one a line: "Ja -> knude"."""
    answers = []
    for line in text.splitlines():
        if not line.strip():
            continue
        label, arrow, target = line.partition("->")
        if not arrow:
            raise TreeError([f"Svarlinjen «{line.strip()[:60]}» skal skrives «svar -> knude»."])
        answers.append({"label": label.strip(), "next": target.strip()})
    return answers


def upsert_node(
    data: Mapping[str, Any],
    node_id: str,
    *,
    kind: str,
    text: str,
    answers: str = "",
    forward: str = "",
    cause: str = "",
    make_root: bool = False,
) -> dict[str, Any]:
    """The tree's JSON with one node added or replaced (from the editor's form); validated, TreeError if the
    result is not a valid tree (the caller keeps the old tree). An answer to a node not yet written creates it as
    an outcome with the text PLACEHOLDER, for the editor to write next."""
    node_id = node_id.strip()
    new: dict[str, Any] = {"root": data.get("root", node_id), "nodes": dict(data.get("nodes") or {})}
    if kind == "question":
        parsed = _parse_answer_lines(answers)
        new["nodes"][node_id] = {"kind": "question", "text": text, "answers": parsed}
        for answer in parsed:
            if answer["next"] and answer["next"] not in new["nodes"]:
                new["nodes"][answer["next"]] = {"kind": "outcome", "text": PLACEHOLDER, "forward": "", "cause": ""}
    elif kind == "outcome":
        new["nodes"][node_id] = {"kind": "outcome", "text": text, "forward": forward, "cause": cause}
    else:
        raise TreeError(["Vælg spørgsmål eller resultat."])
    if make_root or not data.get("nodes"):
        new["root"] = node_id
    parse_tree(new)
    return new


def remove_node(data: Mapping[str, Any], node_id: str) -> dict[str, Any]:
    """The tree's JSON without one node; refused (TreeError) while an answer leads to it or it is the start."""
    nodes = dict(data.get("nodes") or {})
    if node_id not in nodes:
        raise TreeError([f"Knuden «{node_id[:40]}» findes ikke."])
    if data.get("root") == node_id:
        raise TreeError(["Træets start kan ikke slettes."])
    del nodes[node_id]
    new = {"root": data.get("root"), "nodes": nodes}
    parse_tree(new)
    return new
