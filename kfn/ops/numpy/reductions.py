"""kfn.ops.numpy: reductions and statistics (sums, extrema, moments, quantiles, NaN-ignoring
variants, counting).

Conventions shared by the reductions here, as in NumPy: `axis` is None (every axis), an int or
a tuple of ints, negative axes counting from the end, and an empty tuple reducing nothing;
with `keepdims=True` the reduced axes stay as size 1. Result dtypes are the same on every
backend: sums and products of bool, int8 and int16 accumulate in int32 and of uint8 and uint16
in uint32 (as Keras; other types are kept); statistics of ints and bools are floats of floatx;
half-precision statistics are computed in float32 and returned in the input's dtype.
"""

from kfn.backends import active as _active
from kfn.ops.dispatch import primitive_of as _primitive_of

_primitive = _primitive_of(_active.numpy.reductions)

# ---------------------------------------------------------------------------- sums, products


@_primitive
def sum(x, axis=None, keepdims=False):
    """The sum of the elements of `x` over `axis`.

    Example:
        >>> kfn.ops.sum(kfn.ops.convert_to_tensor([[1, 2], [3, 4]]), axis=0)  # [4, 6], int32
    """


@_primitive
def prod(x, axis=None, keepdims=False, dtype=None):
    """The product of the elements of `x` over `axis`, accumulated in `dtype` (default: as `sum`).

    Example:
        >>> kfn.ops.prod(kfn.ops.convert_to_tensor([1, 2, 3]))  # 6, int32
    """


@_primitive
def cumsum(x, axis=None, dtype=None):
    """The cumulative sum along `axis` (of the flattened `x` when None).

    Accumulated in `dtype`; by default as `sum`.

    Example:
        >>> kfn.ops.cumsum(kfn.ops.convert_to_tensor([1, 2, 3]))  # [1, 3, 6]
    """


@_primitive
def cumprod(x, axis=None, dtype=None):
    """The cumulative product along `axis` (of the flattened `x` when None).

    Accumulated in `dtype`; by default as `sum`.

    Example:
        >>> kfn.ops.cumprod(kfn.ops.convert_to_tensor([1, 2, 3]))  # [1, 2, 6]
    """


@_primitive
def count_nonzero(x, axis=None):
    """The number of nonzero (true, NaN included) elements over `axis`, as int32.

    Example:
        >>> kfn.ops.count_nonzero(kfn.ops.convert_to_tensor([0, 1, 2]))  # 2
    """


@_primitive
def logsumexp(x, axis=None, keepdims=False):
    """`log(sum(exp(x)))` over `axis`, computed without overflow; -inf for empty or all -inf slices.

    Example:
        >>> kfn.ops.logsumexp(kfn.ops.convert_to_tensor([1000.0, 1000.0]))  # 1000.6931
    """


@_primitive
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """The integral of `y` along `axis` by the trapezoidal rule.

    Args:
        y: the values to integrate.
        x: the sample points: 1-D (one per entry of `y` along `axis`) or broadcastable with
            `y`. None: evenly spaced by `dx`.
        dx: the spacing of the samples when `x` is None.
        axis: the axis to integrate along.

    Returns:
        `y` with `axis` removed, in the float type of `y` and `x` (floatx for ints).

    Example:
        >>> kfn.ops.trapezoid(kfn.ops.convert_to_tensor([1.0, 2.0, 3.0]))  # 4.0
    """


# ---------------------------------------------------------------------------- extrema, logic


@_primitive
def max(x, axis=None, keepdims=False, initial=None):
    """The largest element over `axis` (NaN if any is NaN), in the dtype of `x`.

    `initial`, when given, takes part in the comparison, so an empty reduction gives it;
    without it, reducing an empty axis is an error.

    Example:
        >>> kfn.ops.max(kfn.ops.convert_to_tensor([[1, 5], [3, 2]]), axis=1)  # [5, 3]
    """


