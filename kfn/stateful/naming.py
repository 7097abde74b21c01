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


_scopes = threading.local()


def _stack() -> list:
    """This thread's open scopes, as (name, caller) pairs, innermost last."""
    return _scopes.__dict__.setdefault("stack", [])


class name_scope:  # noqa: N801  (Keras's name)
    """Prefix the paths of the variables made inside with `name`, as Keras's `name_scope`.

    Layers open their own scope while they build and call, so a variable's path says where
    it was made: "dense/kernel", or "my_model/dense/kernel" for a sub-layer built in its
    parent's call.

    Example:
        >>> with kfn.name_scope("encoder"):
        ...     v = kfn.Variable(1.0, name="w")
        >>> v.path
        'encoder/w'
    """

    def __init__(self, name: str, caller=None):
        self.name = check(name, "name_scope")
        self.caller = caller
        self._pushed = False

    def __enter__(self):
        stack = _stack()
        # A layer's scope opened again inside itself (its build within its call) is one scope.
        if self.caller is None or not stack or stack[-1][1] is not self.caller:
            stack.append((self.name, self.caller))
            self._pushed = True
        return self

    def __exit__(self, *exc):
        if self._pushed:
            _stack().pop()
            self._pushed = False


def current_path() -> str:
    """The names of the open scopes, joined by "/" ("" outside any)."""
    return "/".join(name for name, _ in _stack())


def variable_path(layer, name: str) -> str:
    """The path of a variable `name` made by `layer`: the open scopes, the layer's name (unless
    its own scope is the innermost), then `name`."""
    stack = _stack()
    names = [n for n, _ in stack]
    if not stack or stack[-1][1] is not layer:
        names.append(layer.name)
    return "/".join([*names, name])


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
