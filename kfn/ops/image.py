"""kfn.ops.image: Keras 3's `keras.ops.image`, with its names, arguments and defaults.

`resize` and `scale_and_translate` are backend primitives (each framework's own resampling
kernel where it has Keras's semantics, a shared composition otherwise). Everything else is
written once here with kfn.ops: colour conversions, crops and pads, patches, the filters
(`gaussian_blur`, `sobel_edges`, `ssim`) and the warps (`affine_transform`,
`perspective_transform`, `elastic_transform`), which sample as `map_coordinates` does.

Images are (height, width, channels) or (batch, height, width, channels) for
"channels_last", (channels, height, width) or (batch, channels, height, width) for
"channels_first"; `data_format=None` means `kfn.config.image_data_format()`.
"""

import itertools as _itertools
import math as _math

from kfn.backends import active as _active
from kfn.backends.common import convolution as _conv_rules
from kfn.backends.common import dtypes as _dtypes
from kfn.backends.common import image as _rules
from kfn.ops import core as _core
from kfn.ops import numpy as _np
from kfn.ops import random as _random
from kfn.ops.dispatch import composite as _composite
from kfn.ops.dispatch import primitive_of as _primitive_of
from kfn.ops.nn import convolution as _conv

_primitive = _primitive_of(_active.image)

_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
_ORDERS = {"nearest": 0, "bilinear": 1}
_EPSILON = {"float16": 2.0**-10, "bfloat16": 2.0**-7, "float32": 2.0**-23, "float64": 2.0**-52}


# ---------------------------------------------------------------------------- layouts, dtypes


def _channels_last(op, images, data_format, argument="images"):
    """`images` as a 4-D channels-last tensor, and the function giving a result of that
    layout back in the caller's layout (and rank)."""
    images = _core.convert_to_tensor(images)
    rank = _rules.check_rank(op, images.shape, argument=argument)
    first = _rules.image_data_format(op, data_format) == "channels_first"
    x = images if rank == 4 else _np.expand_dims(images, 0)
    if first:
        x = _np.transpose(x, (0, 2, 3, 1))

    def restore(y):
        if first:
            y = _np.transpose(y, (0, 3, 1, 2))
        return y if rank == 4 else y[0]

    return x, restore


def _finish(x, dtype):
    """A float result as `dtype`: integers are rounded (half to even) and saturated."""
    if _core.dtype(x) == dtype:
        return x
    if _dtypes.is_int(dtype):
        return _core.saturate_cast(_np.round(x), dtype)
    return _core.cast(x, dtype)


def _check_float(op, x):
    dtype = _core.dtype(x)
    if not _dtypes.is_float(dtype):
        raise ValueError(f"kfn.ops.image.{op}: images must have a float dtype, got {dtype}")
    return dtype


def _check_channels(op, x, channel_axis, allowed):
    channels = x.shape[channel_axis]
    if channels not in allowed:
        expected = " or ".join(map(str, allowed))
        raise ValueError(
            f"kfn.ops.image.{op}: images must have {expected} channels, got shape {tuple(x.shape)}"
        )
    return channels


# ---------------------------------------------------------------------------- colour


@_composite
def rgb_to_grayscale(images, data_format=None):
    """Convert RGB images to grayscale: 0.2989 R + 0.5870 G + 0.1140 B (one-channel images
    are returned unchanged).

    Args:
        images: an image or a batch of images (3-D or 4-D) with 3 (or 1) channels.
        data_format: "channels_last" or "channels_first"; None uses the configured default.

    Returns:
        The images with one channel, in their dtype (integer results are truncated, as in
        Keras).

    Example:
        >>> kfn.ops.image.rgb_to_grayscale(kfn.ops.ones((2, 4, 4, 3))).shape
        (2, 4, 4, 1)
    """
    images = _core.convert_to_tensor(images)
    rank = _rules.check_rank("rgb_to_grayscale", images.shape)
    first = _rules.image_data_format("rgb_to_grayscale", data_format) == "channels_first"
    axis = rank - 3 if first else rank - 1
    if _check_channels("rgb_to_grayscale", images, axis, (1, 3)) == 1:
        return images
    dtype = _core.dtype(images)
    x = _core.cast(images, _dtypes.to_float(dtype))
    weights = _core.convert_to_tensor([0.2989, 0.5870, 0.1140], _core.dtype(x))
    gray = _np.expand_dims(_np.tensordot(x, weights, axes=([axis], [0])), axis)
    return _core.cast(gray, dtype)


def _planes(op, images, data_format):
    """The three colour planes of float `images`, and the axis to stack results on."""
    images = _core.convert_to_tensor(images)
    rank = _rules.check_rank(op, images.shape)
    _check_float(op, images)
    first = _rules.image_data_format(op, data_format) == "channels_first"
    axis = rank - 3 if first else rank - 1
    _check_channels(op, images, axis, (3,))
    return [images[(slice(None),) * axis + (i,)] for i in range(3)], axis


