"""Pure definitions: layers, models, initializers, activations, regularizers, constraints.

Everything here is a function of explicit state; nothing mutates. The Keras-style stateful
classes in `kfn.stateful` are generated from these."""

from kfn.pure import layers, models
