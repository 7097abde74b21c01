"""kfn.ops.numpy shape manipulation against NumPy, on the active backend."""

import numpy as np
import pytest

from kfn import ops
from tests.conftest import BACKEND, requires_gradients
from tests.ops.cases import (
    OpCase,
    b,
    case_id,
    check_gradient,
    check_result,
    f32,
    f64,
    i32,
    i64,
    run_case,
    u8,
)

X = f32(2, 3, 4)
C64 = (np.arange(3) + 1j * np.arange(3, 6)).astype(np.complex64)

CASES = [
    OpCase("reshape", (X, (4, 6)), dtype="float32"),
    OpCase("reshape", (X, (-1, 2)), dtype="float32"),
    OpCase("reshape", (i32(6), 6), dtype="int32"),
    OpCase("reshape", (f32(0, 3), (3, 0)), dtype="float32"),
    OpCase("ravel", (X,), dtype="float32"),
    OpCase("expand_dims", (X, 0), dtype="float32"),
    OpCase("expand_dims", (X, -1), dtype="float32"),
    OpCase("expand_dims", (i32(3), (0, 2)), dtype="int32"),
    OpCase("squeeze", (f32(1, 3, 1),), dtype="float32"),
    OpCase("squeeze", (f32(1, 3, 1), 2), dtype="float32"),
    OpCase("squeeze", (f32(1, 3, 1), (0, -1)), dtype="float32"),
    OpCase("transpose", (X,), dtype="float32"),
    OpCase("transpose", (X, (1, 0, 2)), dtype="float32"),
    OpCase("transpose", (b(2, 3), [1, 0]), dtype="bool"),
    OpCase("swapaxes", (X, 0, -1), dtype="float32"),
    OpCase("moveaxis", (X, 0, -1), dtype="float32"),
    OpCase("moveaxis", (X, (0, 1), (2, 0)), dtype="float32"),
    OpCase("broadcast_to", (f32(3), (2, 3)), dtype="float32"),
    OpCase("broadcast_to", (i32(2, 1), (4, 2, 5)), dtype="int32"),
    OpCase("ndim", (X,), dtype=None),
    OpCase("size", (X,), dtype=None),
    OpCase(
        "view",
        (np.array([1.0, -2.0], np.float32), "int32"),
        dtype="int32",
        reference=lambda x, d: x.view(d),
    ),
    OpCase(
        "view",
        (np.array([1, 2, 3, 4], np.int16), "int32"),
        dtype="int32",
        reference=lambda x, d: x.view(d),
    ),
    OpCase(
        "view",
        (np.array([1.5], np.float64), "uint8"),
        dtype="uint8",
        reference=lambda x, d: x.view(d),
    ),
    OpCase("view", (i32(3),), dtype="int32", reference=lambda x: x),
    OpCase(
        "view_as_real", (C64,), dtype="float32", reference=lambda z: np.stack([z.real, z.imag], -1)
    ),
    OpCase(
        "view_as_complex",
        (f64(3, 2),),
        dtype="complex128",
        reference=lambda x: x[..., 0] + 1j * x[..., 1],
    ),
    OpCase("concatenate", ([f32(2, 3), f32(1, 3)],), dtype="float32", reference=np.concatenate),
    OpCase("concatenate", ([f32(2, 3), f32(2, 1)], 1), dtype="float32", reference=np.concatenate),
    OpCase(
        "concatenate",
        ([i32(2), f32(3)],),
        dtype="float32",
        reference=lambda xs: np.concatenate(xs).astype(np.float32),
    ),
    OpCase(
        "concatenate",
        ([u8(2), np.array([-1], np.int8)],),
        dtype="int16",
        reference=lambda xs: np.concatenate(xs).astype(np.int16),
    ),
    OpCase("concatenate", ([f32(0, 3), f32(2, 3)],), dtype="float32", reference=np.concatenate),
    OpCase("stack", ([f32(3), f32(3)],), dtype="float32", reference=np.stack),
    OpCase("stack", ([i32(2, 3), i64(2, 3)], -1), dtype="int64", reference=np.stack),
    OpCase("hstack", ([f32(2, 3), f32(2, 1)],), dtype="float32", reference=np.hstack),
    OpCase("hstack", ([i32(2), i32(3)],), dtype="int32", reference=np.hstack),
    OpCase("vstack", ([f32(3), f32(2, 3)],), dtype="float32", reference=np.vstack),
    OpCase("dstack", ([f32(2, 3), f32(2, 3)],), dtype="float32", reference=np.dstack),
    OpCase("append", (i32(2, 2), i32(3)), dtype="int32"),
    OpCase(
        "append",
        (f32(2, 2), f32(1, 2)),
        {"axis": 0},
        dtype="float32",
        reference=lambda a, b_, axis: np.append(a, b_, axis=axis),
    ),
    OpCase(
        "split", (f32(6, 2), 3), dtype=["float32"] * 3, reference=lambda x, n: list(np.split(x, n))
    ),
    OpCase(
        "split",
        (f32(2, 7), [2, 5], 1),
        dtype=["float32"] * 3,
        reference=lambda x, i, a: list(np.split(x, i, a)),
    ),
    OpCase(
        "split", (i32(5), [-2]), dtype=["int32"] * 2, reference=lambda x, i: list(np.split(x, i))
    ),
    OpCase(
        "array_split",
        (f32(7), 3),
        dtype=["float32"] * 3,
        reference=lambda x, n: list(np.array_split(x, n)),
    ),
    OpCase(
        "array_split",
        (f32(3, 5), 2, 1),
        dtype=["float32"] * 2,
        reference=lambda x, n, a: list(np.array_split(x, n, a)),
    ),
    OpCase(
        "hsplit",
        (f32(2, 4), 2),
        dtype=["float32"] * 2,
        reference=lambda x, n: list(np.hsplit(x, n)),
    ),
    OpCase(
        "vsplit",
        (f32(4, 2), [1]),
        dtype=["float32"] * 2,
        reference=lambda x, n: list(np.vsplit(x, n)),
    ),
    OpCase(
        "dsplit",
        (f32(1, 2, 4), 2),
        dtype=["float32"] * 2,
        reference=lambda x, n: list(np.dsplit(x, n)),
    ),
    OpCase("flip", (X,), dtype="float32"),
    OpCase("flip", (X, 1), dtype="float32"),
    OpCase("flip", (X, (0, 2)), dtype="float32"),
    OpCase("fliplr", (f32(2, 3),), dtype="float32"),
    OpCase("flipud", (i32(3, 2),), dtype="int32"),
    OpCase("rot90", (f32(2, 3),), dtype="float32"),
    OpCase(
        "rot90",
        (X,),
        {"k": 2, "axes": (1, 2)},
        dtype="float32",
        reference=lambda a, k, axes: np.rot90(a, k, axes),
    ),
    OpCase("rot90", (i32(3, 4),), {"k": -1}, dtype="int32", reference=lambda a, k: np.rot90(a, k)),
    OpCase("roll", (i32(5), 2), dtype="int32"),
    OpCase("roll", (X, -1, 1), dtype="float32"),
    OpCase("roll", (X, (1, 2), (0, 2)), dtype="float32"),
    OpCase("roll", (f32(2, 3), 4), dtype="float32"),
    OpCase("tile", (i32(2, 3), 2), dtype="int32"),
    OpCase("tile", (f32(3), (2, 1, 2)), dtype="float32"),
    OpCase("repeat", (i32(3), 2), dtype="int32"),
    OpCase("repeat", (f32(2, 3), 3, 1), dtype="float32"),
    OpCase(
        "repeat",
        (f32(3), np.array([1, 0, 2], np.int32)),
        {"axis": 0},
        dtype="float32",
        reference=lambda x, r, axis: np.repeat(x, r, axis=axis),
    ),
    OpCase("pad", (f32(2, 3), 1), dtype="float32"),
    OpCase("pad", (i32(2, 3), ((0, 1), (2, 0))), dtype="int32"),
    OpCase(
        "pad",
        (f32(3), (1, 2)),
        {"constant_values": 9.0},
        dtype="float32",
        reference=lambda x, w, constant_values: np.pad(x, w, constant_values=constant_values),
    ),
    OpCase("diff", (i32(5),), dtype="int32"),
    OpCase(
        "diff",
        (f32(3, 4),),
        {"n": 2, "axis": 0},
        dtype="float32",
        reference=lambda a, n, axis: np.diff(a, n, axis),
    ),
]
for mode in ("edge", "reflect", "symmetric", "wrap"):
    CASES += [
        OpCase(
            "pad",
            (f32(3, 4), ((1, 2), (2, 1))),
            {"mode": mode},
            dtype="float32",
            reference=lambda x, w, mode: np.pad(x, w, mode=mode),
        ),
        OpCase(
            "pad",
            (i32(2, 3, 4), 1),
            {"mode": mode},
            dtype="int32",
            reference=lambda x, w, mode: np.pad(x, w, mode=mode),
        ),
    ]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