@_primitive
def min(x, axis=None, keepdims=False, initial=None):
    """The smallest element over `axis` (NaN if any is NaN), in the dtype of `x`; see `max`.

    Example:
        >>> kfn.ops.min(kfn.ops.convert_to_tensor([[1, 5], [3, 2]]), axis=1)  # [1, 2]
    """


@_primitive
def amax(x, axis=None, keepdims=False):
    """The largest element over `axis` (as `max` without `initial`).

    Example:
        >>> kfn.ops.amax(kfn.ops.convert_to_tensor([1, 5, 3]))  # 5
    """


@_primitive
def amin(x, axis=None, keepdims=False):
    """The smallest element over `axis` (as `min` without `initial`).

    Example:
        >>> kfn.ops.amin(kfn.ops.convert_to_tensor([1, 5, 3]))  # 1
    """


@_primitive
def ptp(x, axis=None, keepdims=False):
    """The range `max - min` over `axis`, in the dtype of `x` (integers wrap around, as in NumPy).

    Example:
        >>> kfn.ops.ptp(kfn.ops.convert_to_tensor([1, 5, 3]))  # 4
    """


@_primitive
def argmax(x, axis=None, keepdims=False):
    """The index (int32) of the largest element along `axis`, an int (None: the flattened `x`).

    The first occurrence wins ties; a NaN counts as the largest value, as in NumPy.

    Example:
        >>> kfn.ops.argmax(kfn.ops.convert_to_tensor([1, 5, 5]))  # 1
    """


@_primitive
def argmin(x, axis=None, keepdims=False):
    """The index (int32) of the smallest element along `axis`, an int (None: the flattened `x`).

    The first occurrence wins ties; a NaN counts as the smallest value, as in NumPy.

    Example:
        >>> kfn.ops.argmin(kfn.ops.convert_to_tensor([3, 1, 1]))  # 1
    """


@_primitive
def all(x, axis=None, keepdims=False):
    """Whether every element over `axis` is true (nonzero), as bool.

    Example:
        >>> kfn.ops.all(kfn.ops.convert_to_tensor([True, False]))  # False
    """


@_primitive
def any(x, axis=None, keepdims=False):
    """Whether any element over `axis` is true (nonzero), as bool.

    Example:
        >>> kfn.ops.any(kfn.ops.convert_to_tensor([True, False]))  # True
    """


# ---------------------------------------------------------------------------- statistics


@_primitive
def mean(x, axis=None, keepdims=False):
    """The arithmetic mean over `axis`.

    Example:
        >>> kfn.ops.mean(kfn.ops.convert_to_tensor([1, 2, 3, 4]))  # 2.5, float32
    """


@_primitive
def var(x, axis=None, keepdims=False):
    """The (population) variance over `axis`.

    Example:
        >>> kfn.ops.var(kfn.ops.convert_to_tensor([1.0, 3.0]))  # 1.0
    """


@_primitive
def std(x, axis=None, keepdims=False):
    """The (population) standard deviation over `axis`.

    Example:
        >>> kfn.ops.std(kfn.ops.convert_to_tensor([1.0, 3.0]))  # 1.0
    """


@_primitive
def average(x, axis=None, weights=None):
    """The weighted average over `axis`.

    Args:
        x: the values.
        axis: None, an int or a tuple of ints.
        weights: None (the mean), a tensor of `x`'s shape, or one of the shape of the
            averaged axes of `x` (in `axis`'s order). Weights summing to 0 give inf or NaN.

    Returns:
        The average, in the float type of `x` and `weights` (floatx for ints).

    Example:
        >>> kfn.ops.average(kfn.ops.convert_to_tensor([1.0, 3.0]), weights=kfn.ops.convert_to_tensor([3.0, 1.0]))  # 1.5
    """


