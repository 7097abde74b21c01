"""Variable paths and kfn.name_scope (kfn/stateful/naming.py): where a variable is made, as
Keras 3 names it."""

import keras
import numpy as np

import kfn


def _paths(lib) -> list:
    lib.utils.clear_session()
    x3 = np.ones((1, 3), "float32")
    out = []

    class Wrapped(lib.Model):
        def __init__(self):
            super().__init__()
            self.dense = lib.layers.Dense(2)

        def call(self, x):
            return self.dense(x)  # built in the parent's call: under its name

    model = Wrapped()
    model(x3)
    out.append([v.path for v in model.variables])
    with lib.name_scope("block"):
        out.append(lib.Variable(np.ones(()), name="w").path)
        dense = lib.layers.Dense(2)
        dense.build((None, 3))
        out.append(dense.kernel.path)
    with_input = lib.Sequential([lib.Input((3,)), lib.layers.Dense(2)])
    out.append([v.path for v in with_input.variables])
    deferred = lib.Sequential([lib.layers.Dense(2)])
    deferred(x3)
    out.append([v.path for v in deferred.variables])
    inputs = lib.Input((3,))
    functional = lib.Model(inputs, lib.layers.Dense(2)(inputs))
    out.append([v.path for v in functional.variables])
    nested = lib.Sequential([lib.Input((3,)), lib.Sequential([lib.layers.Dense(2)])])
    out.append([v.path for v in nested.variables])

    class Block(lib.layers.Layer):
        def build(self, shape):
            self.w = self.add_weight(shape=(2,), name="w")
            self.inner = lib.layers.Dense(2)
            self.inner.build(shape)

        def call(self, x):
            return x

    block = Block()
    block(np.ones((1, 2), "float32"))
    out.append([v.path for v in block.variables])
    return out


def test_variable_paths_equal_keras():
    ours, theirs = _paths(kfn), _paths(keras)
    for got, expected in zip(ours, theirs):
        assert got == expected
    assert ours[0] == ["wrapped/dense/kernel", "wrapped/dense/bias"]


def test_name_scopes_nest_and_close():
    with kfn.name_scope("a"):
        with kfn.name_scope("b"):
            assert kfn.Variable(1.0, name="v").path == "a/b/v"
        assert kfn.Variable(1.0, name="v").path == "a/v"
    assert kfn.Variable(1.0, name="v").path == "v"
