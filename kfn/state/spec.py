"""TensorSpec: the shape and dtype of a tensor, with None for dimensions not known yet."""

from __future__ import annotations

import dataclasses

from kfn.backends.common import dtypes


@dataclasses.dataclass(frozen=True)
class TensorSpec:
    """Shape and dtype of a tensor; a pytree leaf.

    Args:
        shape: a tuple of ints, with None for unknown dimensions (e.g. the batch size).
        dtype: a kfn dtype (any dtype-like is standardized; None gives floatx).

    Example:
        >>> TensorSpec((None, 3), "float32")
        TensorSpec(shape=(None, 3), dtype='float32')
    """

    shape: tuple
    dtype: str = "float32"

    def __post_init__(self):
        try:
            shape = tuple(None if d is None else int(d) for d in self.shape)
        except (TypeError, ValueError):
            raise ValueError(
                f"TensorSpec: shape must be a tuple of ints or None, got {self.shape!r}"
            ) from None
        if any(d is not None and d < 0 for d in shape):
            raise ValueError(f"TensorSpec: dimensions must be >= 0, got shape {shape}")
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "dtype", dtypes.standardize_dtype(self.dtype))

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @classmethod
    def of(cls, x) -> TensorSpec:
        """The spec of a tensor (or anything with `shape` and `dtype`)."""
        return cls(tuple(x.shape), x.dtype)