@_composite
def rgb_to_hsv(images, data_format=None):
    """Convert RGB images to HSV. Defined for float images with values in [0, 1]; all HSV
    values are in [0, 1] (hue 0 is red, 1/3 green, 2/3 blue).

    Args:
        images: a float image or batch of images (3-D or 4-D) with 3 channels.
        data_format: "channels_last" or "channels_first"; None uses the configured default.

    Returns:
        The HSV images, in the dtype of `images`.

    Example:
        >>> kfn.ops.image.rgb_to_hsv(kfn.ops.ones((4, 4, 3))).shape
        (4, 4, 3)
    """
    (red, green, blue), axis = _planes("rgb_to_hsv", images, data_format)
    eps = _EPSILON[_core.dtype(red)]
    red, green, blue = (_np.where(_np.abs(c) < eps, 0.0, c) for c in (red, green, blue))
    value = _np.maximum(_np.maximum(red, green), blue)
    spread = value - _np.minimum(_np.minimum(red, green), blue)
    safe_value = _np.where(value > 0, value, 1.0)
    safe_spread = _np.where(spread > 0, spread, 1.0)
    saturation = _np.where(value > 0, spread / safe_value, 0.0)
    norm = 1.0 / (6.0 * safe_spread)
    hue = _np.where(
        _np.equal(value, green), norm * (blue - red) + 2.0 / 6.0, norm * (red - green) + 4.0 / 6.0
    )
    hue = _np.where(_np.equal(value, red), norm * (green - blue), hue)
    hue = _np.where(spread > 0, hue, 0.0) + _core.cast(hue < 0.0, _core.dtype(hue))
    return _np.stack([hue, saturation, value], axis=axis)


@_composite
def hsv_to_rgb(images, data_format=None):
    """Convert HSV images to RGB. Defined for float images with values in [0, 1].

    Args:
        images: a float image or batch of images (3-D or 4-D) with 3 channels.
        data_format: "channels_last" or "channels_first"; None uses the configured default.

    Returns:
        The RGB images, in the dtype of `images`.

    Example:
        >>> kfn.ops.image.hsv_to_rgb(kfn.ops.ones((2, 4, 4, 3))).shape
        (2, 4, 4, 3)
    """
    (hue, saturation, value), axis = _planes("hsv_to_rgb", images, data_format)
    sector = _np.mod(hue, 1.0) * 6.0
    ramps = (_np.abs(sector - 3.0) - 1.0, 2.0 - _np.abs(sector - 2.0), 2.0 - _np.abs(sector - 4.0))
    grey = 1.0 - saturation
    # min(max(., 0), 1) rather than clip, which the numpy backend widens for bfloat16.
    planes = [value * (grey + saturation * _np.minimum(_np.maximum(c, 0.0), 1.0)) for c in ramps]
    return _np.stack(planes, axis=axis)


# ---------------------------------------------------------------------------- resampling


@_primitive
def resize(
    images,
    size,
    interpolation="bilinear",
    antialias=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    fill_mode="constant",
    fill_value=0.0,
    data_format=None,
):
    """Resize images to `size`, with half-pixel centres (as Keras, TensorFlow 2 and JAX).

    Args:
        images: an image or a batch of images (3-D or 4-D).
        size: the output (height, width).
        interpolation: "bilinear", "nearest", "bicubic" (Keys, a = -0.5), "lanczos3",
            "lanczos5" or "area" (the mean over each output pixel's footprint).
        antialias: widen the kernel when downsampling, to filter out aliasing ("bilinear",
            "bicubic" and the Lanczos kernels).
        crop_to_aspect_ratio: first crop the largest centred window with the aspect ratio of
            `size`, so nothing is distorted.
        pad_to_aspect_ratio: first pad the short side evenly with `fill_value` to the aspect
            ratio of `size`.
        fill_mode: how padding is filled; only "constant" exists.
        fill_value: the padding value for `pad_to_aspect_ratio`.
        data_format: "channels_last" or "channels_first"; None uses the configured default.

    Returns:
        The resized images, in the dtype of `images` (integers are rounded and saturated).

    Example:
        >>> kfn.ops.image.resize(kfn.ops.ones((2, 4, 4, 3)), (2, 2)).shape
        (2, 2, 2, 3)
    """


def _index_fixer(index, size, fill_mode):
    """Integer indices brought inside [0, size) as `fill_mode` extends the input."""
    if fill_mode in ("constant", "nearest"):
        return _np.clip(index, 0, size - 1)
    if fill_mode == "wrap":
        return _np.mod(index, size)
    if fill_mode == "mirror":
        return _mirror(index, size)
    # "reflect" mirrors about the pixel edges: a half-integer grid of twice the density.
    return _np.floor_divide(_mirror(2 * index + 1, 2 * size + 1) - 1, 2)


def _mirror(index, size):
    """Mirror about the first and last pixels: a triangular wave of period 2 * (size - 1)."""
    if size == 1:
        return _np.zeros_like(index)
    period = size - 1
    return _np.abs(_np.mod(index + period, 2 * period) - period)


def _interpolate(source, sizes, coordinates, order, fill_mode, fill_value):
    """Sample `source`, of shape (batch, prod(sizes), channels), at `coordinates` (one float
    tensor of shape (batch, points) per axis of `sizes`): the result has shape (batch,
    points, channels), in float for order 1 and in the dtype of `source` for order 0."""
    if order == 1:
        source = _core.cast(source, _core.dtype(coordinates[0]))
    strides = [1] * len(sizes)
    for axis in range(len(sizes) - 2, -1, -1):
        strides[axis] = strides[axis + 1] * sizes[axis + 1]
    per_axis = []
    for coordinate, size, stride in zip(coordinates, sizes, strides):
        if order == 0:
            # Half away from zero, as jax.scipy.ndimage and TensorFlow's image kernels.
            nearest = _np.floor(_np.abs(coordinate) + 0.5) * _np.sign(coordinate)
            nodes = [(_core.cast(nearest, "int32"), None)]
        else:
            lower = _np.floor(coordinate)
            upper_weight = coordinate - lower
            index = _core.cast(lower, "int32")
            nodes = [(index, 1.0 - upper_weight), (index + 1, upper_weight)]
        per_axis.append(
            [
                (
                    _index_fixer(index, size, fill_mode) * stride,
                    _np.logical_and(index >= 0, index < size) if fill_mode == "constant" else None,
                    weight,
                )
                for index, weight in nodes
            ]
        )
    total = None
    for corner in _itertools.product(*per_axis):
        offsets, inside, weights = zip(*corner)
        flat = offsets[0]
        for offset in offsets[1:]:
            flat = flat + offset
        value = _np.take_along_axis(source, _np.expand_dims(flat, -1), axis=1)
        if fill_mode == "constant":
            valid = inside[0]
            for more in inside[1:]:
                valid = _np.logical_and(valid, more)
            value = _np.where(_np.expand_dims(valid, -1), value, fill_value)
        if order == 1:
            weight = weights[0]
            for more in weights[1:]:
                weight = weight * more
            value = _np.expand_dims(weight, -1) * value
        total = value if total is None else total + value
    return total


