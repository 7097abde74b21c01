"""kfn.ops.nn dot_product_attention, one_hot, multi_hot and polar."""

import numpy as np
import pytest

from kfn import ops
from tests.conftest import requires_gradients
from tests.ops.cases import OpCase, case_id, check_gradient, f32, run_case
from tests.ops.nn.keras_reference import keras_reference

RNG = np.random.default_rng(51)


def np_attention(q, k, v, bias=None, mask=None, scale=None, is_causal=False):
    q, k, v = (a.astype(np.float64) for a in (q, k, v))
    heads = q.shape[2]
    k, v = np.repeat(k, heads // k.shape[2], axis=2), np.repeat(v, heads // v.shape[2], axis=2)
    logits = np.einsum("btnh,bsnh->bnts", q, k) * (
        1 / np.sqrt(q.shape[-1]) if scale is None else scale
    )
    if bias is not None:
        logits = logits + bias
    keep = np.ones(logits.shape, bool)
    if mask is not None:
        keep = keep & mask
    if is_causal:
        keep = keep & np.tril(np.ones((q.shape[1], k.shape[1]), bool))
    logits = np.where(keep, logits, -1e30)
    weights = np.exp(logits - logits.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    return np.einsum("bnts,bsnh->btnh", weights, v)


Q, K, V = (f32(2, 4, 2, 8) for _ in range(3))
MASK = RNG.integers(0, 2, (2, 1, 4, 4)).astype(bool)
MASK[..., 0] = True
CASES = [
    OpCase(
        "dot_product_attention",
        (Q, K, V),
        dtype="float32",
        reference=np_attention,
        rtol=1e-5,
        atol=1e-6,
    ),
    OpCase(
        "dot_product_attention",
        (Q, K, V),
        {"is_causal": True},
        dtype="float32",
        reference=np_attention,
        rtol=1e-5,
        atol=1e-6,
    ),
    OpCase(
        "dot_product_attention",
        (Q, K, V),
        {"mask": MASK, "scale": 0.5},
        dtype="float32",
        reference=np_attention,
        rtol=1e-5,
        atol=1e-6,
    ),
    OpCase(
        "dot_product_attention",
        (Q, K, V),
        {"bias": f32(1, 2, 4, 4)},
        dtype="float32",
        reference=np_attention,
        rtol=1e-5,
        atol=1e-6,
    ),
    OpCase(
        "dot_product_attention",
        (f32(2, 3, 4, 8), f32(2, 5, 2, 8), f32(2, 5, 2, 8)),
        dtype="float32",
        reference=np_attention,
        rtol=1e-5,
        atol=1e-6,
        id="grouped_query_attention",
    ),
    OpCase(
        "dot_product_attention",
        (Q, K, V),
        {"is_causal": True},
        dtype="float32",
        reference=keras_reference("dot_product_attention"),
        rtol=1e-5,
        atol=1e-6,
        id="attention_vs_keras",
    ),
    OpCase(
        "dot_product_attention",
        (Q[0], K[0], V[0]),
        dtype="float32",
        reference=lambda q, k, v: np_attention(q[None], k[None], v[None])[0],
        rtol=1e-5,
        atol=1e-6,
        id="attention_unbatched",
    ),
    OpCase(
        "one_hot",
        (np.array([0, 2, 1, -1, 5], np.int32), 3),
        dtype="float32",
        reference=lambda x, n: (x[:, None] == np.arange(n)).astype(np.float32),
    ),
    OpCase(
        "one_hot",
        (np.array([[0, 2], [1, 1]], np.int32), 3),
        {"axis": 0, "dtype": "int32"},
        dtype="int32",
        reference=lambda x, n, axis, dtype: np.moveaxis(x[..., None] == np.arange(n), -1, 0).astype(
            np.int32
        ),
    ),
    OpCase(
        "one_hot",
        (np.array([0, 2], np.int64), 4),
        dtype="float32",
        reference=keras_reference("one_hot"),
        id="one_hot_vs_keras",
    ),
    OpCase(
        "multi_hot",
        (np.array([[0, 2], [1, 1]], np.int32), 3),
        dtype="float32",
        reference=lambda x, n: np.array([[1, 0, 1], [0, 1, 0]], np.float32),
    ),
    OpCase(
        "multi_hot",
        (np.array([1, 3], np.int32), 4),
        dtype="float32",
        reference=lambda x, n: np.array([0, 1, 0, 1], np.float32),
    ),
    OpCase(
        "multi_hot",
        (np.array([[0, 2], [1, 1]], np.int32), 3),
        dtype="float32",
        reference=keras_reference("multi_hot"),
        id="multi_hot_vs_keras",
    ),
    OpCase(
        "polar",
        (np.array([1.0, 2.0], np.float32), np.array([0.0, np.pi / 2], np.float32)),
        dtype="complex64",
        reference=lambda r, t: r * np.exp(1j * t),
        rtol=1e-6,
        atol=1e-6,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


def test_attention_checks_heads():
    with pytest.raises(
        ValueError, match=r"query heads \(3\) must be a multiple of key/value heads \(2\)"
    ):
        ops.dot_product_attention(*(ops.convert_to_tensor(f32(1, 2, h, 4)) for h in (3, 2, 2)))


def test_one_hot_needs_integers():
    with pytest.raises(
        ValueError, match="kfn.ops.one_hot: x must hold integer class indices, got dtype float32"
    ):
        ops.one_hot(ops.convert_to_tensor([1.0]), 3)


@requires_gradients
def test_attention_gradient():
    k, v = (ops.convert_to_tensor(RNG.normal(size=(1, 3, 1, 2))) for _ in range(2))
    check_gradient(
        lambda q: ops.sum(ops.dot_product_attention(q, k, v, is_causal=True) ** 2),
        RNG.normal(size=(1, 3, 1, 2)),
    )
