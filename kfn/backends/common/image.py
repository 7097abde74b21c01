"""What every backend's image primitives share: Keras's argument rules, with the same errors
everywhere, and the separable resampling that `resize` and `scale_and_translate` fall back to
where a framework has no kernel with Keras's semantics.

The resampling is JAX's (`jax.image.scale_and_translate`): output pixel i of an axis samples
the input at `(i + 0.5 - translation) / scale - 0.5` (half-centred pixels), with a triangle,
Keys cubic (a = -0.5) or Lanczos kernel, stretched by 1 / scale when downsampling with
`antialias`. Kernel weights that fall outside the input are dropped and the rest renormalized.
"area" averages the input over each output pixel's footprint, as `tf.image.resize` does.

The resampling code is written once against `ArrayOps`, the few functions of a backend's own
NumPy API it needs, so no tensor leaves the device.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

from kfn.backends import config
from kfn.backends.common import dtypes

RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5", "area")
# scale_and_translate's method names, by the kernel they select.
SCALE_AND_TRANSLATE_METHODS = {
    "linear": "linear",
    "bilinear": "linear",
    "trilinear": "linear",
    "triangle": "linear",
    "cubic": "cubic",
    "bicubic": "cubic",
    "tricubic": "cubic",
    "lanczos3": "lanczos3",
    "lanczos5": "lanczos5",
}
# resize's interpolations, by the kernel they select ("nearest" and "area" are special).
RESIZE_KERNELS = {
    "bilinear": "linear",
    "bicubic": "cubic",
    "lanczos3": "lanczos3",
    "lanczos5": "lanczos5",
}


class ArrayOps(NamedTuple):
    """The backend functions the shared resampling is written with (NumPy names and rules)."""

    convert_to_tensor: Callable
    cast: Callable
    arange: Callable
    absolute: Callable
    maximum: Callable
    minimum: Callable
    sin: Callable
    round: Callable
    clip: Callable
    where: Callable
    logical_and: Callable
    sum: Callable
    min: Callable
    max: Callable
    take: Callable
    tensordot: Callable
    moveaxis: Callable
    pad: Callable


def array_ops(core, numpy_api) -> ArrayOps:
    """A backend's `ArrayOps`, from its `core` module and its `numpy` package."""
    modules = [core] + [
        getattr(numpy_api, name)
        for name in ("creation", "elementwise", "indexing", "products", "reductions", "shape")
    ]
    return ArrayOps(
        **{
            field: next(getattr(m, field) for m in modules if hasattr(m, field))
            for field in ArrayOps._fields
        }
    )


# ---------------------------------------------------------------------------- argument rules


def image_data_format(op: str, value) -> str:
    """`data_format` standardized (None: the configured default), or an error naming `op`."""
    try:
        return config.standardize_data_format(value)
    except ValueError:
        raise ValueError(
            f"kfn.ops.image.{op}: data_format must be 'channels_last', 'channels_first' or "
            f"None, got {value!r}"
        ) from None


def check_rank(op: str, shape, ranks=(3, 4), argument: str = "images") -> int:
    """The rank of `shape`; ValueError naming `op` and `argument` when it is not in `ranks`."""
    rank = len(shape)
    if rank not in ranks:
        if tuple(ranks) == (3, 4):
            expected = "3 (one image) or 4 (a batch of images)"
        else:
            expected = " or ".join(map(str, ranks))
        raise ValueError(
            f"kfn.ops.image.{op}: {argument} must have rank {expected}, got shape {tuple(shape)}"
        )
    return rank


def check_choice(op: str, argument: str, value, choices) -> None:
    if value not in choices:
        raise ValueError(
            f"kfn.ops.image.{op}: {argument} must be one of {tuple(choices)}, got {value!r}"
        )


class ResizePlan(NamedTuple):
    """What `resize` does to one input, decided from its static shape and the arguments."""

    batched: bool
    channels_last: bool
    size: tuple[int, int]
    crop: tuple[int, int, int, int] | None  # (top, left, height, width)
    pad: tuple[int, int] | None  # rows above and below, columns left and right


