"""kfn.ops.rearrange against explicit NumPy reshapes and transposes, and Keras 3, on the
active backend."""

import numpy as np
import pytest

from kfn import ops
from kfn.ops.symbolic import SymbolicTensor
from tests.ops.cases import OpCase, case_id, check_result, f32, i32, run_case
from tests.ops.nn.keras_reference import keras_ops

images = f32(2, 4, 6, 3)

# ---------------------------------------------------------------------------- the table

CASES = [
    OpCase(
        "rearrange",
        (images, "b h w c -> b c h w"),
        dtype="float32",
        reference=lambda x, p: x.transpose(0, 3, 1, 2),
    ),
    OpCase(
        "rearrange",
        (images, "b h w c -> (b h) w c"),
        dtype="float32",
        reference=lambda x, p: x.reshape(8, 6, 3),
    ),
    OpCase(
        "rearrange",
        (images, "b h w c -> h (b w) c"),
        dtype="float32",
        reference=lambda x, p: x.transpose(1, 0, 2, 3).reshape(4, 12, 3),
    ),
    OpCase(
        "rearrange",
        (images, "b h w c -> b (c h w)"),
        dtype="float32",
        reference=lambda x, p: x.transpose(0, 3, 1, 2).reshape(2, 72),
    ),
    OpCase(
        "rearrange",
        (images, "b (h1 h) (w1 w) c -> (b h1 w1) h w c"),
        {"h1": 2, "w1": 3},
        dtype="float32",
        reference=lambda x, p, h1, w1: (
            x.reshape(2, 2, 2, 3, 2, 3).transpose(0, 1, 3, 2, 4, 5).reshape(12, 2, 2, 3)
        ),
    ),
    OpCase(
        "rearrange",
        (images, "b (h h2) (w w2) c -> b h w (c h2 w2)"),
        {"h2": 2, "w2": 2},
        dtype="float32",
        reference=lambda x, p, h2, w2: (
            x.reshape(2, 2, 2, 3, 2, 3).transpose(0, 1, 3, 5, 2, 4).reshape(2, 2, 3, 12)
        ),
    ),
    OpCase(
        "rearrange",
        (images, "b ... c -> b c ..."),
        dtype="float32",
        reference=lambda x, p: np.moveaxis(x, -1, 1),
    ),
    OpCase(
        "rearrange",
        (i32(2, 1, 3), "a 1 b -> b () a"),
        dtype="int32",
        reference=lambda x, p: x[:, 0, :].T[:, None, :],
    ),
    OpCase(
        "rearrange",
        (f32(6), "(a b) -> b a"),
        {"b": 2},
        dtype="float32",
        reference=lambda x, p, b: x.reshape(3, 2).T,
    ),
    OpCase(
        "rearrange",
        (f32(2, 3), "a b -> a b"),
        dtype="float32",
        reference=lambda x, p: x,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


# ---------------------------------------------------------------------------- errors


def tensor(value):
    return ops.convert_to_tensor(value)


ERRORS = [
    (
        lambda: ops.rearrange(tensor(f32(2, 3)), "a b"),
        ValueError,
        "rearrange: pattern must read 'input axes -> output axes'",
    ),
    (
        lambda: ops.rearrange(tensor(f32(2, 3)), "a b -> a c"),
        ValueError,
        r"rearrange: both sides of 'a b -> a c' must name the same axes; only on the input side: \['b'\]",
    ),
    (
        lambda: ops.rearrange(tensor(f32(2, 3)), "a b c -> c b a"),
        ValueError,
        r"rearrange: the input side of 'a b c -> c b a' has 3 axes, the tensor has shape \(2, 3\)",
    ),
    (
        lambda: ops.rearrange(tensor(f32(2, 5)), "a (b c) -> a b c", c=2),
        ValueError,
        r"rearrange: the dimension of size 5 cannot be split into \(b c\) with c=2",
    ),
    (
        lambda: ops.rearrange(tensor(f32(2, 6)), "a (b c) -> a b c"),
        ValueError,
        r"rearrange: cannot infer the sizes of \['b', 'c'\]",
    ),
    (
        lambda: ops.rearrange(tensor(f32(2, 6)), "a (b c) -> a b c", b=2, c=2),
        ValueError,
        r"rearrange: \(b c\) has size 2 \* 2 = 4, but the dimension is 6",
    ),
    (
        lambda: ops.rearrange(tensor(f32(2, 3)), "a b -> b a", d=4),
        ValueError,
        r"rearrange: axes_lengths names axes not in 'a b -> b a': \['d'\]",
    ),
    (
        lambda: ops.rearrange(tensor(f32(2, 3)), "a a -> a"),
        ValueError,
        "rearrange: axes named twice",
    ),
    (
        lambda: ops.rearrange(tensor(f32(2, 3)), "(a (b)) -> a b"),
        ValueError,
        "rearrange: nested parentheses",
    ),
    (
        lambda: ops.rearrange(tensor(f32(2, 3)), "a ... -> a"),
        ValueError,
        "rearrange: '...' must be on both sides or neither",
    ),
]


@pytest.mark.parametrize("call, error, message", ERRORS, ids=[e[2][:50] for e in ERRORS])
def test_bad_input_is_explained(call, error, message):
    with pytest.raises(error, match="kfn.ops." + message):
        call()


# ---------------------------------------------------------------------------- symbolic


def test_symbolic_shapes():
    batch = SymbolicTensor((None, 4, 6, 3))
    assert ops.rearrange(batch, "b h (w w2) c -> b (h w) (w2 c)", w2=2).shape == (None, 12, 6)


# ---------------------------------------------------------------------------- against Keras 3


def test_agrees_with_keras():
    keras = keras_ops()
    pattern = "b (h h1) (w w1) c -> b h w (c h1 w1)"
    expected = keras.convert_to_numpy(keras.rearrange(images, pattern, h1=2, w1=3))
    check_result(
        ops.rearrange(ops.convert_to_tensor(images), pattern, h1=2, w1=3), expected, "float32"
    )
