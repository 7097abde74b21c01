"""Pure layers that wrap another layer: SpectralNormalization.

A wrapper holds the inner pure layer as a field; the inner layer's variables are nested
under its name (`layer_name`), beside the wrapper's own.
"""

from __future__ import annotations

import dataclasses

from kfn import ops
from kfn.pure import initializers, registry
from kfn.pure.layers.base import Layer, register, split_key


def spectral_normalize(kernel, vector_u, power_iterations: int):
    """(new vector_u, kernel / sigma): sigma, the kernel's largest singular value (the kernel
    flattened to (-1, last axis)), estimated by power iteration from `vector_u`.

    A kernel of zeros is returned unchanged (it has no direction to normalize).
    """
    shape = tuple(kernel.shape)
    weights = ops.reshape(kernel, (-1, shape[-1]))
    u = vector_u
    for _ in range(power_iterations):
        v = ops.normalize(ops.matmul(u, ops.transpose(weights)), axis=None)
        u = ops.normalize(ops.matmul(v, weights), axis=None)
    u = ops.stop_gradient(u)
    v = ops.stop_gradient(v)
    sigma = ops.matmul(ops.matmul(v, weights), ops.transpose(u))
    normalized = ops.reshape(ops.divide(kernel, sigma), shape)
    zero = ops.all(ops.equal(kernel, 0))
    return (
        ops.cast(ops.where(zero, vector_u, u), vector_u.dtype),
        ops.cast(ops.where(zero, kernel, normalized), kernel.dtype),
    )


def check_power_iterations(value) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            f"SpectralNormalization: power_iterations must be a positive integer, got {value!r}"
        )


def kernel_name(variables: dict, layer: str = "SpectralNormalization") -> str:
    """The name of the wrapped layer's kernel: `kernel`, or `embeddings` (Embedding)."""
    for name in ("kernel", "embeddings"):
        if name in variables:
            return name
    raise ValueError(
        f"{layer}: the wrapped layer has no 'kernel' nor 'embeddings' variable "
        f"(it has {sorted(variables) or 'none'})"
    )


@register
@dataclasses.dataclass(frozen=True)
class SpectralNormalization(Layer):
    """Spectral normalization of a layer's kernel: the layer computes with
    `kernel / sigma(kernel)`, sigma estimated by power iteration (Miyato et al., 2018).

    Args:
        layer: the pure layer to wrap; it has a `kernel` (Dense, Conv*) or `embeddings`.
        power_iterations: power iterations per training call (> 0).
        layer_name: the key of the wrapped layer's variables (default: its snake_case
            class name).

    Variables: the wrapped layer's (under `layer_name`) and `vector_u` (non-trainable,
    the running estimate of the top singular vector, updated in training).

    Unlike Keras, which overwrites the wrapped kernel with its normalized value in training
    and uses the stored kernel as it is in inference, kfn keeps the kernel as trained and
    normalizes it in every call (with the stored `vector_u` in inference): the standard
    formulation, and the only one that is a pure function.

    Example:
        >>> sn = kfn.pure.layers.SpectralNormalization(kfn.pure.layers.Dense(3))
        >>> variables = sn.init(kfn.random.key(0), kfn.TensorSpec((None, 4)))
    """

    layer: Layer = None
    power_iterations: int = 1
    layer_name: str | None = None

    uses_training = True

    def __post_init__(self):
        super().__post_init__()
        if self.layer is None or not hasattr(self.layer, "apply"):
            raise ValueError(
                f"SpectralNormalization: layer must be a layer, got {type(self.layer).__name__}"
            )
        check_power_iterations(self.power_iterations)
        if self.layer_name is None:
            object.__setattr__(self, "layer_name", registry.snake_case(type(self.layer).__name__))

    @property
    def uses_key(self) -> bool:
        return self.layer.uses_key

    def init(self, key, spec):
        layer_key, u_key = split_key(key, 2)
        inner = self.layer.init(layer_key, spec)
        kernel = inner["trainable"][kernel_name(inner["trainable"])]
        vector_u = initializers.TruncatedNormal(stddev=0.02).sample(
            u_key, (1, kernel.shape[-1]), kernel.dtype
        )
        trainable = {self.layer_name: inner["trainable"]}
        non_trainable = {"vector_u": vector_u}
        if inner["non_trainable"]:
            non_trainable[self.layer_name] = inner["non_trainable"]
        return {"trainable": trainable, "non_trainable": non_trainable}

    def apply(self, variables, inputs, training=False, key=None):
        from kfn.pure.models import apply_child

        name = self.layer_name
        inner_trainable = dict(variables["trainable"][name])
        kernel = kernel_name(inner_trainable)
        vector_u, inner_trainable[kernel] = spectral_normalize(
            inner_trainable[kernel], variables["non_trainable"]["vector_u"], self.power_iterations
        )
        inner = {
            "trainable": inner_trainable,
            "non_trainable": variables["non_trainable"].get(name, {}),
        }
        outputs, inner_non_trainable = apply_child(self.layer, inner, (inputs,), {}, training, key)
        new = {"vector_u": vector_u if training else variables["non_trainable"]["vector_u"]}
        if inner_non_trainable:
            new[name] = inner_non_trainable
        return ops.cast(outputs, ops.dtype(inputs)), new

    def get_config(self) -> dict:
        return {
            "layer": registry.serialize(self.layer),
            "power_iterations": self.power_iterations,
            "layer_name": self.layer_name,
        }

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        config["layer"] = registry.deserialize("pure_layers", config["layer"])
        return cls(**config)
