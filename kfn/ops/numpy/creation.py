"""kfn.ops.numpy: array creation. Tensors are created on the current device."""

from kfn.backends import active as _active
from kfn.ops.dispatch import primitive_of as _primitive_of

_primitive = _primitive_of(_active.numpy.creation)


@_primitive
def array(x, dtype=None):
    """`x` as a tensor (as `convert_to_tensor`).

    Example:
        >>> kfn.ops.array([1, 2])  # int32 tensor
    """


@_primitive
def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in [start, stop) (in [0, start) with one argument).

    With `dtype=None`: int32 for Python ints, floatx if any argument is a float.

    Example:
        >>> kfn.ops.arange(1, 7, 2)  # [1, 3, 5], int32
    """


@_primitive
def zeros(shape, dtype=None):
    """A tensor of zeros. `dtype=None` gives floatx.

    Example:
        >>> kfn.ops.zeros((2, 3))  # float32 zeros
    """


@_primitive
def ones(shape, dtype=None):
    """A tensor of ones. `dtype=None` gives floatx.

    Example:
        >>> kfn.ops.ones(3, dtype='int8')  # [1, 1, 1]
    """


@_primitive
def empty(shape, dtype=None):
    """A tensor of the given shape (kfn fills it with zeros). `dtype=None` gives floatx.

    Example:
        >>> kfn.ops.empty((2,))  #
    """


@_primitive
def full(shape, fill_value, dtype=None):
    """A tensor filled with `fill_value`. `dtype=None` gives floatx.

    Example:
        >>> kfn.ops.full((2,), 7.0)  # [7.0, 7.0]
    """


@_primitive
def zeros_like(x, dtype=None):
    """Zeros of the shape and (by default) dtype of `x`.

    Example:
        >>> kfn.ops.zeros_like(kfn.ops.convert_to_tensor([1, 2]))  # [0, 0], int32
    """


@_primitive
def ones_like(x, dtype=None):
    """Ones of the shape and (by default) dtype of `x`.

    Example:
        >>> kfn.ops.ones_like(kfn.ops.convert_to_tensor([1, 2]))  # [1, 1], int32
    """


@_primitive
def empty_like(x, dtype=None):
    """A tensor of the shape and (by default) dtype of `x` (filled with zeros).

    Example:
        >>> kfn.ops.empty_like(kfn.ops.convert_to_tensor([1, 2]))  #
    """


@_primitive
def full_like(x, fill_value, dtype=None):
    """`fill_value` in the shape and (by default) dtype of `x`.

    Example:
        >>> kfn.ops.full_like(kfn.ops.convert_to_tensor([1, 2]), 5)  # [5, 5]
    """


@_primitive
def eye(N, M=None, k=0, dtype=None):
    """A 2-D tensor with ones on the `k`-th diagonal and zeros elsewhere. `dtype=None` gives floatx.

    Example:
        >>> kfn.ops.eye(2)  # [[1, 0], [0, 1]]
    """


@_primitive
def identity(n, dtype=None):
    """The n x n identity matrix. `dtype=None` gives floatx.

    Example:
        >>> kfn.ops.identity(2)  # [[1, 0], [0, 1]]
    """


@_primitive
def tri(N, M=None, k=0, dtype=None):
    """A 2-D tensor with ones at and below the `k`-th diagonal. `dtype=None` gives floatx.

    Example:
        >>> kfn.ops.tri(2)  # [[1, 0], [1, 1]]
    """


@_primitive
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """`num` evenly spaced values from `start` to `stop` (included when `endpoint`); with `retstep`, also the step. `start`/`stop` may be tensors (the values then go along `axis`). With `dtype=None` the result is a float dtype.

    Example:
        >>> kfn.ops.linspace(0.0, 1.0, 5)  # [0.0, 0.25, 0.5, 0.75, 1.0]
    """


@_primitive
def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """`num` values spaced evenly on a log scale, from `base**start` to `base**stop`.

    Example:
        >>> kfn.ops.logspace(0.0, 2.0, 3)  # [1.0, 10.0, 100.0]
    """


@_primitive
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """`num` values in a geometric progression from `start` to `stop`.

    Example:
        >>> kfn.ops.geomspace(1.0, 100.0, 3)  # [1.0, 10.0, 100.0]
    """


@_primitive
def meshgrid(*x, indexing="xy"):
    """Coordinate grids from 1-D coordinate vectors (`indexing` "xy" for Cartesian, "ij" for matrix indexing).

    Example:
        >>> kfn.ops.meshgrid(kfn.ops.convert_to_tensor([1, 2]), kfn.ops.convert_to_tensor([3, 4, 5]))  # two (3, 2) grids
    """


@_primitive
def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of the 1-D `x`: columns are powers of `x` (decreasing unless `increasing`).

    Example:
        >>> kfn.ops.vander(kfn.ops.convert_to_tensor([1, 2]), 3)  # [[1, 1, 1], [4, 2, 1]]
    """


@_primitive
def bartlett(x):
    """The Bartlett (triangular) window of `x` points, in floatx.

    Example:
        >>> kfn.ops.bartlett(5)  # [0, 0.5, 1, 0.5, 0]
    """


@_primitive
def blackman(x):
    """The Blackman window of `x` points, in floatx.

    Example:
        >>> kfn.ops.blackman(5)  #
    """


@_primitive
def hamming(x):
    """The Hamming window of `x` points, in floatx.

    Example:
        >>> kfn.ops.hamming(5)  #
    """


@_primitive
def hanning(x):
    """The Hann window of `x` points, in floatx.

    Example:
        >>> kfn.ops.hanning(5)  #
    """


@_primitive
def kaiser(x, beta):
    """The Kaiser window of `x` points with shape parameter `beta`, in floatx.

    Example:
        >>> kfn.ops.kaiser(5, 14.0)  #
    """
