"""kfn.ops.numpy: reductions and statistics (sums, extrema, moments, quantiles, NaN-ignoring
variants, counting)."""

from kfn.backends import active as _active
from kfn.ops.dispatch import primitive_of as _primitive_of

_primitive = _primitive_of(_active.numpy.reductions)


@_primitive
def sum(x, axis=None, keepdims=False):
    """The sum of the elements of `x` over `axis`.

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1. Bool, int8 and int16 accumulate in int32, uint8 and uint16 in uint32 (as Keras); other dtypes are kept.

    Example:
        >>> kfn.ops.sum(kfn.ops.convert_to_tensor([[1, 2], [3, 4]]), axis=0)  # [4, 6], int32
    """


@_primitive
def prod(x, axis=None, keepdims=False, dtype=None):
    """The product of the elements of `x` over `axis`.

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1. With `dtype=None`: Bool, int8 and int16 accumulate in int32, uint8 and uint16 in uint32 (as Keras); other dtypes are kept.

    Example:
        >>> kfn.ops.prod(kfn.ops.convert_to_tensor([1, 2, 3]))  # 6
    """


@_primitive
def cumsum(x, axis=None, dtype=None):
    """The cumulative sum along `axis` (of the flattened input when None).

    Bool, int8 and int16 accumulate in int32, uint8 and uint16 in uint32 (as Keras); other dtypes are kept.

    Example:
        >>> kfn.ops.cumsum(kfn.ops.convert_to_tensor([1, 2, 3]))  # [1, 3, 6]
    """


@_primitive
def cumprod(x, axis=None, dtype=None):
    """The cumulative product along `axis` (of the flattened input when None).

    Bool, int8 and int16 accumulate in int32, uint8 and uint16 in uint32 (as Keras); other dtypes are kept.

    Example:
        >>> kfn.ops.cumprod(kfn.ops.convert_to_tensor([1, 2, 3]))  # [1, 2, 6]
    """


@_primitive
def count_nonzero(x, axis=None):
    """The number of nonzero elements over `axis`, as int32.

    Example:
        >>> kfn.ops.count_nonzero(kfn.ops.convert_to_tensor([0, 1, 2]))  # 2
    """


@_primitive
def logsumexp(x, axis=None, keepdims=False):
    """`log(sum(exp(x)))` over `axis`, computed without overflow.

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1. Integer and bool inputs are computed in floatx.

    Example:
        >>> kfn.ops.logsumexp(kfn.ops.convert_to_tensor([1000.0, 1000.0]))  # 1000.6931
    """


@_primitive
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """The integral of `y` along `axis` by the trapezoidal rule, at sample points `x` (or spacing `dx`).

    Integer and bool inputs are computed in floatx.

    Example:
        >>> kfn.ops.trapezoid(kfn.ops.convert_to_tensor([1.0, 2.0, 3.0]))  # 4.0
    """


@_primitive
def max(x, axis=None, keepdims=False, initial=None):
    """The largest element over `axis` (NaN if any is NaN).

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1. An empty reduction needs `initial`. The dtype of `x` is kept.

    Example:
        >>> kfn.ops.max(kfn.ops.convert_to_tensor([[1, 5], [3, 2]]), axis=1)  # [5, 3]
    """


@_primitive
def min(x, axis=None, keepdims=False, initial=None):
    """The smallest element over `axis` (NaN if any is NaN).

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1. An empty reduction needs `initial`. The dtype of `x` is kept.

    Example:
        >>> kfn.ops.min(kfn.ops.convert_to_tensor([[1, 5], [3, 2]]), axis=1)  # [1, 2]
    """


@_primitive
def amax(x, axis=None, keepdims=False):
    """The largest element over `axis` (as `max`).

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1.

    Example:
        >>> kfn.ops.amax(kfn.ops.convert_to_tensor([1, 5, 3]))  # 5
    """


@_primitive
def amin(x, axis=None, keepdims=False):
    """The smallest element over `axis` (as `min`).

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1.

    Example:
        >>> kfn.ops.amin(kfn.ops.convert_to_tensor([1, 5, 3]))  # 1
    """


@_primitive
def ptp(x, axis=None, keepdims=False):
    """The range `max - min` over `axis`, in the dtype of `x`.

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1.

    Example:
        >>> kfn.ops.ptp(kfn.ops.convert_to_tensor([1, 5, 3]))  # 4
    """


@_primitive
def argmax(x, axis=None, keepdims=False):
    """The index of the largest element along `axis` (of the flattened input when None), as int32. The first occurrence wins ties.

    Example:
        >>> kfn.ops.argmax(kfn.ops.convert_to_tensor([1, 5, 5]))  # 1
    """


