"""Layers that wrap another layer (Keras's `Wrapper`), and SpectralNormalization.

A wrapper holds the wrapped stateful layer as a sub-layer, so its variables keep their own
paths (`spectral_normalization/dense/kernel`) and its pure view nests them under its name.
"""

from __future__ import annotations

from kfn import ops
from kfn.pure import initializers, registry
from kfn.pure.layers import wrappers as pure_wrappers
from kfn.state.spec import TensorSpec
from kfn.stateful.layer import Layer
from kfn.stateful.variable import StatelessScope


class Wrapper(Layer):
    """The base of layers that wrap one layer (Keras's `keras.layers.Wrapper`).

    Args:
        layer: the layer to wrap.
        **kwargs: the base layer arguments (name, dtype, trainable).
    """

    def __init__(self, layer, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(layer, Layer):
            raise TypeError(
                f"{type(self).__name__}: layer must be a kfn layer, got {type(layer).__name__}"
            )
        self.layer = layer

    def build(self, input_shape=None) -> None:
        if not self.layer.built:
            self.layer.build(input_shape)
        self.built = True

    def get_config(self) -> dict:
        return {**super().get_config(), "layer": registry.serialize(self.layer)}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        config["layer"] = registry.deserialize("layers", config["layer"], custom_objects)
        return cls(**config)


class SpectralNormalization(Wrapper):
    """Spectral normalization of the wrapped layer's kernel (Keras's `SpectralNormalization`):
    the layer computes with `kernel / sigma`, sigma its largest singular value, estimated by
    power iteration; the estimate (`vector_u`) is updated in training.

    Args:
        layer: a layer with a `kernel` (Dense, Conv2D, ...) or `embeddings` (Embedding).
        power_iterations: power iterations per training call (> 0).

    Unlike Keras, the trained kernel is not overwritten by its normalized value: every call
    normalizes it (see `kfn.pure.layers.SpectralNormalization`).

    Example:
        >>> sn = kfn.layers.SpectralNormalization(kfn.layers.Conv2D(2, 2))
        >>> sn(kfn.ops.ones((1, 10, 10, 1)), training=True).shape
        (1, 9, 9, 2)
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        pure_wrappers.check_power_iterations(power_iterations)
        self.power_iterations = power_iterations

    def build(self, input_shape) -> None:
        super().build(input_shape)
        names = {v.name: v for v in self.layer._own_variables()}
        self.__dict__["_kernel"] = names[pure_wrappers.kernel_name(names)]  # not tracked again
        self.vector_u = self.add_weight(
            shape=(1, self._kernel.shape[-1]),
            initializer=initializers.TruncatedNormal(stddev=0.02),
            trainable=False,
            name="vector_u",
            dtype=self._kernel.dtype,
        )

    def call(self, inputs, training=False):
        vector_u, kernel = pure_wrappers.spectral_normalize(
            self._kernel.value, self.vector_u.value, self.power_iterations
        )
        if training:
            self.vector_u.assign(vector_u)
        with StatelessScope([(self._kernel, kernel)], record=False):
            outputs = self.layer(inputs, training=training)
        return ops.cast(outputs, ops.dtype(inputs))

    def compute_output_spec(self, inputs, training=False):
        spec = self.layer.compute_output_spec(inputs)
        return TensorSpec(spec.shape, inputs.dtype)

    def _walk(self) -> list:
        # Keras lists the wrapped kernel first (its SpectralNormalization tracks it as its own).
        entries = super()._walk()
        kernel = getattr(self, "_kernel", None)
        first = [e for e in entries if e[1] is kernel]
        return first + [e for e in entries if e[1] is not kernel]

    def pure(self):
        return pure_wrappers.SpectralNormalization(
            self.layer.pure(), power_iterations=self.power_iterations, layer_name=self.layer.name
        )

    def get_config(self) -> dict:
        return {**super().get_config(), "power_iterations": self.power_iterations}


registry.register("layers", "Wrapper")(Wrapper)
registry.register("layers", "SpectralNormalization")(SpectralNormalization)
