"""`kfn.layers`: Keras's layers, on every backend (generated from `kfn.pure.layers`)."""

from kfn.pure.layers.base import InputSpec
from kfn.stateful.cloning import deserialize, serialize
from kfn.stateful.input_layer import Input
from kfn.stateful.layer import Layer
from kfn.stateful.layers import *
from kfn.stateful.merging import (
    add,
    average,
    concatenate,
    dot,
    maximum,
    minimum,
    multiply,
    subtract,
)
from kfn.stateful.wrappers import SpectralNormalization, Wrapper
