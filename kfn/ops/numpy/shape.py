"""kfn.ops.numpy: shape manipulation, joining and splitting, rearranging."""

from kfn.backends import active as _active
from kfn.ops.dispatch import primitive_of as _primitive_of

_primitive = _primitive_of(_active.numpy.shape)


@_primitive
def reshape(x, newshape):
    """`x` with a new shape holding the same elements; one dimension may be -1 (inferred).

    Example:
        >>> kfn.ops.reshape(kfn.ops.convert_to_tensor([1, 2, 3, 4]), (2, -1))  # [[1, 2], [3, 4]]
    """


@_primitive
def ravel(x):
    """`x` flattened to 1-D.

    Example:
        >>> kfn.ops.ravel(kfn.ops.convert_to_tensor([[1, 2], [3, 4]]))  # [1, 2, 3, 4]
    """


@_primitive
def expand_dims(x, axis):
    """`x` with a new axis of size 1 at `axis` (an int or a tuple of ints).

    Example:
        >>> kfn.ops.expand_dims(kfn.ops.convert_to_tensor([1, 2]), 0).shape  # (1, 2)
    """


@_primitive
def squeeze(x, axis=None):
    """`x` without its size-1 axes (or only `axis`, which must have size 1).

    Example:
        >>> kfn.ops.squeeze(kfn.ops.convert_to_tensor([[1], [2]])).shape  # (2,)
    """


@_primitive
def transpose(x, axes=None):
    """`x` with its axes permuted (reversed when `axes` is None).

    Example:
        >>> kfn.ops.transpose(kfn.ops.convert_to_tensor([[1, 2]])).shape  # (2, 1)
    """


@_primitive
def swapaxes(x, axis1, axis2):
    """`x` with two axes interchanged.

    Example:
        >>> kfn.ops.swapaxes(kfn.ops.zeros((2, 3, 4)), 0, 2).shape  # (4, 3, 2)
    """


@_primitive
def moveaxis(x, source, destination):
    """`x` with the axes `source` moved to the positions `destination` (ints or sequences).

    Example:
        >>> kfn.ops.moveaxis(kfn.ops.zeros((2, 3, 4)), 0, -1).shape  # (3, 4, 2)
    """


@_primitive
def broadcast_to(x, shape):
    """`x` broadcast to `shape` (NumPy's rules: dimensions match or are 1, aligned from the right).

    Example:
        >>> kfn.ops.broadcast_to(kfn.ops.convert_to_tensor([1, 2]), (3, 2))  # [[1, 2]] * 3
    """


@_primitive
def ndim(x):
    """The number of axes of `x`.

    Example:
        >>> kfn.ops.ndim(kfn.ops.zeros((2, 3)))  # 2
    """


@_primitive
def size(x):
    """The number of elements of `x`.

    Example:
        >>> kfn.ops.size(kfn.ops.zeros((2, 3)))  # 6
    """


@_primitive
def view(x, dtype=None):
    """The bytes of `x` reinterpreted as `dtype` (the last axis changes by the ratio of the item sizes); `x` itself when `dtype` is None.

    Example:
        >>> kfn.ops.view(kfn.ops.convert_to_tensor([1.0]), 'int32')  # [1065353216]
    """


@_primitive
def view_as_real(x):
    """A complex `x` as real numbers: a new last axis of size 2 holds the real and imaginary parts.

    Example:
        >>> kfn.ops.view_as_real(kfn.ops.convert_to_tensor([1 + 2j]))  # [[1.0, 2.0]]
    """


@_primitive
def view_as_complex(x):
    """The inverse of `view_as_real`: a float32/float64 `x` whose last axis has size 2 as complex numbers.

    Example:
        >>> kfn.ops.view_as_complex(kfn.ops.convert_to_tensor([[1.0, 2.0]]))  # [1 + 2j]
    """


@_primitive
def concatenate(xs, axis=0):
    """The tensors `xs` joined along an existing axis; dtypes are promoted together.

    Example:
        >>> kfn.ops.concatenate([kfn.ops.convert_to_tensor([1]), kfn.ops.convert_to_tensor([2.5])])  # [1.0, 2.5], float32
    """


@_primitive
def stack(x, axis=0):
    """The tensors in `x` (all of one shape) joined along a new axis; dtypes are promoted together.

    Example:
        >>> kfn.ops.stack([kfn.ops.convert_to_tensor([1, 2]), kfn.ops.convert_to_tensor([3, 4])]).shape  # (2, 2)
    """


@_primitive
def hstack(xs):
    """The tensors joined along axis 1 (axis 0 for 1-D tensors).

    Example:
        >>> kfn.ops.hstack([kfn.ops.convert_to_tensor([1]), kfn.ops.convert_to_tensor([2])])  # [1, 2]
    """


@_primitive
def vstack(xs):
    """The tensors joined along axis 0, 1-D tensors as rows.

    Example:
        >>> kfn.ops.vstack([kfn.ops.convert_to_tensor([1, 2]), kfn.ops.convert_to_tensor([3, 4])]).shape  # (2, 2)
    """


