"""Normalization layers: BatchNormalization, LayerNormalization, GroupNormalization,
UnitNormalization, RMSNormalization.

Each is a frozen dataclass of its Keras arguments with `init(key, *input_specs)` and
`apply(variables, inputs, training=False, key=None) -> (outputs, new_non_trainable)`.
Statistics are computed in at least float32 (as Keras does for float16/bfloat16 inputs) and
the outputs are cast to the layer's compute dtype. Only BatchNormalization has state: its
moving statistics come back from `apply` as the new non-trainable variables.
"""

from __future__ import annotations

import dataclasses
import numbers
import warnings

from kfn import ops
from kfn.backends import config
from kfn.backends.common import dtypes
from kfn.pure.layers.base import (
    InputError,
    InputSpec,
    Layer,
    constraint_field,
    initializer_field,
    register,
    regularizer_field,
    split_key,
)
from kfn.state.spec import TensorSpec

# ---------------------------------------------------------------------------- arguments


def _check_axis(layer: str, axis, allow_list: bool):
    """`axis` as stored: an int, or (when `allow_list`) a tuple of ints."""
    if isinstance(axis, numbers.Integral) and not isinstance(axis, bool):
        return int(axis)
    if allow_list and isinstance(axis, list | tuple) and axis:
        if all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in axis):
            return tuple(int(a) for a in axis)
    expected = "an int or a list of ints" if allow_list else "an int"
    raise ValueError(f"{layer}: axis must be {expected}, got {axis!r}")