def _coordinate_dtype(images_dtype, *others):
    """The float dtype sampling positions are computed in: at least float32."""
    return _dtypes.result_type(
        _rules.compute_dtype(images_dtype), *(_dtypes.to_float(d) for d in others)
    )


def _sample(x, rows, columns, order, fill_mode, fill_value):
    """Channels-last images `x` (batch, height, width, channels) sampled at (rows, columns),
    tensors of shape (batch, out_height, out_width): a tensor in the dtype of `x`."""
    height, width, channels = x.shape[1:]
    out_height, out_width = rows.shape[1:]
    source = _np.reshape(x, (-1, height * width, channels))
    points = [_np.reshape(c, (-1, out_height * out_width)) for c in (rows, columns)]
    out = _interpolate(source, (height, width), points, order, fill_mode, fill_value)
    return _finish(_np.reshape(out, (-1, out_height, out_width, channels)), _core.dtype(x))


def _check_interpolation(op, interpolation):
    _rules.check_choice(op, "interpolation", interpolation, tuple(_ORDERS))
    return _ORDERS[interpolation]


def _warp(op, x, transform, order, fill_mode, fill_value):
    """Channels-last images `x` sampled through projective transforms (batch or 1, 8): output
    pixel (x, y) takes input ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), with
    k = c0 x + c1 y + 1."""
    batch, height, width = x.shape[:3]
    if batch is not None and transform.shape[0] not in (1, batch):
        raise ValueError(
            f"kfn.ops.image.{op}: expected one transform or one per image ({batch}), got "
            f"{transform.shape[0]}"
        )
    dtype = _core.dtype(transform)
    columns = _np.arange(width, dtype=dtype)[None, None, :]
    rows = _np.arange(height, dtype=dtype)[None, :, None]
    a0, a1, a2, b0, b1, b2, c0, c1 = (transform[:, i, None, None] for i in range(8))
    k = c0 * columns + c1 * rows + 1.0
    source_columns = (a0 * columns + a1 * rows + a2) / k
    source_rows = (b0 * columns + b1 * rows + b2) / k
    # One transform serves every image: broadcast against the batch (its size may be dynamic).
    every_image = _np.zeros_like(x[..., 0], dtype=dtype)
    return _sample(
        x, source_rows + every_image, source_columns + every_image, order, fill_mode, fill_value
    )


@_composite
def affine_transform(
    images,
    transform,
    interpolation="bilinear",
    fill_mode="constant",
    fill_value=0,
    data_format=None,
):
    """Apply projective transforms to images.

    A transform `[a0, a1, a2, b0, b1, b2, c0, c1]` maps each output point (x, y) to the
    input point ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1 (the
    inverse of the map from input to output). kfn applies c0 and c1 on every backend (Keras
    only on TensorFlow). With "bilinear", gradients flow to the images and the transforms.

    Args:
        images: an image or a batch of images (3-D or 4-D).
        transform: one transform (8,) or one per image (batch, 8).
        interpolation: "bilinear" or "nearest".
        fill_mode: how points outside the input are filled: "constant" (`fill_value`),
            "nearest" (the edge pixel), "wrap" (periodic), "mirror" (about the edge pixel,
            `c d c b | a b c d | c b a b`) or "reflect" (about the edge,
            `d c b a | a b c d | d c b a`).
        fill_value: the value outside the input with `fill_mode="constant"`.
        data_format: "channels_last" or "channels_first"; None uses the configured default.

    Returns:
        The transformed images, in the dtype of `images`.

    Example:
        >>> shift = kfn.ops.convert_to_tensor([1.0, 0, -2, 0, 1, 0, 0, 0])  # 2 pixels right
        >>> kfn.ops.image.affine_transform(kfn.ops.ones((8, 8, 3)), shift).shape
        (8, 8, 3)
    """
    order = _check_interpolation("affine_transform", interpolation)
    _rules.check_choice("affine_transform", "fill_mode", fill_mode, _FILL_MODES)
    x, restore = _channels_last("affine_transform", images, data_format)
    transform = _core.convert_to_tensor(transform)
    _rules.check_rank("affine_transform", transform.shape, (1, 2), "transform")
    if transform.shape[-1] != 8:
        raise ValueError(
            "kfn.ops.image.affine_transform: transform must have 8 entries per image "
            f"[a0, a1, a2, b0, b1, b2, c0, c1], got shape {tuple(transform.shape)}"
        )
    transform = transform[None] if len(transform.shape) == 1 else transform
    transform = _core.cast(transform, _coordinate_dtype(_core.dtype(x), _core.dtype(transform)))
    return restore(_warp("affine_transform", x, transform, order, fill_mode, fill_value))


