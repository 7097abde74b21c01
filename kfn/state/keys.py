"""RNG keys: the explicit randomness of kfn's pure functions.

A key is a uint32 tensor of shape (2,), the layout of `jax.random.PRNGKey`, on every backend.
JAX and TensorFlow consume keys on the device (threefry, stateless TF ops); torch and NumPy
seed a generator from the key on the host. Splitting a key gives independent keys; the same
key always gives the same numbers on a given backend.

This module holds the backend-neutral host arithmetic; `kfn.random` works on tensors.
"""

from __future__ import annotations

import numpy as np

KEY_SHAPE = (2,)
KEY_DTYPE = "uint32"
_MASK = 0xFFFFFFFF


def key_data(seed: int) -> np.ndarray:
    """The key for an integer seed, as a NumPy uint32 array: [high 32 bits, low 32 bits].

    Example:
        >>> key_data(42)
        array([ 0, 42], dtype=uint32)
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"a seed must be an int, got {type(seed).__name__} {seed!r}")
    seed = int(seed) & 0xFFFFFFFFFFFFFFFF
    return np.array([(seed >> 32) & _MASK, seed & _MASK], dtype=np.uint32)


def check_key(key: np.ndarray) -> np.ndarray:
    """`key` as a uint32 NumPy array of shape (2,); ValueError naming what was received."""
    array = np.asarray(key)
    if array.shape != KEY_SHAPE:
        raise ValueError(
            f"an RNG key must have shape (2,) (as made by kfn.random.key(seed)), "
            f"got shape {array.shape}"
        )
    if array.dtype.kind not in "iu":
        raise ValueError(f"an RNG key must hold integers, got dtype {array.dtype}")
    return array.astype(np.uint32)


def host_generator(key) -> np.random.Generator:
    """A NumPy Generator determined by `key` (used by the torch and NumPy backends)."""
    words = check_key(key)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(w) for w in words])))


def host_seed(key) -> int:
    """A 63-bit integer seed determined by `key`, for generators seeded by one int (torch).

    Both key words are hashed into every bit: torch's CPU generator keeps only the low 32 bits
    of its seed, so [seed, counter] keys must not map to seeds that differ in high bits only.
    """
    words = np.random.SeedSequence([int(w) for w in check_key(key)]).generate_state(2)
    return ((int(words[0]) << 32) | int(words[1])) & 0x7FFFFFFFFFFFFFFF


def host_split(key, num: int) -> np.ndarray:
    """`num` new keys derived from `key`, shape (num, 2)."""
    return host_generator(key).integers(0, 2**32, size=(num, 2), dtype=np.uint32)


def host_fold_in(key, data: int) -> np.ndarray:
    """A new key determined by `key` and the integer `data`."""
    words = check_key(key)
    sequence = np.random.SeedSequence([int(w) for w in words] + [int(data) & _MASK, 0x9E3779B9])
    return sequence.generate_state(2, dtype=np.uint32)


def generator_state(seed: int) -> np.ndarray:
    """The initial state of a SeedGenerator: [32-bit hash of the seed, counter 0].

    A generator's n-th key is [hash, n]: keys of one generator never repeat, and generators
    with different seeds draw from different streams.
    """
    key_data(seed)  # validates
    word = np.random.SeedSequence(int(seed) & 0xFFFFFFFFFFFFFFFF).generate_state(1)[0]
    return np.array([word, 0], dtype=np.uint32)


# Added to a SeedGenerator's state after each draw.
GENERATOR_INCREMENT = np.array([0, 1], dtype=np.uint32)
