"""`kfn.random`: random numbers as in `keras.random`, with explicit keys for pure code."""

from kfn.ops.random import (
    beta,
    binomial,
    categorical,
    draw_key,
    dropout,
    fold_in,
    gamma,
    key,
    normal,
    randint,
    set_seed,
    shuffle,
    split,
    truncated_normal,
    uniform,
)
from kfn.stateful.seed_generator import SeedGenerator
