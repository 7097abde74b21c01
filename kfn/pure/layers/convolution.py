"""Convolution layers: Conv1D/2D/3D, their transposes, depthwise and separable convolutions.

Each is a frozen dataclass of its Keras arguments with `init(key, spec)` and
`apply(variables, inputs, training=False, key=None) -> (outputs, {})`; kernels have Keras's
layouts and names (`kernel`, `depthwise_kernel`, `pointwise_kernel`, `bias`). The window
arguments (kernel_size, strides, dilation_rate, ...) are stored as tuples, padding lowercased
and data_format resolved, as Keras's configs have them.
"""

from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Callable

from kfn import ops
from kfn.backends import config
from kfn.backends.common import convolution as window_rules
from kfn.pure.layers.base import (
    InputError,
    InputSpec,
    Layer,
    activation_field,
    cast_float,
    constraint_field,
    initializer_field,
    register,
    regularizer_field,
    split_key,
)
from kfn.pure.layers.core import _positive_int
from kfn.state.spec import TensorSpec

# ---------------------------------------------------------------------------- arguments


def window_tuple(layer: str, argument: str, value, rank: int, smallest: int = 1) -> tuple:
    """`value` (an int or `rank` ints, each at least `smallest`) as a tuple of `rank` ints;
    ValueError naming the layer and the argument otherwise."""
    items = tuple(value) if isinstance(value, list | tuple) else (value,) * rank
    if len(items) != rank or not all(_is_int(v) and v >= smallest for v in items):
        kind = "positive" if smallest > 0 else "non-negative"
        raise ValueError(
            f"{layer}: {argument} must be a {kind} integer or a tuple of {rank} of them, "
            f"got {value!r}"
        )
    return tuple(int(v) for v in items)


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def padding_argument(layer: str, value, allowed: tuple) -> str:
    padding = value.lower() if isinstance(value, str) else value
    if padding not in allowed:
        expected = ", ".join(repr(p) for p in allowed)
        raise ValueError(f"{layer}: padding must be one of {expected}, got {value!r}")
    return padding


def data_format_argument(layer: str, value) -> str:
    """`value` lowercased, or `kfn.config.image_data_format()` when it is None."""
    if value is None:
        return config.image_data_format()
    data_format = value.lower() if isinstance(value, str) else value
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            f"{layer}: data_format must be 'channels_last' or 'channels_first' (or None for "
            f"kfn.config.image_data_format()), got {value!r}"
        )
    return data_format


def checked_shape(spec, rank: int, data_format: str) -> tuple:
    """The input's shape; InputError unless it is (batch, spatial x rank, channels) (or
    channels first)."""
    shape = tuple(spec.shape)
    if len(shape) != rank + 2:
        layout = (
            "spatial..., channels" if data_format == "channels_last" else "channels, spatial..."
        )
        raise InputError(
            f"expected input of rank {rank + 2} (batch, {layout}), got rank {len(shape)} "
            f"(input shape {shape})"
        )
    return shape


def spatial_of(shape: tuple, data_format: str) -> tuple:
    return shape[1:-1] if data_format == "channels_last" else shape[2:]


def with_spatial(shape: tuple, sizes, channels, data_format: str) -> tuple:
    """`shape`'s batch axis with new spatial sizes and channels."""
    if data_format == "channels_last":
        return (shape[0], *sizes, channels)
    return (shape[0], channels, *sizes)


def _check_strides_with_dilation(layer: str, strides: tuple, dilation_rate: tuple) -> None:
    if max(strides) > 1 and max(dilation_rate) > 1:
        raise ValueError(
            f"{layer}: strides > 1 cannot be combined with dilation_rate > 1 (as in Keras), got "
            f"strides={strides} and dilation_rate={dilation_rate}"
        )


SPATIAL_NAMES = {1: "steps", 2: "height, width", 3: "depth, height, width"}
_KERNEL_NAMES = {1: "kernel_size", 2: "kernel_h, kernel_w", 3: "kernel_d, kernel_h, kernel_w"}


def document(template: str, examples=None, **values):
    """A class decorator setting the docstring from a family's `template` (the families
    share their Args), filled with `values`, the class's `name` and `rank`, words for its
    axes (`spatial`, `kernel`, `ones`) and the shapes `examples(rank)` gives."""

    def decorate(cls):
        rank = cls.rank
        words = {
            "name": cls.__name__,
            "rank": rank,
            "spatial": SPATIAL_NAMES[rank],
            "kernel": _KERNEL_NAMES[rank],
            "ones": ", ".join(["1"] * rank),
        }
        cls.__doc__ = template.format(**words, **(examples(rank) if examples else {}), **values)
        return cls

    return decorate


