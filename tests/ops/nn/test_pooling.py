"""kfn.ops.nn pooling against Keras 3 on the same backend."""

import numpy as np
import pytest

from kfn import ops
from tests.conftest import requires_gradients
from tests.ops.cases import OpCase, case_id, check_gradient, run_case
from tests.ops.nn.keras_reference import keras_reference

RNG = np.random.default_rng(31)


def r(*shape):
    return RNG.normal(size=shape).astype(np.float32)


CASES = []
for name in ("max_pool", "average_pool"):
    for rank, spatial in ((1, (9,)), (2, (7, 6)), (3, (5, 4, 5))):
        for pool, strides, padding in (
            (2, None, "valid"),
            (3, 2, "same"),
            (3, 1, "same"),
            (2, 3, "valid"),
            (3, 2, "valid"),
        ):
            CASES.append(
                OpCase(
                    name,
                    (r(2, *spatial, 3), pool),
                    {"strides": strides, "padding": padding},
                    dtype="float32",
                    reference=keras_reference(name),
                    rtol=1e-5,
                    atol=1e-6,
                    id=f"{name}{rank}d_p{pool}_s{strides}_{padding}",
                )
            )
        x = np.moveaxis(r(2, *spatial, 3), -1, 1).copy()
        CASES.append(
            OpCase(
                name,
                (x, 2),
                {"strides": 1, "padding": "same", "data_format": "channels_first"},
                dtype="float32",
                reference=keras_reference(name),
                rtol=1e-5,
                atol=1e-6,
                id=f"{name}{rank}d_channels_first",
            )
        )
CASES.append(
    OpCase(
        "max_pool",
        (r(1, 6, 6, 2), (2, 3)),
        {"strides": (2, 1)},
        dtype="float32",
        reference=keras_reference("max_pool"),
        id="max_pool_rectangular",
    )
)


def np_adaptive(x, output_size, reduce):
    for axis, out in zip((1, 2), output_size):
        length = x.shape[axis]
        pieces = [
            reduce(
                np.take(x, range((i * length) // out, -(-(i + 1) * length // out)), axis=axis),
                axis=axis,
                keepdims=True,
            )
            for i in range(out)
        ]
        x = np.concatenate(pieces, axis=axis)
    return x


for name, reduce in (("adaptive_average_pool", np.mean), ("adaptive_max_pool", np.max)):
    CASES += [
        OpCase(
            name,
            (r(2, 7, 9, 3), (3, 4)),
            dtype="float32",
            reference=lambda x, s, f=reduce: np_adaptive(x, s, f),
            rtol=1e-5,
        ),
        OpCase(
            name,
            (r(1, 6, 6, 2), 3),
            dtype="float32",
            reference=lambda x, s, f=reduce: np_adaptive(x, (s, s), f),
            rtol=1e-5,
        ),
        OpCase(
            name,
            (r(2, 7, 9, 3), (3, 4)),
            dtype="float32",
            reference=keras_reference(name),
            rtol=1e-5,
            atol=1e-6,
            id=f"{name}_vs_keras",
        ),
    ]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


def test_average_pool_same_padding_leaves_padding_out():
    out = ops.convert_to_numpy(
        ops.average_pool(
            ops.convert_to_tensor(np.ones((1, 3, 3, 1), np.float32)), 2, strides=1, padding="same"
        )
    )
    np.testing.assert_array_equal(out, np.ones((1, 3, 3, 1)))


def test_pool_size_is_checked():
    with pytest.raises(
        ValueError, match=r"kfn.ops.max_pool: pool_size must be a positive int or 2 positive ints"
    ):
        ops.max_pool(ops.zeros((1, 4, 4, 1)), (2, 2, 2))


@requires_gradients
@pytest.mark.parametrize("name", ["max_pool", "average_pool"])
def test_gradient(name):
    pool = getattr(ops, name)
    check_gradient(
        lambda x: ops.sum(pool(x, 2, strides=1, padding="same") ** 2), RNG.normal(size=(1, 4, 4, 2))
    )