@_primitive
def dstack(xs):
    """The tensors joined along axis 2 (after making them at least 3-D).

    Example:
        >>> kfn.ops.dstack([kfn.ops.convert_to_tensor([1, 2]), kfn.ops.convert_to_tensor([3, 4])]).shape  # (1, 2, 2)
    """


@_primitive
def append(x1, x2, axis=None):
    """`x2` appended to `x1` along `axis` (both flattened when None).

    Example:
        >>> kfn.ops.append(kfn.ops.convert_to_tensor([1, 2]), kfn.ops.convert_to_tensor([3]))  # [1, 2, 3]
    """


@_primitive
def split(x, indices_or_sections, axis=0):
    """`x` split along `axis` into equal parts (an int that must divide the axis) or at the given indices. Returns a list.

    Example:
        >>> kfn.ops.split(kfn.ops.convert_to_tensor([1, 2, 3, 4]), 2)  # [[1, 2], [3, 4]]
    """


@_primitive
def array_split(x, indices_or_sections, axis=0):
    """As `split`, but an int need not divide the axis: the first parts get one more element.

    Example:
        >>> kfn.ops.array_split(kfn.ops.convert_to_tensor([1, 2, 3]), 2)  # [[1, 2], [3]]
    """


@_primitive
def hsplit(x, indices_or_sections):
    """`split` along axis 1 (axis 0 for 1-D tensors).

    Example:
        >>> kfn.ops.hsplit(kfn.ops.zeros((2, 4)), 2)[0].shape  # (2, 2)
    """


@_primitive
def vsplit(x, indices_or_sections):
    """`split` along axis 0.

    Example:
        >>> kfn.ops.vsplit(kfn.ops.zeros((4, 2)), 2)[0].shape  # (2, 2)
    """


@_primitive
def dsplit(x, indices_or_sections):
    """`split` along axis 2.

    Example:
        >>> kfn.ops.dsplit(kfn.ops.zeros((1, 2, 4)), 2)[0].shape  # (1, 2, 2)
    """


@_primitive
def flip(x, axis=None):
    """`x` with the order of elements reversed along `axis` (all axes when None).

    Example:
        >>> kfn.ops.flip(kfn.ops.convert_to_tensor([1, 2, 3]))  # [3, 2, 1]
    """


@_primitive
def fliplr(x):
    """`x` reversed along axis 1.

    Example:
        >>> kfn.ops.fliplr(kfn.ops.convert_to_tensor([[1, 2]]))  # [[2, 1]]
    """


@_primitive
def flipud(x):
    """`x` reversed along axis 0.

    Example:
        >>> kfn.ops.flipud(kfn.ops.convert_to_tensor([[1], [2]]))  # [[2], [1]]
    """


@_primitive
def rot90(array, k=1, axes=(0, 1)):
    """`array` rotated by 90 degrees `k` times in the plane of `axes` (counterclockwise from the first toward the second).

    Example:
        >>> kfn.ops.rot90(kfn.ops.convert_to_tensor([[1, 2], [3, 4]]))  # [[2, 4], [1, 3]]
    """


@_primitive
def roll(x, shift, axis=None):
    """`x` with elements shifted by `shift` along `axis`, wrapping around (flattened when None).

    Example:
        >>> kfn.ops.roll(kfn.ops.convert_to_tensor([1, 2, 3]), 1)  # [3, 1, 2]
    """


@_primitive
def tile(x, repeats):
    """`x` repeated `repeats` times along each axis.

    Example:
        >>> kfn.ops.tile(kfn.ops.convert_to_tensor([1, 2]), 2)  # [1, 2, 1, 2]
    """


@_primitive
def repeat(x, repeats, axis=None):
    """Each element of `x` repeated `repeats` times (an int or one count per element) along `axis` (flattened when None).

    Example:
        >>> kfn.ops.repeat(kfn.ops.convert_to_tensor([1, 2]), 2)  # [1, 1, 2, 2]
    """


@_primitive
def pad(x, pad_width, mode="constant", constant_values=None):
    """`x` padded with `pad_width` ((before, after) per axis, one pair for all, or one int). `mode` is "constant" (with `constant_values`, default 0), "edge", "reflect", "symmetric", "wrap", "maximum", "minimum", "mean", "median", "linear_ramp" or "empty" as in NumPy; the torch and tensorflow backends support constant, edge, reflect, symmetric and wrap.

    Example:
        >>> kfn.ops.pad(kfn.ops.convert_to_tensor([1, 2]), (1, 2))  # [0, 1, 2, 0, 0]
    """


@_primitive
def diff(a, n=1, axis=-1):
    """The `n`-th discrete difference along `axis`.

    Example:
        >>> kfn.ops.diff(kfn.ops.convert_to_tensor([1, 4, 9]))  # [3, 5]
    """