def _examples(channels: int, scale: int = 1):
    """Docstring example shapes: a spec, a concrete input, the output (with "same")."""
    sizes = {1: (10,), 2: (10, 10), 3: (6, 6, 6)}

    def shapes(rank: int) -> dict:
        return {
            "spec": (None, *sizes[rank], 3),
            "input": (2, *sizes[rank], 3),
            "output": (2, *(n * scale for n in sizes[rank]), channels),
        }

    return shapes


# ---------------------------------------------------------------------------- shared base


@dataclasses.dataclass(frozen=True)
class _ConvBase(Layer):
    """What the convolution families share: argument checks, the input's channels, the bias
    and the activation. Subclasses set `rank` and have the fields they read."""

    rank = 2
    paddings = ("valid", "same")
    # Field prefixes whose variable has another name (depthwise_regularizer -> kernel).
    renamed_variables = {}

    def _standardize(self) -> None:
        layer = type(self).__name__
        for name in ("kernel_size", "strides", "dilation_rate"):
            object.__setattr__(
                self, name, window_tuple(layer, name, getattr(self, name), self.rank)
            )
        object.__setattr__(self, "padding", padding_argument(layer, self.padding, self.paddings))
        object.__setattr__(self, "data_format", data_format_argument(layer, self.data_format))

    @property
    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1

    def _input_channels(self, spec) -> int:
        shape = checked_shape(spec, self.rank, self.data_format)
        channels = shape[self._channel_axis]
        if channels is None:
            raise InputError(
                f"needs the input's channels dimension to be known, got input shape {shape}"
            )
        return int(channels)

    def _conv_sizes(self, shape) -> tuple:
        """The output's spatial sizes of a (non-transposed) convolution over `shape`."""
        padding = "same" if self.padding == "causal" else self.padding  # same sizes
        sizes = []
        for n, k, s, d in zip(
            spatial_of(shape, self.data_format), self.kernel_size, self.strides, self.dilation_rate
        ):
            size = None if n is None else window_rules.conv_output_size(n, k, s, d, padding)
            if size is not None and size <= 0:
                extent = tuple(
                    map(window_rules.effective_size, self.kernel_size, self.dilation_rate)
                )
                raise InputError(
                    f"expected spatial dimensions of at least the dilated kernel size {extent} "
                    f"with padding 'valid', got input shape {tuple(shape)}"
                )
            sizes.append(size)
        return tuple(sizes)

    def _output(self, spec, sizes, channels) -> TensorSpec:
        # Float inputs come autocast to the compute dtype, integers are promoted to it.
        shape = with_spatial(tuple(spec.shape), sizes, channels, self.data_format)
        return TensorSpec(shape, self.compute_dtype)

    def _kernel_and_bias(self, key, initializer, shape, units: int) -> dict:
        """Variables `kernel` of `shape` and, with use_bias, `bias` of (units,)."""
        kernel_key, bias_key = split_key(key, 2)
        dtype = self.variable_dtype
        trainable = {"kernel": initializer.sample(kernel_key, shape, dtype)}
        if self.use_bias:
            trainable["bias"] = self.bias_initializer.sample(bias_key, (units,), dtype)
        return {"trainable": trainable, "non_trainable": {}}

    def input_spec(self, spec):
        axis = self._channel_axis
        return InputSpec(ndim=self.rank + 2, axes={axis: spec.shape[axis]})

    def _weight(self, variables, name):
        # Under a mixed policy the float32 variables compute in the half type, as in Keras.
        return cast_float(self.compute_dtype, variables["trainable"][name])

    def _bias_and_activation(self, variables, outputs):
        if self.use_bias:
            bias = self._weight(variables, "bias")
            if self.data_format == "channels_first":
                bias = ops.reshape(bias, (-1,) + (1,) * self.rank)
            outputs = ops.add(outputs, bias)
        return self.activation(outputs)

    def variable_options(self) -> dict:
        options = {}
        for name, value in super().variable_options().items():
            options[self.renamed_variables.get(name, name)] = value
        return options


# ---------------------------------------------------------------------------- convolution

