"""kfn.ops.nn pooling against independent NumPy definitions (reference_conv) and Keras 3 on
the same backend."""

import functools

import numpy as np
import pytest

from kfn import ops
from kfn.state.spec import TensorSpec
from tests.conftest import requires_gradients
from tests.ops.cases import OpCase, case_id, check_gradient, run_case
from tests.ops.nn import reference_conv
from tests.ops.nn.keras_reference import keras_reference

RNG = np.random.default_rng(31)


def r(*shape, dtype=np.float32):
    return RNG.normal(size=shape).astype(dtype)


def ints(*shape, dtype=np.int32, low=-50, high=50):
    return RNG.integers(low, high, shape).astype(dtype)


def to_first(x):
    return np.moveaxis(x, -1, 1).copy()


def pool_reference(kind):
    return functools.partial(reference_conv.pool, kind=kind)


def adaptive_reference(kind):
    return functools.partial(reference_conv.adaptive_pool, kind=kind)


KIND = {"max_pool": "max", "average_pool": "average"}
POOL_COMBINATIONS = (  # pool_size, strides, padding
    (2, None, "valid"),
    (3, 2, "same"),
    (3, 1, "same"),
    (2, 3, "valid"),
    (2, 3, "same"),
    (3, 2, "valid"),
)
CASES = []
for name in ("max_pool", "average_pool"):
    for rank, spatial in ((1, (9,)), (2, (7, 6)), (3, (5, 4, 5))):
        combinations = POOL_COMBINATIONS if rank < 3 else POOL_COMBINATIONS[:2]
        for pool, strides, padding in combinations:
            CASES.append(
                OpCase(
                    name,
                    (r(2, *spatial, 3), pool),
                    {"strides": strides, "padding": padding},
                    dtype="float32",
                    reference=pool_reference(KIND[name]),
                    rtol=1e-5,
                    atol=1e-6,
                    id=f"{name}{rank}d_p{pool}_s{strides}_{padding}",
                )
            )
        CASES.append(
            OpCase(
                name,
                (to_first(r(2, *spatial, 3)), 2),
                {"strides": 1, "padding": "same", "data_format": "channels_first"},
                dtype="float32",
                reference=pool_reference(KIND[name]),
                rtol=1e-5,
                atol=1e-6,
                id=f"{name}{rank}d_channels_first",
            )
        )
CASES += [
    OpCase(
        "max_pool",
        (r(1, 6, 6, 2), (2, 3)),
        {"strides": [2, 1], "padding": "SAME"},
        dtype="float32",
        reference=lambda x, p, strides, padding: reference_conv.pool(x, p, strides, "same"),
        id="max_pool_per_axis_uppercase_padding",
    ),
    OpCase(
        "max_pool",
        (r(1, 3, 5, 2), 3),
        {"strides": 2},
        dtype="float32",
        reference=pool_reference("max"),
        id="max_pool_window_as_large_as_input",
    ),
    # Dtypes: max pooling keeps every real and bool dtype, average pooling gives floats.
    OpCase(
        "max_pool",
        (ints(2, 7, 6, 3), 3),
        {"strides": 2, "padding": "same"},
        dtype="int32",
        reference=pool_reference("max"),
        id="max_pool_int32",
    ),
    OpCase(
        "max_pool",
        (ints(2, 9, 3, dtype=np.uint8, low=0, high=255), 2),
        dtype="uint8",
        reference=pool_reference("max"),
        id="max_pool1d_uint8",
    ),
    OpCase(
        "max_pool",
        (ints(1, 5, 4, 2, dtype=np.int64, low=2**40, high=2**41), 2),
        {"padding": "same"},
        dtype="int64",
        reference=pool_reference("max"),
        id="max_pool_int64_exact",
    ),
    OpCase(
        "max_pool",
        (RNG.random((2, 6, 5, 3)) > 0.7, 2),
        {"strides": 1, "padding": "same"},
        dtype="bool",
        reference=pool_reference("max"),
        id="max_pool_bool",
    ),
    OpCase(
        "max_pool",
        (r(1, 4, 5, 4, 2, dtype=np.float16), 2),
        {"padding": "same"},
        dtype="float16",
        reference=pool_reference("max"),
        id="max_pool3d_float16",
    ),
    OpCase(
        "average_pool",
        (ints(2, 7, 6, 3), 2),
        {"padding": "same"},
        dtype="float32",
        reference=pool_reference("average"),
        id="average_pool_int32_is_float32",
    ),
    OpCase(
        "average_pool",
        (r(1, 5, 4, 5, 2, dtype=np.float64), 2),
        {"strides": 1, "padding": "same"},
        dtype="float64",
        reference=pool_reference("average"),
        rtol=1e-12,
        atol=1e-12,
        id="average_pool3d_float64",
    ),
    OpCase(
        "average_pool",
        (r(1, 5, 4, 5, 2, dtype=np.float16), 2),
        {"padding": "same"},
        dtype="float16",
        reference=pool_reference("average"),
        id="average_pool3d_float16",
    ),
]