def _patches(op, images, size, strides, dilation_rate, padding, data_format, rank):
    """The patches of `size` (`rank` spatial axes), flattened in (offset..., channel) order."""
    argument = "images" if rank == 2 else "volumes"
    x = _core.convert_to_tensor(images)
    batched = len(x.shape) == rank + 2
    _rules.check_rank(op, x.shape, (rank + 1, rank + 2), argument)
    x = x if batched else _np.expand_dims(x, 0)
    first = _rules.image_data_format(op, data_format) == "channels_first"
    name = f"image.{op}"
    size = _conv_rules.as_tuple(size, rank, "size", name)
    strides = size if strides is None else _conv_rules.as_tuple(strides, rank, "strides", name)
    dilation = _conv_rules.as_tuple(dilation_rate, rank, "dilation_rate", name)
    padding = _conv_rules.check_padding(padding, name)
    axes = tuple(range(2, rank + 2)) if first else tuple(range(1, rank + 1))
    spatial = [x.shape[a] for a in axes]
    pads = _conv_rules.padding_pairs(tuple(spatial), size, strides, dilation, padding)
    if any(p != (0, 0) for p in pads):
        widths = [(0, 0)] * (rank + 2)
        for axis, pair in zip(axes, pads):
            widths[axis] = pair
        x = _np.pad(x, widths)
    # Each spatial axis of length n becomes (positions, taps) by one gather; then the taps
    # move next to the channels and are flattened with them.
    counts = []
    for i, (k, s, d) in enumerate(zip(size, strides, dilation)):
        axis = axes[0] + 2 * i
        length = x.shape[axis]
        count = (length - _conv_rules.effective_size(k, d)) // s + 1
        if count <= 0:
            raise ValueError(
                f"kfn.ops.image.{op}: patches of size {size} (dilation {dilation}) do not fit "
                f"in {argument} of spatial shape {tuple(spatial)}"
            )
        counts.append(count)
        taps = [p * s + t * d for p in range(count) for t in range(k)]
        x = _np.take(x, _core.convert_to_tensor(taps, "int32"), axis=axis)
        x = _np.reshape(x, (-1, *x.shape[1:axis], count, k, *x.shape[axis + 1 :]))
    positions = [axes[0] + 2 * i for i in range(rank)]
    offsets = [p + 1 for p in positions]
    if first:  # (batch, channels, p1, t1, p2, t2, ...) -> (batch, t..., channels, p...)
        x = _np.transpose(x, (0, *offsets, 1, *positions))
        out = _np.reshape(x, (-1, _math.prod(size) * x.shape[rank + 1], *counts))
    else:  # (batch, p1, t1, p2, t2, ..., channels) -> (batch, p..., t..., channels)
        x = _np.transpose(x, (0, *positions, *offsets, 2 * rank + 1))
        out = _np.reshape(x, (-1, *counts, _math.prod(size) * x.shape[-1]))
    return out if batched else out[0]


@_composite
def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    """Extract patches from images (or volumes, when `size` has three entries).

    Args:
        images: 3-D or 4-D images for 2-D patches; 4-D or 5-D volumes for 3-D patches.
        size: the patch size: an int or (height, width); or (depth, height, width).
        strides: the step between patches; default `size` (non-overlapping patches).
        dilation_rate: the step between the pixels of one patch.
        padding: "valid" or "same" (zero padding, TensorFlow's rule).
        data_format: "channels_last" or "channels_first"; None uses the configured default.

    Returns:
        One patch per output position, flattened along the channel axis in (row, column,
        channel) order: (batch, rows, columns, size_h * size_w * channels) channels last.

    Example:
        >>> kfn.ops.image.extract_patches(kfn.ops.ones((2, 20, 20, 3)), 5).shape
        (2, 4, 4, 75)
    """
    if not isinstance(size, int):
        if not isinstance(size, tuple | list):
            raise TypeError(
                "kfn.ops.image.extract_patches: size must be an int or a tuple of 2 or 3 ints, "
                f"got {type(size).__name__} {size!r}"
            )
        if len(size) not in (2, 3):
            raise ValueError(
                "kfn.ops.image.extract_patches: size must be an int or a tuple of 2 or 3 ints, "
                f"got {size!r}"
            )
    rank = 3 if not isinstance(size, int) and len(size) == 3 else 2
    return _patches(
        "extract_patches", images, size, strides, dilation_rate, padding, data_format, rank
    )


@_composite
def extract_patches_3d(
    volumes, size, strides=None, dilation_rate=1, padding="valid", data_format=None
):
    """Extract 3-D patches from volumes.

    Args:
        volumes: a volume (depth, height, width, channels) or a batch of them (5-D), or
            channels first.
        size: the patch size: an int or (depth, height, width).
        strides: the step between patches; default `size`.
        dilation_rate: the step between the voxels of one patch.
        padding: "valid" or "same" (zero padding, TensorFlow's rule).
        data_format: "channels_last" or "channels_first"; None uses the configured default.

    Returns:
        One patch per output position, flattened along the channel axis in (depth, row,
        column, channel) order.

    Example:
        >>> kfn.ops.image.extract_patches_3d(kfn.ops.ones((2, 10, 10, 10, 3)), 3).shape
        (2, 3, 3, 3, 81)
    """
    if not isinstance(size, int) and (not isinstance(size, tuple | list) or len(size) != 3):
        raise TypeError(
            f"kfn.ops.image.extract_patches_3d: size must be an int or 3 ints, got {size!r}"
        )
    return _patches(
        "extract_patches_3d", volumes, size, strides, dilation_rate, padding, data_format, 3
    )


