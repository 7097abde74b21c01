"""Unique default names, as Keras gives them: "dense", "dense_1", "dense_2", ...

Example:
    >>> unique_name("dense"), unique_name("dense")
    ('dense', 'dense_1')
"""

from __future__ import annotations

import collections
import threading

from kfn.pure.registry import snake_case

_lock = threading.Lock()
_counts: collections.Counter = collections.Counter()


def unique_name(base: str) -> str:
    """`base` the first time, then `base_1`, `base_2`, ..."""
    with _lock:
        count = _counts[base]
        _counts[base] += 1
    return base if count == 0 else f"{base}_{count}"


def default_name(cls: type) -> str:
    """The next unique name for an instance of `cls` ("Conv2D" -> "conv2d", "conv2d_1")."""
    return unique_name(snake_case(cls.__name__))


def reset() -> None:
    """Forget the names given so far (`kfn.utils.clear_session`)."""
    with _lock:
        _counts.clear()


def check(name, where: str) -> str:
    """`name` if it can name a layer or variable; ValueError otherwise."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"{where}: a name must be a non-empty string, got {name!r}")
    if "/" in name or "." in name:
        raise ValueError(
            f"{where}: names cannot contain '/' or '.' (they separate variable paths), got {name!r}"
        )
    return name
