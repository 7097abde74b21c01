"""Keras's functional forms of the merge layers: `kfn.layers.add([a, b])` makes an `Add`
layer and calls it on `[a, b]`, on tensors or on symbolic tensors from `kfn.Input`.

Example:
    >>> a, b = kfn.Input((3,)), kfn.Input((3,))
    >>> model = kfn.Model([a, b], kfn.layers.add([a, kfn.layers.Dense(3)(b)]))
"""

from __future__ import annotations

from kfn.stateful import layers as _layers


def add(inputs, **kwargs):
    """The elementwise sum of `inputs` (Keras's `keras.layers.add`).

    Args:
        inputs: a list of at least two tensors of compatible shapes.
        **kwargs: arguments of the `Add` layer (`name`, `dtype`, ...).

    Returns:
        `kfn.layers.Add(**kwargs)(inputs)`.

    Example:
        >>> kfn.layers.add([kfn.ops.ones((2, 3)), kfn.ops.ones((2, 3))])  # all 2.0
    """
    return _layers.Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """`inputs[0] - inputs[1]` (Keras's `keras.layers.subtract`).

    Args:
        inputs: a list of exactly two tensors of compatible shapes.
        **kwargs: arguments of the `Subtract` layer (`name`, `dtype`, ...).

    Returns:
        `kfn.layers.Subtract(**kwargs)(inputs)`.

    Example:
        >>> kfn.layers.subtract([kfn.ops.ones((2, 3)), kfn.ops.ones((2, 3))])  # all 0.0
    """
    return _layers.Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """The elementwise product of `inputs` (Keras's `keras.layers.multiply`).

    Args:
        inputs: a list of at least two tensors of compatible shapes.
        **kwargs: arguments of the `Multiply` layer (`name`, `dtype`, ...).

    Returns:
        `kfn.layers.Multiply(**kwargs)(inputs)`.

    Example:
        >>> kfn.layers.multiply([kfn.ops.full((2, 3), 2.0), kfn.ops.full((2, 3), 3.0)])  # 6.0
    """
    return _layers.Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """The elementwise mean of `inputs` (Keras's `keras.layers.average`).

    Args:
        inputs: a list of at least two tensors of compatible shapes.
        **kwargs: arguments of the `Average` layer (`name`, `dtype`, ...).

    Returns:
        `kfn.layers.Average(**kwargs)(inputs)`.

    Example:
        >>> kfn.layers.average([kfn.ops.zeros((2, 3)), kfn.ops.ones((2, 3))])  # all 0.5
    """
    return _layers.Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """The elementwise maximum of `inputs` (Keras's `keras.layers.maximum`).

    Args:
        inputs: a list of at least two tensors of compatible shapes.
        **kwargs: arguments of the `Maximum` layer (`name`, `dtype`, ...).

    Returns:
        `kfn.layers.Maximum(**kwargs)(inputs)`.

    Example:
        >>> kfn.layers.maximum([kfn.ops.zeros((2, 3)), kfn.ops.ones((2, 3))])  # all 1.0
    """
    return _layers.Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """The elementwise minimum of `inputs` (Keras's `keras.layers.minimum`).

    Args:
        inputs: a list of at least two tensors of compatible shapes.
        **kwargs: arguments of the `Minimum` layer (`name`, `dtype`, ...).

    Returns:
        `kfn.layers.Minimum(**kwargs)(inputs)`.

    Example:
        >>> kfn.layers.minimum([kfn.ops.zeros((2, 3)), kfn.ops.ones((2, 3))])  # all 0.0
    """
    return _layers.Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    """`inputs` joined along `axis` (Keras's `keras.layers.concatenate`).

    Args:
        inputs: a list of at least two tensors whose sizes agree except along `axis`.
        axis: the axis to join along.
        **kwargs: other arguments of the `Concatenate` layer (`name`, `dtype`, ...).

    Returns:
        `kfn.layers.Concatenate(axis=axis, **kwargs)(inputs)`.

    Example:
        >>> kfn.layers.concatenate([kfn.ops.ones((2, 3)), kfn.ops.ones((2, 4))]).shape
        (2, 7)
    """
    return _layers.Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes=-1, **kwargs):
    """The dot product of two tensors' samples along `axes` (Keras's `keras.layers.dot`).

    Args:
        inputs: a list of two tensors.
        axes: the axis of both inputs, or a pair (one axis per input); not the batch axis.
        **kwargs: other arguments of the `Dot` layer (`normalize`, `name`, `dtype`, ...).

    Returns:
        `kfn.layers.Dot(axes=axes, **kwargs)(inputs)`.

    Example:
        >>> kfn.layers.dot([kfn.ops.ones((2, 3)), kfn.ops.ones((2, 3))], axes=1)  # [[3.], [3.]]
    """
    return _layers.Dot(axes=axes, **kwargs)(inputs)