@_composite
def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """Sample `inputs` at `coordinates` by nearest or linear interpolation, as
    `scipy.ndimage.map_coordinates` with SciPy's "grid-" boundary modes (Keras's semantics,
    which fix scipy/scipy#2640: a point outside the input blends with `fill_value`).

    Args:
        inputs: an N-D tensor.
        coordinates: (N, ...): for each output point, its position along each axis of
            `inputs` (a tensor, or a sequence of N tensors).
        order: 0 (nearest; positions are rounded half away from zero) or 1 (linear).
        fill_mode: "constant" (`fill_value`), "nearest", "wrap", "mirror" or "reflect"; see
            `affine_transform`.
        fill_value: the value outside `inputs` with `fill_mode="constant"`.

    Returns:
        A tensor of shape `coordinates.shape[1:]`, in the dtype of `inputs` (integers are
        rounded).

    Example:
        >>> x = kfn.ops.reshape(kfn.ops.arange(9.0), (3, 3))
        >>> kfn.ops.image.map_coordinates(x, [[0.5, 2.0], [0.5, 1.0]], order=1)  # [2., 7.]
    """
    inputs = _core.convert_to_tensor(inputs)
    if isinstance(coordinates, list | tuple):
        coordinates = _np.stack([_core.convert_to_tensor(c) for c in coordinates])
    coordinates = _core.convert_to_tensor(coordinates)
    if len(coordinates.shape) < 2:
        raise ValueError(
            "kfn.ops.image.map_coordinates: coordinates must have rank 2 or more (N, ...), "
            f"got shape {tuple(coordinates.shape)}"
        )
    if coordinates.shape[0] != len(inputs.shape):
        raise ValueError(
            "kfn.ops.image.map_coordinates: the first dimension of coordinates must be the "
            f"rank of inputs ({len(inputs.shape)}), got coordinates of shape "
            f"{tuple(coordinates.shape)}"
        )
    _rules.check_choice("map_coordinates", "order", order, (0, 1))
    _rules.check_choice("map_coordinates", "fill_mode", fill_mode, _FILL_MODES)
    sizes = tuple(inputs.shape)
    if None in sizes:
        raise ValueError(
            f"kfn.ops.image.map_coordinates: inputs must have a known shape, got {sizes}"
        )
    dtype = _core.dtype(inputs)
    coordinates = _core.cast(coordinates, _coordinate_dtype(dtype, _core.dtype(coordinates)))
    source = _np.reshape(inputs, (1, -1, 1))
    points = [_np.reshape(coordinates[axis], (1, -1)) for axis in range(len(sizes))]
    out = _interpolate(source, sizes, points, order, fill_mode, fill_value)
    return _finish(_np.reshape(out, tuple(coordinates.shape[1:])), dtype)


# ---------------------------------------------------------------------------- crop, pad


def _resolve(op, kind, length, first, last, target, names):
    """Two of (first, last, target) given: all three, checked non-negative."""
    given = [first, last, target]
    if given.count(None) != 1:
        raise ValueError(
            f"kfn.ops.image.{op}: give exactly two of {names[0]}, {names[1]} and {names[2]}; "
            f"got {names[0]}={first}, {names[1]}={last}, {names[2]}={target}"
        )
    sign = -1 if kind == "crop" else 1  # target = length - first - last, or + for padding
    if target is None:
        target = length + sign * (first + last)
    elif first is None:
        first = sign * (target - length) - last
    else:
        last = sign * (target - length) - first
    for name, value in zip(names, (first, last, target)):
        if value < 0:
            raise ValueError(
                f"kfn.ops.image.{op}: {name} must be >= 0, got {name}={value} (for an axis of "
                f"length {length})"
            )
    return first, last, target


def _box(op, images, data_format, top, bottom, height, left, right, width):
    """The (rows, columns) axes of `images` and the resolved (top, bottom, height) and (left,
    right, width) of a crop or a pad."""
    rank = _rules.check_rank(op, images.shape)
    first = _rules.image_data_format(op, data_format) == "channels_first"
    rows, columns = (rank - 2, rank - 1) if first else (rank - 3, rank - 2)
    kind, suffix = ("crop", "cropping") if op == "crop_images" else ("pad", "padding")
    vertical = _resolve(
        op,
        kind,
        images.shape[rows],
        top,
        bottom,
        height,
        (f"top_{suffix}", f"bottom_{suffix}", "target_height"),
    )
    horizontal = _resolve(
        op,
        kind,
        images.shape[columns],
        left,
        right,
        width,
        (f"left_{suffix}", f"right_{suffix}", "target_width"),
    )
    return (rows, columns), vertical, horizontal


