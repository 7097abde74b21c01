"""kfn.Input and kfn.layers.InputLayer: where a Functional model's data comes in."""

from __future__ import annotations

from kfn.ops import symbolic
from kfn.pure import registry
from kfn.pure.layers import core
from kfn.stateful import generated

_GeneratedInputLayer = generated.generate(core.InputLayer, "InputLayer")


class InputLayer(_GeneratedInputLayer):
    """The entry point of a model (Keras's `InputLayer`): `input_layer.output` is the symbolic
    tensor standing for the data.

    Args:
        shape: one sample's shape (no batch axis), None for unknown sizes.
        batch_size: the batch size, if fixed.
        dtype: the data's dtype (default floatx).
        batch_shape: the full shape instead of shape and batch_size.
        name: the layer's name.
        optional: whether the input may be None.

    Example:
        >>> layer = kfn.layers.InputLayer(shape=(3,))
        >>> layer.output.shape
        (None, 3)
    """

    def __init__(
        self,
        shape=None,
        batch_size=None,
        dtype=None,
        sparse=None,
        batch_shape=None,
        input_tensor=None,
        optional=False,
        name=None,
        ragged=None,
        **kwargs,
    ):
        if input_tensor is not None:
            raise NotImplementedError(
                "InputLayer: input_tensor is not supported; use kfn.Input(shape=...)"
            )
        super().__init__(
            shape=shape,
            batch_size=batch_size,
            sparse=sparse,
            batch_shape=batch_shape,
            ragged=ragged,
            optional=optional,
            dtype=dtype,
            name=name,
            **kwargs,
        )
        spec = self._pure.output_spec()
        self.output = symbolic.SymbolicTensor(spec.shape, spec.dtype, name=self.name)
        symbolic.Node(self, (), {}, self.output)
        self.built = True
        self._output_shape = spec.shape

    @property
    def batch_shape(self) -> tuple:
        return self._pure.batch_shape

    @property
    def dtype(self) -> str:
        return self._pure.input_dtype

    def call(self, inputs, training=None):
        return inputs

    def get_config(self) -> dict:
        return {"name": self.name, **self._pure.get_config()}


def Input(
    shape=None,
    batch_size=None,
    dtype=None,
    sparse=None,
    batch_shape=None,
    name=None,
    tensor=None,
    optional=False,
    ragged=None,
):
    """A symbolic tensor standing for a model's input (Keras's `keras.Input`).

    Args:
        shape: one sample's shape, without the batch axis (`(28, 28, 1)`); None for sizes
            not known yet.
        batch_size: the batch size, if fixed.
        dtype: the data's dtype (default floatx).
        batch_shape: the full shape, batch axis included, instead of shape and batch_size.
        name: a name for the input (and its InputLayer).
        optional: whether the input may be None.

    Example:
        >>> inputs = kfn.Input((3,))
        >>> outputs = kfn.layers.Dense(2)(inputs)
        >>> model = kfn.Model(inputs, outputs)
    """
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        sparse=sparse,
        batch_shape=batch_shape,
        input_tensor=tensor,
        optional=optional,
        name=name,
        ragged=ragged,
    )
    return layer.output


registry.register("layers", "InputLayer")(InputLayer)
