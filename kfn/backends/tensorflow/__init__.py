"""The tensorflow backend: the same modules as every other backend (see kfn/backends/jax)."""

from kfn.backends.tensorflow import (
    autodiff,
    compile,
    core,
    image,
    linalg,
    math,
    nn,
    numpy,
    random,
    variables,
)
