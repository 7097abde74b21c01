"""kfn.ops.numpy: indexing, sorting, searching and selection.

Indices are returned as int32 on every backend (as Keras). Sorts and searches order values as
NumPy does: stably, with NaNs after everything else and -0.0 equal to 0.0.
"""

from kfn.backends import active as _active
from kfn.ops.dispatch import primitive_of as _primitive_of

_primitive = _primitive_of(_active.numpy.indexing)

# ---------------------------------------------------------------------------- gathering


@_primitive
def take(x, indices, axis=None):
    """The elements of `x` at the integer `indices` along `axis` (of the flattened `x` when None).

    Negative indices count from the end. Out-of-range indices are an IndexError on numpy,
    torch and tensorflow (on the CPU); on jax, where compiled code cannot raise, they give
    NaN (the dtype's extreme value for ints), as in Keras.

    Example:
        >>> kfn.ops.take(kfn.ops.convert_to_tensor([10, 20, 30]), kfn.ops.convert_to_tensor([2, -1]))  # [30, 30]
    """


@_primitive
def take_along_axis(x, indices, axis=None):
    """The elements of `x` at `indices` matched along `axis`, as `np.take_along_axis`.

    `indices` has the rank of `x` (1-D with `axis=None`, on the flattened `x`), and its other
    axes broadcast against those of `x`. Out-of-range indices behave as in `take`.

    Example:
        >>> kfn.ops.take_along_axis(kfn.ops.convert_to_tensor([[10, 30, 20]]), kfn.ops.convert_to_tensor([[1, 2]]), axis=1)  # [[30, 20]]
    """


@_primitive
def get_item(x, key):
    """`x[key]` with NumPy's indexing rules.

    `key` holds ints, slices (any step), None, Ellipsis, and int or bool tensors (or lists
    and NumPy arrays), with NumPy's broadcasting and placement of advanced indices. Static
    ints out of range are an IndexError; int tensors out of range behave as in `take`. Bool
    tensors select a value-dependent number of elements: eager only on jax.

    Example:
        >>> kfn.ops.get_item(kfn.ops.convert_to_tensor([[1, 2], [3, 4]]), (slice(None), 1))  # [2, 4]
    """


@_primitive
def nonzero(x):
    """The indices of the nonzero elements of `x` (at least 1-D): one int32 tensor per axis.

    The number of indices depends on the values: eager only on jax.

    Example:
        >>> kfn.ops.nonzero(kfn.ops.convert_to_tensor([0, 3, 0, 4]))  # ([1, 3],)
    """


@_primitive
def select(condlist, choicelist, default=0):
    """Per element, the first `choicelist` entry whose condition in `condlist` is true, else `default`.

    The conditions, choices and default broadcast together; choices and default are
    promoted to a common dtype (a Python scalar default is weakly typed).

    Example:
        >>> x = kfn.ops.convert_to_tensor([-2, 0, 3])
        >>> kfn.ops.select([x < 0, x > 0], [-x, x * 10], default=7)  # [2, 7, 30]
    """


# ---------------------------------------------------------------------------- sorting, searching


@_primitive
def sort(x, axis=-1):
    """`x` sorted along `axis` (the flattened `x` when None), stably, NaNs last.

    Example:
        >>> kfn.ops.sort(kfn.ops.convert_to_tensor([3, 1, 2]))  # [1, 2, 3]
    """


@_primitive
def argsort(x, axis=-1):
    """The indices (int32) that sort `x` along `axis` (the flattened `x` when None).

    The sort is stable, so ties keep their order; NaNs come last.

    Example:
        >>> kfn.ops.argsort(kfn.ops.convert_to_tensor([3, 1, 2, 1]))  # [1, 3, 2, 0]
    """


@_primitive
def argpartition(x, kth, axis=-1):
    """Indices (int32) that partition `x` along `axis` around its `kth` smallest element.

    The element at position `kth` is where it would be sorted, those before it are not
    larger and those after it not smaller; the order within each side is unspecified (torch
    and tensorflow fully sort).

    Example:
        >>> kfn.ops.argpartition(kfn.ops.convert_to_tensor([3, 1, 2]), 1)[1]  # 2 (the index of value 2)
    """


@_primitive
def searchsorted(sorted_sequence, values, side="left"):
    """Where (int32) to insert `values` into the 1-D ascending `sorted_sequence` to keep it sorted.

    `side="left"` gives the first suitable position, `"right"` the last.

    Example:
        >>> kfn.ops.searchsorted(kfn.ops.convert_to_tensor([1, 2, 2, 3]), kfn.ops.convert_to_tensor([2, 4]))  # [1, 4]
    """


@_primitive
def digitize(x, bins):
    """The index (int32) of the bin of each value of `x`, for 1-D monotonic `bins`.

    Increasing bins: `bins[i-1] <= x < bins[i]` gives i; decreasing: `bins[i-1] > x >= bins[i]`.

    Example:
        >>> kfn.ops.digitize(kfn.ops.convert_to_tensor([0.5, 1.5, 3.0]), kfn.ops.convert_to_tensor([1.0, 2.0]))  # [0, 1, 2]
    """