def resize_plan(
    shape, size, interpolation, crop_to_aspect_ratio, pad_to_aspect_ratio, fill_mode, data_format
) -> ResizePlan:
    """Check `resize`'s arguments and work out the aspect-ratio crop or pad (Keras's rules)."""
    check_choice("resize", "interpolation", interpolation, RESIZE_INTERPOLATIONS)
    if fill_mode != "constant":
        raise ValueError(
            f"kfn.ops.image.resize: fill_mode must be 'constant' (the only mode Keras "
            f"offers), got {fill_mode!r}"
        )
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(
            "kfn.ops.image.resize: only one of crop_to_aspect_ratio and pad_to_aspect_ratio "
            "can be True"
        )
    try:
        size = tuple(int(s) for s in size)
    except TypeError:
        size = ()
    if len(size) != 2 or min(size) <= 0:
        raise ValueError(
            f"kfn.ops.image.resize: size must be (height, width), two positive ints, got {size!r}"
        )
    rank = check_rank("resize", shape)
    channels_last = image_data_format("resize", data_format) == "channels_last"
    height, width = shape[-3:-1] if channels_last else shape[-2:]
    target_height, target_width = size
    crop = pad = None
    if crop_to_aspect_ratio:
        crop_height = max(min(height, int(width * target_height / target_width)), 1)
        crop_width = max(min(width, int(height * target_width / target_height)), 1)
        top, left = int((height - crop_height) / 2), int((width - crop_width) / 2)
        crop = (top, left, crop_height, crop_width)
    elif pad_to_aspect_ratio:
        padded_height = max(height, int(width * target_height / target_width))
        padded_width = max(width, int(height * target_width / target_height))
        # Keras pads the same amount on both sides (so an odd difference loses a row).
        pad = (int((padded_height - height) / 2), int((padded_width - width) / 2))
    return ResizePlan(rank == 4, channels_last, size, crop, pad)


def scale_and_translate_arguments(shape, output_shape, scale, translation, spatial_dims, method):
    """Checked `scale_and_translate` arguments: (output_shape, spatial_dims, kernel name)."""
    check_choice("scale_and_translate", "method", method, tuple(SCALE_AND_TRANSLATE_METHODS))
    output_shape = tuple(int(d) for d in output_shape)
    if len(output_shape) != len(shape):
        raise ValueError(
            "kfn.ops.image.scale_and_translate: output_shape must have one entry per dimension "
            f"of images ({len(shape)}), got {output_shape}"
        )
    rank = len(shape)
    spatial_dims = tuple(int(d) % rank for d in spatial_dims)
    for name, value in (("scale", scale), ("translation", translation)):
        length = tuple(getattr(value, "shape", (len(value),)))
        if length != (len(spatial_dims),):
            raise ValueError(
                f"kfn.ops.image.scale_and_translate: {name} must hold one value per spatial "
                f"dimension ({len(spatial_dims)}), got shape {length}"
            )
    return output_shape, spatial_dims, SCALE_AND_TRANSLATE_METHODS[method]


def compute_dtype(dtype: str) -> str:
    """The float type resampling runs in: float16 and bfloat16 run in float32 (as most
    framework kernels do), integers in float32, other floats in themselves."""
    if dtype in ("float16", "bfloat16") or not dtypes.is_float(dtype):
        return "float32"
    return dtype


# ---------------------------------------------------------------------------- resampling


def _kernel(ops: ArrayOps, name: str, x):
    """The resampling kernel `name` at distances `x` (>= 0)."""
    if name == "linear":
        return ops.maximum(1.0 - x, 0.0)
    if name == "cubic":  # Keys, a = -0.5
        near = ((1.5 * x - 2.5) * x) * x + 1.0
        far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
        return ops.where(x >= 2.0, 0.0, ops.where(x >= 1.0, far, near))
    radius = 3.0 if name == "lanczos3" else 5.0
    y = radius * ops.sin(math.pi * x) * ops.sin(math.pi * x / radius)
    # The limit at 0 is 1; near 0 the quotient loses precision, so 1 is used there too.
    safe = ops.where(x > 1e-3, x, 1.0)
    out = ops.where(x > 1e-3, y / (math.pi**2 * safe * safe), 1.0)
    return ops.where(x > radius, 0.0, out)


