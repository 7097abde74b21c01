"""Core pure layers: Dense, Identity, InputLayer, Lambda, EinsumDense, Embedding, Masking.

Each is a frozen dataclass of its Keras arguments with `init(key, *input_specs)` and
`apply(variables, *inputs, training=False, key=None) -> (outputs, new_non_trainable)`.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import warnings
from collections.abc import Callable

import numpy as np

from kfn import ops
from kfn.backends import config
from kfn.pure import initializers
from kfn.pure.layers.base import (
    _FLOATS,
    InputError,
    InputSpec,
    Layer,
    activation_field,
    constraint_field,
    initializer_field,
    register,
    regularizer_field,
    split_key,
    takes_argument,
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

    supports_masking = True

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

    supports_masking = True

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
        if self.dtype is None:  # the data's dtype: floatx, whatever the global dtype policy
            object.__setattr__(self, "dtype", config.floatx())
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
        return self.dtype

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
        mask: the output mask: a function `mask(inputs, previous_mask)`, or a tensor; None
            (the default) passes no mask on. A `function` with a `mask` parameter is given
            the input's mask.
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

    @property
    def supports_masking(self) -> bool:
        return self.mask is not None

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def apply(self, variables, inputs, training=False, key=None, mask=None):
        arguments = dict(self.arguments or {})
        if mask is not None and takes_argument(self.function, "mask"):
            arguments["mask"] = mask
        return self.function(inputs, **arguments), {}

    def output_spec(self, spec):
        if self.output_shape is None:
            return ops.eval_shape(lambda x: self.function(x, **(self.arguments or {})), spec)
        shape = self.output_shape(spec.shape) if callable(self.output_shape) else None
        if shape is None:
            shape = (spec.shape[0], *tuple(self.output_shape))
        return TensorSpec(tuple(shape), spec.dtype)


def same_spec(layer: Layer, spec) -> TensorSpec:
    """The spec of an output with the input's shape and dtype, except that float inputs
    come out in the layer's compute dtype (they are cast to it before `apply`)."""
    dtype = spec.dtype
    if layer.autocast and dtype in _FLOATS and layer.compute_dtype in _FLOATS:
        dtype = layer.compute_dtype
    return TensorSpec(tuple(spec.shape), dtype)


def axes_spec(rank: int, sizes: dict) -> InputSpec:
    """An InputSpec of this rank with these {axis: size}; the last axis keyed -1, so that
    errors read "expected input last dimension 64"."""
    return InputSpec(ndim=rank, axes={-1 if a == rank - 1 else a: n for a, n in sizes.items()})


class _LowRankAdapted(Layer):
    """A layer with `lora_rank` and `lora_alpha` fields whose weight `_lora_target` is frozen
    when `lora_rank` is set, a trainable update `<_lora_prefix>_a @ <_lora_prefix>_b`
    (scaled by `lora_alpha / lora_rank`) being added to it (LoRA)."""

    _lora_target = "kernel"
    _lora_prefix = "lora_kernel"

    def _place_target(self, value, trainable: dict, non_trainable: dict) -> None:
        (non_trainable if self.lora_rank else trainable)[self._lora_target] = value

    def _lora_factors(self, key, shape, dtype) -> dict:
        """The two LoRA factors of a weight of `shape` (over its last axis), or {}."""
        if not self.lora_rank:
            return {}
        *rest, last = shape
        return {
            f"{self._lora_prefix}_a": initializers.HeUniform().sample(
                key, (*rest, self.lora_rank), dtype
            ),
            f"{self._lora_prefix}_b": ops.zeros((self.lora_rank, last), dtype),
        }

    def _adapted_target(self, variables):
        """The weight `_lora_target` with the scaled LoRA update added (when enabled)."""
        weights = variables["trainable"]
        if not self.lora_rank:
            return weights[self._lora_target]
        scale = (self.lora_alpha or self.lora_rank) / self.lora_rank
        update = ops.matmul(weights[f"{self._lora_prefix}_a"], weights[f"{self._lora_prefix}_b"])
        return variables["non_trainable"][self._lora_target] + scale * update

    def variable_options(self):
        options = super().variable_options()
        if self.lora_rank:
            options.pop(self._lora_target, None)
        return options