@_primitive
def top_k(x, k, sorted=True):
    """The `k` largest values along the last axis, largest first, and their indices (int32).

    NaN counts as the largest value. Of equal values, the lowest index comes first, except on
    torch, where the choice among ties is unspecified. The results are always sorted.

    Example:
        >>> kfn.ops.top_k(kfn.ops.convert_to_tensor([1.0, 4.0, 2.0]), 2)  # ([4.0, 2.0], [1, 2])
    """


@_primitive
def in_top_k(targets, predictions, k):
    """Whether each target class is among the `k` highest `predictions` of its row (bool, (batch,)).

    A target is in when fewer than `k` predictions of its row are strictly larger, so ties
    with the k-th value count as in. A NaN prediction or an out-of-range target is never in.

    Example:
        >>> kfn.ops.in_top_k(kfn.ops.convert_to_tensor([1]), kfn.ops.convert_to_tensor([[0.1, 0.7, 0.2]]), 1)  # [True]
    """


@_primitive
def unique(
    x,
    sorted=True,
    return_index=False,
    return_inverse=False,
    return_counts=False,
    axis=None,
    size=None,
    fill_value=None,
):
    """The sorted unique elements of `x` (flattened), or unique slices along `axis`.

    Args:
        x: the values. Each NaN is its own unique value (as Keras).
        sorted: the output is always sorted (accepted for Keras compatibility).
        return_index: also return the index of the first occurrence of each unique value.
        return_inverse: also return, per element of `x` (per slice along `axis`), the index
            of its unique value, so that `take(unique, inverse, axis)` rebuilds `x`.
        return_counts: also return the number of occurrences of each unique value.
        axis: None, or the axis whose slices are compared.
        size: a fixed output length: fewer unique values are padded (with `fill_value`, and
            0 for the index and counts), more are truncated. Gives a static output shape.
        fill_value: the padding value (default 0).

    Returns:
        The unique values, or a tuple with the requested int32 extras in the order above.
        Without `size` the output length depends on the values: eager only on jax.

    Example:
        >>> kfn.ops.unique(kfn.ops.convert_to_tensor([3, 1, 3, 2]))  # [1, 2, 3]
    """


@_primitive
def isin(x1, x2, assume_unique=False, invert=False):
    """Whether each element of `x1` occurs in `x2` (the opposite with `invert`), as bool.

    The result has the shape of `x1`. NaN is never found.

    Example:
        >>> kfn.ops.isin(kfn.ops.convert_to_tensor([1, 2, 3]), kfn.ops.convert_to_tensor([2, 3]))  # [False, True, True]
    """


@_primitive
def unravel_index(indices, shape):
    """Flat `indices` into an array of `shape` as a tuple of coordinate tensors, one per axis.

    The coordinates have the (integer) dtype of `indices`. Indices outside `[0, prod(shape))`
    are an error on numpy and tensorflow and give unspecified coordinates on jax and torch.

    Example:
        >>> kfn.ops.unravel_index(kfn.ops.convert_to_tensor([5]), (2, 3))  # ([1], [2])
    """


# ---------------------------------------------------------------------------- triangles, diagonals


@_primitive
def tril(x, k=0):
    """`x` with the elements above its `k`-th diagonal set to zero, on its last two axes.

    A 1-D `x` stands for the square matrix of copies of it, as in NumPy.

    Example:
        >>> kfn.ops.tril(kfn.ops.convert_to_tensor([[1, 2], [3, 4]]))  # [[1, 0], [3, 4]]
    """


@_primitive
def triu(x, k=0):
    """`x` with the elements below its `k`-th diagonal set to zero; see `tril`.

    Example:
        >>> kfn.ops.triu(kfn.ops.convert_to_tensor([[1, 2], [3, 4]]))  # [[1, 2], [0, 4]]
    """


@_primitive
def diagonal(x, offset=0, axis1=0, axis2=1):
    """The diagonal of `x` over `axis1` and `axis2`, `offset` above the main one.

    The diagonal is the last axis of the result; it is empty when `offset` is outside.

    Example:
        >>> kfn.ops.diagonal(kfn.ops.convert_to_tensor([[1, 2], [3, 4]]))  # [1, 4]
    """


@_primitive
def diag(x, k=0):
    """A 2-D tensor with the 1-D `x` on its `k`-th diagonal, or the `k`-th diagonal of a 2-D `x`.

    Example:
        >>> kfn.ops.diag(kfn.ops.convert_to_tensor([1, 2]))  # [[1, 0], [0, 2]]
    """


@_primitive
def diagflat(x, k=0):
    """A 2-D tensor with the flattened `x` on its `k`-th diagonal.

    Example:
        >>> kfn.ops.diagflat(kfn.ops.convert_to_tensor([[1, 2]]))  # [[1, 0], [0, 2]]
    """


@_primitive
def trace(x, offset=0, axis1=0, axis2=1):
    """The sum of the diagonal of `x` over `axis1` and `axis2` (see `diagonal`); dtypes as `sum`.

    Example:
        >>> kfn.ops.trace(kfn.ops.convert_to_tensor([[1, 2], [3, 4]]))  # 5
    """
