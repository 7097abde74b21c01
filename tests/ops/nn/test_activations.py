"""kfn.ops.nn activations against NumPy/SciPy formulas."""

import numpy as np
import pytest
import scipy.special

from kfn import ops
from tests.conftest import requires_gradients
from tests.ops.cases import OpCase, case_id, check_gradient, f16, f32, f64, i32, run_case

X = np.concatenate([np.linspace(-6, 6, 25), [-1.0, -0.5, 0.0, 0.5, 1.0]]).astype(np.float32)


def sig(x):
    return scipy.special.expit(x.astype(np.float64))


REFERENCES = {
    "relu": lambda x: np.maximum(x, 0),
    "relu6": lambda x: np.clip(x, 0, 6),
    "sigmoid": sig,
    "softplus": lambda x: np.logaddexp(0, x.astype(np.float64)),
    "softsign": lambda x: x / (1 + np.abs(x)),
    "silu": lambda x: x * sig(x),
    "swish": lambda x: x * sig(x),
    "log_sigmoid": lambda x: -np.logaddexp(0, -x.astype(np.float64)),
    "leaky_relu": lambda x: np.where(x >= 0, x, 0.2 * x),
    "elu": lambda x: np.where(x > 0, x, np.expm1(x.astype(np.float64))),
    "selu": lambda x: (
        1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(x.astype(np.float64)))
    ),
    "celu": lambda x: np.maximum(x, 0) + np.minimum(0, np.expm1(x.astype(np.float64))),
    "gelu": lambda x: (
        0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x.astype(np.float64) ** 3)))
    ),
    "hard_sigmoid": lambda x: np.clip(x / 6 + 0.5, 0, 1),
    "hard_silu": lambda x: x * np.clip(x / 6 + 0.5, 0, 1),
    "hard_swish": lambda x: x * np.clip(x / 6 + 0.5, 0, 1),
    "hard_tanh": lambda x: np.clip(x, -1, 1),
    "hard_shrink": lambda x: np.where(np.abs(x) > 0.5, x, 0),
    "soft_shrink": lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0)),
    "tanh_shrink": lambda x: x - np.tanh(x.astype(np.float64)),
    "sparse_plus": lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4)),
    "sparse_sigmoid": lambda x: np.clip((x + 1) / 2, 0, 1),
    "squareplus": lambda x: (x + np.sqrt(x.astype(np.float64) ** 2 + 4)) / 2,
}

CASES = []
for name, reference in REFERENCES.items():
    CASES += [
        OpCase(name, (X,), dtype="float32", reference=reference, rtol=2e-5, atol=1e-6),
        OpCase(name, (f64(2, 3),), dtype="float64", reference=reference, rtol=1e-9, atol=1e-12),
        OpCase(name, (f16(5),), dtype="float16", reference=reference, rtol=5e-3, atol=5e-3),
    ]
CASES += [
    OpCase("relu", (i32(5),), dtype="int32", reference=lambda x: np.maximum(x, 0)),
    OpCase("sigmoid", (i32(5),), dtype="float32", reference=sig),
    OpCase("relu6", (i32(5, low=-3, high=9),), dtype="int32", reference=lambda x: np.clip(x, 0, 6)),
    OpCase(
        "sigmoid",
        (np.array([-1000.0, 1000.0], np.float32),),
        dtype="float32",
        reference=sig,
        id="sigmoid_extremes",
    ),
    OpCase(
        "softplus",
        (np.array([-1000.0, 1000.0], np.float32),),
        dtype="float32",
        reference=lambda x: np.logaddexp(0, x),
        id="softplus_extremes",
    ),
    OpCase(
        "gelu",
        (X,),
        {"approximate": False},
        dtype="float32",
        reference=lambda x, approximate: (
            0.5 * x * (1 + scipy.special.erf(x.astype(np.float64) / np.sqrt(2)))
        ),
        rtol=2e-5,
        atol=1e-6,
    ),
    OpCase(
        "leaky_relu",
        (X,),
        {"negative_slope": 0.05},
        dtype="float32",
        reference=lambda x, negative_slope: np.where(x >= 0, x, negative_slope * x),
    ),
    OpCase(
        "elu",
        (X,),
        {"alpha": 0.5},
        dtype="float32",
        reference=lambda x, alpha: np.where(x > 0, x, alpha * np.expm1(x.astype(np.float64))),
        rtol=2e-5,
    ),
    OpCase(
        "celu",
        (X,),
        {"alpha": 2.0},
        dtype="float32",
        reference=lambda x, alpha: np.maximum(x, 0) + np.minimum(0, alpha * np.expm1(x / alpha)),
        rtol=2e-5,
        atol=1e-6,
    ),
    OpCase(
        "hard_shrink",
        (X, 2.0),
        dtype="float32",
        reference=lambda x, t: np.where(np.abs(x) > t, x, 0),
    ),
    OpCase(
        "soft_shrink",
        (X, 1.5),
        dtype="float32",
        reference=lambda x, t: np.where(x > t, x - t, np.where(x < -t, x + t, 0)),
    ),
    OpCase(
        "threshold",
        (X, 0.3, -9.0),
        dtype="float32",
        reference=lambda x, t, v: np.where(x > t, x, v),
    ),
    OpCase(
        "squareplus",
        (X, 1.0),
        dtype="float32",
        reference=lambda x, b: (x + np.sqrt(x.astype(np.float64) ** 2 + b)) / 2,
        rtol=2e-5,
    ),
    OpCase(
        "glu",
        (f32(3, 6),),
        dtype="float32",
        reference=lambda x: x[:, :3] * sig(x[:, 3:]),
        rtol=2e-5,
    ),
    OpCase(
        "glu",
        (f32(4, 2),),
        {"axis": 0},
        dtype="float32",
        reference=lambda x, axis: x[:2] * sig(x[2:]),
        rtol=2e-5,
    ),
]