@_composite
def pad_images(
    images,
    top_padding=None,
    left_padding=None,
    bottom_padding=None,
    right_padding=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    """Pad images with zeros to a size: give two of top_padding, bottom_padding and
    target_height, and two of left_padding, right_padding and target_width.

    Args:
        images: an image or a batch of images (3-D or 4-D).
        top_padding, bottom_padding: rows of zeros above and below.
        left_padding, right_padding: columns of zeros left and right.
        target_height, target_width: the output size.
        data_format: "channels_last" or "channels_first"; None uses the configured default.

    Returns:
        The padded images, in the dtype of `images`.

    Example:
        >>> kfn.ops.image.pad_images(kfn.ops.ones((15, 25, 3)), 2, 3, target_height=20,
        ...                          target_width=30).shape
        (20, 30, 3)
    """
    images = _core.convert_to_tensor(images)
    (rows, columns), (top, bottom, _), (left, right, _) = _box(
        "pad_images",
        images,
        data_format,
        top_padding,
        bottom_padding,
        target_height,
        left_padding,
        right_padding,
        target_width,
    )
    widths = [(0, 0)] * len(images.shape)
    widths[rows], widths[columns] = (top, bottom), (left, right)
    return _np.pad(images, widths)


@_composite
def crop_images(
    images,
    top_cropping=None,
    left_cropping=None,
    bottom_cropping=None,
    right_cropping=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    """Crop images to a size: give two of top_cropping, bottom_cropping and target_height,
    and two of left_cropping, right_cropping and target_width.

    Args:
        images: an image or a batch of images (3-D or 4-D).
        top_cropping, bottom_cropping: rows removed at the top and bottom.
        left_cropping, right_cropping: columns removed at the left and right.
        target_height, target_width: the output size.
        data_format: "channels_last" or "channels_first"; None uses the configured default.

    Returns:
        The cropped images.

    Example:
        >>> kfn.ops.image.crop_images(kfn.ops.ones((5, 5, 3)), 1, 0, target_height=2,
        ...                           target_width=3).shape
        (2, 3, 3)
    """
    images = _core.convert_to_tensor(images)
    (rows, columns), (top, _, height), (left, _, width) = _box(
        "crop_images",
        images,
        data_format,
        top_cropping,
        bottom_cropping,
        target_height,
        left_cropping,
        right_cropping,
        target_width,
    )
    index = [slice(None)] * len(images.shape)
    index[rows], index[columns] = slice(top, top + height), slice(left, left + width)
    return images[tuple(index)]


# ---------------------------------------------------------------------------- warps


def _square_to_quad(points):
    """The 3x3 projective map (nested lists of (n,) tensors) taking the unit square's corners
    (0, 0), (1, 0), (1, 1), (0, 1) to `points` (n, 4, 2), in closed form (Heckbert, 1989)."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = ((points[:, i, 0], points[:, i, 1]) for i in range(4))
    dx1, dx2, dx3 = x1 - x2, x3 - x2, x0 - x1 + x2 - x3
    dy1, dy2, dy3 = y1 - y2, y3 - y2, y0 - y1 + y2 - y3
    det = dx1 * dy2 - dx2 * dy1
    g = (dx3 * dy2 - dx2 * dy3) / det
    h = (dx1 * dy3 - dx3 * dy1) / det
    return [
        [x1 - x0 + g * x1, x3 - x0 + h * x3, x0],
        [y1 - y0 + g * y1, y3 - y0 + h * y3, y0],
        [g, h, _np.ones_like(g)],
    ]


def _adjugate(m):
    (a, b, c), (d, e, f), (g, h, i) = m
    return [
        [e * i - f * h, c * h - b * i, b * f - c * e],
        [f * g - d * i, a * i - c * g, c * d - a * f],
        [d * h - e * g, b * g - a * h, a * e - b * d],
    ]


def _homography(start_points, end_points):
    """The transforms (n, 8) taking each output point in `end_points` to its input point in
    `start_points` (four correspondences per image): start <- square <- end."""
    to_start = _square_to_quad(start_points)
    from_end = _adjugate(_square_to_quad(end_points))  # the inverse, up to scale
    m = [
        [sum(to_start[r][k] * from_end[k][c] for k in range(3)) for c in range(3)] for r in range(3)
    ]
    return _np.stack([m[r][c] / m[2][2] for r in range(3) for c in range(3)][:8], axis=-1)


@_composite
def perspective_transform(
    images, start_points, end_points, interpolation="bilinear", fill_value=0, data_format=None
):
    """Apply perspective transforms to images: the transform that moves each point of
    `start_points` to the matching point of `end_points`. Points outside the input are
    `fill_value`.

    Args:
        images: an image or a batch of images (3-D or 4-D).
        start_points: (4, 2) or (batch, 4, 2): four (x, y) points in the input.
        end_points: the same shape: where those points land in the output.
        interpolation: "bilinear" or "nearest".
        fill_value: the value of output pixels that map outside the input.
        data_format: "channels_last" or "channels_first"; None uses the configured default.

    Returns:
        The transformed images, in the dtype of `images`.

    Example:
        >>> start = kfn.ops.convert_to_tensor([[0, 0], [0, 64], [80, 0], [80, 64]])
        >>> end = kfn.ops.convert_to_tensor([[3, 5], [7, 64], [76, -10], [84, 61]])
        >>> kfn.ops.image.perspective_transform(kfn.ops.ones((64, 80, 3)), start, end).shape
        (64, 80, 3)
    """
    order = _check_interpolation("perspective_transform", interpolation)
    x, restore = _channels_last("perspective_transform", images, data_format)
    start_points = _core.convert_to_tensor(start_points)
    end_points = _core.convert_to_tensor(end_points)
    for name, points in (("start_points", start_points), ("end_points", end_points)):
        if len(points.shape) not in (2, 3) or tuple(points.shape[-2:]) != (4, 2):
            raise ValueError(
                f"kfn.ops.image.perspective_transform: {name} must have shape (4, 2) or "
                f"(batch, 4, 2), got {tuple(points.shape)}"
            )
    if tuple(start_points.shape) != tuple(end_points.shape):
        raise ValueError(
            "kfn.ops.image.perspective_transform: start_points and end_points must have the "
            f"same shape, got {tuple(start_points.shape)} and {tuple(end_points.shape)}"
        )
    dtype = _coordinate_dtype(_core.dtype(x), _core.dtype(start_points), _core.dtype(end_points))
    if len(start_points.shape) == 2:
        start_points, end_points = start_points[None], end_points[None]
    transform = _homography(_core.cast(start_points, dtype), _core.cast(end_points, dtype))
    return restore(_warp("perspective_transform", x, transform, order, "constant", fill_value))


# ---------------------------------------------------------------------------- filters


def _gaussian(size, sigma, dtype):
    """A normalized 1-D Gaussian kernel of `size` taps, centred."""
    offsets = _np.arange(size, dtype=dtype) - (size - 1) / 2.0
    kernel = _np.exp(-0.5 * _np.square(offsets / sigma))
    return kernel / _np.sum(kernel)


def _blur(x, kernel_size, sigma):
    """Channels-last float images `x` convolved with a Gaussian ("same" zero padding)."""
    dtype = _core.dtype(x)
    sigma = _core.convert_to_tensor(sigma, dtype)
    if len(sigma.shape) == 0:
        sigma = _np.stack([sigma, sigma])
    # As in Keras (and torchvision), the first entries apply along the width.
    along_width = _gaussian(kernel_size[0], sigma[0], dtype)
    along_height = _gaussian(kernel_size[1], sigma[1], dtype)
    kernel = _np.outer(along_height, along_width)[:, :, None, None]
    kernel = _np.tile(kernel, (1, 1, x.shape[-1], 1))
    return _conv.depthwise_conv(x, kernel, 1, "same", "channels_last")


@_composite
def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Blur images with a Gaussian kernel (zero padding, the output the size of the input).

    As in Keras's implementation on every backend, the first entry of `kernel_size` and
    `sigma` applies along the width and the second along the height (torchvision's (x, y)
    order).

    Args:
        images: an image or a batch of images (3-D or 4-D).
        kernel_size: the kernel size, an int or two ints.
        sigma: the standard deviation, a number or two (or a tensor of shape (2,)).
        data_format: "channels_last" or "channels_first"; None uses the configured default.

    Returns:
        The blurred images, in the dtype of `images` (integers are rounded and saturated).

    Example:
        >>> kfn.ops.image.gaussian_blur(kfn.ops.ones((2, 64, 80, 3))).shape
        (2, 64, 80, 3)
    """
    x, restore = _channels_last("gaussian_blur", images, data_format)
    kernel_size = _conv_rules.as_tuple(kernel_size, 2, "kernel_size", "image.gaussian_blur")
    dtype = _core.dtype(x)
    blurred = _blur(_core.cast(x, _rules.compute_dtype(dtype)), kernel_size, sigma)
    return restore(_finish(blurred, dtype))


@_composite
def elastic_transform(
    images,
    alpha=20.0,
    sigma=5.0,
    interpolation="bilinear",
    fill_mode="reflect",
    fill_value=0.0,
    seed=None,
    data_format=None,
):
    """Apply a random elastic deformation to images: every pixel moves by `alpha` times a
    displacement field of normal noise (standard deviation `sigma`) smoothed by a Gaussian of
    `sigma`, with a kernel of `int(6 * sigma) | 1` taps. Every image of a batch gets its own
    field; all its channels share it.

    Args:
        images: an image or a batch of images (3-D or 4-D).
        alpha: the strength of the deformation.
        sigma: the smoothness of the deformation (a Python number: it sets the kernel size).
        interpolation: "bilinear" or "nearest".
        fill_mode: "constant", "nearest", "wrap", "mirror" or "reflect" (default); see
            `affine_transform`.
        fill_value: the value outside the input with `fill_mode="constant"`.
        seed: an RNG key, an int, a `kfn.random.SeedGenerator` or None (see `kfn.random`).
            The horizontal and vertical fields are drawn with the two keys
            `kfn.random.split(key)`.
        data_format: "channels_last" or "channels_first"; None uses the configured default.

    Returns:
        The deformed images, in the dtype of `images`.

    Example:
        >>> kfn.ops.image.elastic_transform(kfn.ops.ones((2, 64, 80, 3)), seed=1).shape
        (2, 64, 80, 3)
    """
    order = _check_interpolation("elastic_transform", interpolation)
    _rules.check_choice("elastic_transform", "fill_mode", fill_mode, _FILL_MODES)
    x, restore = _channels_last("elastic_transform", images, data_format)
    try:
        sigma = float(sigma)
    except TypeError:
        raise TypeError(
            "kfn.ops.image.elastic_transform: sigma must be a Python number (it sets the size "
            f"of the smoothing kernel), got {type(sigma).__name__}"
        ) from None
    taps = int(6 * sigma) | 1
    batch, height, width = x.shape[:3]
    if batch is None:
        raise ValueError(
            "kfn.ops.image.elastic_transform: the batch size must be known (a displacement field "
            f"is drawn per image), got images of shape {tuple(x.shape)}"
        )
    dtype = _rules.compute_dtype(_core.dtype(x))
    keys = _random.split(_random.draw_key(seed))
    fields = []
    for key in (keys[0], keys[1]):
        noise = _random.normal((batch, height, width, 1), dtype=dtype, seed=key) * sigma
        fields.append(_blur(noise, (taps, taps), sigma)[..., 0] * alpha)
    columns = _np.arange(width, dtype=dtype)[None, None, :] + fields[0]
    rows = _np.arange(height, dtype=dtype)[None, :, None] + fields[1]
    return restore(_sample(x, rows, columns, order, fill_mode, fill_value))


@_primitive
def scale_and_translate(
    images, output_shape, scale, translation, spatial_dims, method, antialias=True
):
    """Resample images by a scale and a translation per spatial dimension (as
    `jax.image.scale_and_translate`): output position `o` along a dimension samples the
    input at `(o + 0.5 - translation) / scale - 0.5` (half-centred pixels); points outside
    the input are 0.

    Args:
        images: the input tensor.
        output_shape: the output shape, one entry per dimension of `images`.
        scale: (K,): the scale of each of the K `spatial_dims`.
        translation: (K,): the translation of each.
        spatial_dims: the K dimensions that are resampled.
        method: "linear" ("bilinear", "trilinear", "triangle"), "cubic" ("bicubic",
            "tricubic"; Keys, a = -0.5), "lanczos3" or "lanczos5".
        antialias: widen the kernel when downsampling (no effect when upsampling).

    Returns:
        The resampled tensor: floats keep their dtype; integers are rounded and kept within
        the range of the input values.

    Example:
        >>> x = kfn.ops.reshape(kfn.ops.arange(9.0), (3, 3))
        >>> scale = kfn.ops.convert_to_tensor([2.0, 2.0])
        >>> kfn.ops.image.scale_and_translate(x, (5, 5), scale, -(scale / 2 - 0.5), (0, 1),
        ...                                   "linear").shape
        (5, 5)
    """


@_composite
def sobel_edges(images, data_format=None):
    """The Sobel gradients of images (a 3x3 filter with zero padding): [dy, dx] per pixel.

    Keras zero-pads on JAX and PyTorch, as kfn does everywhere (Keras on TensorFlow and NumPy
    reflects at the border, so border pixels differ there).

    Args:
        images: a batch of images (4-D).
        data_format: "channels_last" or "channels_first"; None uses the configured default.

    Returns:
        (batch, height, width, channels, 2) for channels last, (batch, channels, height,
        width, 2) for channels first; the last axis holds [dy, dx]. Float images keep their
        dtype; integer images give floatx.

    Example:
        >>> kfn.ops.image.sobel_edges(kfn.ops.ones((1, 8, 8, 1))).shape
        (1, 8, 8, 1, 2)
    """
    images = _core.convert_to_tensor(images)
    _rules.check_rank("sobel_edges", images.shape, (4,))
    first = _rules.image_data_format("sobel_edges", data_format) == "channels_first"
    x = _np.transpose(images, (0, 2, 3, 1)) if first else images
    dtype = _dtypes.to_float(_core.dtype(x))
    compute = _rules.compute_dtype(dtype)
    dy = [[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]]
    dx = [[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]
    kernel = _np.stack(
        [_core.convert_to_tensor(dy, compute), _core.convert_to_tensor(dx, compute)], -1
    )
    channels = x.shape[-1]
    kernel = _np.tile(kernel[:, :, None, :], (1, 1, channels, 1))
    # A depthwise multiplier of 2: output channel 2 c + m is filter m of input channel c.
    edges = _conv.depthwise_conv(_core.cast(x, compute), kernel, 1, "same", "channels_last")
    edges = _np.reshape(edges, (-1, *edges.shape[1:3], channels, 2))
    if first:
        edges = _np.transpose(edges, (0, 3, 1, 2, 4))
    return _core.cast(edges, dtype)


@_composite
def ssim(
    image1,
    image2,
    max_val=1.0,
    filter_size=11,
    filter_sigma=1.5,
    k1=0.01,
    k2=0.03,
    data_format=None,
):
    """The structural similarity index (SSIM; Wang et al., 2004) of two images: local means,
    variances and covariance under a Gaussian window ("valid" positions only), averaged over
    positions and channels. 1 means identical.

    Args:
        image1: an image or a batch of images (3-D or 4-D).
        image2: the same shape as `image1`.
        max_val: the dynamic range of the pixel values (1.0 for [0, 1], 255.0 for uint8).
        filter_size: the size of the Gaussian window (at most the image height and width).
        filter_sigma: its standard deviation.
        k1, k2: the stabilizing constants.
        data_format: "channels_last" or "channels_first"; None uses the configured default.

    Returns:
        One value per image pair: shape (batch,) for batches, () for single images; in the
        dtype of `image1` when it is float, floatx otherwise.

    Example:
        >>> x = kfn.random.uniform((2, 32, 32, 3), seed=0)
        >>> kfn.ops.image.ssim(x, x).shape  # both values 1.0
        (2,)
    """
    a, _ = _channels_last("ssim", image1, data_format, "image1")
    b, _ = _channels_last("ssim", image2, data_format, "image2")
    if tuple(a.shape) != tuple(b.shape):
        raise ValueError(
            "kfn.ops.image.ssim: image1 and image2 must have the same shape, got "
            f"{tuple(_core.convert_to_tensor(image1).shape)} and "
            f"{tuple(_core.convert_to_tensor(image2).shape)}"
        )
    height, width, channels = a.shape[1:]
    if not isinstance(filter_size, int) or not 1 <= filter_size <= min(height, width):
        raise ValueError(
            "kfn.ops.image.ssim: filter_size must be an int from 1 to the image height and "
            f"width ({height}, {width}), got {filter_size!r}"
        )
    dtype = _dtypes.to_float(_core.dtype(a))
    compute = _rules.compute_dtype(dtype)
    a, b = _core.cast(a, compute), _core.cast(b, compute)
    window = _gaussian(filter_size, filter_sigma, compute)
    kernel = _np.tile(_np.outer(window, window)[:, :, None, None], (1, 1, channels, 1))

    def local_mean(x):
        return _conv.depthwise_conv(x, kernel, 1, "valid", "channels_last")

    mean_a, mean_b = local_mean(a), local_mean(b)
    var_a = local_mean(a * a) - mean_a * mean_a
    var_b = local_mean(b * b) - mean_b * mean_b
    covariance = local_mean(a * b) - mean_a * mean_b
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    numerator = (2.0 * mean_a * mean_b + c1) * (2.0 * covariance + c2)
    denominator = (mean_a * mean_a + mean_b * mean_b + c1) * (var_a + var_b + c2)
    values = _core.cast(_np.mean(numerator / denominator, axis=(1, 2, 3)), dtype)
    return values if len(_core.convert_to_tensor(image1).shape) == 4 else values[0]
