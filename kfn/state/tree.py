"""Pytree utilities on optree, with JAX's semantics on every backend.

A pytree is made of `dict`, `list`, `tuple`, `NamedTuple` (and `OrderedDict`,
`defaultdict`, `deque`) nodes; anything else is a leaf. As in `jax.tree_util`:

- dict keys are visited in sorted order (an `OrderedDict` keeps its order);
- `None` is an empty node, not a leaf: it has no leaves and maps to `None`.

Example:
    >>> flatten({"b": 1, "a": (2, None)})
    [2, 1]
    >>> map_structure(lambda x: x * 10, {"b": 1, "a": (2, None)})
    {'b': 10, 'a': (20, None)}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import optree

PyTree = Any


class _MapToNone:
    """Returned by a `traverse` function to put None in place of a subtree."""

    def __repr__(self) -> str:
        return "MAP_TO_NONE"


MAP_TO_NONE = _MapToNone()


def flatten(structure: PyTree) -> list:
    """The leaves of `structure`, dict keys sorted.

    Example:
        >>> flatten({"b": [1, 2], "a": 3})
        [3, 1, 2]
    """
    return optree.tree_leaves(structure)


def structure(tree: PyTree) -> optree.PyTreeSpec:
    """The tree definition of `tree` (its nodes without the leaves), for `unflatten`."""
    return optree.tree_structure(tree)


def unflatten(treedef: optree.PyTreeSpec, leaves) -> PyTree:
    """Rebuild a pytree from a definition given by `structure` and its leaves.

    Example:
        >>> unflatten(structure({"a": 0, "b": (0, 0)}), [1, 2, 3])
        {'a': 1, 'b': (2, 3)}
    """
    return optree.tree_unflatten(treedef, leaves)


def flatten_with_path(structure: PyTree) -> list[tuple[tuple, Any]]:
    """(path, leaf) pairs; a path is the tuple of keys and indices leading to the leaf.

    Example:
        >>> flatten_with_path({"a": [10, 20]})
        [(('a', 0), 10), (('a', 1), 20)]
    """
    paths, leaves, _ = optree.tree_flatten_with_path(structure)
    return list(zip(paths, leaves))


def map_structure(func: Callable, *structures: PyTree) -> PyTree:
    """Apply `func` to the leaves of `structures` (which must share one structure).

    Example:
        >>> map_structure(lambda x, y: x + y, (1, [2]), (10, [20]))
        (11, [22])
    """
    if not structures:
        raise ValueError("map_structure needs at least one structure")
    for other in structures[1:]:
        assert_same_structure(structures[0], other)
    return optree.tree_map(func, *structures)


def map_structure_up_to(shallow_structure: PyTree, func: Callable, *structures: PyTree) -> PyTree:
    """Like `map_structure`, but only down to the depth of `shallow_structure`: what lies
    below a leaf of `shallow_structure` is passed to `func` whole.

    Example:
        >>> map_structure_up_to([0, 0], lambda x: x, [(1, 2), [3]])
        [(1, 2), [3]]
    """
    shallow = optree.tree_structure(shallow_structure)
    subtrees = []
    for s in structures:
        try:
            subtrees.append(shallow.flatten_up_to(s))
        except ValueError as e:
            raise ValueError(
                f"map_structure_up_to: structure does not match the shallow structure "
                f"{shallow}: {e}"
            ) from None
    return optree.tree_unflatten(shallow, [func(*args) for args in zip(*subtrees)])


def assert_same_structure(a: PyTree, b: PyTree) -> None:
    """Raise ValueError when `a` and `b` differ in structure (node types, keys, lengths).

    Example:
        >>> assert_same_structure({"a": 1}, {"a": 2})  # passes
    """
    sa, sb = optree.tree_structure(a), optree.tree_structure(b)
    if sa != sb:
        raise ValueError(f"The two structures don't match:\n  first:  {sa}\n  second: {sb}")


def assert_same_paths(a: PyTree, b: PyTree) -> None:
    """Raise ValueError when `a` and `b` do not have the same leaf paths (node types may
    differ, e.g. a list and a tuple)."""
    pa = set(optree.tree_paths(a))
    pb = set(optree.tree_paths(b))
    if pa != pb:
        raise ValueError(
            f"The two structures don't have the same paths: only in the first: "
            f"{sorted(pa - pb, key=str)}; only in the second: {sorted(pb - pa, key=str)}"
        )


def is_nested(structure: PyTree) -> bool:
    """Whether `structure` is a pytree node (dict, list, tuple, ...) rather than a leaf.

    Example:
        >>> is_nested([1]), is_nested(1), is_nested(None)
        (True, False, False)
    """
    if structure is None:
        return False
    return not optree.tree_is_leaf(structure)


def pack_sequence_as(structure: PyTree, flat_sequence) -> PyTree:
    """Rebuild `structure` with the leaves of `flat_sequence`, in `flatten` order.

    Example:
        >>> pack_sequence_as({"b": 0, "a": 0}, [1, 2])  # leaves go in sorted-key order
        {'b': 2, 'a': 1}
    """
    treedef = optree.tree_structure(structure)
    flat = list(flat_sequence)
    if len(flat) != treedef.num_leaves:
        raise ValueError(
            f"pack_sequence_as: the structure has {treedef.num_leaves} leaves, "
            f"got a sequence of {len(flat)}"
        )
    return optree.tree_unflatten(treedef, flat)


def traverse(func: Callable, structure: PyTree, top_down: bool = True) -> PyTree:
    """Apply `func` to every subtree of `structure`, nodes and leaves.

    Top down: where `func` returns something other than None, that value replaces the
    subtree and its children are not visited (return `MAP_TO_NONE` to put None there).
    Bottom up: children are traversed first; `func` then sees the rebuilt node, and its
    return value replaces the node unless it is None.

    Example:
        >>> traverse(lambda x: x * 2 if isinstance(x, int) else None, {"a": [1, 2]})
        {'a': [2, 4]}
    """

    def visit(node):
        if top_down:
            result = func(node)
            if result is not None:
                return None if result is MAP_TO_NONE else result
            return _map_children(visit, node)
        rebuilt = _map_children(visit, node)
        result = func(rebuilt)
        if result is None:
            return rebuilt
        return None if result is MAP_TO_NONE else result

    return visit(structure)


def _map_children(func, node):
    if node is None or optree.tree_is_leaf(node):
        return node
    level = optree.tree_flatten_one_level(node)
    return level.unflatten_func(level.metadata, [func(child) for child in level.children])


def lists_to_tuples(structure: PyTree) -> PyTree:
    """The same structure with every list turned into a tuple.

    Example:
        >>> lists_to_tuples([1, {"a": [2]}])
        (1, {'a': (2,)})
    """

    def convert(node):
        if isinstance(node, list):
            return tuple(node)
        return None

    return traverse(convert, structure, top_down=False)


def _is_shape(x) -> bool:
    return isinstance(x, tuple | list) and all(isinstance(d, int | type(None)) for d in x)


def map_shape_structure(func: Callable, structure: PyTree) -> PyTree:
    """Like `map_structure`, with tuples and lists of ints (and None) treated as leaves,
    so `func` receives whole shapes.

    Example:
        >>> map_shape_structure(len, {"x": (2, 3), "y": [(1,), (None, 4)]})
        {'x': 2, 'y': [1, 2]}
    """
    return optree.tree_map(func, structure, is_leaf=_is_shape, none_is_leaf=True)
