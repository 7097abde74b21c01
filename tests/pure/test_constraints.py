"""Constraints (kfn/pure/constraints.py, kfn.constraints): projections and configs against
Keras 3."""

import keras
import numpy as np
import pytest

import kfn
from kfn import ops

W = np.random.default_rng(9).normal(size=(3, 3, 4, 5)).astype("float32")

CASES = [
    ("MaxNorm", {}),
    ("MaxNorm", {"max_value": 1.5, "axis": [0, 1, 2]}),
    ("MinMaxNorm", {"min_value": 1.0, "max_value": 2.0}),
    ("MinMaxNorm", {"min_value": 3.0, "max_value": 4.0, "rate": 0.5, "axis": -1}),
    ("NonNeg", {}),
    ("UnitNorm", {}),
    ("UnitNorm", {"axis": [0, 1, 2]}),
    ("Constraint", {}),
]


@pytest.mark.parametrize("name, config", CASES, ids=[f"{n}{c}" for n, c in CASES])
def test_projections_and_configs_equal_keras(name, config):
    ours = getattr(kfn.constraints, name)(**config)
    theirs = getattr(keras.constraints, name)(**config)
    projected = ops.convert_to_numpy(ours(ops.convert_to_tensor(W)))
    expected = keras.ops.convert_to_numpy(theirs(keras.ops.convert_to_tensor(W)))
    np.testing.assert_allclose(projected, expected, rtol=1e-5, atol=1e-6)
    assert ours.get_config() == theirs.get_config()
    if name != "Constraint":
        loaded = kfn.constraints.deserialize(keras.constraints.serialize(theirs))
        assert loaded == ours
        back = keras.constraints.deserialize(kfn.constraints.serialize(ours))
        assert back.get_config() == theirs.get_config()


def test_projections_by_formula():
    w = ops.convert_to_tensor(W)
    norms = lambda v, axis: np.sqrt(np.square(v).sum(axis=axis))  # noqa: E731
    max_norm = ops.convert_to_numpy(kfn.constraints.MaxNorm(1.0, axis=[0, 1, 2])(w))
    assert np.all(norms(max_norm, (0, 1, 2)) <= 1.0 + 1e-5)
    unit = ops.convert_to_numpy(kfn.constraints.UnitNorm(axis=0)(w))
    np.testing.assert_allclose(norms(unit, 0), 1.0, rtol=1e-5)
    bounded = ops.convert_to_numpy(kfn.constraints.MinMaxNorm(2.0, 3.0, axis=-1)(w))
    assert np.all((norms(bounded, -1) >= 2.0 - 1e-4) & (norms(bounded, -1) <= 3.0 + 1e-4))
    non_neg = ops.convert_to_numpy(kfn.constraints.NonNeg()(w))
    np.testing.assert_array_equal(non_neg, np.maximum(W, 0))


def test_get_names_aliases_classes_and_configs():
    get = kfn.constraints.get
    assert get(None) is None
    assert get("max_norm") == kfn.constraints.MaxNorm()
    assert get("non_neg") == kfn.constraints.NonNeg()
    assert get("unit_norm") == kfn.constraints.UnitNorm()
    assert get("min_max_norm") == kfn.constraints.MinMaxNorm()
    assert get(kfn.constraints.NonNeg) == kfn.constraints.NonNeg()
    config = {"class_name": "MaxNorm", "config": {"max_value": 3.0, "axis": 1}}
    assert get(config) == kfn.constraints.MaxNorm(3.0, axis=1)
    instance = kfn.constraints.UnitNorm(axis=1)
    assert get(instance) is instance
    with pytest.raises(ValueError, match="Unknown constraint 'positive'"):
        get("positive")


def test_keras_namespace_is_complete():
    public = [n for n in dir(keras.constraints) if not n.startswith("_")]
    assert not [n for n in public if not hasattr(kfn.constraints, n)]
    assert kfn.constraints.max_norm is kfn.constraints.MaxNorm
