"""kfn.ops.nn normalization against NumPy and Keras 3 on the same backend."""

import numpy as np
import pytest

from kfn import ops
from tests.conftest import requires_gradients
from tests.ops.cases import OpCase, case_id, check_gradient, f16, f32, f64, i32, run_case
from tests.ops.nn.keras_reference import keras_reference

X = f32(4, 3, 5)


def np_moments(x, axes, keepdims=False):
    x = x.astype(np.float64)
    axes = tuple(axes) if isinstance(axes, list) else axes
    return [x.mean(axis=axes, keepdims=keepdims), x.var(axis=axes, keepdims=keepdims)]


def np_layer_norm(x, gamma=None, beta=None, axis=-1, epsilon=1e-7):
    x = x.astype(np.float64)
    out = (x - x.mean(axis=axis, keepdims=True)) / np.sqrt(
        x.var(axis=axis, keepdims=True) + epsilon
    )
    return out * (1 if gamma is None else gamma) + (0 if beta is None else beta)


def np_rms_norm(x, scale=None, axis=-1, epsilon=1e-7):
    x = x.astype(np.float64)
    out = x / np.sqrt((x * x).mean(axis=axis, keepdims=True) + epsilon)
    return out * (1 if scale is None else scale)


def np_normalize(x, axis=-1, order=2, epsilon=1e-7):
    return x / np.maximum(
        np.linalg.norm(x.astype(np.float64), ord=order, axis=axis, keepdims=True), epsilon
    )


CASES = [
    OpCase("moments", (X, (0, 1)), dtype=["float32", "float32"], reference=np_moments, rtol=2e-5),
    OpCase(
        "moments",
        (X, [2]),
        {"keepdims": True},
        dtype=["float32", "float32"],
        reference=np_moments,
        rtol=2e-5,
    ),
    OpCase(
        "moments",
        (f16(8, 2), 0),
        dtype=["float16", "float16"],
        reference=np_moments,
        rtol=2e-3,
        atol=2e-3,
    ),
    OpCase("moments", (i32(6, 2), 0), dtype=["float32", "float32"], reference=np_moments),
    OpCase(
        "moments",
        (X, (0, 1)),
        dtype=["float32", "float32"],
        reference=keras_reference("moments"),
        rtol=2e-5,
        atol=1e-6,
        id="moments_vs_keras",
    ),
    OpCase(
        "batch_normalization",
        (X, f32(5), f32(5, low=0.5, high=2), -1),
        {"offset": f32(5), "scale": f32(5)},
        dtype="float32",
        reference=lambda x, m, v, axis, offset, scale: (x - m) / np.sqrt(v + 1e-3) * scale + offset,
        rtol=2e-5,
        atol=1e-6,
    ),
    OpCase(
        "batch_normalization",
        (X, f32(3), f32(3, low=0.5, high=2), 1),
        {"epsilon": 0.01},
        dtype="float32",
        reference=lambda x, m, v, axis, epsilon: (x - m[:, None]) / np.sqrt(v[:, None] + epsilon),
        rtol=2e-5,
        atol=1e-6,
    ),
    OpCase(
        "batch_normalization",
        (X, f32(5), f32(5, low=0.5, high=2), -1),
        {"offset": f32(5), "scale": f32(5)},
        dtype="float32",
        reference=keras_reference("batch_normalization"),
        rtol=2e-5,
        atol=1e-6,
        id="batch_normalization_vs_keras",
    ),
    OpCase(
        "layer_normalization", (X,), dtype="float32", reference=np_layer_norm, rtol=2e-5, atol=1e-5
    ),
    OpCase(
        "layer_normalization",
        (X, f32(5), f32(5)),
        dtype="float32",
        reference=np_layer_norm,
        rtol=2e-5,
        atol=1e-5,
    ),
    OpCase(
        "layer_normalization",
        (X,),
        {"axis": (1, 2), "epsilon": 1e-3},
        dtype="float32",
        reference=lambda x, axis, epsilon: np_layer_norm(x, axis=axis, epsilon=epsilon),
        rtol=2e-5,
        atol=1e-5,
    ),
    OpCase(
        "layer_normalization",
        (f16(3, 8),),
        dtype="float16",
        reference=np_layer_norm,
        rtol=5e-3,
        atol=5e-3,
    ),
    OpCase(
        "layer_normalization",
        (X, f32(5), f32(5)),
        dtype="float32",
        reference=keras_reference("layer_normalization"),
        rtol=2e-5,
        atol=1e-5,
        id="layer_normalization_vs_keras",
    ),
    OpCase("rms_normalization", (X,), dtype="float32", reference=np_rms_norm, rtol=2e-5, atol=1e-6),
    OpCase(
        "rms_normalization",
        (X, f32(5)),
        {"epsilon": 1e-3},
        dtype="float32",
        reference=lambda x, s, epsilon: np_rms_norm(x, s, epsilon=epsilon),
        rtol=2e-5,
        atol=1e-6,
    ),
    OpCase(
        "rms_normalization",
        (X, f32(5)),
        dtype="float32",
        reference=keras_reference("rms_normalization"),
        rtol=2e-5,
        atol=1e-6,
        id="rms_vs_keras",
    ),
    OpCase("normalize", (X,), dtype="float32", reference=np_normalize, rtol=2e-5),
    OpCase(
        "normalize",
        (X,),
        {"axis": None},
        dtype="float32",
        reference=lambda x, axis: x / np.sqrt(np.sum(x.astype(np.float64) ** 2)),
        rtol=2e-5,
        id="normalize_all_axes",
    ),
    OpCase(
        "normalize",
        (X,),
        {"axis": 1, "order": 1},
        dtype="float32",
        reference=lambda x, axis, order: np_normalize(x, axis, order),
        rtol=2e-5,
    ),
    OpCase(
        "normalize",
        (f64(3, 4),),
        {"order": np.inf},
        dtype="float64",
        reference=lambda x, order: np_normalize(x, order=order),
    ),
    OpCase(
        "normalize",
        (np.zeros((2, 3), np.float32),),
        dtype="float32",
        reference=lambda x: x,
        id="normalize_zeros",
    ),
    OpCase(
        "normalize",
        (X,),
        dtype="float32",
        reference=keras_reference("normalize"),
        rtol=2e-5,
        id="normalize_vs_keras",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


GRADIENTS = {
    "layer_normalization": lambda x: ops.sum(
        ops.layer_normalization(x) * ops.convert_to_tensor(np.arange(12.0).reshape(3, 4))
    ),
    "batch_normalization": lambda x: ops.sum(
        ops.batch_normalization(x, ops.mean(x, axis=0), ops.var(x, axis=0), axis=-1)
        * ops.convert_to_tensor(np.arange(12.0).reshape(3, 4))
    ),
    "rms_normalization": lambda x: ops.sum(
        ops.rms_normalization(x) * ops.convert_to_tensor(np.arange(12.0).reshape(3, 4))
    ),
    "moments": lambda x: ops.sum(ops.moments(x, axes=0)[1] * ops.convert_to_tensor(np.arange(4.0))),
    "normalize": lambda x: ops.sum(
        ops.normalize(x) * ops.convert_to_tensor(np.arange(12.0).reshape(3, 4))
    ),
}


@requires_gradients
@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradient(name):
    check_gradient(GRADIENTS[name], np.random.default_rng(2).normal(size=(3, 4)))
