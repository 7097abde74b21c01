"""SeedGenerator: the stateful form of kfn's RNG keys."""

from __future__ import annotations

import os

from kfn import ops
from kfn.state import keys


class SeedGenerator:
    """A source of fresh RNG keys: each `next()` returns a new key and advances the state.

    Pass it as `seed=` to any `kfn.random` function. Its state is a uint32 tensor of shape (2,)
    (`generator.state`); the same seed gives the same sequence of keys.

    Args:
        seed: an int; None draws one from the operating system.
        name: an optional name.

    Example:
        >>> gen = kfn.random.SeedGenerator(42)
        >>> a = kfn.random.normal((2,), seed=gen)
        >>> b = kfn.random.normal((2,), seed=gen)  # different numbers from a
    """

    def __init__(self, seed: int | None = None, name: str | None = None):
        if seed is None:
            seed = int.from_bytes(os.urandom(4), "little")
        self.initial_seed = seed
        self.name = name or "seed_generator"
        self.state = ops.convert_to_tensor(keys.generator_state(seed), "uint32")

    def next(self):
        """The next key (a uint32 tensor of shape (2,)); advances the state."""
        key = self.state
        self.state = ops.add(key, ops.convert_to_tensor(keys.GENERATOR_INCREMENT, "uint32"))
        return key

    def get_config(self) -> dict:
        return {"seed": self.initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> SeedGenerator:
        return cls(**config)

    def __repr__(self) -> str:
        return f"SeedGenerator(seed={self.initial_seed})"
