"""kfn.ops.nn: one-hot and multi-hot encodings, and complex numbers from polar form.

Compositions of kfn.ops, written once for every backend.
"""

from kfn.backends.common import dtypes as _dtypes
from kfn.ops.core import cast as _cast
from kfn.ops.core import convert_to_tensor as _tensor
from kfn.ops.core import dtype as _dtype
from kfn.ops.dispatch import composite as _composite
from kfn.ops.numpy import creation as _create
from kfn.ops.numpy import elementwise as _np
from kfn.ops.numpy import reductions as _reduce
from kfn.ops.numpy import shape as _shape


def _check_dense(name, sparse):
    if sparse:
        raise NotImplementedError(
            f"kfn.ops.{name}: sparse outputs are not supported; use sparse=False"
        )


@_composite
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """Integer class indices as one-hot vectors along a new axis `axis`.

    Indices outside [0, num_classes) give all-zero vectors.

    Args:
        x: int tensor of class indices.
        num_classes: the length of each vector.
        axis: where the new axis goes.
        dtype: the output dtype (default floatx).
        sparse: must be False (sparse tensors are not supported).

    Example:
        >>> kfn.ops.one_hot(kfn.ops.convert_to_tensor([0, 2]), 3)  # [[1, 0, 0], [0, 0, 1]]
    """
    _check_dense("one_hot", sparse)
    x = _tensor(x)
    if not _dtypes.is_int(_dtype(x)):
        raise ValueError(
            f"kfn.ops.one_hot: x must hold integer class indices, got dtype {_dtype(x)}"
        )
    dtype = _dtypes.standardize_dtype(dtype)
    classes = _create.arange(num_classes, dtype="int32")
    rank = len(x.shape) + 1
    axis = axis % rank
    shape = [1] * rank
    shape[axis] = num_classes
    hits = _np.equal(_shape.expand_dims(_cast(x, "int32"), axis), _shape.reshape(classes, shape))
    return _cast(hits, dtype)


@_composite
def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Integer class indices as multi-hot vectors: the last axis of `inputs` (a set of
    indices per row) becomes a vector of `num_classes` with 1 at each index present.

    Example:
        >>> kfn.ops.multi_hot(kfn.ops.convert_to_tensor([[0, 2], [1, 1]]), 3)  # [[1, 0, 1], [0, 1, 0]]
    """
    _check_dense("multi_hot", sparse)
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if kwargs:
        raise TypeError(f"kfn.ops.multi_hot: unexpected arguments {sorted(kwargs)}")
    if num_classes is None:
        raise ValueError("kfn.ops.multi_hot: num_classes is required")
    inputs = _tensor(inputs)
    one_dimensional = len(inputs.shape) == 1
    if one_dimensional:
        inputs = _shape.expand_dims(inputs, 0)
    encoded = _reduce.max(one_hot(inputs, num_classes, axis=-1, dtype="int32"), axis=-2)
    if one_dimensional:
        encoded = _shape.squeeze(encoded, 0)
    elif axis != -1:
        encoded = _shape.moveaxis(encoded, -1, axis)
    return _cast(encoded, _dtypes.standardize_dtype(dtype))


@_composite
def polar(abs_, angle):
    """The complex numbers `abs_ * exp(1j * angle)`.

    Example:
        >>> kfn.ops.polar(kfn.ops.convert_to_tensor([2.0]), kfn.ops.convert_to_tensor([0.0]))  # [2 + 0j]
    """
    abs_ = _tensor(abs_)
    angle = _tensor(angle)
    dtype = _dtypes.result_type(_dtypes.to_float(_dtype(abs_)), _dtypes.to_float(_dtype(angle)))
    compute = "float64" if dtype == "float64" else "float32"
    magnitude, theta = _cast(abs_, compute), _cast(angle, compute)
    parts = _shape.stack([magnitude * _np.cos(theta), magnitude * _np.sin(theta)], axis=-1)
    return _shape.view_as_complex(parts)
