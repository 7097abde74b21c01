"""Dtype policies: the dtype a layer computes in and the dtype its variables are kept in.

A plain dtype name ("float32", "bfloat16") is a policy computing and storing in that type;
"mixed_float16" and "mixed_bfloat16" compute in the half type and keep variables in float32,
as Keras's mixed precision does.

A layer takes its policy when it is made: its `dtype` argument, else the global policy
(`set_dtype_policy`), else the configured floatx. Changing either later leaves existing
layers as they are, as in Keras.

Example:
    >>> policy = get("mixed_float16")
    >>> policy.compute_dtype, policy.variable_dtype
    ('float16', 'float32')
    >>> set_dtype_policy("mixed_bfloat16")   # layers made from now on compute in bfloat16
"""

from __future__ import annotations

import dataclasses

from kfn.backends import config
from kfn.backends.common import dtypes

_MIXED = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}


def _policy_name(name) -> str:
    """The canonical policy name for a dtype or policy name (None: floatx)."""
    if name is None:
        return config.floatx()
    if name in _MIXED:
        return name
    try:
        return dtypes.standardize_dtype(name)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"Unknown dtype policy {name!r}: expected a dtype name, "
            f"'mixed_float16' or 'mixed_bfloat16' ({error})"
        ) from None


@dataclasses.dataclass(frozen=True, repr=False)
class DTypePolicy:
    """A named policy (see the module docstring); Keras's `keras.DTypePolicy`.

    Args:
        name: a dtype name ("float32", "bfloat16", ...) or "mixed_float16" / "mixed_bfloat16";
            None is the configured floatx.
    """

    name: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "name", _policy_name(self.name))

    @property
    def compute_dtype(self) -> str:
        return _MIXED.get(self.name, self.name)

    @property
    def variable_dtype(self) -> str:
        return "float32" if self.name in _MIXED else self.name

    @property
    def quantization_mode(self):
        """Keras's attribute; kfn policies are not quantized."""
        return None

    def get_config(self) -> dict:
        return {"name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> DTypePolicy:
        return cls(**config)

    def __repr__(self) -> str:
        return f'<{type(self).__name__} "{self.name}">'


class FloatDTypePolicy(DTypePolicy):
    """Keras's older name for a float `DTypePolicy`."""


_CACHE: dict = {}
_GLOBAL: list = [None]  # the policy set by set_dtype_policy, or None (floatx)


def dtype_policy() -> DTypePolicy:
    """The global policy: the one `set_dtype_policy` set, else the floatx policy."""
    return _GLOBAL[0] or get(config.floatx())


def set_dtype_policy(policy) -> None:
    """Set the policy of the layers made from now on: a policy, a dtype name, or
    "mixed_float16" / "mixed_bfloat16" (Keras's mixed precision). None goes back to floatx."""
    if policy is None:
        _GLOBAL[0] = None
        return
    if not isinstance(policy, DTypePolicy | str | dict):
        raise ValueError(
            "set_dtype_policy: policy must be a DTypePolicy or a policy name, got "
            f"{type(policy).__name__}"
        )
    _GLOBAL[0] = get(policy)


def get(identifier) -> DTypePolicy:
    """The policy for a dtype name, a policy name, a policy, a Keras policy config, or None
    (the global policy)."""
    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):  # Keras: {"class_name": "DTypePolicy", "config": {...}}
        identifier = identifier.get("config", identifier).get("name")
    policy = _CACHE.get(identifier)
    if policy is None:
        policy = _CACHE[identifier] = DTypePolicy(identifier)
    return policy


def serialize(policy) -> dict:
    """Keras's serialized form of a policy."""
    policy = get(policy)
    return {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": policy.get_config(),
        "registered_name": None,
    }


def deserialize(config: dict, custom_objects=None) -> DTypePolicy:
    """The policy of a serialized form (`serialize`, or Keras's)."""
    return get(config)