@_primitive
def median(x, axis=None, keepdims=False):
    """The median over `axis` (NaN if any element is NaN).

    Example:
        >>> kfn.ops.median(kfn.ops.convert_to_tensor([3.0, 1.0, 2.0]))  # 2.0
    """


@_primitive
def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantile(s) of `x` over `axis` (NaN if any element is NaN).

    Args:
        x: the values.
        q: a scalar or 1-D tensor of quantiles in [0, 1] (checked when given as Python
            numbers or NumPy arrays); a 1-D `q` adds a leading axis to the result.
        axis: None, an int or a tuple of ints.
        method: how to read between two data points, as NumPy: "linear", "lower",
            "higher", "midpoint" or "nearest" (rounding half to even).
        keepdims: keep the reduced axes as size 1.

    Example:
        >>> kfn.ops.quantile(kfn.ops.convert_to_tensor([1.0, 2.0, 3.0, 4.0]), 0.5)  # 2.5
    """


@_primitive
def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th percentile(s) of `x` over `axis`, `q` in [0, 100]; see `quantile`.

    Example:
        >>> kfn.ops.percentile(kfn.ops.convert_to_tensor([1.0, 2.0, 3.0, 4.0]), 50)  # 2.5
    """


@_primitive
def corrcoef(x):
    """The Pearson correlation coefficients of the rows (variables) of the 1-D or 2-D `x`.

    Each column is an observation. A constant row gives NaN.

    Example:
        >>> kfn.ops.corrcoef(kfn.ops.convert_to_tensor([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]))  # [[1, -1], [-1, 1]]
    """


# ---------------------------------------------------------------------------- NaN-ignoring


@_primitive
def nansum(x, axis=None, keepdims=False):
    """The sum over `axis`, NaNs counted as zero; dtypes as `sum`.

    Example:
        >>> kfn.ops.nansum(kfn.ops.convert_to_tensor([1.0, float("nan"), 3.0]))  # 4.0
    """


@_primitive
def nanprod(x, axis=None, keepdims=False):
    """The product over `axis`, NaNs counted as one; dtypes as `sum`.

    Example:
        >>> kfn.ops.nanprod(kfn.ops.convert_to_tensor([2.0, float("nan"), 3.0]))  # 6.0
    """


@_primitive
def nancumsum(x, axis=None, dtype=None):
    """The cumulative sum along `axis`, NaNs counted as zero; see `cumsum`.

    Example:
        >>> kfn.ops.nancumsum(kfn.ops.convert_to_tensor([1.0, float("nan"), 3.0]))  # [1.0, 1.0, 4.0]
    """


@_primitive
def nancumprod(x, axis=None, dtype=None):
    """The cumulative product along `axis`, NaNs counted as one; see `cumprod`.

    Example:
        >>> kfn.ops.nancumprod(kfn.ops.convert_to_tensor([2.0, float("nan"), 3.0]))  # [2.0, 2.0, 6.0]
    """


@_primitive
def nanmax(x, axis=None, keepdims=False):
    """The largest element over `axis`, ignoring NaNs; all-NaN slices give NaN.

    Example:
        >>> kfn.ops.nanmax(kfn.ops.convert_to_tensor([1.0, float("nan")]))  # 1.0
    """


@_primitive
def nanmin(x, axis=None, keepdims=False):
    """The smallest element over `axis`, ignoring NaNs; all-NaN slices give NaN.

    Example:
        >>> kfn.ops.nanmin(kfn.ops.convert_to_tensor([1.0, float("nan")]))  # 1.0
    """


@_primitive
def nanargmax(x, axis=None, keepdims=False):
    """The index (int32) of the largest element along `axis`, ignoring NaNs.

    All-NaN slices give -1 (as Keras; NumPy raises).

    Example:
        >>> kfn.ops.nanargmax(kfn.ops.convert_to_tensor([float("nan"), 2.0, 1.0]))  # 1
    """


