"""Activations (kfn/pure/activations.py, kfn.activations) against keras.activations on the
same backend."""

import keras
import numpy as np
import pytest

import kfn
from kfn import ops

X = np.random.default_rng(3).uniform(-4.0, 4.0, (3, 8)).astype("float32")
X[0, :6] = [-1.0, 0.0, 0.5, 1.0, 6.0, 0.3]  # the kinks of the piecewise functions

FUNCTIONS = sorted(
    name
    for name in dir(keras.activations)
    if not name.startswith("_") and name not in ("get", "serialize", "deserialize")
)
# Keyword arguments that change behaviour, beyond the defaults.
VARIANTS = {
    "relu": [
        {"negative_slope": 0.1},
        {"max_value": 6.0},
        {"max_value": 2.5},
        {"threshold": 0.5},
        {"threshold": -1.5},
        {"threshold": -1.5, "max_value": 3.0},
        {"negative_slope": 0.2, "max_value": 3.0, "threshold": 0.5},
        {"negative_slope": 0.3, "threshold": -0.5},
    ],
    "leaky_relu": [{"negative_slope": 0.05}],
    "elu": [{"alpha": 0.5}],
    "celu": [{"alpha": 2.0}],
    "gelu": [{"approximate": True}],
    "glu": [{"axis": 0}],
    "hard_shrink": [{"threshold": 1.0}],
    "soft_shrink": [{"threshold": 1.0}],
    "squareplus": [{"b": 1.0}],
    "softmax": [{"axis": 0}],
    "log_softmax": [{"axis": 0}],
    "sparsemax": [{"axis": 0}],
}
REQUIRED = {"threshold": {"threshold": 0.3, "default_value": -1.0}}
X_GLU = np.concatenate([X, X[:1]], axis=0)  # glu over axis 0 needs an even size


def sparsemax_reference(x, axis=-1):
    """Sparsemax (Martins and Astudillo, 2016) along `axis`, one slice at a time."""

    def one(z):
        ordered = np.sort(z)[::-1]
        k = np.arange(1, len(z) + 1)
        cumulative = np.cumsum(ordered)
        support = 1 + k * ordered > cumulative
        tau = (cumulative[support][-1] - 1) / k[support][-1]
        return np.maximum(z - tau, 0)

    return np.apply_along_axis(one, axis, x.astype(np.float64)).astype(x.dtype)


# Keras's sparsemax is wrong for axis != -1 and returns float64 on NumPy: a NumPy reference.
REFERENCES = {"sparsemax": sparsemax_reference}


def _cases():
    for name in FUNCTIONS:
        yield name, REQUIRED.get(name, {})
        for kwargs in VARIANTS.get(name, []):
            yield name, kwargs


@pytest.mark.parametrize(
    "name, kwargs", list(_cases()), ids=lambda v: v if isinstance(v, str) else repr(v)
)
def test_activation_equals_keras(name, kwargs):
    x = X_GLU if name == "glu" and kwargs.get("axis") == 0 else X
    ours = ops.convert_to_numpy(getattr(kfn.activations, name)(ops.convert_to_tensor(x), **kwargs))
    if name in REFERENCES:
        theirs = REFERENCES[name](x, **kwargs)
    else:
        theirs = getattr(keras.activations, name)(keras.ops.convert_to_tensor(x), **kwargs)
        theirs = np.asarray(keras.ops.convert_to_numpy(theirs))
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_keras_namespace_is_complete_and_aliases_are_the_same_functions():
    public = [n for n in dir(keras.activations) if not n.startswith("_")]
    assert not [n for n in public if not hasattr(kfn.activations, n)]
    assert kfn.activations.swish is kfn.activations.silu
    assert kfn.activations.hard_swish is kfn.activations.hard_silu


def test_get_serialize_deserialize_use_keras_names():
    get = kfn.activations.get
    assert get("relu") is kfn.activations.relu
    assert get(None) is kfn.activations.linear
    assert get("swish") is kfn.activations.silu
    custom = lambda x: x * 2  # noqa: E731
    assert get(custom) is custom
    for name in ("relu", "gelu", "silu", "swish", "hard_swish", "softmax", "linear"):
        function = getattr(kfn.activations, name)
        expected = keras.activations.serialize(getattr(keras.activations, name))
        assert kfn.activations.serialize(function) == expected, name
        assert kfn.activations.deserialize(expected) is function
    # Keras's dict form ("module", "class_name": "function", "config": name).
    keras_dict = keras.saving.serialize_keras_object(keras.activations.tanh)
    assert get(keras_dict) is kfn.activations.tanh
    with pytest.raises(ValueError, match="Unknown activation 'relux'"):
        get("relux")
    with pytest.raises(ValueError, match="cannot serialize the activation"):
        kfn.activations.serialize(custom)
    assert kfn.activations.deserialize("double", custom_objects={"double": custom}) is custom
