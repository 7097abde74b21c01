"""kfn.ops.nn: normalization (moments, batch/layer/RMS normalization, vector normalization).

Compositions of kfn.ops, written once for every backend. Statistics of float16/bfloat16 inputs
are computed in float32 (as Keras does) and cast back.
"""

import math as _math

from kfn.backends import config as _config
from kfn.backends.common import dtypes as _dtypes
from kfn.ops.core import cast as _cast
from kfn.ops.core import convert_to_tensor as _tensor
from kfn.ops.core import dtype as _dtype
from kfn.ops.dispatch import composite as _composite
from kfn.ops.numpy import elementwise as _np
from kfn.ops.numpy import reductions as _reduce
from kfn.ops.numpy import shape as _shape


def _compute_dtype(x):
    """The dtype statistics of `x` are computed in: at least float32."""
    return _dtypes.result_type(_dtypes.to_float(_dtype(x)), "float32")


def _axes(axis, ndim):
    """`axis` (an int, a sequence of ints, or None for every axis) as sorted axes."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    return tuple(sorted(a % ndim for a in axes))


def _broadcast_along(v, x, axes):
    """A parameter of the shape of `x` on `axes` reshaped to broadcast against `x`."""
    v = _tensor(v)
    if len(v.shape) == len(x.shape):
        return v
    shape = [1] * len(x.shape)
    for a in axes:
        shape[a] = x.shape[a]
    return _shape.reshape(v, shape)


@_composite
def moments(x, axes, keepdims=False, synchronized=False):
    """The mean and variance of `x` over `axes`.

    Args:
        x: the input.
        axes: the axes to reduce (an int or a sequence of ints).
        keepdims: keep the reduced axes as size 1.
        synchronized: accepted for Keras compatibility; kfn computes on one device's data
            (cross-replica statistics come with distribution support).

    Returns:
        `(mean, variance)`, float, in the dtype of `x` (ints: floatx).

    Example:
        >>> mean, variance = kfn.ops.moments(kfn.ops.convert_to_tensor([1.0, 3.0]), axes=0)  # 2.0, 1.0
    """
    x = _tensor(x)
    out_dtype = _dtypes.to_float(_dtype(x))
    compute = _cast(x, _compute_dtype(x))
    axes = _axes(axes, len(x.shape))
    mean = _reduce.mean(compute, axis=axes, keepdims=True)
    centered = compute - mean
    variance = _reduce.mean(centered * centered, axis=axes, keepdims=keepdims)
    if not keepdims:
        mean = _shape.squeeze(mean, axes)
    return _cast(mean, out_dtype), _cast(variance, out_dtype)


@_composite
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """`(x - mean) / sqrt(variance + epsilon) * scale + offset`, with `mean`, `variance`,
    `offset` and `scale` vectors along `axis` (the feature axis).

    Example:
        >>> kfn.ops.batch_normalization(x, mean, variance, axis=-1)
    """
    x = _tensor(x)
    axes = _axes(axis, len(x.shape))
    dtype = _dtype(x)
    inverse = _np.rsqrt(_cast(_broadcast_along(variance, x, axes), dtype) + epsilon)
    if scale is not None:
        inverse = inverse * _cast(_broadcast_along(scale, x, axes), dtype)
    out = (x - _cast(_broadcast_along(mean, x, axes), dtype)) * inverse
    if offset is not None:
        out = out + _cast(_broadcast_along(offset, x, axes), dtype)
    return out


@_composite
def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """`x` normalized to zero mean and unit variance over `axis`, then `* gamma + beta`.

    Args:
        x: the input.
        gamma, beta: optional scale and offset of the shape of `x` on `axis`.
        axis: an int or a sequence of ints.
        epsilon: added to the variance; default `kfn.config.epsilon()`.

    Example:
        >>> kfn.ops.layer_normalization(kfn.ops.convert_to_tensor([[1.0, 3.0]]))  # [[-1.0, 1.0]]
    """
    if kwargs:
        raise TypeError(f"kfn.ops.layer_normalization: unexpected arguments {sorted(kwargs)}")
    epsilon = _config.epsilon() if epsilon is None else epsilon
    x = _tensor(x)
    dtype = _dtypes.to_float(_dtype(x))
    compute = _cast(x, _compute_dtype(x))
    axes = _axes(axis, len(x.shape))
    mean = _reduce.mean(compute, axis=axes, keepdims=True)
    centered = compute - mean
    variance = _reduce.mean(centered * centered, axis=axes, keepdims=True)
    out = _cast(centered * _np.rsqrt(variance + epsilon), dtype)
    if gamma is not None:
        out = out * _cast(_broadcast_along(gamma, x, axes), dtype)
    if beta is not None:
        out = out + _cast(_broadcast_along(beta, x, axes), dtype)
    return out


@_composite
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """`x * rsqrt(mean(x**2) + epsilon) * scale` over `axis`.

    Example:
        >>> kfn.ops.rms_normalization(kfn.ops.convert_to_tensor([[3.0, 4.0]]))  # [[0.8485, 1.1314]]
    """
    epsilon = _config.epsilon() if epsilon is None else epsilon
    x = _tensor(x)
    dtype = _dtypes.to_float(_dtype(x))
    compute = _cast(x, _compute_dtype(x))
    axes = _axes(axis, len(x.shape))
    mean_square = _reduce.mean(compute * compute, axis=axes, keepdims=True)
    out = _cast(compute * _np.rsqrt(mean_square + epsilon), dtype)
    if scale is not None:
        out = out * _cast(_broadcast_along(scale, x, axes), dtype)
    return out


@_composite
def normalize(x, axis=-1, order=2, epsilon=None):
    """`x / max(norm(x), epsilon)`, the `order`-norm taken over `axis`.

    Args:
        x: the input.
        axis: an int, a tuple of ints, or None (the norm of all of `x`).
        order: the norm's exponent (1, 2, any p > 0, or inf).
        epsilon: a lower bound on the norm; default `kfn.config.epsilon()`.

    Example:
        >>> kfn.ops.normalize(kfn.ops.convert_to_tensor([3.0, 4.0]))  # [0.6, 0.8]
    """
    epsilon = _config.epsilon() if epsilon is None else epsilon
    x = _tensor(x)
    x = _cast(x, _dtypes.to_float(_dtype(x)))
    axes = _axes(axis, len(x.shape))
    magnitude = _np.absolute(x)
    if order == 2:
        norm = _np.sqrt(_reduce.sum(x * x, axis=axes, keepdims=True))
    elif order == 1:
        norm = _reduce.sum(magnitude, axis=axes, keepdims=True)
    elif order == _math.inf:
        norm = _reduce.max(magnitude, axis=axes, keepdims=True)
    elif isinstance(order, int | float) and order > 0:
        norm = _np.power(
            _reduce.sum(_np.power(magnitude, order), axis=axes, keepdims=True), 1.0 / order
        )
    else:
        raise ValueError(
            f"kfn.ops.normalize: order must be a positive number or inf, got {order!r}"
        )
    return x / _np.maximum(norm, epsilon)