def softmax(x, axis=-1):
    x = x.astype(np.float64)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def sparsemax(x, axis=-1):
    x = np.moveaxis(x.astype(np.float64), axis, -1)
    z = -np.sort(-x, axis=-1)
    k = np.arange(1, x.shape[-1] + 1)
    cumulative = np.cumsum(z, axis=-1)
    support = (1 + k * z > cumulative).sum(axis=-1, keepdims=True)
    tau = (np.take_along_axis(cumulative, support - 1, -1) - 1) / support
    return np.moveaxis(np.maximum(x - tau, 0), -1, axis)


CASES += [
    OpCase("softmax", (f32(3, 5),), dtype="float32", reference=softmax),
    OpCase("softmax", (f32(3, 5),), {"axis": 0}, dtype="float32", reference=softmax),
    OpCase(
        "softmax",
        (f32(2, 3, 4),),
        {"axis": (1, 2)},
        dtype="float32",
        reference=lambda x, axis: np.exp(
            x - scipy.special.logsumexp(x.astype(np.float64), axis=axis, keepdims=True)
        ),
    ),
    OpCase(
        "softmax",
        (np.array([[1000.0, 1000.0, -1000.0]], np.float32),),
        dtype="float32",
        reference=softmax,
        id="softmax_large",
    ),
    OpCase("softmax", (i32(2, 3),), dtype="float32", reference=softmax),
    OpCase(
        "log_softmax",
        (f32(3, 5),),
        dtype="float32",
        reference=lambda x: np.log(softmax(x)),
        rtol=2e-5,
        atol=1e-6,
    ),
    OpCase(
        "log_softmax",
        (f64(4, 2),),
        {"axis": 0},
        dtype="float64",
        reference=lambda x, axis: np.log(softmax(x, axis)),
    ),
    OpCase(
        "log_softmax",
        (np.array([[1000.0, 0.0]], np.float32),),
        dtype="float32",
        reference=lambda x: np.array([[0.0, -1000.0]]),
        id="log_softmax_large",
    ),
    OpCase("sparsemax", (f32(3, 6),), dtype="float32", reference=sparsemax, rtol=2e-5, atol=1e-6),
    OpCase(
        "sparsemax",
        (f32(4, 3),),
        {"axis": 0},
        dtype="float32",
        reference=sparsemax,
        rtol=2e-5,
        atol=1e-6,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


def test_sparsemax_is_a_sparse_distribution():
    out = ops.convert_to_numpy(
        ops.sparsemax(ops.convert_to_tensor(np.array([[3.0, 1.0, -2.0, 2.9]], np.float32)))
    )
    np.testing.assert_allclose(out.sum(-1), 1.0, rtol=1e-6)
    assert (out == 0).sum() >= 2


def test_glu_needs_an_even_axis():
    with pytest.raises(ValueError, match=r"kfn.ops.glu: axis -1 must have an even size"):
        ops.glu(ops.convert_to_tensor(f32(2, 3)))


GRADIENTS = [
    "softmax",
    "log_softmax",
    "gelu",
    "silu",
    "elu",
    "softplus",
    "sigmoid",
    "selu",
    "leaky_relu",
    "sparsemax",
    "log_sigmoid",
    "celu",
]


@requires_gradients
@pytest.mark.parametrize("name", GRADIENTS)
def test_gradient(name):
    weights = ops.convert_to_tensor(np.arange(1.0, 7.0).reshape(2, 3))
    check_gradient(
        lambda x: ops.sum(getattr(ops, name)(x) * weights),
        np.array([[0.3, -1.2, 2.0], [0.7, 0.1, -0.4]]),
    )