@_primitive
def nanargmin(x, axis=None, keepdims=False):
    """The index (int32) of the smallest element along `axis`, ignoring NaNs.

    All-NaN slices give -1 (as Keras; NumPy raises).

    Example:
        >>> kfn.ops.nanargmin(kfn.ops.convert_to_tensor([float("nan"), 2.0, 1.0]))  # 2
    """


@_primitive
def nanmean(x, axis=None, keepdims=False):
    """The mean over `axis`, ignoring NaNs; all-NaN slices give NaN.

    Example:
        >>> kfn.ops.nanmean(kfn.ops.convert_to_tensor([1.0, float("nan"), 3.0]))  # 2.0
    """


@_primitive
def nanvar(x, axis=None, keepdims=False):
    """The (population) variance over `axis`, ignoring NaNs; all-NaN slices give NaN.

    Example:
        >>> kfn.ops.nanvar(kfn.ops.convert_to_tensor([1.0, float("nan"), 3.0]))  # 1.0
    """


@_primitive
def nanstd(x, axis=None, keepdims=False):
    """The (population) standard deviation over `axis`, ignoring NaNs; all-NaN slices give NaN.

    Example:
        >>> kfn.ops.nanstd(kfn.ops.convert_to_tensor([1.0, float("nan"), 3.0]))  # 1.0
    """


@_primitive
def nanmedian(x, axis=None, keepdims=False):
    """The median over `axis`, ignoring NaNs; all-NaN slices give NaN.

    Example:
        >>> kfn.ops.nanmedian(kfn.ops.convert_to_tensor([1.0, float("nan"), 3.0]))  # 2.0
    """


@_primitive
def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantile(s) over `axis`, ignoring NaNs; see `quantile`.

    Example:
        >>> kfn.ops.nanquantile(kfn.ops.convert_to_tensor([1.0, float("nan"), 3.0]), 0.5)  # 2.0
    """


@_primitive
def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th percentile(s) over `axis`, `q` in [0, 100], ignoring NaNs; see `quantile`.

    Example:
        >>> kfn.ops.nanpercentile(kfn.ops.convert_to_tensor([1.0, float("nan"), 3.0]), 50)  # 2.0
    """


# ---------------------------------------------------------------------------- counting


@_primitive
def bincount(x, weights=None, minlength=0, sparse=False):
    """The number of occurrences of each value of `x`, or the sum of `weights` per value.

    Args:
        x: a 1-D tensor of non-negative ints, or a 2-D one to count each row separately.
        weights: None, or a tensor of the shape of `x` whose values are summed per value.
        minlength: the least length of the output.
        sparse: sparse outputs are not supported (kfn has no sparse tensors).

    Returns:
        `max(max(x) + 1, minlength)` entries (per row), as int32 without weights and in the
        common type of `x` and `weights` with them (as Keras). The length depends on the
        values of `x`: eager only on jax; traces on tensorflow (with a run-time size).

    Example:
        >>> kfn.ops.bincount(kfn.ops.convert_to_tensor([0, 1, 1, 3]))  # [1, 2, 0, 1]
    """


@_primitive
def histogram(x, bins=10, range=None):
    """The histogram of the values of `x` (flattened), over `bins` equal bins, as NumPy bins them.

    Args:
        x: the values; NaNs and values outside `range` are not counted.
        bins: the number of bins, a positive int.
        range: `(low, high)`, the outer bin edges; None: the smallest and largest value of
            `x` (which must then be finite). An empty range is widened by 0.5 on each side.

    Returns:
        `(counts, bin_edges)`: `bins` counts as int32 and `bins + 1` edges in the float type
        of `x` (floatx for ints). Works under jit on every backend.

    Example:
        >>> kfn.ops.histogram(kfn.ops.convert_to_tensor([1.0, 2.0, 2.0, 4.0]), bins=3)  # ([1, 2, 1], [1.0, 2.0, 3.0, 4.0])
    """
