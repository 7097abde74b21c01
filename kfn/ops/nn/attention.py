"""kfn.ops.nn: scaled dot-product attention.

A composition of kfn.ops, written once for every backend; under jit the backend compiler
fuses it. Softmax is computed in at least float32.
"""

import math as _math

import numpy as _numpy

from kfn.backends.common import dtypes as _dtypes
from kfn.ops.core import cast as _cast
from kfn.ops.core import convert_to_tensor as _tensor
from kfn.ops.core import dtype as _dtype
from kfn.ops.dispatch import composite as _composite
from kfn.ops.nn.activations import softmax as _softmax
from kfn.ops.numpy import creation as _create
from kfn.ops.numpy import elementwise as _np
from kfn.ops.numpy import products as _products
from kfn.ops.numpy import shape as _shape


@_composite
def dot_product_attention(
    query,
    key,
    value,
    bias=None,
    mask=None,
    scale=None,
    is_causal=False,
    flash_attention=None,
    attn_logits_soft_cap=None,
):
    """Scaled dot-product attention, `softmax(query @ key^T * scale + bias) @ value`.

    Args:
        query: shape (batch, target_length, num_heads, head_dim) (or without batch).
        key, value: shape (batch, source_length, num_kv_heads, head_dim); num_heads must be
            a multiple of num_kv_heads (grouped-query attention repeats the kv heads).
        bias: added to the logits; broadcast to (batch, num_heads, target, source).
        mask: bool, broadcast to (batch, num_heads, target, source); False masks a position.
        scale: multiplies the logits; default `1 / sqrt(head_dim)`.
        is_causal: mask future positions (source index > target index).
        flash_attention: accepted for Keras compatibility; kfn computes attention the same
            way either way (None or False; True raises NotImplementedError).
        attn_logits_soft_cap: if given, logits become `cap * tanh(logits / cap)`.

    Returns:
        The shape of `query`.

    Example:
        >>> out = kfn.ops.dot_product_attention(q, k, v, is_causal=True)
    """
    if flash_attention:
        raise NotImplementedError(
            "kfn.ops.dot_product_attention: flash_attention=True is not supported; "
            "use flash_attention=None (the same result, computed directly)"
        )
    query, key, value = _tensor(query), _tensor(key), _tensor(value)
    unbatched = len(query.shape) == 3
    if unbatched:
        query, key, value = (_shape.expand_dims(t, 0) for t in (query, key, value))
    if len(query.shape) != 4 or len(key.shape) != 4 or len(value.shape) != 4:
        raise ValueError(
            "kfn.ops.dot_product_attention: query, key and value must be 4-D "
            "(batch, length, heads, head_dim), got shapes "
            f"{tuple(query.shape)}, {tuple(key.shape)}, {tuple(value.shape)}"
        )
    heads, kv_heads, head_dim = query.shape[2], key.shape[2], query.shape[3]
    if heads % kv_heads:
        raise ValueError(
            f"kfn.ops.dot_product_attention: query heads ({heads}) must be a multiple of "
            f"key/value heads ({kv_heads})"
        )
    if heads != kv_heads:
        key = _shape.repeat(key, heads // kv_heads, axis=2)
        value = _shape.repeat(value, heads // kv_heads, axis=2)
    dtype = _dtypes.result_type(_dtype(query), _dtype(key), _dtype(value))
    compute = _dtypes.result_type(_dtypes.to_float(dtype), "float32")
    scale = 1.0 / _math.sqrt(head_dim) if scale is None else scale
    logits = _products.einsum("btnh,bsnh->bnts", _cast(query, compute), _cast(key, compute)) * scale
    if attn_logits_soft_cap is not None:
        logits = attn_logits_soft_cap * _np.tanh(logits / attn_logits_soft_cap)
    if bias is not None:
        logits = logits + _cast(_tensor(bias), compute)
    keep = None
    if mask is not None:
        keep = _cast(_tensor(mask), "bool")
    if is_causal:
        target, source = query.shape[1], key.shape[1]
        causal = _np.greater_equal(
            _create.arange(target, dtype="int32")[:, None],
            _create.arange(source, dtype="int32")[None, :],
        )
        keep = causal if keep is None else _np.logical_and(keep, causal)
    if keep is not None:
        # The most negative finite value: fully masked rows become uniform, not NaN.
        logits = _np.where(keep, logits, _create.full_like(logits, _dtypes_min(compute)))
    weights = _softmax(logits, axis=-1)
    out = _products.einsum("bnts,bsnh->btnh", weights, _cast(value, compute))
    out = _cast(out, _dtypes.to_float(dtype))
    return _shape.squeeze(out, 0) if unbatched else out


def _dtypes_min(dtype):
    return float(_numpy.finfo(dtype).min) / 2
