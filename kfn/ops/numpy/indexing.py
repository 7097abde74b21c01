"""kfn.ops.numpy: indexing, sorting, searching and selection."""

from kfn.backends import active as _active
from kfn.ops.dispatch import primitive_of as _primitive_of

_primitive = _primitive_of(_active.numpy.indexing)


@_primitive
def take(x, indices, axis=None):
    """The elements of `x` at `indices` along `axis` (of the flattened input when None).

    Negative indices count from the end, as in NumPy. Out-of-range indices are an error on numpy, torch and tensorflow and are clamped on jax (where XLA cannot raise).

    Example:
        >>> kfn.ops.take(kfn.ops.convert_to_tensor([10, 20, 30]), kfn.ops.convert_to_tensor([2, -1]))  # [30, 30]
    """


@_primitive
def take_along_axis(x, indices, axis=None):
    """The elements of `x` at `indices`, matched along `axis` (as `np.take_along_axis`); `indices` broadcasts against `x` on the other axes.

    Example:
        >>> kfn.ops.take_along_axis(kfn.ops.convert_to_tensor([[10, 30, 20]]), kfn.ops.convert_to_tensor([[1, 2]]), axis=1)  # [[30, 20]]
    """


@_primitive
def get_item(x, key):
    """`x[key]` with NumPy's indexing rules (ints, slices, None, Ellipsis, bool and int tensors).

    Example:
        >>> kfn.ops.get_item(kfn.ops.convert_to_tensor([[1, 2], [3, 4]]), (slice(None), 1))  # [2, 4]
    """


@_primitive
def nonzero(x):
    """The indices of the nonzero elements of `x`: one int32 tensor per axis. The output shape depends on the values: eager only on jax and tensorflow.

    Example:
        >>> kfn.ops.nonzero(kfn.ops.convert_to_tensor([0, 3, 0, 4]))  # ([1, 3],)
    """


@_primitive
def select(condlist, choicelist, default=0):
    """For each element, the value from the first `choicelist` entry whose condition in `condlist` is true, else `default`.

    Example:
        >>> kfn.ops.select([x < 0, x > 0], [-x, x * 10], default=0)  #
    """


@_primitive
def sort(x, axis=-1):
    """`x` sorted along `axis` (stably; NaNs last).

    Example:
        >>> kfn.ops.sort(kfn.ops.convert_to_tensor([3, 1, 2]))  # [1, 2, 3]
    """


@_primitive
def argsort(x, axis=-1):
    """The indices that sort `x` along `axis`, as int32; stable, so ties keep their order.

    Example:
        >>> kfn.ops.argsort(kfn.ops.convert_to_tensor([3, 1, 2]))  # [1, 2, 0]
    """


@_primitive
def argpartition(x, kth, axis=-1):
    """Indices (int32) that partition `x` along `axis`: the element at position `kth` is where it would be sorted, smaller ones before and larger ones after (in no particular order).

    Example:
        >>> kfn.ops.argpartition(kfn.ops.convert_to_tensor([3, 1, 2]), 1)  # index 2 (value 2) lands at position 1
    """


@_primitive
def searchsorted(sorted_sequence, values, side="left"):
    """Where to insert `values` into the 1-D `sorted_sequence` to keep it sorted, as int32. `side` is "left" or "right" (which end of a run of equal values).

    Example:
        >>> kfn.ops.searchsorted(kfn.ops.convert_to_tensor([1, 2, 2, 3]), kfn.ops.convert_to_tensor([2, 4]))  # [1, 4]
    """


@_primitive
def digitize(x, bins):
    """The index of the bin each value of `x` falls in, for increasing `bins` (`bins[i-1] <= x < bins[i]` gives i), as int32.

    Example:
        >>> kfn.ops.digitize(kfn.ops.convert_to_tensor([0.5, 1.5, 3.0]), kfn.ops.convert_to_tensor([1.0, 2.0]))  # [0, 1, 2]
    """


@_primitive
def top_k(x, k, sorted=True):
    """The `k` largest values along the last axis and their indices (int32), largest first.

    Example:
        >>> kfn.ops.top_k(kfn.ops.convert_to_tensor([1.0, 4.0, 2.0]), 2)  # ([4.0, 2.0], [1, 2])
    """


@_primitive
def in_top_k(targets, predictions, k):
    """Whether each target class index is among the `k` highest `predictions` of its row (ties with the k-th value count as in). Returns bool of shape (batch,).

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
    """The sorted unique elements of `x` (of slices along `axis` when given), and optionally the index of each first occurrence, the inverse indices and the counts (int32).

    The output size depends on the values, so it is eager only on jax and tensorflow unless `size` is given: then the output has exactly `size` entries, padded with `fill_value` (default: the smallest unique value).

    Example:
        >>> kfn.ops.unique(kfn.ops.convert_to_tensor([3, 1, 3, 2]))  # [1, 2, 3]
    """


@_primitive
def isin(x1, x2, assume_unique=False, invert=False):
    """Whether each element of `x1` occurs in `x2` (the reverse with `invert`). Returns bool of the shape of `x1`.

    Example:
        >>> kfn.ops.isin(kfn.ops.convert_to_tensor([1, 2, 3]), kfn.ops.convert_to_tensor([2, 3]))  # [False, True, True]
    """


@_primitive
def unravel_index(indices, shape):
    """Flat indices into an array of `shape` converted to a tuple of coordinate tensors (one per axis), in the dtype of `indices`.

    Example:
        >>> kfn.ops.unravel_index(kfn.ops.convert_to_tensor([5]), (2, 3))  # ([1], [2])
    """


@_primitive
def tril(x, k=0):
    """`x` with the elements above the `k`-th diagonal set to zero (on the last two axes).

    Example:
        >>> kfn.ops.tril(kfn.ops.convert_to_tensor([[1, 2], [3, 4]]))  # [[1, 0], [3, 4]]
    """


@_primitive
def triu(x, k=0):
    """`x` with the elements below the `k`-th diagonal set to zero (on the last two axes).

    Example:
        >>> kfn.ops.triu(kfn.ops.convert_to_tensor([[1, 2], [3, 4]]))  # [[1, 2], [0, 4]]
    """


@_primitive
def diagonal(x, offset=0, axis1=0, axis2=1):
    """The diagonal of `x` over `axis1` and `axis2` (moved to the last axis), `offset` above the main one.

    Example:
        >>> kfn.ops.diagonal(kfn.ops.convert_to_tensor([[1, 2], [3, 4]]))  # [1, 4]
    """


@_primitive
def diag(x, k=0):
    """For a 1-D `x`, a 2-D tensor with `x` on its `k`-th diagonal; for a 2-D `x`, its `k`-th diagonal.

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
    """The sum of the diagonal of `x` over `axis1` and `axis2`.

    Bool, int8 and int16 accumulate in int32, uint8 and uint16 in uint32 (as Keras); other dtypes are kept.

    Example:
        >>> kfn.ops.trace(kfn.ops.convert_to_tensor([[1, 2], [3, 4]]))  # 5
    """
