"""Dtype policies: the dtype a layer computes in and the dtype its variables are kept in.

A plain dtype name ("float32", "bfloat16") is a policy computing and storing in that type;
"mixed_float16" and "mixed_bfloat16" compute in the half type and keep variables in float32,
as Keras's mixed precision does. None is the configured floatx.

Example:
    >>> policy = get("mixed_float16")
    >>> policy.compute_dtype, policy.variable_dtype
    ('float16', 'float32')
"""

from __future__ import annotations

import dataclasses

from kfn.backends import config
from kfn.backends.common import dtypes

_MIXED = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}


@dataclasses.dataclass(frozen=True)
class DTypePolicy:
    """A named policy (see the module docstring)."""

    name: str

    @property
    def compute_dtype(self) -> str:
        return _MIXED.get(self.name, self.name)

    @property
    def variable_dtype(self) -> str:
        return "float32" if self.name in _MIXED else self.name

    def get_config(self) -> dict:
        return {"name": self.name}


_CACHE: dict = {}


def get(identifier) -> DTypePolicy:
    """The policy for a dtype name, a policy name, a policy, a Keras policy config, or None
    (floatx)."""
    if identifier is None:
        identifier = config.floatx()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):  # Keras: {"class_name": "DTypePolicy", "config": {...}}
        identifier = identifier.get("config", identifier).get("name")
    policy = _CACHE.get(identifier)
    if policy is not None:
        return policy
    if identifier in _MIXED:
        policy = DTypePolicy(identifier)
    else:
        try:
            policy = DTypePolicy(dtypes.standardize_dtype(identifier))
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"Unknown dtype policy {identifier!r}: expected a dtype name, "
                f"'mixed_float16' or 'mixed_bfloat16' ({error})"
            ) from None
    _CACHE[identifier] = policy
    return policy
