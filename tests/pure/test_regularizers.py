"""Regularizers (kfn/pure/regularizers.py, kfn.regularizers): penalties and configs against
Keras 3."""

import math

import keras
import numpy as np
import pytest

import kfn
from kfn import ops
from tests.conftest import BACKEND

W = np.random.default_rng(5).normal(size=(5, 4)).astype("float32")

CASES = [
    ("L1", {}),
    ("L1", {"l1": 0.3}),
    ("L2", {"l2": 0.25}),
    ("L1L2", {"l1": 0.1, "l2": 0.2}),
    ("L1L2", {}),  # both zero: a zero penalty
    ("L1L2", {"l1": 0.0, "l2": 0.5}),
    ("OrthogonalRegularizer", {"factor": 0.5}),
    ("OrthogonalRegularizer", {"factor": 0.2, "mode": "columns"}),
]


@pytest.mark.parametrize("name, config", CASES, ids=[f"{n}{c}" for n, c in CASES])
def test_penalties_and_configs_equal_keras(name, config):
    if BACKEND == "numpy" and config.get("mode") == "columns":
        pytest.skip("Keras's columns mode fails on NumPy arrays; test_penalties_by_formula")
    ours = getattr(kfn.regularizers, name)(**config)
    theirs = getattr(keras.regularizers, name)(**config)
    penalty = ours(ops.convert_to_tensor(W))
    expected = keras.ops.convert_to_numpy(theirs(keras.ops.convert_to_tensor(W)))
    assert ops.dtype(penalty) == "float32" and tuple(penalty.shape) == ()
    np.testing.assert_allclose(ops.convert_to_numpy(penalty), expected, rtol=1e-5, atol=1e-7)
    # Keras keeps some factors as float32 tensors (0.3 -> 0.30000001192092896 in its config).
    assert same_config(ours.get_config(), theirs.get_config())
    loaded = kfn.regularizers.deserialize(keras.regularizers.serialize(theirs))
    assert type(loaded) is type(ours) and same_config(loaded.get_config(), ours.get_config())
    back = keras.regularizers.deserialize(kfn.regularizers.serialize(ours))
    assert same_config(back.get_config(), theirs.get_config())


def same_config(a, b):
    return a.keys() == b.keys() and all(
        a[k] == pytest.approx(b[k], rel=1e-7) if isinstance(a[k], float) else a[k] == b[k]
        for k in a
    )


def test_penalties_by_formula():
    w = ops.convert_to_tensor(W)
    l1l2 = kfn.regularizers.L1L2(l1=0.1, l2=0.2)(w)
    expected = 0.1 * np.abs(W).sum() + 0.2 * np.square(W).sum()
    np.testing.assert_allclose(ops.convert_to_numpy(l1l2), expected, rtol=1e-5)
    rows = W / np.linalg.norm(W, axis=1, keepdims=True)
    gram = np.abs(rows @ rows.T)
    off_diagonal = (gram.sum() - np.trace(gram)) / (5 * 4)
    penalty = kfn.regularizers.OrthogonalRegularizer(factor=2.0)(w)
    np.testing.assert_allclose(ops.convert_to_numpy(penalty), 2.0 * off_diagonal, rtol=1e-5)
    columns = W / np.linalg.norm(W, axis=0, keepdims=True)
    gram = np.abs(columns.T @ columns)
    off_diagonal = (gram.sum() - np.trace(gram)) / (4 * 3)
    penalty = kfn.regularizers.OrthogonalRegularizer(factor=2.0, mode="columns")(w)
    np.testing.assert_allclose(ops.convert_to_numpy(penalty), 2.0 * off_diagonal, rtol=1e-5)


def test_get_names_aliases_classes_and_configs():
    get = kfn.regularizers.get
    assert get(None) is None
    assert get("l2") == kfn.regularizers.L2(0.01)
    assert get("l1_l2") == kfn.regularizers.L1L2(0.0, 0.0)  # Keras's defaults for the name
    assert get("orthogonal_regularizer") == kfn.regularizers.OrthogonalRegularizer()
    assert get(kfn.regularizers.L1) == kfn.regularizers.L1()
    assert get({"class_name": "L2", "config": {"l2": 0.5}}) == kfn.regularizers.L2(0.5)
    instance = kfn.regularizers.L1(0.2)
    assert get(instance) is instance
    assert kfn.regularizers.L1(None).l1 == 0.01 and kfn.regularizers.L1L2(None, None).l2 == 0.0
    assert isinstance(kfn.regularizers.L2(1).l2, float)
    assert float(kfn.regularizers.Regularizer()(ops.ones((2,)))) == 0.0
    with pytest.raises(ValueError, match="Unknown regularizer 'l3'"):
        get("l3")


def test_keras_namespace_is_complete():
    public = [n for n in dir(keras.regularizers) if not n.startswith("_")]
    assert not [n for n in public if not hasattr(kfn.regularizers, n)]
    assert kfn.regularizers.l1_l2 is kfn.regularizers.L1L2


@pytest.mark.parametrize("value", [-0.1, math.nan, math.inf, "0.1"])
def test_bad_factors_are_rejected(value):
    with pytest.raises(ValueError, match="L2: l2 must be a non-negative number"):
        kfn.regularizers.L2(value)
    with pytest.raises(ValueError, match="OrthogonalRegularizer: factor must be"):
        kfn.regularizers.OrthogonalRegularizer(factor=value)


def test_orthogonal_regularizer_errors():
    with pytest.raises(ValueError, match="mode must be 'rows' or 'columns', got 'diagonal'"):
        kfn.regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match=r"the weight must be 2-D, got shape \(2, 2, 2\)"):
        kfn.regularizers.OrthogonalRegularizer()(ops.ones((2, 2, 2)))
