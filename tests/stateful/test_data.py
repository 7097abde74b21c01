"""kfn.utils' data helpers (kfn/stateful/data.py) against keras.utils: one-hot ids,
normalized rows, padded sequences, batches."""

import keras
import numpy as np
import pytest

import kfn
from kfn import ops


@pytest.mark.parametrize(
    "x, num_classes",
    [([0, 1, 2, 3], 4), ([[1], [0], [2]], None), (np.array([[0, 2], [1, 1]]), 5), ([], 3)],
    ids=["flat", "trailing-1", "2d", "empty"],
)
def test_to_categorical_matches_keras(x, num_classes):
    got = kfn.utils.to_categorical(x, num_classes)
    expected = keras.utils.to_categorical(x, num_classes)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


def test_normalize_along_the_first_axis():
    # Keras's NumPy path turns axis=0 into -1 (`axis or -1`) and fails; NumPy is the reference.
    x = np.random.default_rng(1).normal(size=(3, 4))
    expected = x / np.linalg.norm(x, 1, axis=0, keepdims=True)
    np.testing.assert_allclose(kfn.utils.normalize(x, axis=0, order=1), expected, rtol=1e-12)


def test_to_categorical_of_a_tensor_and_bad_ids():
    got = kfn.utils.to_categorical(ops.convert_to_tensor(np.array([[2], [0]], "int32")), 3)
    np.testing.assert_array_equal(ops.convert_to_numpy(got), [[0, 0, 1], [1, 0, 0]])
    with pytest.raises(ValueError, match=r"to_categorical: class ids must be in \[0, 3\), got"):
        kfn.utils.to_categorical([0, -1], 3)
    with pytest.raises(ValueError, match=r"class ids must be in \[0, 2\)"):
        kfn.utils.to_categorical([0, 2], 2)
    with pytest.raises(ValueError, match="must hold integer class ids"):
        kfn.utils.to_categorical([0.5, 1.0], 2)


@pytest.mark.parametrize("axis, order", [(-1, 2), (1, 1), (1, 2)])
def test_normalize_matches_keras(axis, order):
    x = np.random.default_rng(0).normal(size=(3, 4))
    x[1] = 0.0
    np.testing.assert_allclose(
        kfn.utils.normalize(x, axis, order), keras.utils.normalize(x, axis, order), rtol=1e-12
    )
    tensor = kfn.utils.normalize(ops.convert_to_tensor(x.astype("float32")), axis, order)
    expected = keras.utils.normalize(keras.ops.convert_to_tensor(x.astype("float32")), axis, order)
    np.testing.assert_allclose(
        ops.convert_to_numpy(tensor), keras.ops.convert_to_numpy(expected), rtol=1e-5, atol=1e-7
    )


SEQUENCES = [[1, 2, 3], [4], [], [5, 6, 7, 8, 9]]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"maxlen": 3},
        {"maxlen": 4, "padding": "post"},
        {"maxlen": 2, "truncating": "post", "value": -1},
        {"maxlen": 6, "padding": "post", "truncating": "post", "dtype": "float32", "value": 0.5},
        {"maxlen": 0},  # (checked by shape: see the test)
    ],
    ids=str,
)
def test_pad_sequences_matches_keras(kwargs):
    if kwargs.get("maxlen") == 0:  # Keras fails here (a[-0:] keeps everything)
        assert kfn.utils.pad_sequences(SEQUENCES, **kwargs).shape == (4, 0)
        return
    got = kfn.utils.pad_sequences(SEQUENCES, **kwargs)
    expected = keras.utils.pad_sequences(SEQUENCES, **kwargs)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


def test_pad_sequences_of_vectors_and_strings_and_errors():
    vectors = [np.ones((2, 3)), np.full((1, 3), 2.0)]
    np.testing.assert_array_equal(
        kfn.utils.pad_sequences(vectors, dtype="float32"),
        keras.utils.pad_sequences(vectors, dtype="float32"),
    )
    words = [["a", "b"], ["c"]]
    np.testing.assert_array_equal(
        kfn.utils.pad_sequences(words, dtype=object, value="<pad>"),
        keras.utils.pad_sequences(words, dtype=object, value="<pad>"),
    )
    with pytest.raises(ValueError, match="padding must be 'pre' or 'post', got 'middle'"):
        kfn.utils.pad_sequences(SEQUENCES, padding="middle")
    with pytest.raises(ValueError, match=r"sequences\[1\] is not a sequence: 3"):
        kfn.utils.pad_sequences([[1], 3])
    with pytest.raises(ValueError, match="cannot hold the string padding value"):
        kfn.utils.pad_sequences(words, value="<pad>")


@pytest.mark.parametrize(
    "packed", [((1,), (1, None, None)), ((1, 2), (1, 2, None)), ((1, 2, 3), (1, 2, 3))]
)
def test_pack_and_unpack_batches_as_keras(packed):
    args, unpacked = packed
    assert kfn.utils.pack_x_y_sample_weight(*args) == keras.utils.pack_x_y_sample_weight(*args)
    data = kfn.utils.pack_x_y_sample_weight(*args)
    assert kfn.utils.unpack_x_y_sample_weight(data) == unpacked
    assert keras.utils.unpack_x_y_sample_weight(data) == unpacked
    with pytest.raises(ValueError, match="got a tuple of 4 items"):
        kfn.utils.unpack_x_y_sample_weight((1, 2, 3, 4))