def kernel_weights(ops: ArrayOps, input_size, output_size, scale, translation, kernel, antialias):
    """The (input_size, output_size) matrix that resamples one axis. `scale` and `translation`
    are 0-d float tensors (they may be traced); the matrix has their dtype."""
    dtype = dtypes.standardize_dtype(scale.dtype)
    inverse = 1.0 / scale
    # Downsampling with antialias widens the kernel (a low-pass filter); upsampling never does.
    stretch = ops.maximum(inverse, 1.0) if antialias else 1.0
    sample = (ops.arange(output_size, dtype=dtype) + 0.5) * inverse - translation * inverse - 0.5
    inputs = ops.arange(input_size, dtype=dtype)
    distance = ops.absolute(sample[None, :] - inputs[:, None]) / stretch
    weights = _kernel(ops, kernel, distance)
    total = ops.sum(weights, axis=0, keepdims=True)
    usable = ops.absolute(total) > 1000.0 * 1.1920929e-07  # float32 epsilon, as JAX
    weights = ops.where(usable, weights / ops.where(usable, total, 1.0), 0.0)
    inside = ops.logical_and(sample >= -0.5, sample <= input_size - 0.5)
    return ops.where(inside[None, :], weights, 0.0)


def area_weights(ops: ArrayOps, input_size: int, output_size: int, dtype: str):
    """The matrix averaging the input over each output pixel's footprint [i, i + 1) * n / m."""
    step = input_size / output_size
    starts = ops.arange(output_size, dtype=dtype) * step
    cells = ops.arange(input_size, dtype=dtype)
    overlap = ops.minimum(cells[:, None] + 1.0, starts[None, :] + step) - ops.maximum(
        cells[:, None], starts[None, :]
    )
    return ops.maximum(overlap, 0.0) / step


