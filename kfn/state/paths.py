"""Variable paths: the names of a model's variables, and the Keras order kept beside them.

A layer's variables are a nested dict, `{"trainable": {"dense": {"kernel": k, "bias": b}},
"non_trainable": {...}}`. A variable's path is its keys below the trainable/non_trainable
level joined with "/": "dense/kernel". Pytree flattening visits dict keys sorted; Keras lists
variables in creation order. That order is the insertion order of the nested dicts as `init`
builds them, and `paths_in_order` reads it, so it can be kept as an explicit list.

Example:
    >>> tree = {"dense": {"kernel": 1, "bias": 2}, "bn": {"gamma": 3}}
    >>> paths_in_order(tree)
    ['dense/kernel', 'dense/bias', 'bn/gamma']
    >>> leaves_in_order(tree, ["bn/gamma", "dense/kernel"])
    [3, 1]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

SEPARATOR = "/"


def join(*names: str) -> str:
    """Path components joined with "/" (empty components are skipped).

    Example:
        >>> join("model", "dense", "kernel")
        'model/dense/kernel'
    """
    return SEPARATOR.join(n for n in names if n)


def split(path: str) -> list[str]:
    """The components of a path."""
    return path.split(SEPARATOR) if path else []


def paths_in_order(tree: Mapping, prefix: str = "") -> list[str]:
    """The leaf paths of a nested dict in insertion (creation) order, depth first."""
    out = []
    for key, value in tree.items():
        if not isinstance(key, str) or SEPARATOR in key or not key:
            raise ValueError(
                f"variable names must be non-empty strings without {SEPARATOR!r}, got {key!r}"
            )
        path = join(prefix, key)
        if isinstance(value, Mapping):
            out.extend(paths_in_order(value, path))
        else:
            out.append(path)
    return out


def get(tree: Mapping, path: str):
    """The leaf of a nested dict at `path`; KeyError naming the missing component."""
    node = tree
    for i, name in enumerate(split(path)):
        if not isinstance(node, Mapping) or name not in node:
            raise KeyError(f"no variable at {path!r}: {join(*split(path)[: i + 1])!r} is missing")
        node = node[name]
    return node


def leaves_in_order(tree: Mapping, order: Iterable[str]) -> list:
    """The leaves of a nested dict listed in the given path order."""
    return [get(tree, path) for path in order]


def flat(tree: Mapping) -> dict:
    """A nested dict as {path: leaf}, in insertion order."""
    return {path: get(tree, path) for path in paths_in_order(tree)}


def nested(flat_tree: Mapping) -> dict:
    """The inverse of `flat`: {path: leaf} as a nested dict, keeping the order of the paths.

    Example:
        >>> nested({"dense/kernel": 1, "dense/bias": 2})
        {'dense': {'kernel': 1, 'bias': 2}}
    """
    out: dict = {}
    for path, leaf in flat_tree.items():
        *parents, name = split(path)
        node = out
        for parent in parents:
            node = node.setdefault(parent, {})
            if not isinstance(node, dict):
                raise ValueError(f"path {path!r} goes through a leaf at {parent!r}")
        if name in node:
            raise ValueError(f"duplicate variable path {path!r}")
        node[name] = leaf
    return out


def replace_in_order(tree: Mapping, order: list[str], values: list) -> dict:
    """A copy of a nested dict with the leaves at `order` replaced by `values` (one each).

    Example:
        >>> replace_in_order({"a": {"x": 1, "y": 2}}, ["a/y", "a/x"], [20, 10])
        {'a': {'x': 10, 'y': 20}}
    """
    values = list(values)
    if len(values) != len(order):
        raise ValueError(f"expected {len(order)} values (one per variable), got {len(values)}")
    replacements = dict(zip(order, values))
    unknown = set(replacements) - set(paths_in_order(tree))
    if unknown:
        raise KeyError(f"no variables at {sorted(unknown)}")
    return nested({path: replacements.get(path, leaf) for path, leaf in flat(tree).items()})