@_primitive
def argmin(x, axis=None, keepdims=False):
    """The index of the smallest element along `axis` (of the flattened input when None), as int32. The first occurrence wins ties.

    Example:
        >>> kfn.ops.argmin(kfn.ops.convert_to_tensor([3, 1, 1]))  # 1
    """


@_primitive
def all(x, axis=None, keepdims=False):
    """Whether every element over `axis` is true (nonzero). Returns bool.

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1.

    Example:
        >>> kfn.ops.all(kfn.ops.convert_to_tensor([True, False]))  # False
    """


@_primitive
def any(x, axis=None, keepdims=False):
    """Whether any element over `axis` is true (nonzero). Returns bool.

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1.

    Example:
        >>> kfn.ops.any(kfn.ops.convert_to_tensor([True, False]))  # True
    """


@_primitive
def mean(x, axis=None, keepdims=False):
    """The arithmetic mean over `axis`.

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1. Integer and bool inputs are computed in floatx.

    Example:
        >>> kfn.ops.mean(kfn.ops.convert_to_tensor([1, 2, 3, 4]))  # 2.5, float32
    """


@_primitive
def var(x, axis=None, keepdims=False):
    """The (population) variance over `axis`.

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1. Integer and bool inputs are computed in floatx.

    Example:
        >>> kfn.ops.var(kfn.ops.convert_to_tensor([1.0, 3.0]))  # 1.0
    """


@_primitive
def std(x, axis=None, keepdims=False):
    """The (population) standard deviation over `axis`.

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1. Integer and bool inputs are computed in floatx.

    Example:
        >>> kfn.ops.std(kfn.ops.convert_to_tensor([1.0, 3.0]))  # 1.0
    """


@_primitive
def average(x, axis=None, weights=None):
    """The weighted average over `axis`; `weights` has the shape of `x` or of its `axis`.

    Integer and bool inputs are computed in floatx.

    Example:
        >>> kfn.ops.average(kfn.ops.convert_to_tensor([1.0, 3.0]), weights=kfn.ops.convert_to_tensor([3.0, 1.0]))  # 1.5
    """


@_primitive
def median(x, axis=None, keepdims=False):
    """The median over `axis`.

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1. Integer and bool inputs are computed in floatx.

    Example:
        >>> kfn.ops.median(kfn.ops.convert_to_tensor([3.0, 1.0, 2.0]))  # 2.0
    """


@_primitive
def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantile(s) over `axis`, `q` in [0, 1] (a scalar or a 1-D tensor, whose axis comes first in the output).

    `method` is one of "linear", "lower", "higher", "midpoint", "nearest", as in NumPy. Integer and bool inputs are computed in floatx.

    Example:
        >>> kfn.ops.quantile(kfn.ops.convert_to_tensor([1.0, 2.0, 3.0, 4.0]), 0.5)  # 2.5
    """


@_primitive
def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th percentile(s) over `axis`, `q` in [0, 100]; see `quantile`.

    Integer and bool inputs are computed in floatx.

    Example:
        >>> kfn.ops.percentile(kfn.ops.convert_to_tensor([1.0, 2.0, 3.0, 4.0]), 50)  # 2.5
    """


@_primitive
def corrcoef(x):
    """The Pearson correlation coefficients of the rows of `x` (variables in rows, observations in columns).

    Integer and bool inputs are computed in floatx.

    Example:
        >>> kfn.ops.corrcoef(kfn.ops.convert_to_tensor([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]))  # [[1, -1], [-1, 1]]
    """


@_primitive
def nansum(x, axis=None, keepdims=False):
    """The sum over `axis`, NaNs counted as zero.

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1. Bool, int8 and int16 accumulate in int32, uint8 and uint16 in uint32 (as Keras); other dtypes are kept.

    Example:
        >>> kfn.ops.nansum(kfn.ops.convert_to_tensor([1.0, float('nan')]))  # 1.0
    """


@_primitive
def nanprod(x, axis=None, keepdims=False):
    """The product over `axis`, NaNs counted as one.

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1. Bool, int8 and int16 accumulate in int32, uint8 and uint16 in uint32 (as Keras); other dtypes are kept.

    Example:
        >>> kfn.ops.nanprod(kfn.ops.convert_to_tensor([2.0, float('nan')]))  # 2.0
    """


@_primitive
def nancumsum(x, axis=None, dtype=None):
    """The cumulative sum along `axis`, NaNs counted as zero.

    Bool, int8 and int16 accumulate in int32, uint8 and uint16 in uint32 (as Keras); other dtypes are kept.

    Example:
        >>> kfn.ops.nancumsum(kfn.ops.convert_to_tensor([1.0, float('nan'), 2.0]))  # [1.0, 1.0, 3.0]
    """


