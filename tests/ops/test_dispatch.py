"""The op surface: every declared primitive has an implementation with the same signature on
the active backend, every public op is documented, and forwarders add little overhead."""

import inspect

import numpy as np
import pytest

import kfn
from kfn import ops
from kfn.ops import dispatch

PUBLIC_OPS = sorted(
    (name, fn)
    for name, fn in vars(ops).items()
    if not name.startswith("_") and callable(fn) and not inspect.ismodule(fn)
)


def test_every_primitive_is_implemented_with_the_declared_signature():
    problems = []
    for name, fn in PUBLIC_OPS:
        impl = getattr(fn, "__kfn_impl__", None)
        if impl is None:
            continue  # a composite, written with other ops
        if impl.__name__ == "missing":
            problems.append(f"{name}: no {kfn.backend()} implementation")
            continue
        declared = list(inspect.signature(fn).parameters.values())
        actual = list(inspect.signature(impl).parameters.values())
        if [(p.name, p.kind, p.default) for p in declared] != [
            (p.name, p.kind, p.default) for p in actual
        ]:
            problems.append(
                f"{name}: declared {inspect.signature(fn)}, implemented {inspect.signature(impl)}"
            )
    assert not problems, "\n".join(problems)


def test_every_public_op_has_a_docstring():
    undocumented = [name for name, fn in PUBLIC_OPS if not (fn.__doc__ or "").strip()]
    assert not undocumented


def test_forwarder_keeps_signature_defaults_and_keyword_only_arguments():
    def declared(x, axis=None, *, keepdims=False):
        """Doc."""

    def impl(x, axis=None, *, keepdims=False):
        return (x, axis, keepdims)

    forward = dispatch.forwarder(declared, impl)
    assert forward(1) == (1, None, False)
    assert forward(1, 2, keepdims=True) == (1, 2, True)
    assert inspect.signature(forward) == inspect.signature(declared)
    assert forward.__doc__ == "Doc." and forward.__name__ == "declared"


def test_broadcast_shapes():
    assert dispatch.broadcast_shapes((2, 1), (1, 3)) == (2, 3)
    assert dispatch.broadcast_shapes((None, 3), (3,)) == (None, 3)
    assert dispatch.broadcast_shapes((None, 1), (1, 4)) == (None, 4)
    with pytest.raises(ValueError, match="cannot be broadcast"):
        dispatch.broadcast_shapes((2, 3), (4,))
    assert dispatch.broadcast_shapes((5, 1, 3), (4, 1)) == np.broadcast_shapes((5, 1, 3), (4, 1))
