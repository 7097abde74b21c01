"""kfn.ops.numpy: products (matmul, dot, einsum, ...) and 1-D correlation."""

from kfn.backends import active as _active
from kfn.ops.dispatch import primitive_of as _primitive_of

_primitive = _primitive_of(_active.numpy.products)


@_primitive
def matmul(x1, x2):
    """The matrix product of `x1` and `x2`, batched over leading axes (NumPy's `matmul` rules; 1-D operands are vectors).

    int8 x int8 accumulates in int32; otherwise the dtypes are promoted.

    Example:
        >>> kfn.ops.matmul(kfn.ops.ones((2, 3)), kfn.ops.ones((3, 4))).shape  # (2, 4)
    """


@_primitive
def dot(x1, x2):
    """NumPy's `dot`: the sum product over the last axis of `x1` and the second-to-last of `x2`.

    int8 x int8 accumulates in int32; otherwise the dtypes are promoted.

    Example:
        >>> kfn.ops.dot(kfn.ops.convert_to_tensor([1, 2]), kfn.ops.convert_to_tensor([3, 4]))  # 11
    """


@_primitive
def vdot(x1, x2):
    """The dot product of the flattened inputs (the first conjugated).

    Example:
        >>> kfn.ops.vdot(kfn.ops.convert_to_tensor([1, 2]), kfn.ops.convert_to_tensor([3, 4]))  # 11
    """


@_primitive
def inner(x1, x2):
    """The inner product over the last axes of `x1` and `x2`.

    Example:
        >>> kfn.ops.inner(kfn.ops.convert_to_tensor([1, 2]), kfn.ops.convert_to_tensor([3, 4]))  # 11
    """


@_primitive
def outer(x1, x2):
    """The outer product of the flattened inputs.

    Example:
        >>> kfn.ops.outer(kfn.ops.convert_to_tensor([1, 2]), kfn.ops.convert_to_tensor([3, 4]))  # [[3, 4], [6, 8]]
    """


@_primitive
def tensordot(x1, x2, axes=2):
    """The sum product over `axes`: an int (the last `axes` of `x1` with the first of `x2`) or a pair of axis lists.

    Example:
        >>> kfn.ops.tensordot(kfn.ops.ones((2, 3)), kfn.ops.ones((3, 4)), axes=1).shape  # (2, 4)
    """


@_primitive
def kron(x1, x2):
    """The Kronecker product of `x1` and `x2`.

    Example:
        >>> kfn.ops.kron(kfn.ops.convert_to_tensor([1, 2]), kfn.ops.convert_to_tensor([1, 10]))  # [1, 10, 2, 20]
    """


@_primitive
def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of vectors of 2 or 3 components along `axisa`/`axisb` (or `axis` for all three), result along `axisc`.

    Example:
        >>> kfn.ops.cross(kfn.ops.convert_to_tensor([1, 0, 0]), kfn.ops.convert_to_tensor([0, 1, 0]))  # [0, 0, 1]
    """


@_primitive
def correlate(x1, x2, mode="valid"):
    """The cross-correlation of two 1-D tensors; `mode` is "valid", "same" or "full". Integer inputs are computed in floatx.

    Example:
        >>> kfn.ops.correlate(kfn.ops.convert_to_tensor([1.0, 2.0, 3.0]), kfn.ops.convert_to_tensor([0.0, 1.0]))  # [2.0, 3.0]
    """


@_primitive
def convolve(x1, x2, mode="full"):
    """The discrete linear convolution of two 1-D tensors; `mode` is "full", "same" or "valid". Integer inputs are computed in floatx.

    Example:
        >>> kfn.ops.convolve(kfn.ops.convert_to_tensor([1.0, 2.0]), kfn.ops.convert_to_tensor([1.0, 1.0]))  # [1.0, 3.0, 2.0]
    """


@_primitive
def einsum(subscripts, *operands, **kwargs):
    """Einstein summation over `operands`, with NumPy's `subscripts` (including `...` and the
    implicit output form).

    All-int8 operands accumulate in int32; otherwise the dtypes are promoted.

    Example:
        >>> kfn.ops.einsum("ij,jk->ik", kfn.ops.ones((2, 3)), kfn.ops.ones((3, 4))).shape  # (2, 4)
    """
