"""kfn.tree: JAX's pytree semantics (sorted dict keys, None as an empty node) on optree."""

import collections

import numpy as np
import pytest

from kfn import ops, tree

Point = collections.namedtuple("Point", ["y", "x"])


def test_flatten_sorts_dict_keys_and_skips_none():
    structure = {"b": [1, None, 2], "a": (3, {"d": 4, "c": 5})}
    assert tree.flatten(structure) == [3, 5, 4, 1, 2]
    assert tree.flatten(None) == []
    assert tree.flatten(7) == [7]


def test_unflatten_roundtrip_and_pack_sequence_as():
    structure = {"b": [1, None, 2], "a": Point(y=3, x=4)}
    rebuilt = tree.unflatten(tree.structure(structure), [10, 20, 30, 40])
    assert rebuilt == {"b": [30, None, 40], "a": Point(y=10, x=20)}
    assert tree.pack_sequence_as(structure, [10, 20, 30, 40]) == rebuilt
    with pytest.raises(ValueError, match="the structure has 4 leaves, got a sequence of 3"):
        tree.pack_sequence_as(structure, [1, 2, 3])


def test_flatten_with_path():
    assert tree.flatten_with_path({"w": [5, 6], "a": 1}) == [
        (("a",), 1),
        (("w", 0), 5),
        (("w", 1), 6),
    ]


def test_map_structure_over_several_trees_and_none():
    assert tree.map_structure(lambda a, b: a + b, {"a": 1, "n": None}, {"a": 10, "n": None}) == {
        "a": 11,
        "n": None,
    }
    with pytest.raises(ValueError, match="don't match"):
        tree.map_structure(lambda a, b: a, [1, 2], [1])


def test_map_structure_up_to():
    result = tree.map_structure_up_to({"a": 0, "b": 0}, len, {"a": [1, 2], "b": (3,)})
    assert result == {"a": 2, "b": 1}


def test_assert_same_structure_and_paths():
    tree.assert_same_structure({"a": [1, 2]}, {"a": [3, 4]})
    with pytest.raises(ValueError):
        tree.assert_same_structure({"a": [1, 2]}, {"a": (3, 4)})
    tree.assert_same_paths({"a": [1, 2]}, {"a": (3, 4)})
    with pytest.raises(ValueError, match="only in the first"):
        tree.assert_same_paths({"a": 1, "b": 2}, {"a": 1})


def test_is_nested():
    assert tree.is_nested([1]) and tree.is_nested({}) and tree.is_nested(Point(1, 2))
    assert not tree.is_nested(1) and not tree.is_nested(None) and not tree.is_nested("ab")


def test_traverse_top_down_and_bottom_up():
    structure = {"a": [1, 2], "b": 3}
    doubled = tree.traverse(lambda x: x * 2 if isinstance(x, int) else None, structure)
    assert doubled == {"a": [2, 4], "b": 6}
    stopped = tree.traverse(lambda x: "list" if isinstance(x, list) else None, structure)
    assert stopped == {"a": "list", "b": 3}
    cleared = tree.traverse(lambda x: tree.MAP_TO_NONE if isinstance(x, list) else None, structure)
    assert cleared == {"a": None, "b": 3}
    sums = tree.traverse(
        lambda x: sum(x) if isinstance(x, list) else None, structure, top_down=False
    )
    assert sums == {"a": 3, "b": 3}


def test_lists_to_tuples_and_map_shape_structure():
    assert tree.lists_to_tuples([1, {"a": [2, [3]]}]) == (1, {"a": (2, (3,))})
    shapes = {"x": (2, 3), "y": [(None, 4), (5,)]}
    assert tree.map_shape_structure(len, shapes) == {"x": 2, "y": [2, 1]}


def test_tensors_are_leaves_on_every_backend():
    state = {"trainable": {"dense": {"kernel": ops.convert_to_tensor(np.ones((2, 2), "float32"))}}}
    leaves = tree.flatten(state)
    assert len(leaves) == 1 and ops.is_tensor(leaves[0])
    scaled = tree.map_structure(lambda v: v * 2.0, state)
    np.testing.assert_array_equal(ops.convert_to_numpy(scaled["trainable"]["dense"]["kernel"]), 2.0)
