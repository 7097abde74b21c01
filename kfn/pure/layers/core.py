"""Core pure layers: Dense, Identity, InputLayer, Lambda.

Each is a frozen dataclass of its Keras arguments with `init(key, *input_specs)` and
`apply(variables, *inputs, training=False, key=None) -> (outputs, new_non_trainable)`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from kfn import ops
from kfn.pure import initializers
from kfn.pure.layers.base import (
    InputError,
    InputSpec,
    Layer,
    activation_field,
    constraint_field,
    initializer_field,
    register,
    regularizer_field,
    split_key,
)
from kfn.state.spec import TensorSpec


def _positive_int(layer: str, argument: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{layer}: {argument} must be a positive integer, got {value!r}")


@register
@dataclasses.dataclass(frozen=True)
class Dense(Layer):
    """A densely connected layer: `activation(inputs @ kernel + bias)`, over the last axis.

    Args:
        units: the size of the output's last axis.
        activation: an activation function or its name (default: none).
        use_bias: whether to add a bias.
        kernel_initializer, bias_initializer: how the variables start.
        kernel_regularizer, bias_regularizer: penalties added to the losses.
        kernel_constraint, bias_constraint: projections applied after each update.
        lora_rank: when set, the kernel is frozen and a trainable low-rank update
            `lora_kernel_a @ lora_kernel_b` of this rank is added to it (LoRA).
        lora_alpha: the LoRA scale numerator (the update is scaled by
            `lora_alpha / lora_rank`; default `lora_rank`).

    Variables: `kernel` (input_dim, units) and `bias` (units,).

    Example:
        >>> dense = kfn.pure.layers.Dense(4, activation="relu")
        >>> variables = dense.init(kfn.random.key(0), kfn.TensorSpec((None, 3)))
        >>> y, _ = dense.apply(variables, kfn.ops.ones((2, 3)))  # shape (2, 4)
    """

    units: int
    activation: Callable | None = activation_field()
    use_bias: bool = True
    kernel_initializer: object = initializer_field("glorot_uniform")
    bias_initializer: object = initializer_field("zeros")
    kernel_regularizer: object = regularizer_field()
    bias_regularizer: object = regularizer_field()
    kernel_constraint: object = constraint_field()
    bias_constraint: object = constraint_field()
    lora_rank: int | None = None
    lora_alpha: float | None = None

    def __post_init__(self):
        super().__post_init__()
        _positive_int("Dense", "units", self.units)
        if self.lora_rank is not None:
            _positive_int("Dense", "lora_rank", self.lora_rank)

    def input_spec(self, spec):
        return InputSpec(min_ndim=2, axes={-1: spec.shape[-1]})

    def init(self, key, spec):
        input_dim = _last_dim("Dense", spec)
        kernel_key, bias_key, lora_key = split_key(key, 3)
        dtype = self.variable_dtype
        kernel = self.kernel_initializer.sample(kernel_key, (input_dim, self.units), dtype)
        trainable, non_trainable = {}, {}
        (non_trainable if self.lora_rank else trainable)["kernel"] = kernel
        if self.use_bias:
            trainable["bias"] = self.bias_initializer.sample(bias_key, (self.units,), dtype)
        if self.lora_rank:
            trainable["lora_kernel_a"] = initializers.HeUniform().sample(
                lora_key, (input_dim, self.lora_rank), dtype
            )
            trainable["lora_kernel_b"] = ops.zeros((self.lora_rank, self.units), dtype)
        return {"trainable": trainable, "non_trainable": non_trainable}

    def apply(self, variables, inputs, training=False, key=None):
        weights = variables["trainable"]
        if self.lora_rank:
            kernel = variables["non_trainable"]["kernel"]
            scale = (self.lora_alpha or self.lora_rank) / self.lora_rank
            kernel = kernel + scale * ops.matmul(weights["lora_kernel_a"], weights["lora_kernel_b"])
        else:
            kernel = weights["kernel"]
        outputs = ops.matmul(inputs, kernel)
        if self.use_bias:
            outputs = ops.add(outputs, weights["bias"])
        return self.activation(outputs), variables["non_trainable"]

    def output_spec(self, spec):
        _last_dim("Dense", spec)
        return TensorSpec((*spec.shape[:-1], self.units), self.compute_dtype)

    def variable_options(self):
        options = super().variable_options()
        if self.lora_rank:
            options.pop("kernel", None)
        return options


def _last_dim(layer: str, spec) -> int:
    shape = tuple(spec.shape)
    if len(shape) < 2:
        raise InputError(
            f"expected input of rank >= 2, got rank {len(shape)} (input shape {shape})"
        )
    if shape[-1] is None:
        raise InputError(f"needs the input's last dimension to be known, got input shape {shape}")
    return int(shape[-1])


@register
@dataclasses.dataclass(frozen=True)
class Identity(Layer):
    """Returns its input unchanged.

    Example:
        >>> kfn.layers.Identity()(x) is x
    """

    def apply(self, variables, inputs, training=False, key=None):
        return inputs, {}

    def output_spec(self, spec):
        return spec


@register
@dataclasses.dataclass(frozen=True)
class InputLayer(Layer):
    """The entry point of a model: it stands for the data (Keras's `InputLayer`).

    Args:
        shape: the shape of one sample (no batch axis), None for unknown sizes.
        batch_size: the batch size, if fixed.
        sparse, ragged: not supported (kfn tensors are dense).
        batch_shape: the full shape, batch axis included (instead of shape/batch_size).
        optional: whether the input may be None.

    Example:
        >>> kfn.pure.layers.InputLayer(shape=(3,)).batch_shape
        (None, 3)
    """

    shape: tuple | None = None
    batch_size: int | None = None
    sparse: bool | None = None
    batch_shape: tuple | None = None
    ragged: bool | None = None
    optional: bool = False

    def __post_init__(self):
        super().__post_init__()
        if self.sparse or self.ragged:
            raise NotImplementedError(
                "InputLayer: sparse and ragged inputs are not supported; pass dense tensors"
            )
        if self.batch_shape is None:
            if self.shape is None:
                raise ValueError("InputLayer: give shape (one sample's shape) or batch_shape")
            shape = (self.batch_size, *tuple(self.shape))
        else:
            if self.shape is not None:
                raise ValueError("InputLayer: give shape or batch_shape, not both")
            shape = tuple(self.batch_shape)
        object.__setattr__(self, "batch_shape", tuple(None if d is None else int(d) for d in shape))
        object.__setattr__(self, "shape", None)
        object.__setattr__(self, "batch_size", None)

    @property
    def input_dtype(self) -> str:
        return self.dtype or self.compute_dtype

    def apply(self, variables, inputs, training=False, key=None):
        return inputs, {}

    def output_spec(self, spec=None):
        return TensorSpec(self.batch_shape, self.input_dtype)

    def get_config(self) -> dict:
        return {
            "batch_shape": list(self.batch_shape),
            "dtype": self.input_dtype,
            "sparse": False,
            "ragged": False,
            "optional": self.optional,
        }


@register
@dataclasses.dataclass(frozen=True)
class Lambda(Layer):
    """Wraps a function of tensors as a layer (Keras's `Lambda`).

    Args:
        function: the function, called as `function(inputs, **arguments)`.
        output_shape: the output shape (without batch axis), or a function of the input
            shape; default: inferred by abstract evaluation.
        mask: not supported yet (masks come with the sequence layers).
        arguments: keyword arguments passed to `function`.

    Only named functions of `kfn.ops` and `kfn.activations` can be saved in a config
    portably; other functions are kept by reference.

    Example:
        >>> kfn.layers.Lambda(lambda x: x * 2)(kfn.ops.ones((2,)))  # [2., 2.]
    """

    function: Callable = None
    output_shape: object = None
    mask: object = None
    arguments: dict | None = None

    def __post_init__(self):
        super().__post_init__()
        if not callable(self.function):
            raise ValueError(f"Lambda: function must be callable, got {self.function!r}")

    def apply(self, variables, inputs, training=False, key=None):
        return self.function(inputs, **(self.arguments or {})), {}

    def output_spec(self, spec):
        if self.output_shape is None:
            return ops.eval_shape(lambda x: self.function(x, **(self.arguments or {})), spec)
        shape = self.output_shape(spec.shape) if callable(self.output_shape) else None
        if shape is None:
            shape = (spec.shape[0], *tuple(self.output_shape))
        return TensorSpec(tuple(shape), spec.dtype)