def nearest_indices(input_size: int, output_size: int) -> list[int]:
    """The input pixel each output pixel copies: floor((i + 0.5) * n / m), in exact integers."""
    return [((2 * i + 1) * input_size) // (2 * output_size) for i in range(output_size)]


def apply_weights(ops: ArrayOps, x, axis: int, weights):
    """`x` with `axis` resampled by an (input, output) weight matrix."""
    return ops.moveaxis(ops.tensordot(x, weights, axes=([axis], [0])), -1, axis)


def resample(ops: ArrayOps, x, axis: int, output_size: int, interpolation: str, antialias: bool):
    """`x` (a float tensor) resized along `axis` to `output_size` by the shared composition."""
    input_size = x.shape[axis]
    if input_size == output_size:
        return x  # every resize kernel interpolates: the identity warp changes nothing
    if interpolation == "nearest":
        return ops.take(x, ops.convert_to_tensor(nearest_indices(input_size, output_size)), axis)
    dtype = dtypes.standardize_dtype(x.dtype)
    if interpolation == "area":
        return apply_weights(ops, x, axis, area_weights(ops, input_size, output_size, dtype))
    scale = ops.convert_to_tensor(output_size / input_size, dtype)
    zero = ops.convert_to_tensor(0.0, dtype)
    weights = kernel_weights(
        ops, input_size, output_size, scale, zero, RESIZE_KERNELS[interpolation], antialias
    )
    return apply_weights(ops, x, axis, weights)


def _resize(
    ops: ArrayOps,
    fast,
    images,
    size,
    interpolation,
    antialias,
    crop_to_aspect_ratio,
    pad_to_aspect_ratio,
    fill_mode,
    fill_value,
    data_format,
):
    """Keras's `resize`, with `fast` the framework's kernel (see `primitives`)."""
    images = ops.convert_to_tensor(images)
    plan = resize_plan(
        tuple(images.shape),
        size,
        interpolation,
        crop_to_aspect_ratio,
        pad_to_aspect_ratio,
        fill_mode,
        data_format,
    )
    dtype = dtypes.standardize_dtype(images.dtype)
    x = images if plan.batched else images[None]
    spatial = (1, 2) if plan.channels_last else (2, 3)
    if interpolation != "nearest":
        x = ops.cast(x, compute_dtype(dtype))
    if plan.crop is not None:
        top, left, height, width = plan.crop
        index = [slice(None)] * 4
        index[spatial[0]] = slice(top, top + height)
        index[spatial[1]] = slice(left, left + width)
        x = x[tuple(index)]
    elif plan.pad is not None and any(plan.pad):
        rows, columns = plan.pad
        widths = [(0, 0)] * 4
        widths[spatial[0]] = (rows, rows)
        widths[spatial[1]] = (columns, columns)
        value = (
            fill_value if interpolation != "nearest" or dtypes.is_float(dtype) else int(fill_value)
        )
        x = ops.pad(x, widths, constant_values=value)
    out = fast and fast(x, plan.size, interpolation, antialias, plan.channels_last)
    if out is None:
        out = x
        for axis, length in zip(spatial, plan.size):
            out = resample(ops, out, axis, length, interpolation, antialias)
    if not plan.batched:
        out = out[0]
    return finish(ops, out, dtype)


def finish(ops: ArrayOps, out, dtype: str, bounds=None):
    """A resampled float tensor as `dtype`: integers are rounded (half to even) and clipped to
    `bounds` (default: the range of `dtype`) first."""
    if dtypes.standardize_dtype(out.dtype) == dtype:
        return out
    if dtypes.is_int(dtype):
        out = ops.round(out)
        if bounds is None:
            bounds = dtypes.saturation_bounds(dtypes.standardize_dtype(out.dtype), dtype)
        if bounds is not None:
            out = ops.clip(out, *bounds)
    return ops.cast(out, dtype)


def _scale_and_translate(
    ops: ArrayOps, fast, images, output_shape, scale, translation, spatial_dims, method, antialias
):
    """Keras's `scale_and_translate`, with `fast` the framework's kernel (see `primitives`)."""
    images = ops.convert_to_tensor(images)
    output_shape, spatial_dims, kernel = scale_and_translate_arguments(
        tuple(images.shape), output_shape, scale, translation, spatial_dims, method
    )
    dtype = dtypes.standardize_dtype(images.dtype)
    x = ops.cast(images, compute_dtype(dtype)) if not dtypes.is_float(dtype) else images
    scale, translation = ops.convert_to_tensor(scale), ops.convert_to_tensor(translation)
    weight_dtype = dtypes.result_type(scale.dtype, translation.dtype, float)
    scale, translation = ops.cast(scale, weight_dtype), ops.cast(translation, weight_dtype)
    x_dtype = dtypes.standardize_dtype(x.dtype)
    out = fast and fast(x, output_shape, spatial_dims, scale, translation, kernel, antialias)
    if out is None:
        out = x
        for i, axis in enumerate(spatial_dims):
            weights = kernel_weights(
                ops, x.shape[axis], output_shape[axis], scale[i], translation[i], kernel, antialias
            )
            out = apply_weights(ops, out, axis, ops.cast(weights, x_dtype))
    x = out
    if dtypes.is_int(dtype):
        # Keras keeps integer results within the range of the input values.
        return finish(ops, x, dtype, (ops.min(images), ops.max(images)))
    return x


def primitives(core, numpy_api, fast_resize=None, fast_scale_and_translate=None):
    """A backend's `resize` and `scale_and_translate` (kfn/ops/image.py documents them).

    Args:
        core, numpy_api: the backend's core module and NumPy API package (see `ArrayOps`).
        fast_resize: `fast_resize(x, size, interpolation, antialias, channels_last)`, the
            framework's own kernel for a 4-D tensor `x` (float, except for "nearest"), or
            None where it has none with Keras's semantics.
        fast_scale_and_translate: `fast_scale_and_translate(x, output_shape, spatial_dims,
            scale, translation, kernel, antialias)` for a float `x` and float `scale` and
            `translation`, likewise.

    Returns:
        The two functions; the shared composition runs wherever a fast path returns None.
    """
    ops = array_ops(core, numpy_api)

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
        return _resize(
            ops,
            fast_resize,
            images,
            size,
            interpolation,
            antialias,
            crop_to_aspect_ratio,
            pad_to_aspect_ratio,
            fill_mode,
            fill_value,
            data_format,
        )

    def scale_and_translate(
        images, output_shape, scale, translation, spatial_dims, method, antialias=True
    ):
        return _scale_and_translate(
            ops,
            fast_scale_and_translate,
            images,
            output_shape,
            scale,
            translation,
            spatial_dims,
            method,
            antialias,
        )

    return resize, scale_and_translate
