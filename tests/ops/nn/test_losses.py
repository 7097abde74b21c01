"""kfn.ops.nn crossentropies, CTC and PSNR against Keras 3 on the same backend and NumPy."""

import itertools

import numpy as np
import pytest

from kfn import ops
from tests.conftest import requires_gradients
from tests.ops.cases import OpCase, case_id, check_gradient, run_case
from tests.ops.nn.keras_reference import keras_reference

RNG = np.random.default_rng(41)
LOGITS = RNG.normal(size=(4, 5)).astype(np.float32)
PROBS = np.exp(LOGITS) / np.exp(LOGITS).sum(-1, keepdims=True)
LABELS = RNG.integers(0, 5, 4).astype(np.int32)
ONE_HOT = np.eye(5, dtype=np.float32)[LABELS]
BINARY = RNG.integers(0, 2, (4, 3)).astype(np.float32)
BLOGITS = RNG.normal(size=(4, 3)).astype(np.float32) * 3

TOL = {"rtol": 1e-5, "atol": 1e-6}
CASES = [
    OpCase(
        "binary_crossentropy",
        (BINARY, 1 / (1 + np.exp(-BLOGITS))),
        dtype="float32",
        reference=keras_reference("binary_crossentropy"),
        **TOL,
    ),
    OpCase(
        "binary_crossentropy",
        (BINARY, BLOGITS),
        {"from_logits": True},
        dtype="float32",
        reference=keras_reference("binary_crossentropy"),
        **TOL,
    ),
    OpCase(
        "binary_crossentropy",
        (BINARY, BLOGITS),
        {"from_logits": True},
        dtype="float32",
        reference=lambda t, o, from_logits: (
            np.maximum(o, 0) - o * t + np.log1p(np.exp(-np.abs(o.astype(np.float64))))
        ),
        **TOL,
        id="bce_logits_formula",
    ),
    OpCase(
        "binary_crossentropy",
        (np.array([1.0, 0.0], np.float32), np.array([1.0, 0.0], np.float32)),
        dtype="float32",
        reference=keras_reference("binary_crossentropy"),
        **TOL,
        id="bce_saturated",
    ),
    OpCase(
        "categorical_crossentropy",
        (ONE_HOT, PROBS),
        dtype="float32",
        reference=keras_reference("categorical_crossentropy"),
        **TOL,
    ),
    OpCase(
        "categorical_crossentropy",
        (ONE_HOT, LOGITS),
        {"from_logits": True},
        dtype="float32",
        reference=keras_reference("categorical_crossentropy"),
        **TOL,
    ),
    OpCase(
        "categorical_crossentropy",
        (ONE_HOT.T.copy(), LOGITS.T.copy()),
        {"from_logits": True, "axis": 0},
        dtype="float32",
        reference=keras_reference("categorical_crossentropy"),
        **TOL,
        id="cce_axis0",
    ),
    OpCase(
        "categorical_crossentropy",
        (ONE_HOT, LOGITS),
        {"from_logits": True},
        dtype="float32",
        reference=lambda t, o, from_logits: (
            -(t * (o - np.log(np.exp(o.astype(np.float64)).sum(-1, keepdims=True)))).sum(-1)
        ),
        **TOL,
        id="cce_formula",
    ),
    OpCase(
        "sparse_categorical_crossentropy",
        (LABELS, PROBS),
        dtype="float32",
        reference=keras_reference("sparse_categorical_crossentropy"),
        **TOL,
    ),
    OpCase(
        "sparse_categorical_crossentropy",
        (LABELS, LOGITS),
        {"from_logits": True},
        dtype="float32",
        reference=keras_reference("sparse_categorical_crossentropy"),
        **TOL,
    ),
    OpCase(
        "sparse_categorical_crossentropy",
        (LABELS[:, None], LOGITS),
        {"from_logits": True},
        dtype="float32",
        reference=lambda t, o, from_logits: (
            -np.log(
                np.exp(o.astype(np.float64))[np.arange(4), t[:, 0]]
                / np.exp(o.astype(np.float64)).sum(-1)
            )
        ),
        **TOL,
        id="scce_trailing_axis",
    ),
    OpCase(
        "psnr",
        (
            RNG.uniform(size=(3, 4)).astype(np.float32),
            RNG.uniform(size=(3, 4)).astype(np.float32),
            1.0,
        ),
        dtype="float32",
        reference=keras_reference("psnr"),
        **TOL,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


def brute_force_ctc(log_probs, labels, blank=0):
    """-log P(labels) by summing every alignment (tiny inputs only)."""
    steps, classes = log_probs.shape
    total = -np.inf
    for path in itertools.product(range(classes), repeat=steps):
        collapsed = [c for i, c in enumerate(path) if c != blank and (i == 0 or c != path[i - 1])]
        if collapsed == list(labels):
            total = np.logaddexp(total, sum(log_probs[t, c] for t, c in enumerate(path)))
    return -total


def test_ctc_loss_sums_all_alignments():
    logits = RNG.normal(size=(2, 5, 3)).astype(np.float32)
    targets = np.array([[1, 2], [2, 2]], np.int32)
    target_lengths = np.array([2, 2], np.int32)
    output_lengths = np.array([5, 4], np.int32)
    loss = ops.convert_to_numpy(
        ops.ctc_loss(
            *(ops.convert_to_tensor(a) for a in (targets, logits, target_lengths, output_lengths))
        )
    )
    log_probs = logits - np.log(np.exp(logits.astype(np.float64)).sum(-1, keepdims=True))
    expected = [
        brute_force_ctc(log_probs[0, :5], [1, 2]),
        brute_force_ctc(log_probs[1, :4], [2, 2]),
    ]
    np.testing.assert_allclose(loss, expected, rtol=1e-5)


def test_ctc_loss_matches_keras():
    logits = RNG.normal(size=(3, 8, 5)).astype(np.float32)
    targets = np.array([[1, 2, 3], [4, 4, 0], [2, 0, 0]], np.int32)
    target_lengths = np.array([3, 2, 1], np.int32)
    output_lengths = np.array([8, 6, 3], np.int32)
    args = (targets, logits, target_lengths, output_lengths)
    ours = ops.convert_to_numpy(ops.ctc_loss(*(ops.convert_to_tensor(a) for a in args)))
    np.testing.assert_allclose(ours, keras_reference("ctc_loss")(*args), rtol=1e-4, atol=1e-4)


def test_ctc_greedy_decode_matches_keras():
    logits = RNG.normal(size=(3, 7, 4)).astype(np.float32)
    lengths = np.array([7, 5, 2], np.int32)
    decoded, scores = ops.ctc_decode(ops.convert_to_tensor(logits), ops.convert_to_tensor(lengths))
    expected_decoded, expected_scores = keras_reference("ctc_decode")(logits, lengths)
    np.testing.assert_array_equal(ops.convert_to_numpy(decoded), expected_decoded)
    np.testing.assert_allclose(ops.convert_to_numpy(scores), expected_scores, rtol=1e-5)


def test_ctc_beam_search_finds_the_most_likely_labeling():
    logits = RNG.normal(size=(1, 4, 3)).astype(np.float64) * 2
    decoded, scores = ops.ctc_decode(
        ops.convert_to_tensor(logits),
        ops.convert_to_tensor(np.array([4], np.int32)),
        strategy="beam_search",
        beam_width=50,
        top_paths=2,
    )
    log_probs = logits[0] - np.log(np.exp(logits[0]).sum(-1, keepdims=True))
    candidates = [list(s) for n in range(5) for s in itertools.product([1, 2], repeat=n)]
    likelihood = {tuple(c): -brute_force_ctc(log_probs, c) for c in candidates}
    best = sorted(likelihood, key=likelihood.get, reverse=True)[:2]
    decoded = ops.convert_to_numpy(decoded)
    for rank in range(2):
        found = tuple(int(v) for v in decoded[rank, 0] if v >= 0)
        assert found == best[rank]
        np.testing.assert_allclose(
            ops.convert_to_numpy(scores)[0, rank], likelihood[best[rank]], rtol=1e-6
        )


def test_crossentropy_shapes_are_checked():
    with pytest.raises(
        ValueError,
        match=r"kfn.ops.categorical_crossentropy: target and output must have the same shape",
    ):
        ops.categorical_crossentropy(
            ops.convert_to_tensor(ONE_HOT[:, :4]), ops.convert_to_tensor(PROBS)
        )
    with pytest.raises(
        ValueError,
        match=r"kfn.ops.sparse_categorical_crossentropy: target must hold integer class indices",
    ):
        ops.sparse_categorical_crossentropy(
            ops.convert_to_tensor(LABELS.astype(np.float32)), ops.convert_to_tensor(PROBS)
        )


GRADIENTS = {
    "binary_crossentropy": lambda x: ops.sum(
        ops.binary_crossentropy(
            ops.convert_to_tensor(BINARY.astype(np.float64)), x, from_logits=True
        )
    ),
    "binary_crossentropy_probs": lambda x: ops.sum(
        ops.binary_crossentropy(ops.convert_to_tensor(BINARY.astype(np.float64)), ops.sigmoid(x))
    ),
    "categorical_crossentropy": lambda x: ops.sum(
        ops.categorical_crossentropy(
            ops.convert_to_tensor(np.eye(3)[[0, 2, 1, 1]]), x, from_logits=True
        )
    ),
    "sparse_categorical_crossentropy": lambda x: ops.sum(
        ops.sparse_categorical_crossentropy(
            ops.convert_to_tensor(np.array([0, 2, 1, 1], np.int32)), ops.softmax(x)
        )
    ),
    "ctc_loss": lambda x: ops.sum(
        ops.ctc_loss(
            ops.convert_to_tensor(np.array([[1, 2], [2, 0], [1, 1], [2, 1]], np.int32)),
            ops.reshape(x, (4, 3, 1)) * ops.convert_to_tensor(np.array([1.0, -0.5, 2.0])),
            ops.convert_to_tensor(np.array([2, 1, 2, 2], np.int32)),
            ops.convert_to_tensor(np.array([3, 3, 3, 3], np.int32)),
        )
    ),
}


@requires_gradients
@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradient(name):
    check_gradient(GRADIENTS[name], RNG.normal(size=(4, 3)))
