"""SeedGenerator: the stateful form of kfn's RNG keys."""

from __future__ import annotations

import os

from kfn import ops
from kfn.state import keys
from kfn.stateful.variable import Variable


class SeedGenerator:
    """A source of fresh RNG keys: each `next()` returns a new key and advances the state.

    Pass it as `seed=` to any `kfn.random` function. Its state is a non-trainable
    `kfn.Variable` of dtype uint32 and shape (2,) (`generator.state`), so a layer holding a
    generator returns the advanced state from `stateless_call`; the same seed gives the same
    sequence of keys.

    Args:
        seed: an int; None draws one from the operating system.
        name: the generator's name; its state variable is called `<name>_state`.

    Example:
        >>> gen = kfn.random.SeedGenerator(42)
        >>> a = kfn.random.normal((2,), seed=gen)
        >>> b = kfn.random.normal((2,), seed=gen)  # different numbers from a
    """

    def __init__(self, seed: int | None = None, name: str | None = None, **kwargs):
        if seed is None:
            seed = int.from_bytes(os.urandom(4), "little")
        self.initial_seed = seed
        self.name = name or "seed_generator"
        self.state = Variable(
            keys.generator_state(seed),
            dtype="uint32",
            trainable=False,
            name=f"{self.name}_state",
        )
        self._increment = None

    def next(self, ordered: bool = True):
        """The next key (a uint32 tensor of shape (2,)); advances the state."""
        key = self.state.value
        if self._increment is None:
            self._increment = ops.convert_to_tensor(keys.GENERATOR_INCREMENT, "uint32")
        self.state.assign(ops.add(key, self._increment))
        return key

    def get_config(self) -> dict:
        return {"seed": self.initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> SeedGenerator:
        return cls(**config)

    def __repr__(self) -> str:
        return f"SeedGenerator(seed={self.initial_seed})"
