"""The numpy backend: the same modules as every other backend (see kfn/backends/jax)."""

from kfn.backends.numpy import (
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