_CONV_DOC = """{rank}-D convolution (over {spatial}): `activation(conv(inputs, kernel) + bias)`.

    Args:
        filters: the number of output channels.
        kernel_size: the window size: an int or one per axis.
        strides: the window step: an int or one per axis (not above 1 together with a
            dilation_rate above 1, as in Keras).
        padding: "valid" (no padding) or "same" (output size ceil(n / stride), the extra
            padding at the end){causal}.
        data_format: "channels_last", inputs (batch, {spatial}, channels), or
            "channels_first", inputs (batch, channels, {spatial}); None uses
            `kfn.config.image_data_format()`.
        dilation_rate: the spacing of the kernel's taps: an int or one per axis.
        groups: the input channels are split into this many groups, each convolved with
            filters / groups of the filters (both must divide by it).
        activation: an activation function or its name (default: none).
        use_bias: whether to add a bias.
        kernel_initializer, bias_initializer: how the variables start.
        kernel_regularizer, bias_regularizer: penalties added to the losses.
        kernel_constraint, bias_constraint: projections applied after each update.

    Variables: `kernel` ({kernel}, input_channels / groups, filters) and `bias` (filters,).

    Example:
        >>> conv = kfn.pure.layers.{name}(8, 3, padding="same")
        >>> variables = conv.init(kfn.random.key(0), kfn.TensorSpec({spec}))
        >>> y, _ = conv.apply(variables, kfn.ops.ones({input}))  # shape {output}
"""
_conv_doc = document(_CONV_DOC, _examples(8), causal="")


