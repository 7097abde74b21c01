"""TensorSpec and abstract evaluation (kfn.ops.eval_shape) with unknown dimensions."""

import numpy as np
import pytest

from kfn import ops
from kfn.state.spec import TensorSpec


def test_tensor_spec_normalizes_shape_and_dtype():
    spec = TensorSpec([None, np.int64(3)], np.float16)
    assert spec == TensorSpec((None, 3), "float16")
    assert spec.ndim == 2
    assert TensorSpec.of(ops.convert_to_tensor(np.zeros((2, 5), "int8"))) == TensorSpec(
        (2, 5), "int8"
    )
    with pytest.raises(ValueError, match="dimensions must be >= 0"):
        TensorSpec((-1, 2))
    with pytest.raises(ValueError, match="unknown dtype 'nope'"):
        TensorSpec((2,), "nope")


def test_eval_shape_keeps_unknown_dimensions():
    out = ops.eval_shape(
        lambda a, b: ops.matmul(a, b) * 2.0, TensorSpec((None, 3)), TensorSpec((3, 5))
    )
    assert out == TensorSpec((None, 5), "float32")


def test_eval_shape_on_pytrees_with_python_arguments():
    def fn(inputs, scale):
        return {"sum": ops.sum(inputs["x"], axis=scale), "cast": ops.cast(inputs["y"], "int8")}

    out = ops.eval_shape(fn, {"x": TensorSpec((4, None, 2)), "y": TensorSpec((7,), "float64")}, 1)
    assert out == {"sum": TensorSpec((4, 2), "float32"), "cast": TensorSpec((7,), "int8")}
