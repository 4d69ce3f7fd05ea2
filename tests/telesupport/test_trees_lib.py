"""The problem trees (pure): validation, walking, editing, the seed trees, and a property: every path of a valid
tree ends in an outcome."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samvirke.telesupport.lib.seed_trees import SEED_TREES
from samvirke.telesupport.lib.trees import (
    DEVICE_KINDS,
    FORWARDS,
    MAX_DEPTH,
    MAX_NODES,
    MAX_TEXT,
    PLACEHOLDER,
    Outcome,
    Question,
    TreeError,
    WalkError,
    parse_tree,
    paths,
    reachable,
    remove_node,
    unreachable,
    upsert_node,
    walk,
)


def small() -> dict[str, Any]:
    return {
        "root": "a",
        "nodes": {
            "a": {
                "kind": "question",
                "text": "Tænder den?",
                "answers": [{"label": "Ja", "next": "b"}, {"label": "Nej", "next": "c"}],
            },
            "b": {"kind": "outcome", "text": "Godt.", "forward": "", "cause": ""},
            "c": {"kind": "outcome", "text": "Ombyt den.", "forward": "logistics", "cause": "Defekt"},
        },
    }


def test_a_valid_tree_parses_and_round_trips() -> None:
    tree = parse_tree(small())
    assert tree.root == "a"
    assert isinstance(tree.nodes["a"], Question)
    assert parse_tree(tree.to_json()) == tree
    assert [o.id for o in tree.outcomes] == ["b", "c"]


def test_walk_follows_answers_case_insensitively() -> None:
    tree = parse_tree(small())
    start = walk(tree, [])
    assert not start.done and start.node.id == "a"
    result = walk(tree, [" nej "])
    assert result.done
    assert isinstance(result.node, Outcome) and result.node.forward == "logistics"
    assert [(q.id, a.label) for q, a in result.steps] == [("a", "Nej")]


def test_walk_refuses_an_unknown_answer_and_answers_after_the_outcome() -> None:
    tree = parse_tree(small())
    with pytest.raises(WalkError, match="ikke et svar"):
        walk(tree, ["Måske"])
    with pytest.raises(WalkError, match="resultat"):
        walk(tree, ["Ja", "Ja"])


def test_a_cycle_is_refused() -> None:
    data = small()
    data["nodes"]["b"] = {"kind": "question", "text": "Igen?", "answers": [{"label": "Ja", "next": "a"}]}
    with pytest.raises(TreeError, match="løkke"):
        parse_tree(data)


def test_a_self_loop_is_refused() -> None:
    data = small()
    data["nodes"]["a"]["answers"].append({"label": "Ved ikke", "next": "a"})
    with pytest.raises(TreeError, match="løkke"):
        parse_tree(data)


def test_a_question_without_answers_is_a_leaf_that_is_not_an_outcome() -> None:
    data = small()
    data["nodes"]["b"] = {"kind": "question", "text": "Og så?", "answers": []}
    with pytest.raises(TreeError, match="uden svar"):
        parse_tree(data)


def test_an_answer_to_a_missing_node_is_refused() -> None:
    data = small()
    data["nodes"]["a"]["answers"][0]["next"] = "zz"
    with pytest.raises(TreeError, match="«zz» findes ikke"):
        parse_tree(data)


def test_an_over_long_text_is_refused_and_a_too_short_one() -> None:
    data = small()
    data["nodes"]["b"]["text"] = "x" * (MAX_TEXT + 1)
    data["nodes"]["c"]["text"] = "x"
    with pytest.raises(TreeError) as caught:
        parse_tree(data)
    assert any("for lang" in p for p in caught.value.problems)
    assert any("for kort" in p for p in caught.value.problems)


def test_bad_forward_kind_root_and_node_names_are_refused() -> None:
    data = small()
    data["nodes"]["c"]["forward"] = "plumber"
    data["nodes"]["Bad Name"] = {"kind": "outcome", "text": "Hej der", "forward": ""}
    data["nodes"]["d"] = {"kind": "banana", "text": "Hej der"}
    with pytest.raises(TreeError) as caught:
        parse_tree(data)
    text = str(caught.value)
    assert "plumber" in text and "Bad Name" in text and "typen" in text
    with pytest.raises(TreeError, match="start"):
        parse_tree({**small(), "root": "nope"})
    with pytest.raises(TreeError, match="starte med et spørgsmål"):
        parse_tree({**small(), "root": "b"})
    junk: Any
    for junk in (None, [], "x", {"root": "a", "nodes": {}}):
        with pytest.raises(TreeError):
            parse_tree(junk)


def test_duplicate_answers_are_refused() -> None:
    data = small()
    data["nodes"]["a"]["answers"][1]["label"] = "ja"
    with pytest.raises(TreeError, match="to gange"):
        parse_tree(data)


def chain(length: int) -> dict[str, Any]:
    nodes: dict[str, Any] = {
        f"q{i}": {"kind": "question", "text": f"Spørgsmål {i}", "answers": [{"label": "Ja", "next": f"q{i + 1}"}]}
        for i in range(length)
    }
    nodes[f"q{length}"] = {"kind": "outcome", "text": "Færdig", "forward": ""}
    return {"root": "q0", "nodes": nodes}


def test_depth_and_size_are_bounded() -> None:
    parse_tree(chain(MAX_DEPTH))
    with pytest.raises(TreeError, match="for dybt"):
        parse_tree(chain(MAX_DEPTH + 1))
    big = chain(MAX_DEPTH)
    for i in range(MAX_NODES):
        big["nodes"][f"x{i}"] = {"kind": "outcome", "text": "Ekstra", "forward": ""}
    with pytest.raises(TreeError, match="knuder"):
        parse_tree(big)


def test_unreachable_nodes_are_drafts_not_errors() -> None:
    data = small()
    data["nodes"]["draft"] = {"kind": "outcome", "text": "Kladde", "forward": ""}
    assert unreachable(parse_tree(data)) == ["draft"]


def test_upsert_adds_and_links_a_node_and_refuses_a_broken_edit() -> None:
    data = small()
    data = upsert_node(data, "d", kind="outcome", text="Skift batterier.", cause="Batteri")
    data = upsert_node(data, "b", kind="question", text="Lyser den grønne lampe?", answers="Ja -> d\nNej -> c\n")
    tree = parse_tree(data)
    assert walk(tree, ["Ja", "Nej"]).node.id == "c"
    before = copy.deepcopy(data)
    with pytest.raises(TreeError, match="løkke"):
        upsert_node(data, "b", kind="question", text="Lyser den?", answers="Ja -> a")
    with pytest.raises(TreeError, match="svar -> knude"):
        upsert_node(data, "b", kind="question", text="Lyser den?", answers="Ja")
    assert data == before


def test_upsert_into_an_empty_tree_makes_the_start() -> None:
    data = upsert_node({}, "start", kind="question", text="Tænder den?", answers="Ja -> ok\nNej -> ok")
    assert data["root"] == "start"
    # the node not yet written is a placeholder outcome the editor writes next
    assert data["nodes"]["ok"]["text"] == PLACEHOLDER
    assert walk(parse_tree(data), ["Nej"]).done


def test_remove_refuses_a_linked_node_and_the_start() -> None:
    data = small()
    with pytest.raises(TreeError, match="findes ikke"):
        remove_node(data, "c")
    with pytest.raises(TreeError, match="start"):
        remove_node(data, "a")
    data["nodes"]["draft"] = {"kind": "outcome", "text": "Kladde", "forward": ""}
    assert "draft" not in remove_node(data, "draft")["nodes"]


@pytest.mark.parametrize("kind", sorted(SEED_TREES))
def test_every_seed_tree_is_valid_and_reaches_fixes_and_forwards(kind: str) -> None:
    assert kind in DEVICE_KINDS
    tree = parse_tree(SEED_TREES[kind])
    assert unreachable(tree) == []
    leaves = [node for _, node in paths(tree)]
    assert all(isinstance(node, Outcome) for node in leaves)
    assert any(isinstance(n, Outcome) and not n.forward for n in leaves)
    assert any(isinstance(n, Outcome) and n.forward for n in leaves)
    assert all(isinstance(n, Outcome) and n.cause for n in leaves)


def test_the_scale_tree_leads_a_broken_scale_to_an_exchange() -> None:
    tree = parse_tree(SEED_TREES["scale"])
    result = walk(tree, ["Nej", "Nej"])
    assert isinstance(result.node, Outcome) and result.node.forward == "logistics"


# Property: random DAG-shaped trees (edges only to later nodes), every leaf an outcome → valid, and every path ends
# in an outcome; adding a back edge makes it a cycle, refused.
@st.composite
def dag_trees(draw: st.DrawFn) -> dict[str, Any]:
    size = draw(st.integers(min_value=2, max_value=30))
    kinds = [draw(st.booleans()) for _ in range(size - 1)] + [False]  # True = question; the last is an outcome
    kinds[0] = True
    nodes: dict[str, Any] = {}
    for i, is_question in enumerate(kinds):
        if is_question and i < size - 1:
            targets = draw(st.lists(st.integers(min_value=i + 1, max_value=size - 1), min_size=1, max_size=4))
            answers = [{"label": f"Svar {k}", "next": f"n{t}"} for k, t in enumerate(targets)]
            nodes[f"n{i}"] = {"kind": "question", "text": f"Spørgsmål {i}", "answers": answers}
        else:
            forward = draw(st.sampled_from(["", *FORWARDS]))
            nodes[f"n{i}"] = {"kind": "outcome", "text": f"Resultat {i}", "forward": forward}
    return {"root": "n0", "nodes": nodes}


@settings(max_examples=150, deadline=None)
@given(dag_trees())
def test_every_path_of_a_valid_tree_ends_in_an_outcome(data: dict[str, Any]) -> None:
    tree = parse_tree(data)
    count = 0
    for labels, node in paths(tree):
        assert isinstance(node, Outcome)
        assert walk(tree, labels).done
        count += 1
        if count > 2000:
            break
    assert count >= 1


@settings(max_examples=100, deadline=None)
@given(dag_trees(), st.data())
def test_a_back_edge_is_always_refused(data: dict[str, Any], pick: st.DataObject) -> None:
    tree = parse_tree(data)
    reached = sorted(n for n in reachable(tree) if n != tree.root and isinstance(tree.nodes[n], Question))
    source = pick.draw(st.sampled_from([tree.root, *reached]))
    data["nodes"][source]["answers"].append({"label": "Tilbage", "next": tree.root})
    with pytest.raises(TreeError, match="løkke"):
        parse_tree(data)