def _check_number(layer: str, argument: str, value, minimum: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value < minimum:
        raise ValueError(f"{layer}: {argument} must be a number >= {minimum}, got {value!r}")
    return float(value)


def _set(layer, **values) -> None:
    for name, value in values.items():
        object.__setattr__(layer, name, value)


# ---------------------------------------------------------------------------- shapes


def _resolve_axes(axis, shape) -> tuple[int, ...]:
    """The sorted non-negative axes that `axis` (an int or a tuple) names in `shape`."""
    shape = tuple(shape)
    rank = len(shape)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in axes:
        if not -rank <= a < rank:
            raise InputError(
                f"expected input of rank >= {a + 1 if a >= 0 else -a} for axis={_show(axis)}, "
                f"got rank {rank} (input shape {shape})"
            )
    resolved = tuple(sorted(a % rank for a in axes))
    if len(set(resolved)) != len(resolved):
        raise InputError(f"axis={_show(axis)} names an axis twice (input shape {shape})")
    return resolved


def _known_sizes(axes, shape) -> tuple[int, ...]:
    """The sizes of `shape` on `axes`, which must be known (they size the variables)."""
    shape = tuple(shape)
    for a in axes:
        if shape[a] is None:
            raise InputError(
                f"needs the input's dimension {a} to be known, got input shape {shape}"
            )
    return tuple(int(shape[a]) for a in axes)


def _show(axis):
    return list(axis) if isinstance(axis, tuple) else axis


def _broadcast(value, rank: int, axes, sizes):
    """A parameter of shape `sizes` (the sizes on `axes`) reshaped to broadcast against an
    input of rank `rank`."""
    shape = [1] * rank
    for a, size in zip(axes, sizes):
        shape[a] = size
    return ops.reshape(value, shape)


def _float32_at_least(x):
    """`x` cast to the dtype its statistics are computed in: at least float32."""
    return ops.cast(x, dtypes.result_type(ops.dtype(x), "float32"))


def _gamma_beta(layer, key, shape, scale: bool, center: bool) -> dict:
    """The trainable `gamma` (when `scale`) and `beta` (when `center`) of `shape`."""
    gamma_key, beta_key = split_key(key, 2)
    dtype = layer.variable_dtype
    trainable = {}
    if scale:
        trainable["gamma"] = layer.gamma_initializer.sample(gamma_key, shape, dtype)
    if center:
        trainable["beta"] = layer.beta_initializer.sample(beta_key, shape, dtype)
    return trainable


class _SameShape(Layer):
    """A normalization layer: the output has the input's shape, in the compute dtype."""

    def output_spec(self, spec):
        _resolve_axes(self.axis, spec.shape)
        return TensorSpec(tuple(spec.shape), self.compute_dtype)


# ---------------------------------------------------------------------------- batch


@register
@dataclasses.dataclass(frozen=True)
class BatchNormalization(_SameShape):
    """Normalizes each feature over the batch: `gamma * (x - mean) / sqrt(var + epsilon) +
    beta`, with the batch's statistics in training and the moving ones in inference.

    Each training call returns updated moving statistics,
    `moving = moving * momentum + batch_statistic * (1 - momentum)`.

    Args:
        axis: the feature axis (1 after a channels_first convolution).
        momentum: the momentum of the moving averages.
        epsilon: added to the variance.
        center, scale: whether to add `beta` / multiply by `gamma`.
        beta_initializer, gamma_initializer, moving_mean_initializer,
            moving_variance_initializer: how the variables start.
        beta_regularizer, gamma_regularizer: penalties added to the losses.
        beta_constraint, gamma_constraint: projections applied after each update.
        renorm: batch renormalization (Ioffe, 2017): in training, the batch-normalized
            values are corrected by `r = stddev / renorm_stddev` and
            `d = (mean - renorm_mean) / renorm_stddev` (no gradient through them).
        renorm_clipping: a dict with optional "rmax", "rmin", "dmax" clipping r and d.
        renorm_momentum: the momentum of the renorm statistics.
        synchronized: accepted for Keras compatibility; the statistics are those of the
            data on this device (cross-replica statistics come with distribution support).

    The call's `mask` (booleans of the input's shape without its last axis, as in Keras)
    leaves the masked positions out of the batch statistics in training.

    Variables: `gamma`, `beta` (trainable, shape (features,)), `moving_mean`,
    `moving_variance` (non-trainable); with renorm also `moving_stddev`, `renorm_mean`,
    `renorm_stddev` (non-trainable).

    Example:
        >>> bn = kfn.pure.layers.BatchNormalization()
        >>> variables = bn.init(None, kfn.TensorSpec((None, 3)))
        >>> y, non_trainable = bn.apply(variables, kfn.ops.ones((4, 3)), training=True)
        >>> non_trainable["moving_mean"]  # [0.01, 0.01, 0.01]
    """

    supports_masking = True

    axis: int = -1
    momentum: float = 0.99
    epsilon: float = 1e-3
    center: bool = True
    scale: bool = True
    beta_initializer: object = initializer_field("zeros")
    gamma_initializer: object = initializer_field("ones")
    moving_mean_initializer: object = initializer_field("zeros")
    moving_variance_initializer: object = initializer_field("ones")
    beta_regularizer: object = regularizer_field()
    gamma_regularizer: object = regularizer_field()
    beta_constraint: object = constraint_field()
    gamma_constraint: object = constraint_field()
    renorm: bool = False
    renorm_clipping: dict | None = None
    renorm_momentum: float = 0.99
    synchronized: bool = False

    uses_training = True
    # Statistics and parameters stay in float32 under a mixed policy (as Keras).
    autocast_variables = False
    # Frozen, it normalizes with the moving statistics even in training (as Keras).
    frozen_is_inference = True

    def __post_init__(self):
        super().__post_init__()
        name = "BatchNormalization"
        _set(
            self,
            axis=_check_axis(name, self.axis, allow_list=False),
            momentum=_check_number(name, "momentum", self.momentum),
            epsilon=_check_number(name, "epsilon", self.epsilon),
            renorm_momentum=_check_number(name, "renorm_momentum", self.renorm_momentum),
        )
        if self.renorm:
            clipping = dict(self.renorm_clipping or {})
            unknown = sorted(set(clipping) - {"rmax", "rmin", "dmax"})
            if unknown:
                raise ValueError(
                    f"{name}: renorm_clipping takes the keys 'rmax', 'rmin' and 'dmax', "
                    f"got {unknown}"
                )
            rmax, rmin, dmax = (clipping.get(k) for k in ("rmax", "rmin", "dmax"))
            if rmax is not None and rmin is not None and rmax < rmin:
                raise ValueError(
                    f"{name}: renorm_clipping rmax must be >= rmin, got rmax={rmax}, rmin={rmin}"
                )
            if dmax is not None and dmax < 0:
                raise ValueError(f"{name}: renorm_clipping dmax must be >= 0, got {dmax}")
            _set(self, renorm_clipping=clipping)

    def input_spec(self, spec):
        shape = tuple(spec.shape)
        return InputSpec(ndim=len(shape), axes={self.axis: shape[self.axis]})

    def init(self, key, spec):
        axes = _resolve_axes(self.axis, spec.shape)
        shape = _known_sizes(axes, spec.shape)
        keys = split_key(key, 4)
        dtype = self.variable_dtype
        trainable = _gamma_beta(self, keys[0], shape, self.scale, self.center)
        non_trainable = {
            "moving_mean": self.moving_mean_initializer.sample(keys[1], shape, dtype),
            "moving_variance": self.moving_variance_initializer.sample(keys[2], shape, dtype),
        }
        if self.renorm:
            # Renorm tracks standard deviations; they start at the root of the initial
            # variance (Keras's order: moving_stddev, renorm_mean, renorm_stddev).
            # Separate tensors: variables must not share storage.
            non_trainable["moving_stddev"] = ops.sqrt(non_trainable["moving_variance"])
            non_trainable["renorm_mean"] = self.moving_mean_initializer.sample(
                keys[3], shape, dtype
            )
            non_trainable["renorm_stddev"] = ops.sqrt(non_trainable["moving_variance"])
        return {"trainable": trainable, "non_trainable": non_trainable}

    def apply(self, variables, inputs, training=False, key=None, mask=None):
        shape = tuple(inputs.shape)
        (axis,) = _resolve_axes(self.axis, shape)
        if mask is not None and len(mask.shape) != len(shape) - 1:
            raise InputError(
                f"expected a mask of rank {len(shape) - 1} (one less than the input), got "
                f"mask shape {tuple(mask.shape)} (input shape {shape})"
            )
        reduction = tuple(a for a in range(len(shape)) if a != axis)
        x = _float32_at_least(inputs)
        dtype = ops.dtype(x)
        weights, state = variables["trainable"], variables["non_trainable"]
        gamma = ops.cast(weights["gamma"], dtype) if self.scale else None
        beta = ops.cast(weights["beta"], dtype) if self.center else None
        new_state = state
        if training:
            mean, variance = self._moments(x, mask, reduction)
            if self.renorm:
                gamma, beta, new_state = self._renormalize(state, mean, variance, gamma, beta)
            else:
                new_state = dict(state)
                for name, batch in (("moving_mean", mean), ("moving_variance", variance)):
                    new_state[name] = self._moving_average(state[name], batch, self.momentum)
        else:
            mean = ops.cast(state["moving_mean"], dtype)
            variance = ops.cast(state["moving_variance"], dtype)
        outputs = ops.batch_normalization(
            x, mean, variance, axis=axis, offset=beta, scale=gamma, epsilon=self.epsilon
        )
        return ops.cast(outputs, self.compute_dtype), new_state

    def _moments(self, x, mask, reduction):
        if mask is None:
            return ops.moments(x, axes=reduction, synchronized=self.synchronized)
        # Masked positions weigh nothing; the mask covers every axis but the last.
        where = ops.broadcast_to(ops.expand_dims(ops.cast(mask, "bool"), -1), tuple(x.shape))
        weights = ops.cast(where, ops.dtype(x))
        count = ops.sum(weights, axis=reduction, keepdims=True) + config.epsilon()
        mean = ops.sum(ops.where(where, x, 0.0), axis=reduction, keepdims=True) / count
        centered = ops.where(where, x - mean, 0.0)
        variance = ops.sum(ops.square(centered), axis=reduction, keepdims=True) / count
        return ops.squeeze(mean, reduction), ops.squeeze(variance, reduction)

    @staticmethod
    def _moving_average(moving, batch, momentum):
        """`moving * momentum + batch * (1 - momentum)`, in the variable's dtype."""
        value = ops.cast(moving, ops.dtype(batch)) * momentum + batch * (1.0 - momentum)
        return ops.cast(value, ops.dtype(moving))

    def _renormalize(self, state, mean, variance, gamma, beta):
        """Batch renormalization: the corrected scale and offset, and the updated state."""
        dtype = ops.dtype(mean)
        stddev = ops.sqrt(variance + self.epsilon)
        renorm_mean = ops.cast(state["renorm_mean"], dtype)
        renorm_stddev = ops.maximum(
            ops.cast(state["renorm_stddev"], dtype), ops.sqrt(ops.cast(self.epsilon, dtype))
        )
        r = stddev / renorm_stddev
        d = (mean - renorm_mean) / renorm_stddev
        clipping = self.renorm_clipping
        if clipping.get("rmin") is not None:
            r = ops.maximum(r, clipping["rmin"])
        if clipping.get("rmax") is not None:
            r = ops.minimum(r, clipping["rmax"])
        if clipping.get("dmax") is not None:
            d = ops.clip(d, -clipping["dmax"], clipping["dmax"])
        r, d = ops.stop_gradient(r), ops.stop_gradient(d)
        # (x_hat * r + d) * gamma + beta = x_hat * (r * gamma) + (d * gamma + beta)
        new_gamma = r if gamma is None else r * gamma
        new_beta = d if gamma is None else d * gamma
        if beta is not None:
            new_beta = new_beta + beta

        new_state = dict(state)
        new_state["renorm_mean"] = self._moving_average(
            state["renorm_mean"], mean, self.renorm_momentum
        )
        new_state["renorm_stddev"] = self._moving_average(
            state["renorm_stddev"], stddev, self.renorm_momentum
        )
        new_state["moving_mean"] = self._moving_average(state["moving_mean"], mean, self.momentum)
        moving_stddev = self._moving_average(state["moving_stddev"], stddev, self.momentum)
        new_state["moving_stddev"] = moving_stddev
        # ReLU: rounding must not make the variance negative.
        moving_stddev = ops.cast(moving_stddev, dtype)
        new_state["moving_variance"] = ops.cast(
            ops.relu(moving_stddev * moving_stddev - self.epsilon),
            ops.dtype(state["moving_variance"]),
        )
        return new_gamma, new_beta, new_state


# ---------------------------------------------------------------------------- layer


@register
@dataclasses.dataclass(frozen=True)
class LayerNormalization(_SameShape):
    """Normalizes each sample over `axis`: `gamma * (x - mean) / sqrt(var + epsilon) + beta`,
    the statistics taken over the axes of `axis` of that sample.

    Args:
        axis: the axis or list of axes to normalize over (default: the last).
        epsilon: added to the variance.
        center, scale: whether to add `beta` / multiply by `gamma`.
        beta_initializer, gamma_initializer: how the variables start.
        beta_regularizer, gamma_regularizer: penalties added to the losses.
        beta_constraint, gamma_constraint: projections applied after each update.
        rms_scaling: deprecated in Keras (use RMSNormalization): `gamma * x /
            sqrt(var + epsilon)`, without centering and without `beta`.

    Variables: `gamma` and `beta` (trainable), of the input's sizes on `axis`.

    Example:
        >>> ln = kfn.pure.layers.LayerNormalization()
        >>> variables = ln.init(None, kfn.TensorSpec((None, 2)))
        >>> y, _ = ln.apply(variables, kfn.ops.convert_to_tensor([[1.0, 3.0]]))  # ~[[-1, 1]]
    """

    supports_masking = True

    axis: int | tuple = -1
    epsilon: float = 1e-3
    center: bool = True
    scale: bool = True
    beta_initializer: object = initializer_field("zeros")
    gamma_initializer: object = initializer_field("ones")
    beta_regularizer: object = regularizer_field()
    gamma_regularizer: object = regularizer_field()
    beta_constraint: object = constraint_field()
    gamma_constraint: object = constraint_field()
    rms_scaling: bool = False

    # As Keras: inputs and parameters are not cast down; statistics are computed in float32.
    autocast = False
    autocast_variables = False

    def __post_init__(self):
        super().__post_init__()
        name = "LayerNormalization"
        _set(
            self,
            axis=_check_axis(name, self.axis, allow_list=True),
            epsilon=_check_number(name, "epsilon", self.epsilon),
        )
        if self.rms_scaling:
            warnings.warn(
                "LayerNormalization: rms_scaling=True is deprecated (it scales by the "
                "variance, not the root mean square); use RMSNormalization instead.",
                stacklevel=3,
            )

    def input_spec(self, spec):
        given = (self.axis,) if isinstance(self.axis, int) else self.axis
        needed = max(a + 1 if a >= 0 else -a for a in given)
        return InputSpec(min_ndim=needed, axes={a: tuple(spec.shape)[a] for a in given})

    def init(self, key, spec):
        axes = _resolve_axes(self.axis, spec.shape)
        shape = _known_sizes(axes, spec.shape)
        scale, center = self.scale or self.rms_scaling, self.center and not self.rms_scaling
        return {"trainable": _gamma_beta(self, key, shape, scale, center), "non_trainable": {}}

    def apply(self, variables, inputs, training=False, key=None):
        axes = _resolve_axes(self.axis, inputs.shape)
        x = _float32_at_least(inputs)
        dtype, rank = ops.dtype(x), len(x.shape)
        sizes = tuple(x.shape[a] for a in axes)
        weights = variables["trainable"]
        gamma = weights.get("gamma")
        gamma = None if gamma is None else _broadcast(ops.cast(gamma, dtype), rank, axes, sizes)
        if self.rms_scaling:
            variance = ops.var(x, axis=axes, keepdims=True)
            outputs = x * ops.rsqrt(variance + self.epsilon)
            if gamma is not None:
                outputs = outputs * gamma
        else:
            beta = weights.get("beta")
            beta = None if beta is None else _broadcast(ops.cast(beta, dtype), rank, axes, sizes)
            outputs = ops.layer_normalization(x, gamma, beta, axis=axes, epsilon=self.epsilon)
        return ops.cast(outputs, self.compute_dtype), {}


# ---------------------------------------------------------------------------- group


@register
@dataclasses.dataclass(frozen=True)
class GroupNormalization(_SameShape):
    """Normalizes each sample over groups of channels: the channels of `axis` are split into
    `groups` groups, and each group (with all the other non-batch axes) is normalized to zero
    mean and unit variance, then scaled by `gamma` and offset by `beta` per channel.

    Args:
        groups: the number of groups; it must divide the number of channels. -1 makes one
            group per channel (instance normalization); 1 gives layer normalization.
        axis: the channel axis (1 for channels_first data).
        epsilon: added to the variance.
        center, scale: whether to add `beta` / multiply by `gamma`.
        beta_initializer, gamma_initializer: how the variables start.
        beta_regularizer, gamma_regularizer: penalties added to the losses.
        beta_constraint, gamma_constraint: projections applied after each update.

    Variables: `gamma` and `beta` (trainable), shape (channels,).

    Example:
        >>> gn = kfn.pure.layers.GroupNormalization(groups=2)
        >>> variables = gn.init(None, kfn.TensorSpec((None, 5, 4)))
        >>> y, _ = gn.apply(variables, kfn.ops.ones((2, 5, 4)))  # shape (2, 5, 4)
    """

    supports_masking = True

    groups: int = 32
    axis: int = -1
    epsilon: float = 1e-3
    center: bool = True
    scale: bool = True
    beta_initializer: object = initializer_field("zeros")
    gamma_initializer: object = initializer_field("ones")
    beta_regularizer: object = regularizer_field()
    gamma_regularizer: object = regularizer_field()
    beta_constraint: object = constraint_field()
    gamma_constraint: object = constraint_field()

    # As Keras: inputs and parameters are not cast down; statistics are computed in float32.
    autocast = False
    autocast_variables = False

    def __post_init__(self):
        super().__post_init__()
        name = "GroupNormalization"
        groups = self.groups
        if (
            isinstance(groups, bool)
            or not isinstance(groups, numbers.Integral)
            or (groups <= 0 and groups != -1)
        ):
            raise ValueError(
                f"{name}: groups must be a positive integer (or -1 for instance "
                f"normalization), got {groups!r}"
            )
        _set(
            self,
            groups=int(groups),
            axis=_check_axis(name, self.axis, allow_list=False),
            epsilon=_check_number(name, "epsilon", self.epsilon),
        )

    def _channels(self, shape) -> tuple[int, int, int]:
        """(channel axis, channels, groups) for an input of `shape`."""
        shape = tuple(shape)
        (axis,) = _resolve_axes(self.axis, shape)
        if axis == 0:
            raise InputError(
                f"expected axis={self.axis} to be a channel axis, not the batch axis "
                f"(input shape {shape})"
            )
        (channels,) = _known_sizes((axis,), shape)
        groups = channels if self.groups == -1 else self.groups
        if channels % groups:
            raise InputError(
                f"expected a number of channels (dimension {axis}) divisible by "
                f"groups={groups}, got {channels} (input shape {shape})"
            )
        return axis, channels, groups

    def input_spec(self, spec):
        shape = tuple(spec.shape)
        return InputSpec(ndim=len(shape), axes={self.axis: shape[self.axis]})

    def init(self, key, spec):
        _, channels, _ = self._channels(spec.shape)
        trainable = _gamma_beta(self, key, (channels,), self.scale, self.center)
        return {"trainable": trainable, "non_trainable": {}}

    def apply(self, variables, inputs, training=False, key=None):
        shape = tuple(inputs.shape)
        axis, channels, groups = self._channels(shape)
        # (batch, ..., groups, channels // groups, ...): statistics over all but batch and group.
        grouped = [-1, *shape[1:axis], groups, channels // groups, *shape[axis + 1 :]]
        x = ops.reshape(_float32_at_least(inputs), grouped)
        dtype = ops.dtype(x)
        reduction = tuple(a for a in range(1, len(grouped)) if a != axis)
        mean, variance = ops.moments(x, axes=reduction, keepdims=True)
        inverse = ops.rsqrt(variance + self.epsilon)
        parameter_shape = [1] * len(grouped)
        parameter_shape[axis], parameter_shape[axis + 1] = groups, channels // groups
        weights = variables["trainable"]
        if self.scale:
            inverse = inverse * ops.reshape(ops.cast(weights["gamma"], dtype), parameter_shape)
        offset = -mean * inverse
        if self.center:
            offset = offset + ops.reshape(ops.cast(weights["beta"], dtype), parameter_shape)
        outputs = ops.reshape(x * inverse + offset, [-1, *shape[1:]])
        return ops.cast(outputs, self.compute_dtype), {}


# ---------------------------------------------------------------------------- unit, RMS


@register
@dataclasses.dataclass(frozen=True)
class UnitNormalization(_SameShape):
    """Scales each sample to unit L2 norm over `axis`: `x / max(||x||, 1e-12)`.

    Args:
        axis: the axis or list of axes the norm is taken over (default: the last).

    Example:
        >>> un = kfn.pure.layers.UnitNormalization()
        >>> y, _ = un.apply({}, kfn.ops.convert_to_tensor([[3.0, 4.0]]))  # [[0.6, 0.8]]
    """

    supports_masking = True

    axis: int | tuple = -1

    def __post_init__(self):
        super().__post_init__()
        _set(self, axis=_check_axis("UnitNormalization", self.axis, allow_list=True))

    def apply(self, variables, inputs, training=False, key=None):
        axes = _resolve_axes(self.axis, inputs.shape)
        outputs = ops.normalize(inputs, axis=axes, order=2, epsilon=1e-12)
        return ops.cast(outputs, self.compute_dtype), {}


@register
@dataclasses.dataclass(frozen=True)
class RMSNormalization(_SameShape):
    """Scales each sample by its root mean square over `axis`:
    `x / sqrt(mean(x**2) + epsilon) * scale`.

    Args:
        axis: the axis or list of axes (default: the last).
        epsilon: added to the mean square.

    Variables: `scale` (trainable, initialized to ones), of the input's sizes on `axis`.

    Example:
        >>> rms = kfn.pure.layers.RMSNormalization()
        >>> variables = rms.init(None, kfn.TensorSpec((None, 2)))
        >>> y, _ = rms.apply(variables, kfn.ops.convert_to_tensor([[3.0, 4.0]]))
        >>> # [[0.8485, 1.1314]]
    """

    axis: int | tuple = -1
    epsilon: float = 1e-6

    def __post_init__(self):
        super().__post_init__()
        name = "RMSNormalization"
        _set(
            self,
            axis=_check_axis(name, self.axis, allow_list=True),
            epsilon=_check_number(name, "epsilon", self.epsilon),
        )

    def init(self, key, spec):
        axes = _resolve_axes(self.axis, spec.shape)
        shape = _known_sizes(axes, spec.shape)
        scale = ops.ones(shape, dtype=self.variable_dtype)
        return {"trainable": {"scale": scale}, "non_trainable": {}}

    def apply(self, variables, inputs, training=False, key=None):
        axes = _resolve_axes(self.axis, inputs.shape)
        x = _float32_at_least(inputs)
        rank = len(x.shape)
        sizes = tuple(x.shape[a] for a in axes)
        scale = _broadcast(
            ops.cast(variables["trainable"]["scale"], ops.dtype(x)), rank, axes, sizes
        )
        outputs = ops.rms_normalization(x, scale, axis=axes, epsilon=self.epsilon)
        return ops.cast(outputs, self.compute_dtype), {}