@pytest.mark.parametrize(
    "call,message",
    [
        (
            lambda: ops.reshape(ops.zeros((2, 3)), (4, 2)),
            r"kfn.ops.reshape: cannot reshape a tensor of shape \(2, 3\) \(6 elements\) to \(4, 2\)",
        ),
        (lambda: ops.reshape(ops.zeros((2, 3)), (-1, -1)), r"only one dimension can be -1"),
        (lambda: ops.squeeze(ops.zeros((2, 1)), 0), r"kfn.ops.squeeze: axis 0 has size 2"),
        (
            lambda: ops.broadcast_to(ops.zeros((3,)), (2, 4)),
            r"kfn.ops.broadcast_to: cannot broadcast shape \(3,\) to \(2, 4\)",
        ),
        (
            lambda: ops.split(ops.zeros((10,)), 3),
            r"kfn.ops.split: indices_or_sections=3 does not divide axis 0 of size 10",
        ),
        (lambda: ops.pad(ops.zeros((2,)), 1, mode="bogus"), r"kfn.ops.pad: mode must be one of"),
    ],
)
def test_bad_arguments_are_explained(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.skipif(
    BACKEND not in ("tensorflow", "jax"), reason="traced with unknown or static shapes"
)
def test_shape_ops_under_jit():
    @ops.jit
    def f(x):
        y = ops.reshape(ops.expand_dims(x, -1), (-1, 2))
        return ops.concatenate([ops.transpose(y), ops.transpose(y) * 2.0], axis=0)

    x = f32(3, 4)
    y = x.reshape(-1, 2)
    check_result(f(ops.convert_to_tensor(x)), np.concatenate([y.T, y.T * 2]), "float32")


@pytest.mark.skipif(BACKEND != "tensorflow", reason="unknown dimensions inside tf.function")
def test_shape_ops_with_unknown_batch_size():
    import tensorflow as tf

    @tf.function(input_signature=[tf.TensorSpec((None, 4), tf.float32)])
    def f(x):
        y = ops.reshape(x, (-1, 2, 2))
        return ops.concatenate(
            [ops.expand_dims(ops.transpose(y, (0, 2, 1)), 1), ops.expand_dims(y, 1)], axis=1
        )

    x = f32(3, 4)
    y = x.reshape(-1, 2, 2)
    check_result(f(x), np.concatenate([y.transpose(0, 2, 1)[:, None], y[:, None]], 1), "float32")


GRADIENTS = {
    "reshape": (
        lambda x: ops.sum(
            ops.reshape(x, (3, 2)) * ops.convert_to_tensor(np.arange(6.0).reshape(3, 2))
        ),
        f64(2, 3),
    ),
    "transpose": (
        lambda x: ops.sum(ops.transpose(x) * ops.convert_to_tensor(np.arange(6.0).reshape(3, 2))),
        f64(2, 3),
    ),
    "concatenate": (lambda x: ops.sum(ops.concatenate([x, x * x], axis=0) ** 2), f64(2, 2)),
    "stack": (lambda x: ops.sum(ops.stack([x, 2.0 * x], axis=1) ** 2), f64(3)),
    "pad": (lambda x: ops.sum(ops.pad(x, 1, mode="reflect") ** 2), f64(3, 3)),
    "tile": (lambda x: ops.sum(ops.tile(x, (2, 1)) ** 3), f64(2, 2)),
    "repeat": (lambda x: ops.sum(ops.repeat(x, 2, axis=0) ** 3), f64(2, 2)),
    "broadcast_to": (lambda x: ops.sum(ops.broadcast_to(x, (3, 2)) ** 2), f64(2)),
    "roll": (lambda x: ops.sum(ops.roll(x, 1) * ops.convert_to_tensor(np.arange(4.0))), f64(4)),
    "split": (lambda x: ops.sum(ops.split(x, 2)[1] ** 2), f64(4)),
}


@requires_gradients
@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradient(name):
    fn, x = GRADIENTS[name]
    check_gradient(fn, x)