@dataclasses.dataclass(frozen=True)
class _Conv(_ConvBase):
    filters: int
    kernel_size: int | tuple
    strides: int | tuple = 1
    padding: str = "valid"
    data_format: str | None = None
    dilation_rate: int | tuple = 1
    groups: int = 1
    activation: Callable | None = activation_field()
    use_bias: bool = True
    kernel_initializer: object = initializer_field("glorot_uniform")
    bias_initializer: object = initializer_field("zeros")
    kernel_regularizer: object = regularizer_field()
    bias_regularizer: object = regularizer_field()
    kernel_constraint: object = constraint_field()
    bias_constraint: object = constraint_field()

    def __post_init__(self):
        super().__post_init__()
        layer = type(self).__name__
        _positive_int(layer, "filters", self.filters)
        _positive_int(layer, "groups", self.groups)
        if self.filters % self.groups:
            raise ValueError(
                f"{layer}: filters must be divisible by groups, got filters={self.filters} and "
                f"groups={self.groups}"
            )
        self._standardize()
        _check_strides_with_dilation(layer, self.strides, self.dilation_rate)

    def init(self, key, spec):
        channels = self._input_channels(spec)
        if channels % self.groups:
            raise InputError(
                f"expected input channels divisible by groups={self.groups}, got {channels} "
                f"channels (input shape {tuple(spec.shape)})"
            )
        self._conv_sizes(spec.shape)
        shape = (*self.kernel_size, channels // self.groups, self.filters)
        return self._kernel_and_bias(key, self.kernel_initializer, shape, self.filters)

    def apply(self, variables, inputs, training=False, key=None):
        padding = self.padding
        if padding == "causal":  # pad the start so that no output sees a later step
            left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
            steps = (left, 0)
            pads = (
                ((0, 0), steps, (0, 0))
                if self.data_format == "channels_last"
                else ((0, 0), (0, 0), steps)
            )
            inputs = ops.pad(inputs, pads)
            padding = "valid"
        outputs = ops.conv(
            inputs,
            self._weight(variables, "kernel"),
            self.strides,
            padding,
            self.data_format,
            self.dilation_rate,
        )
        return self._bias_and_activation(variables, outputs), {}

    def output_spec(self, spec):
        self._input_channels(spec)
        return self._output(spec, self._conv_sizes(spec.shape), self.filters)


@document(
    _CONV_DOC,
    _examples(8),
    causal=', or "causal" (the start padded: output t sees inputs up to t only)',
)
@register
@dataclasses.dataclass(frozen=True)
class Conv1D(_Conv):
    rank = 1
    paddings = ("valid", "same", "causal")


@_conv_doc
@register
@dataclasses.dataclass(frozen=True)
class Conv2D(_Conv):
    rank = 2


@_conv_doc
@register
@dataclasses.dataclass(frozen=True)
class Conv3D(_Conv):
    rank = 3


# ---------------------------------------------------------------------------- transposed

_TRANSPOSE_DOC = """{rank}-D transposed convolution (the gradient of a convolution with
    respect to its input; "deconvolution"): `activation(conv_transpose(inputs, kernel) + bias)`.

    Args:
        filters: the number of output channels.
        kernel_size: the window size: an int or one per axis.
        strides: the step of the matching convolution (each output is about `strides`
            times the input's size): an int or one per axis.
        padding: "valid" or "same" (output size n * stride), as the matching convolution.
        output_padding: extra size added at the end of each spatial axis (each less than
            its stride): an int or one per axis; None infers the smallest output.
        data_format: "channels_last", inputs (batch, {spatial}, channels), or
            "channels_first", inputs (batch, channels, {spatial}); None uses
            `kfn.config.image_data_format()`.
        dilation_rate: the spacing of the kernel's taps: an int or one per axis.
        activation: an activation function or its name (default: none).
        use_bias: whether to add a bias.
        kernel_initializer, bias_initializer: how the variables start.
        kernel_regularizer, bias_regularizer: penalties added to the losses.
        kernel_constraint, bias_constraint: projections applied after each update.

    Variables: `kernel` ({kernel}, filters, input_channels) (Keras's layout) and `bias`
    (filters,).

    Example:
        >>> up = kfn.pure.layers.{name}(8, 3, strides=2, padding="same")
        >>> variables = up.init(kfn.random.key(0), kfn.TensorSpec({spec}))
        >>> y, _ = up.apply(variables, kfn.ops.ones({input}))  # shape {output}
"""
_transpose_doc = document(_TRANSPOSE_DOC, _examples(8, scale=2))


@dataclasses.dataclass(frozen=True)
class _ConvTransposeBase(_ConvBase):
    """The computation of the transposed convolutions (their fields' order differs)."""

    def __post_init__(self):
        super().__post_init__()
        layer = type(self).__name__
        _positive_int(layer, "filters", self.filters)
        self._standardize()
        if self.output_padding is not None:
            output_padding = window_tuple(
                layer, "output_padding", self.output_padding, self.rank, smallest=0
            )
            if any(p >= s for p, s in zip(output_padding, self.strides)):
                raise ValueError(
                    f"{layer}: output_padding must be less than strides on every axis, got "
                    f"output_padding={output_padding} and strides={self.strides}"
                )
            object.__setattr__(self, "output_padding", output_padding)
        _check_strides_with_dilation(layer, self.strides, self.dilation_rate)

    def _sizes(self, shape) -> tuple:
        output_padding = self.output_padding or (None,) * self.rank
        return tuple(
            None if n is None else window_rules.transpose_output_size(n, k, s, d, self.padding, p)
            for n, k, s, d, p in zip(
                spatial_of(shape, self.data_format),
                self.kernel_size,
                self.strides,
                self.dilation_rate,
                output_padding,
            )
        )

    def init(self, key, spec):
        channels = self._input_channels(spec)
        shape = (*self.kernel_size, self.filters, channels)
        return self._kernel_and_bias(key, self.kernel_initializer, shape, self.filters)

    def apply(self, variables, inputs, training=False, key=None):
        outputs = ops.conv_transpose(
            inputs,
            self._weight(variables, "kernel"),
            self.strides,
            self.padding,
            self.output_padding,
            self.data_format,
            self.dilation_rate,
        )
        return self._bias_and_activation(variables, outputs), {}

    def output_spec(self, spec):
        self._input_channels(spec)
        return self._output(spec, self._sizes(spec.shape), self.filters)


@dataclasses.dataclass(frozen=True)
class _ConvTranspose(_ConvTransposeBase):
    filters: int
    kernel_size: int | tuple
    strides: int | tuple = 1
    padding: str = "valid"
    output_padding: int | tuple | None = None
    data_format: str | None = None
    dilation_rate: int | tuple = 1
    activation: Callable | None = activation_field()
    use_bias: bool = True
    kernel_initializer: object = initializer_field("glorot_uniform")
    bias_initializer: object = initializer_field("zeros")
    kernel_regularizer: object = regularizer_field()
    bias_regularizer: object = regularizer_field()
    kernel_constraint: object = constraint_field()
    bias_constraint: object = constraint_field()


@_transpose_doc
@register
@dataclasses.dataclass(frozen=True)
class Conv1DTranspose(_ConvTranspose):
    rank = 1


@_transpose_doc
@register
@dataclasses.dataclass(frozen=True)
class Conv2DTranspose(_ConvTranspose):
    rank = 2


@_transpose_doc
@register
@dataclasses.dataclass(frozen=True)
class Conv3DTranspose(_ConvTransposeBase):
    # Keras's Conv3DTranspose takes data_format before output_padding.
    rank = 3
    filters: int
    kernel_size: int | tuple
    strides: int | tuple = 1
    padding: str = "valid"
    data_format: str | None = None
    output_padding: int | tuple | None = None
    dilation_rate: int | tuple = 1
    activation: Callable | None = activation_field()
    use_bias: bool = True
    kernel_initializer: object = initializer_field("glorot_uniform")
    bias_initializer: object = initializer_field("zeros")
    kernel_regularizer: object = regularizer_field()
    bias_regularizer: object = regularizer_field()
    kernel_constraint: object = constraint_field()
    bias_constraint: object = constraint_field()


# ---------------------------------------------------------------------------- depthwise

_DEPTHWISE_DOC = """{rank}-D depthwise convolution: each input channel convolved with its own
    `depth_multiplier` filters (no mixing across channels), then `bias` and `activation`.

    Args:
        kernel_size: the window size: an int or one per axis.
        strides: the window step: an int or one per axis.
        padding: "valid" (no padding) or "same" (output size ceil(n / stride)).
        depth_multiplier: the filters per input channel; the output has
            input_channels * depth_multiplier channels (channel c's at c * depth_multiplier
            onwards).
        data_format: "channels_last", inputs (batch, {spatial}, channels), or
            "channels_first", inputs (batch, channels, {spatial}); None uses
            `kfn.config.image_data_format()`.
        dilation_rate: the spacing of the kernel's taps: an int or one per axis.
        activation: an activation function or its name (default: none).
        use_bias: whether to add a bias.
        depthwise_initializer, bias_initializer: how the variables start.
        depthwise_regularizer, bias_regularizer: penalties added to the losses.
        depthwise_constraint, bias_constraint: projections applied after each update.

    Variables (Keras 3's names): `kernel` ({kernel}, input_channels, depth_multiplier) and
    `bias` (input_channels * depth_multiplier,).

    Example:
        >>> depthwise = kfn.pure.layers.{name}(3, depth_multiplier=2, padding="same")
        >>> variables = depthwise.init(kfn.random.key(0), kfn.TensorSpec({spec}))
        >>> y, _ = depthwise.apply(variables, kfn.ops.ones({input}))  # shape {output}
"""
_depthwise_doc = document(_DEPTHWISE_DOC, _examples(6))


@dataclasses.dataclass(frozen=True)
class _DepthwiseConv(_ConvBase):
    kernel_size: int | tuple
    strides: int | tuple = 1
    padding: str = "valid"
    depth_multiplier: int = 1
    data_format: str | None = None
    dilation_rate: int | tuple = 1
    activation: Callable | None = activation_field()
    use_bias: bool = True
    depthwise_initializer: object = initializer_field("glorot_uniform")
    bias_initializer: object = initializer_field("zeros")
    depthwise_regularizer: object = regularizer_field()
    bias_regularizer: object = regularizer_field()
    depthwise_constraint: object = constraint_field()
    bias_constraint: object = constraint_field()

    renamed_variables = {"depthwise": "kernel"}

    def __post_init__(self):
        super().__post_init__()
        _positive_int(type(self).__name__, "depth_multiplier", self.depth_multiplier)
        self._standardize()

    def init(self, key, spec):
        channels = self._input_channels(spec)
        self._conv_sizes(spec.shape)
        shape = (*self.kernel_size, channels, self.depth_multiplier)
        units = channels * self.depth_multiplier
        return self._kernel_and_bias(key, self.depthwise_initializer, shape, units)

    def apply(self, variables, inputs, training=False, key=None):
        outputs = ops.depthwise_conv(
            inputs,
            self._weight(variables, "kernel"),
            self.strides,
            self.padding,
            self.data_format,
            self.dilation_rate,
        )
        return self._bias_and_activation(variables, outputs), {}

    def output_spec(self, spec):
        channels = self._input_channels(spec)
        return self._output(spec, self._conv_sizes(spec.shape), channels * self.depth_multiplier)


@_depthwise_doc
@register
@dataclasses.dataclass(frozen=True)
class DepthwiseConv1D(_DepthwiseConv):
    rank = 1


@_depthwise_doc
@register
@dataclasses.dataclass(frozen=True)
class DepthwiseConv2D(_DepthwiseConv):
    rank = 2


# ---------------------------------------------------------------------------- separable

_SEPARABLE_DOC = """{rank}-D depthwise separable convolution: a depthwise convolution (each
    input channel with its own `depth_multiplier` filters) followed by a pointwise (1 x 1)
    convolution that mixes the channels, then `bias` and `activation`.

    Args:
        filters: the number of output channels.
        kernel_size: the depthwise window size: an int or one per axis.
        strides: the depthwise window step: an int or one per axis.
        padding: "valid" (no padding) or "same" (output size ceil(n / stride)).
        data_format: "channels_last", inputs (batch, {spatial}, channels), or
            "channels_first", inputs (batch, channels, {spatial}); None uses
            `kfn.config.image_data_format()`.
        dilation_rate: the spacing of the depthwise kernel's taps: an int or one per axis.
        depth_multiplier: the depthwise filters per input channel.
        activation: an activation function or its name (default: none).
        use_bias: whether to add a bias.
        depthwise_initializer, pointwise_initializer, bias_initializer: how the variables
            start.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer: penalties added to
            the losses.
        depthwise_constraint, pointwise_constraint, bias_constraint: projections applied
            after each update.

    Variables: `depthwise_kernel` ({kernel}, input_channels, depth_multiplier),
    `pointwise_kernel` ({ones}, input_channels * depth_multiplier, filters) and `bias`
    (filters,).

    Example:
        >>> separable = kfn.pure.layers.{name}(8, 3, padding="same")
        >>> variables = separable.init(kfn.random.key(0), kfn.TensorSpec({spec}))
        >>> y, _ = separable.apply(variables, kfn.ops.ones({input}))  # shape {output}
"""
_separable_doc = document(_SEPARABLE_DOC, _examples(8))


@dataclasses.dataclass(frozen=True)
class _SeparableConv(_ConvBase):
    filters: int
    kernel_size: int | tuple
    strides: int | tuple = 1
    padding: str = "valid"
    data_format: str | None = None
    dilation_rate: int | tuple = 1
    depth_multiplier: int = 1
    activation: Callable | None = activation_field()
    use_bias: bool = True
    depthwise_initializer: object = initializer_field("glorot_uniform")
    pointwise_initializer: object = initializer_field("glorot_uniform")
    bias_initializer: object = initializer_field("zeros")
    depthwise_regularizer: object = regularizer_field()
    pointwise_regularizer: object = regularizer_field()
    bias_regularizer: object = regularizer_field()
    depthwise_constraint: object = constraint_field()
    pointwise_constraint: object = constraint_field()
    bias_constraint: object = constraint_field()

    renamed_variables = {"depthwise": "depthwise_kernel", "pointwise": "pointwise_kernel"}

    def __post_init__(self):
        super().__post_init__()
        layer = type(self).__name__
        _positive_int(layer, "filters", self.filters)
        _positive_int(layer, "depth_multiplier", self.depth_multiplier)
        self._standardize()

    def init(self, key, spec):
        channels = self._input_channels(spec)
        self._conv_sizes(spec.shape)
        depthwise_key, pointwise_key, bias_key = split_key(key, 3)
        dtype = self.variable_dtype
        multiplied = channels * self.depth_multiplier
        trainable = {
            "depthwise_kernel": self.depthwise_initializer.sample(
                depthwise_key, (*self.kernel_size, channels, self.depth_multiplier), dtype
            ),
            "pointwise_kernel": self.pointwise_initializer.sample(
                pointwise_key, (*(1,) * self.rank, multiplied, self.filters), dtype
            ),
        }
        if self.use_bias:
            trainable["bias"] = self.bias_initializer.sample(bias_key, (self.filters,), dtype)
        return {"trainable": trainable, "non_trainable": {}}

    def apply(self, variables, inputs, training=False, key=None):
        outputs = ops.separable_conv(
            inputs,
            self._weight(variables, "depthwise_kernel"),
            self._weight(variables, "pointwise_kernel"),
            self.strides,
            self.padding,
            self.data_format,
            self.dilation_rate,
        )
        return self._bias_and_activation(variables, outputs), {}

    def output_spec(self, spec):
        self._input_channels(spec)
        return self._output(spec, self._conv_sizes(spec.shape), self.filters)


@_separable_doc
@register
@dataclasses.dataclass(frozen=True)
class SeparableConv1D(_SeparableConv):
    rank = 1


@_separable_doc
@register
@dataclasses.dataclass(frozen=True)
class SeparableConv2D(_SeparableConv):
    rank = 2


# Keras's other names for the same layers.
Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution3D = Conv3D
Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose = Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
SeparableConvolution1D = SeparableConv1D
SeparableConvolution2D = SeparableConv2D