ADAPTIVE = {"adaptive_max_pool": "max", "adaptive_average_pool": "average"}
for name, kind in ADAPTIVE.items():
    CASES += [
        OpCase(name, (r(2, 7, 9, 3), (3, 4)), dtype="float32", reference=adaptive_reference(kind)),
        OpCase(name, (r(1, 6, 6, 2), 3), dtype="float32", reference=adaptive_reference(kind)),
        OpCase(name, (r(2, 10, 3), 4), dtype="float32", reference=adaptive_reference(kind)),
        OpCase(
            name,
            (to_first(r(1, 5, 6, 6, 2)), (2, 3, 4)),
            {"data_format": "channels_first"},
            dtype="float32",
            reference=adaptive_reference(kind),
            id=f"{name}3d_channels_first",
        ),
        OpCase(
            name,
            (r(1, 3, 4, 2), (5, 6)),
            dtype="float32",
            reference=adaptive_reference(kind),
            id=f"{name}_output_larger_than_input",
        ),
    ]
CASES += [
    OpCase(
        "adaptive_max_pool",
        (ints(2, 7, 6, 3), 3),
        dtype="int32",
        reference=adaptive_reference("max"),
        id="adaptive_max_pool_int32",
    ),
    OpCase(
        "adaptive_average_pool",
        (ints(2, 7, 6, 3), 3),
        dtype="float32",
        reference=adaptive_reference("average"),
        id="adaptive_average_pool_int32_is_float32",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


KERAS_CASES = [
    OpCase(
        name,
        (r(2, 7, 6, 3), 3),
        {"strides": 2, "padding": padding},
        skip={"torch": "Keras's torch average pooling counts 'same' padding in the mean"}
        if name == "average_pool" and padding == "same"
        else {},
        id=f"{name}_{padding}",
    )
    for name in ("max_pool", "average_pool")
    for padding in ("valid", "same")
]
KERAS_CASES += [
    OpCase("max_pool", (r(1, 6, 6, 2), (2, 3)), {"strides": (2, 1)}, id="max_pool_rectangular"),
]
KERAS_CASES += [
    OpCase(
        name,
        (r(2, 7, 9, 3), (3, 4)),
        skip={"tensorflow": "Keras's TensorFlow adaptive pooling fails on a tuple output_size"},
        id=name,
    )
    for name in ADAPTIVE
]
for case in KERAS_CASES:
    case.dtype = "float32"
    case.reference = keras_reference(case.op)
    case.rtol, case.atol = 1e-5, 1e-6


@pytest.mark.parametrize("case", KERAS_CASES, ids=case_id)
def test_agrees_with_keras(case):
    run_case(case)


def test_average_pool_same_padding_leaves_padding_out():
    out = ops.convert_to_numpy(
        ops.average_pool(
            ops.convert_to_tensor(np.ones((1, 3, 3, 1), np.float32)), 2, strides=1, padding="same"
        )
    )
    np.testing.assert_array_equal(out, np.ones((1, 3, 3, 1)))


@pytest.mark.parametrize(
    "fn,spec,expected",
    [
        (lambda x: ops.max_pool(x, 3, 2, "same"), (None, None, 6, 3), (None, None, 3, 3)),
        (lambda x: ops.average_pool(x, 2, 1, "same"), (None, 7, 6, 3), (None, 7, 6, 3)),
        (lambda x: ops.average_pool(x, 2), (None, 7, None, 3), (None, 3, None, 3)),
        (lambda x: ops.adaptive_average_pool(x, (2, 3)), (None, 7, 6, 3), (None, 2, 3, 3)),
    ],
)
def test_shapes_with_unknown_dimensions(fn, spec, expected):
    out = ops.eval_shape(fn, TensorSpec(spec, "float32"))
    assert tuple(out.shape) == expected


@pytest.mark.parametrize(
    "call,message",
    [
        (
            lambda: ops.max_pool(ops.zeros((1, 4, 4, 1)), (2, 2, 2)),
            r"kfn.ops.max_pool: pool_size must be a positive int or 2 positive ints, "
            r"got \(2, 2, 2\)",
        ),
        (
            lambda: ops.average_pool(ops.zeros((1, 4, 4, 1)), 2, strides=0),
            r"kfn.ops.average_pool: strides must be a positive int or 2 positive ints, got 0",
        ),
        (
            lambda: ops.max_pool(ops.zeros((1, 4, 4, 1)), 2, padding="causal"),
            r"kfn.ops.max_pool: padding must be one of \('valid', 'same'\), got 'causal'",
        ),
        (
            lambda: ops.max_pool(ops.zeros((4, 4)), 2),
            r"kfn.ops.max_pool: inputs must be 3-D, 4-D or 5-D \(batch, spatial..., channels\), "
            r"got shape \(4, 4\)",
        ),
        (
            lambda: ops.average_pool(ops.zeros((1, 2, 4, 1)), 3),
            r"kfn.ops.average_pool: spatial axis 0 of the inputs has size 2, smaller than the "
            r"pool size \(3\)",
        ),
        (
            lambda: ops.max_pool(ops.zeros((1, 4, 4, 1)), 2, data_format="NCHW"),
            r"kfn.ops.max_pool: data_format must be one of \('channels_last', 'channels_first'\) "
            r"or None, got 'NCHW'",
        ),
        (
            lambda: ops.adaptive_max_pool(ops.zeros((1, 4, 4, 1)), (2, 0)),
            r"kfn.ops.adaptive_max_pool: output_size must be a positive int or 2 positive ints, "
            r"got \(2, 0\)",
        ),
        (
            lambda: ops.adaptive_average_pool(ops.zeros((4, 4)), 2),
            r"kfn.ops.adaptive_average_pool: inputs must be 3-D, 4-D or 5-D \(batch, "
            r"spatial..., channels\), got shape \(4, 4\)",
        ),
    ],
)
def test_bad_arguments_are_explained(call, message):
    with pytest.raises(ValueError, match=message):
        call()


GRADIENT_CASES = {
    "max_pool": lambda x: ops.sum(ops.max_pool(x, 2, strides=1, padding="same") ** 2),
    "average_pool": lambda x: ops.sum(ops.average_pool(x, 2, strides=1, padding="same") ** 2),
    "adaptive_max_pool": lambda x: ops.sum(ops.adaptive_max_pool(x, (3, 2)) ** 2),
    "adaptive_average_pool": lambda x: ops.sum(ops.adaptive_average_pool(x, (3, 2)) ** 2),
}


@requires_gradients
@pytest.mark.parametrize("name", sorted(GRADIENT_CASES))
def test_gradient(name):
    check_gradient(GRADIENT_CASES[name], RNG.normal(size=(1, 4, 3, 2)))
