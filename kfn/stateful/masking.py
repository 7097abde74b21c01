"""Masks attached to tensors, as Keras attaches them: a layer that makes or passes on a mask
(Embedding with mask_zero, Masking, Dense, Dropout, ...) attaches it to its output, and the
next layer whose call takes `mask` receives it.

A mask is a boolean tensor, True where a position counts. It lives in the tensor's
`_keras_mask` attribute where the tensor takes attributes (torch, TensorFlow, JAX arrays),
else in a table keyed by the tensor's id for as long as the tensor lives (NumPy arrays, JAX
tracers).
"""

from __future__ import annotations

import weakref

_ATTRIBUTE = "_keras_mask"
_TABLE: dict[int, object] = {}
# Set once any mask is attached: until then layers skip looking for masks.
ACTIVE = [False]


def get_mask(x):
    """The mask attached to `x`, or None."""
    mask = getattr(x, _ATTRIBUTE, None)
    if mask is None and _TABLE:
        mask = _TABLE.get(id(x))
    return mask


def set_mask(x, mask) -> None:
    """Attach `mask` to `x` (None removes it)."""
    if mask is not None:
        ACTIVE[0] = True
    try:
        setattr(x, _ATTRIBUTE, mask)
        return
    except (AttributeError, TypeError):
        pass
    key = id(x)
    if mask is None:
        _TABLE.pop(key, None)
        return
    try:
        weakref.finalize(x, _TABLE.pop, key, None)
    except TypeError:
        return  # a value that cannot be followed (a Python number) carries no mask
    _TABLE[key] = mask
