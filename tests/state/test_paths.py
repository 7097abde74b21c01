"""kfn.state.paths: variable paths and the creation order kept beside a nested dict."""

import doctest

import pytest

from kfn.state import paths


def test_doctests():
    assert doctest.testmod(paths).failed == 0


def test_order_is_creation_order_not_sorted():
    tree = {"dense_1": {"kernel": 1, "bias": 2}, "batch_normalization": {"gamma": 3, "beta": 4}}
    assert paths.paths_in_order(tree) == [
        "dense_1/kernel",
        "dense_1/bias",
        "batch_normalization/gamma",
        "batch_normalization/beta",
    ]
    assert list(paths.flat(tree).values()) == [1, 2, 3, 4]
    assert paths.nested(paths.flat(tree)) == tree


def test_errors_name_the_path():
    with pytest.raises(KeyError, match="'dense/gamma' is missing"):
        paths.get({"dense": {"kernel": 1}}, "dense/gamma")
    with pytest.raises(ValueError, match="expected 2 values"):
        paths.replace_in_order({"a": 1, "b": 2}, ["a", "b"], [1])
    with pytest.raises(ValueError, match="without '/'"):
        paths.paths_in_order({"a/b": 1})
    with pytest.raises(ValueError, match="goes through a leaf"):
        paths.nested({"a": 1, "a/x": 2})