# ---------------------------------------------------------------------------- EinsumDense

# The three forms Keras accepts: no ellipsis, ellipsis on the left, ellipsis on the right.
_EINSUM_FORMS = (
    ("none", re.compile(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)")),
    ("left", re.compile(r"\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)")),
    ("right", re.compile(r"([a-zA-Z]{2,})\.\.\.,([a-zA-Z]+)->([a-zA-Z]+)\.\.\.")),
)


@functools.lru_cache(maxsize=256)
def _parse_einsum(equation: str) -> tuple:
    """(form, input labels, kernel labels, output labels) of an EinsumDense equation."""
    matches = [
        (form, pattern.fullmatch(equation))
        for form, pattern in _EINSUM_FORMS
        if isinstance(equation, str) and pattern.fullmatch(equation)
    ]
    if not matches:
        raise ValueError(
            f"EinsumDense: equation must have the form 'ab,bc->ac', '...b,bc->...c' or "
            f"'ab...,bc->ac...', got {equation!r}"
        )
    form, match = matches[0]
    inputs, kernel, outputs = match.groups()
    for label in outputs:
        if label not in inputs and label not in kernel:
            raise ValueError(
                f"EinsumDense: output axis {label!r} of equation {equation!r} is in neither "
                f"the input ({inputs!r}) nor the kernel ({kernel!r})"
            )
    for label in kernel:
        if label not in inputs and label not in outputs:
            raise ValueError(
                f"EinsumDense: kernel axis {label!r} of equation {equation!r} is in neither "
                f"the input ({inputs!r}) nor the output ({outputs!r}): its size is unknown"
            )
    return form, inputs, kernel, outputs


@register
@dataclasses.dataclass(frozen=True)
class EinsumDense(_LowRankAdapted):
    """A dense layer written as an einsum: `activation(einsum(equation, inputs, kernel) +
    bias)`, for projections of any rank (attention heads, per-position dense layers).

    Args:
        equation: `"ab,bc->ac"` (no ellipsis), `"...b,bc->...c"` (leading axes elided) or
            `"ab...,bc->ac..."` (trailing axes elided); the first term is the input, the
            second the kernel.
        output_shape: the output's sizes, without the batch axis (the first output axis)
            and without the elided axes; None for a size taken from the input. An int
            stands for a 1-tuple.
        activation: an activation function or its name (default: none).
        bias_axes: the output axes (letters of the output term) that have a bias; None for
            no bias.
        kernel_initializer, bias_initializer: how the variables start. A variance-scaling
            kernel initializer ("glorot_uniform", ...) counts as fan-in the kernel axes
            that are summed over and as fan-out those in the output, as Keras does.
        kernel_regularizer, bias_regularizer: penalties added to the losses.
        kernel_constraint, bias_constraint: projections applied after each update.
        lora_rank: when set, the kernel is frozen and a trainable low-rank update
            `lora_kernel_a @ lora_kernel_b` (over the kernel's last axis) is added to it.
        lora_alpha: the LoRA scale numerator (the update is scaled by
            `lora_alpha / lora_rank`; default `lora_rank`).

    Variables: `kernel`, with the size of each kernel label, and `bias`, shaped over the
    output axes from the first biased one to the last (size 1 on the unbiased ones, and on
    the trailing elided axes), so that it broadcasts against the output.

    Example:
        >>> layer = kfn.pure.layers.EinsumDense("abc,cde->abde", output_shape=(None, 4, 8),
        ...                                     bias_axes="de")
        >>> variables = layer.init(kfn.random.key(0), kfn.TensorSpec((None, 5, 16)))
        >>> # kernel (16, 4, 8), bias (4, 8); outputs (batch, 5, 4, 8)
    """

    equation: str
    output_shape: tuple
    activation: Callable | None = activation_field()
    bias_axes: str | None = None
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
        form, _, _, outputs = _parse_einsum(self.equation)
        shape = self.output_shape
        shape = (shape,) if isinstance(shape, int) and not isinstance(shape, bool) else shape
        try:
            shape = tuple(shape)
        except TypeError:
            raise ValueError(
                f"EinsumDense: output_shape must be an int or a tuple of ints and None, "
                f"got {self.output_shape!r}"
            ) from None
        for size in shape:
            if size is not None:
                _positive_int("EinsumDense", "output_shape", size)
        expected = len(outputs) if form == "left" else len(outputs) - 1
        if len(shape) != expected:
            raise ValueError(
                f"EinsumDense: output_shape must have {expected} entries for equation "
                f"{self.equation!r} (the output's axes without the batch axis and the elided "
                f"ones), got {self.output_shape!r}"
            )
        object.__setattr__(self, "output_shape", shape)
        if self.bias_axes is not None:
            if not isinstance(self.bias_axes, str) or not self.bias_axes:
                raise ValueError(
                    f"EinsumDense: bias_axes must be a string of output axes or None, "
                    f"got {self.bias_axes!r}"
                )
            for label in self.bias_axes:
                if label not in outputs:
                    raise ValueError(
                        f"EinsumDense: bias axis {label!r} is not in the output term "
                        f"{outputs!r} of equation {self.equation!r}"
                    )
        if self.lora_rank is not None:
            _positive_int("EinsumDense", "lora_rank", self.lora_rank)

    def _shapes(self, input_shape) -> dict:
        """The kernel and bias shapes, the output shape, and the kernel's summed (input)
        and kept (output) axes, for inputs of `input_shape`."""
        form, in_labels, kernel_labels, out_labels = _parse_einsum(self.equation)
        shape = tuple(input_shape)
        rank, elided = len(shape), len(shape) - len(in_labels)
        if form == "none" and elided != 0:
            raise InputError(
                f"expected input of rank {len(in_labels)} (equation {self.equation!r}), "
                f"got rank {rank} (input shape {shape})"
            )
        if elided < (1 if form == "left" else 0):
            minimum = len(in_labels) + (1 if form == "left" else 0)
            raise InputError(
                f"expected input of rank >= {minimum} (equation {self.equation!r}), got "
                f"rank {rank} (input shape {shape})"
            )
        if form == "left":
            input_sizes = dict(zip(in_labels, shape[elided:]))
            given = dict(zip(out_labels, self.output_shape))
            leading, trailing = shape[:elided], ()
        else:
            input_sizes = dict(zip(in_labels, shape[: len(in_labels)]))
            given = {out_labels[0]: shape[0], **dict(zip(out_labels[1:], self.output_shape))}
            leading, trailing = (), shape[len(in_labels) :]
        for label, size in given.items():
            known = input_sizes.get(label)
            if size is not None and known is not None and size != known:
                raise InputError(
                    f"expected input size {size} on axis {label!r} (from output_shape, "
                    f"equation {self.equation!r}), got {known} (input shape {shape})"
                )
        sizes = {**input_sizes, **{k: v for k, v in given.items() if v is not None}}

        def known(label, what):
            size = sizes.get(label)
            if size is None:
                raise InputError(
                    f"needs the size of axis {label!r} ({what}) to be known: give it in "
                    f"output_shape or in the input shape, got input shape {shape}"
                )
            return int(size)

        kernel_shape = tuple(known(label, "a kernel axis") for label in kernel_labels)
        bias_shape = None
        if self.bias_axes is not None:
            first = min(out_labels.index(label) for label in self.bias_axes)
            bias_shape = tuple(
                known(label, "a bias axis") if label in self.bias_axes else 1
                for label in out_labels[first:]
            )
            bias_shape += (1,) * len(trailing)
        output_shape = (*leading, *(sizes.get(label) for label in out_labels), *trailing)
        return {
            "kernel": kernel_shape,
            "bias": bias_shape,
            "output": output_shape,
            "input_axes": tuple(i for i, c in enumerate(kernel_labels) if c not in out_labels),
            "output_axes": tuple(i for i, c in enumerate(kernel_labels) if c in out_labels),
        }

    def input_spec(self, spec):
        shape = tuple(spec.shape)
        form, in_labels, kernel_labels, _ = _parse_einsum(self.equation)
        offset = len(shape) - len(in_labels) if form == "left" else 0
        sizes = {
            offset + i: shape[offset + i]
            for i, label in enumerate(in_labels)
            if label in kernel_labels and shape[offset + i] is not None
        }
        return axes_spec(len(shape), sizes)

    def init(self, key, spec):
        shapes = self._shapes(spec.shape)
        kernel_key, bias_key, lora_key = split_key(key, 3)
        dtype = self.variable_dtype
        kernel_initializer = self.kernel_initializer
        if isinstance(kernel_initializer, initializers.VarianceScaling) and (
            kernel_initializer.input_axes is None or kernel_initializer.output_axes is None
        ):
            kernel_initializer = initializers.VarianceScaling(
                scale=kernel_initializer.scale,
                mode=kernel_initializer.mode,
                distribution=kernel_initializer.distribution,
                seed=kernel_initializer.seed,
                input_axes=shapes["input_axes"],
                output_axes=shapes["output_axes"],
            )
        kernel = kernel_initializer.sample(kernel_key, shapes["kernel"], dtype)
        trainable, non_trainable = {}, {}
        self._place_target(kernel, trainable, non_trainable)
        if shapes["bias"] is not None:
            trainable["bias"] = self.bias_initializer.sample(bias_key, shapes["bias"], dtype)
        trainable.update(self._lora_factors(lora_key, shapes["kernel"], dtype))
        return {"trainable": trainable, "non_trainable": non_trainable}

    def apply(self, variables, inputs, training=False, key=None):
        outputs = ops.einsum(self.equation, inputs, self._adapted_target(variables))
        if "bias" in variables["trainable"]:
            outputs = ops.add(outputs, variables["trainable"]["bias"])
        return self.activation(outputs), variables["non_trainable"]

    def output_spec(self, spec):
        return TensorSpec(self._shapes(spec.shape)["output"], self.compute_dtype)


# ---------------------------------------------------------------------------- Embedding


@register
@dataclasses.dataclass(frozen=True)
class Embedding(_LowRankAdapted):
    """Looks up dense vectors for integer ids: `embeddings[inputs]`, output shape
    `inputs.shape + (output_dim,)`.

    Inputs are not cast to the compute dtype; non-integer ids are cast to int32 (as Keras
    does). Negative ids count from the end (as NumPy's `take`). Ids >= `input_dim` are not
    valid: they raise IndexError on torch, TensorFlow (CPU) and NumPy, and give rows of NaN
    on JAX (which cannot raise inside a jitted function).

    Args:
        input_dim: the vocabulary size (largest id + 1).
        output_dim: the size of each vector.
        embeddings_initializer: how the table starts (default "random_uniform": uniform in
            [-0.05, 0.05], what Keras calls "uniform").
        embeddings_regularizer: a penalty on the table, added to the losses.
        embeddings_constraint: a projection of the table applied after each update.
        mask_zero: whether id 0 is padding: the output mask (`compute_mask`, attached to
            the output by the stateful layer) is `inputs != 0`, for the layers downstream.
        weights: the initial table, an (input_dim, output_dim) array (or a list holding
            it, as Keras takes it), instead of the initializer; not kept in the config.
        lora_rank: when set, the table is frozen and a trainable low-rank update
            `lora_embeddings_a @ lora_embeddings_b` of this rank is added to it (LoRA).
        lora_alpha: the LoRA scale numerator (default `lora_rank`).
        input_length: ignored, as in Keras 3 (accepted with a warning, not in the config).

    Variables: `embeddings` (input_dim, output_dim).

    Example:
        >>> embedding = kfn.pure.layers.Embedding(1000, 64)
        >>> variables = embedding.init(kfn.random.key(0), kfn.TensorSpec((None, 10), "int32"))
        >>> y, _ = embedding.apply(variables, ids)  # ids (32, 10) -> y (32, 10, 64)
    """

    input_dim: int
    output_dim: int
    embeddings_initializer: object = initializer_field("random_uniform")
    embeddings_regularizer: object = regularizer_field()
    embeddings_constraint: object = constraint_field()
    mask_zero: bool = False
    weights: object = dataclasses.field(default=None, compare=False, repr=False)
    lora_rank: int | None = None
    lora_alpha: float | None = None
    input_length: int | None = dataclasses.field(default=None, kw_only=True)

    autocast = False
    _lora_target = "embeddings"
    _lora_prefix = "lora_embeddings"

    def __post_init__(self):
        super().__post_init__()
        _positive_int("Embedding", "input_dim", self.input_dim)
        _positive_int("Embedding", "output_dim", self.output_dim)
        if self.lora_rank is not None:
            _positive_int("Embedding", "lora_rank", self.lora_rank)
        if self.input_length is not None:
            warnings.warn(
                "Embedding: the argument `input_length` is deprecated and ignored; remove it",
                stacklevel=3,
            )
            object.__setattr__(self, "input_length", None)
        if self.weights is not None:
            table = self.weights
            if isinstance(table, list | tuple) and len(table) == 1:
                table = table[0]  # Keras takes a list of the layer's one weight
            table = np.asarray(ops.convert_to_numpy(table))
            if table.shape != (self.input_dim, self.output_dim):
                raise ValueError(
                    f"Embedding: weights must be an array of shape "
                    f"{(self.input_dim, self.output_dim)} (input_dim, output_dim), got shape "
                    f"{table.shape}"
                )
            object.__setattr__(self, "weights", table)

    def init(self, key, spec=None):
        table_key, lora_key = split_key(key, 2)
        dtype = self.variable_dtype
        shape = (self.input_dim, self.output_dim)
        if self.weights is not None:
            embeddings = ops.cast(ops.convert_to_tensor(self.weights), dtype)
        else:
            embeddings = self.embeddings_initializer.sample(table_key, shape, dtype)
        trainable, non_trainable = {}, {}
        self._place_target(embeddings, trainable, non_trainable)
        trainable.update(self._lora_factors(lora_key, shape, dtype))
        return {"trainable": trainable, "non_trainable": non_trainable}

    def apply(self, variables, inputs, training=False, key=None):
        table = self._adapted_target(variables)
        if ops.dtype(inputs) not in ("int32", "int64"):
            inputs = ops.cast(inputs, "int32")
        outputs = ops.take(table, inputs, axis=0)
        if ops.dtype(outputs) != self.compute_dtype:
            outputs = ops.cast(outputs, self.compute_dtype)
        return outputs, variables["non_trainable"]

    def output_spec(self, spec):
        return TensorSpec((*tuple(spec.shape), self.output_dim), self.compute_dtype)

    @property
    def supports_masking(self) -> bool:
        return self.mask_zero

    def compute_mask(self, inputs, mask=None):
        return ops.not_equal(inputs, 0) if self.mask_zero else None

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("input_length", None)
        config.pop("weights", None)
        return config


# ---------------------------------------------------------------------------- Masking


@register
@dataclasses.dataclass(frozen=True)
class Masking(Layer):
    """Zeroes the time steps whose features all equal `mask_value`: the output is `inputs`
    where `any(inputs != mask_value, axis=-1, keepdims=True)`, else 0.

    Its output mask (`compute_mask`, attached to the output by the stateful layer) is
    `any(inputs != mask_value, axis=-1)`, for the layers downstream to skip those steps.

    Args:
        mask_value: the value marking a padded step (default 0.0).

    Example:
        >>> masking = kfn.pure.layers.Masking(mask_value=0.0)
        >>> y, _ = masking.apply({}, x)  # x (batch, steps, features)
    """

    supports_masking = True

    mask_value: float = 0.0

    def compute_mask(self, inputs, mask=None):
        return ops.any(ops.not_equal(inputs, self.mask_value), axis=-1)

    def apply(self, variables, inputs, training=False, key=None):
        keep = ops.any(ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        return ops.where(keep, inputs, ops.zeros_like(inputs)), {}

    def output_spec(self, spec):
        return same_spec(self, spec)
