"""The pure view of a layer that has no pure definition: a user's subclassed Layer or Model.

`Stateless(layer)` has the pure layer's `init`/`apply`: `init` returns the layer's current
variables (the layer must be built; the key is not used, since the layer drew its own initial
values), and `apply` is `layer.stateless_call`, which runs the layer's `call` on the given
values and records its assignments. Randomness comes from the layer's seed states, which are
among its non-trainable variables, so `key` is not used either.
"""

from __future__ import annotations


class Stateless:
    """A stateful layer seen as a pure layer (see the module docstring).

    Example:
        >>> pure = my_layer.pure()
        >>> variables = pure.init(None)
        >>> y, non_trainable = pure.apply(variables, x, training=True)
    """

    uses_key = False
    uses_training = True
    # The layer casts its own inputs and adds its own activity losses.
    autocast = False
    activity_regularizer = None

    def __init__(self, layer):
        self.layer = layer

    @property
    def compute_dtype(self) -> str:
        return self.layer.compute_dtype

    def init(self, key, *input_specs, **keyword_specs) -> dict:
        if not self.layer.built:
            raise ValueError(
                f"{self.layer._describe()} must be built before its pure view can give its "
                "variables: call it once on data, or call build()"
            )
        return self.layer.state_tree()

    def apply(self, variables, *inputs, training=False, key=None, **kwargs):
        return self.layer.stateless_call(
            variables["trainable"], variables["non_trainable"], *inputs, training=training, **kwargs
        )

    def output_spec(self, *input_specs, **keyword_specs):
        return self.layer.compute_output_spec(*input_specs, **keyword_specs)

    def __repr__(self) -> str:
        return f"Stateless({self.layer!r})"
