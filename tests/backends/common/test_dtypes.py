"""The one promotion table, checked against JAX's lattice and against explicit cases."""

import itertools

import numpy as np
import pytest

from kfn.backends.common import dtypes
from kfn.backends.common.dtypes import ALLOWED_DTYPES, result_type, standardize_dtype
from tests.conftest import BACKEND

# (inputs, expected): strong types, weak Python scalars, mixed int/float.
CASES = [
    (("int32", "float32"), "float32"),
    (("int64", "float32"), "float32"),
    (("int8", "float16"), "float16"),
    (("uint8", "int8"), "int16"),
    (("uint32", "int32"), "int64"),
    (("uint64", "int64"), "float32"),
    (("int32", "int64"), "int64"),
    (("float16", "bfloat16"), "float32"),
    (("float16", "float64"), "float64"),
    (("bool", "int8"), "int8"),
    (("bool", "float16"), "float16"),
    (("float32", "complex64"), "complex64"),
    (("float64", "complex64"), "complex128"),
    (("int8", int), "int8"),
    (("uint8", int), "uint8"),
    (("int8", float), "float32"),
    (("float16", float), "float16"),
    (("bfloat16", int), "bfloat16"),
    (("bool", int), "int32"),
    (("bool", float), "float32"),
    ((int, float), "float32"),
    ((int, int), "int32"),
    ((float,), "float32"),
    (("int32", complex), "complex64"),
    (("float64", complex), "complex128"),
    ((), "float32"),
]


@pytest.mark.parametrize("inputs,expected", CASES, ids=str)
def test_result_type(inputs, expected):
    assert result_type(*inputs) == expected


def test_result_type_is_symmetric():
    for a, b in itertools.product(ALLOWED_DTYPES, repeat=2):
        assert result_type(a, b) == result_type(b, a)


@pytest.mark.skipif(BACKEND != "jax", reason="JAX is the reference lattice; checked once")
def test_strong_promotion_matches_jax_with_x64():
    import jax.numpy as jnp

    import kfn  # noqa: F401  (enables x64)

    for a, b in itertools.product(ALLOWED_DTYPES, repeat=2):
        if {a, b} & {"uint64"} and {a, b} & {"int8", "int16", "int32", "int64"}:
            # No integer holds both: JAX gives its default float (float64 under x64),
            # kfn gives floatx as Keras does.
            assert result_type(a, b) == "float32"
            continue
        assert result_type(a, b) == jnp.promote_types(a, b).name, (a, b)


def test_floatx_resolves_weak_floats():
    from kfn.backends import config

    config.set_floatx("float16")
    try:
        assert result_type("int32", float) == "float16"
        assert result_type(float) == "float16"
    finally:
        config.set_floatx("float32")


@pytest.mark.parametrize(
    "value,name",
    [
        ("float32", "float32"),
        (np.float64, "float64"),
        (np.dtype("int8"), "int8"),
        (bool, "bool"),
        (int, "int32"),
        (float, "float32"),
        ("double", "float64"),
        (None, "float32"),
    ],
)
def test_standardize_dtype(value, name):
    assert standardize_dtype(value) == name


def test_standardize_native_dtypes_of_the_backend():
    from kfn.backends import active

    for name in ALLOWED_DTYPES:
        assert standardize_dtype(active.core.to_native_dtype(name)) == name


def test_unknown_dtype_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"unknown dtype 'floot32'; kfn dtypes are: bool, uint8"):
        standardize_dtype("floot32")


def test_to_float():
    assert dtypes.to_float("int8") == "float32"
    assert dtypes.to_float("bool") == "float32"
    assert dtypes.to_float("float16") == "float16"
    assert dtypes.to_float("float64") == "float64"
