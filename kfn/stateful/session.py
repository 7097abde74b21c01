"""The process-wide state of a kfn session: random seeds and default names."""

from __future__ import annotations

import random

import numpy as np

from kfn.backends import config
from kfn.ops import random as random_ops
from kfn.stateful import naming


def set_random_seed(seed: int) -> None:
    """Seed Python's `random`, NumPy, kfn's process-wide generator (`kfn.random` with
    `seed=None`, layer initializers) and the active framework (torch.manual_seed,
    tf.random.set_seed), as Keras does."""
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValueError(f"set_random_seed: seed must be an integer, got {seed!r}")
    random.seed(seed)
    np.random.seed(seed)
    random_ops.set_seed(seed)
    active = config.backend()
    if active == "torch":
        import torch

        torch.manual_seed(seed)
    elif active == "tensorflow":
        import tensorflow as tf

        tf.random.set_seed(seed)


def clear_session(free_memory: bool = True) -> None:
    """Start naming afresh ("dense", "dense_1", ... begin again), as Keras's clear_session."""
    naming.reset()
    if free_memory:
        import gc

        gc.collect()
