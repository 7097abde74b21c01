"""kfn.utils.set_random_seed and clear_session (kfn/stateful/session.py)."""

import random

import numpy as np
import pytest

import kfn
from kfn import ops


def test_set_random_seed_makes_runs_repeat():
    def draw():
        layer = kfn.layers.Dense(3)
        layer.build((None, 2))
        return (
            random.random(),
            np.random.rand(),
            ops.convert_to_numpy(kfn.random.normal((2,))),
            layer.kernel.numpy(),
        )

    kfn.utils.set_random_seed(7)
    first = draw()
    kfn.utils.set_random_seed(7)
    second = draw()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="seed must be an integer, got 1.5"):
        kfn.utils.set_random_seed(1.5)


def test_clear_session_starts_naming_afresh():
    kfn.utils.clear_session()
    assert kfn.layers.Dense(1).name == "dense"
    assert kfn.layers.Dense(1).name == "dense_1"