@_primitive
def nancumprod(x, axis=None, dtype=None):
    """The cumulative product along `axis`, NaNs counted as one.

    Bool, int8 and int16 accumulate in int32, uint8 and uint16 in uint32 (as Keras); other dtypes are kept.

    Example:
        >>> kfn.ops.nancumprod(kfn.ops.convert_to_tensor([2.0, float('nan'), 3.0]))  # [2.0, 2.0, 6.0]
    """


@_primitive
def nanmax(x, axis=None, keepdims=False):
    """The largest element over `axis`. NaNs are ignored. All-NaN slices give NaN.

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1.

    Example:
        >>> kfn.ops.nanmax(kfn.ops.convert_to_tensor([1.0, float('nan')]))  # 1.0
    """


@_primitive
def nanmin(x, axis=None, keepdims=False):
    """The smallest element over `axis`. NaNs are ignored. All-NaN slices give NaN.

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1.

    Example:
        >>> kfn.ops.nanmin(kfn.ops.convert_to_tensor([1.0, float('nan')]))  # 1.0
    """


@_primitive
def nanargmax(x, axis=None, keepdims=False):
    """The index of the largest element along `axis`, as int32. NaNs are ignored. All-NaN slices give -1.

    Example:
        >>> kfn.ops.nanargmax(kfn.ops.convert_to_tensor([float('nan'), 2.0, 1.0]))  # 1
    """


@_primitive
def nanargmin(x, axis=None, keepdims=False):
    """The index of the smallest element along `axis`, as int32. NaNs are ignored. All-NaN slices give -1.

    Example:
        >>> kfn.ops.nanargmin(kfn.ops.convert_to_tensor([float('nan'), 2.0, 1.0]))  # 2
    """


@_primitive
def nanmean(x, axis=None, keepdims=False):
    """The mean over `axis`. NaNs are ignored.

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1. Integer and bool inputs are computed in floatx.

    Example:
        >>> kfn.ops.nanmean(kfn.ops.convert_to_tensor([1.0, float('nan'), 3.0]))  # 2.0
    """


@_primitive
def nanvar(x, axis=None, keepdims=False):
    """The variance over `axis`. NaNs are ignored.

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1. Integer and bool inputs are computed in floatx.

    Example:
        >>> kfn.ops.nanvar(kfn.ops.convert_to_tensor([1.0, float('nan'), 3.0]))  # 1.0
    """


@_primitive
def nanstd(x, axis=None, keepdims=False):
    """The standard deviation over `axis`. NaNs are ignored.

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1. Integer and bool inputs are computed in floatx.

    Example:
        >>> kfn.ops.nanstd(kfn.ops.convert_to_tensor([1.0, float('nan'), 3.0]))  # 1.0
    """


@_primitive
def nanmedian(x, axis=None, keepdims=False):
    """The median over `axis`. NaNs are ignored.

    `axis` is None (all axes), an int or a tuple of ints; negative axes count from the end. With `keepdims`, reduced axes stay as size 1. Integer and bool inputs are computed in floatx.

    Example:
        >>> kfn.ops.nanmedian(kfn.ops.convert_to_tensor([1.0, float('nan'), 3.0]))  # 2.0
    """


@_primitive
def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantile(s) over `axis`. NaNs are ignored. See `quantile`.

    Example:
        >>> kfn.ops.nanquantile(kfn.ops.convert_to_tensor([1.0, float('nan'), 3.0]), 0.5)  # 2.0
    """


@_primitive
def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th percentile(s) over `axis`. NaNs are ignored. See `quantile`.

    Example:
        >>> kfn.ops.nanpercentile(kfn.ops.convert_to_tensor([1.0, float('nan'), 3.0]), 50)  # 2.0
    """


@_primitive
def bincount(x, weights=None, minlength=0, sparse=False):
    """The number of occurrences of each value in the non-negative int tensor `x` (int32), or the sum of `weights` per value (in the dtype of `weights`). The output has `max(max(x) + 1, minlength)` entries, so it depends on the values: eager only on jax and tensorflow.

    Example:
        >>> kfn.ops.bincount(kfn.ops.convert_to_tensor([0, 1, 1, 3]))  # [1, 2, 0, 1]
    """


@_primitive
def histogram(x, bins=10, range=None):
    """The histogram of `x`: `(counts, bin_edges)`, counts as int32 and the `bins + 1` edges as floats, over `range` (default: min and max of `x`).

    Integer and bool inputs are computed in floatx.

    Example:
        >>> kfn.ops.histogram(kfn.ops.convert_to_tensor([1.0, 2.0, 2.0, 4.0]), bins=3)  # ([1, 2, 1], [1.0, 2.0, 3.0, 4.0])
    """
