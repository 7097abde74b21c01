"""The torch backend: the same modules as every other backend (see kfn/backends/jax)."""

from kfn.backends.torch import (
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
