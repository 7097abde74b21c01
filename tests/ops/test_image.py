"""kfn.ops.image against NumPy/SciPy definitions and against Keras 3 on the same backend.

Where Keras's backends disagree with each other, kfn follows one semantics everywhere and the
Keras rows that differ are skipped with the reason (see each `skip`).
"""

import colorsys
import functools
import inspect

import numpy as np
import pytest
import scipy.ndimage as ndimage
import scipy.signal

import kfn
from kfn import ops
from kfn.ops import image
from tests.conftest import BACKEND, requires_gradients
from tests.ops.cases import OpCase, case_id, check_gradient, run_case
from tests.ops.nn.keras_reference import keras_ops

RNG = np.random.default_rng(7)
PUBLIC = sorted(
    name for name, fn in vars(image).items() if not name.startswith("_") and callable(fn)
)


def r(*shape):
    return RNG.uniform(0.0, 1.0, shape).astype(np.float32)


def u8(*shape):
    return RNG.integers(0, 256, shape).astype(np.uint8)


def cf(x):
    """A channels-last image (3-D) or batch (4-D) as channels first."""
    return np.ascontiguousarray(np.moveaxis(x, -1, -3))


# ---------------------------------------------------------------------------- NumPy references


def channels_last(reference):
    """A channels-last reference made to accept data_format="channels_first" too."""

    @functools.wraps(reference)
    def wrapped(x, *args, data_format=None, **kwargs):
        if data_format != "channels_first":
            return reference(x, *args, **kwargs)
        return cf(reference(np.moveaxis(x, -3, -1), *args, **kwargs))

    return wrapped


def as_dtype(x, dtype):
    """A float64 result in `dtype`: integers rounded half to even and saturated."""
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return np.clip(np.round(x), info.min, info.max).astype(dtype)
    return x.astype(dtype)


def np_kernel(name, x):
    if name == "linear":
        return np.maximum(0.0, 1.0 - x)
    if name == "cubic":
        near = ((1.5 * x - 2.5) * x) * x + 1.0
        far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
        return np.where(x >= 2.0, 0.0, np.where(x >= 1.0, far, near))
    radius = {"lanczos3": 3.0, "lanczos5": 5.0}[name]
    return np.where(x < radius, np.sinc(x) * np.sinc(x / radius), 0.0)


def np_weights(n_in, n_out, scale, translation, kernel, antialias):
    """The (n_in, n_out) resampling matrix of one axis, from the definition."""
    inverse = 1.0 / scale
    stretch = max(inverse, 1.0) if antialias else 1.0
    sample = (np.arange(n_out) + 0.5 - translation) * inverse - 0.5
    weights = np_kernel(kernel, np.abs(sample[None, :] - np.arange(n_in)[:, None]) / stretch)
    total = weights.sum(axis=0, keepdims=True)
    weights = np.where(np.abs(total) > 1000 * np.finfo(np.float32).eps, weights / total, 0.0)
    weights[:, (sample < -0.5) | (sample > n_in - 0.5)] = 0.0
    return weights


def np_area_weights(n_in, n_out):
    step = n_in / n_out
    cells = np.arange(n_in)[:, None]
    starts = np.arange(n_out)[None, :] * step
    overlap = np.minimum(cells + 1, starts + step) - np.maximum(cells, starts)
    return np.maximum(overlap, 0.0) / step


def np_resample(x, axis, n_out, interpolation, antialias):
    n_in = x.shape[axis]
    if n_in == n_out:
        return x
    if interpolation == "nearest":
        return np.take(x, np.floor((np.arange(n_out) + 0.5) * n_in / n_out).astype(int), axis)
    if interpolation == "area":
        weights = np_area_weights(n_in, n_out)
    else:
        kernel = {"bilinear": "linear", "bicubic": "cubic"}.get(interpolation, interpolation)
        weights = np_weights(n_in, n_out, n_out / n_in, 0.0, kernel, antialias)
    return np.moveaxis(np.tensordot(x, weights, axes=([axis], [0])), -1, axis)


@channels_last
def np_resize(
    images,
    size,
    interpolation="bilinear",
    antialias=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    fill_value=0.0,
):
    x = images.astype(np.float64)
    height, width = x.shape[-3:-1]
    if crop_to_aspect_ratio:
        crop_h = max(min(height, int(width * size[0] / size[1])), 1)
        crop_w = max(min(width, int(height * size[1] / size[0])), 1)
        top, left = (height - crop_h) // 2, (width - crop_w) // 2
        x = x[..., top : top + crop_h, left : left + crop_w, :]
    if pad_to_aspect_ratio:
        rows = (max(height, int(width * size[0] / size[1])) - height) // 2
        columns = (max(width, int(height * size[1] / size[0])) - width) // 2
        widths = [(0, 0)] * (x.ndim - 3) + [(rows, rows), (columns, columns), (0, 0)]
        x = np.pad(x, widths, constant_values=fill_value)
    for axis, n_out in zip((x.ndim - 3, x.ndim - 2), size):
        x = np_resample(x, axis, n_out, interpolation, antialias)
    return as_dtype(x, images.dtype)


def np_scale_and_translate(images, output_shape, scale, translation, spatial_dims, method, aa=True):
    kernel = {"bilinear": "linear", "bicubic": "cubic", "tricubic": "cubic"}.get(method, method)
    x = images.astype(np.float64)
    for axis, s, t in zip(spatial_dims, scale, translation):
        weights = np_weights(x.shape[axis], output_shape[axis], float(s), float(t), kernel, aa)
        x = np.moveaxis(np.tensordot(x, weights, axes=([axis], [0])), -1, axis)
    return x.astype(images.dtype)


SCIPY_MODES = {
    "constant": "grid-constant",
    "nearest": "nearest",
    "wrap": "grid-wrap",
    "mirror": "mirror",
    "reflect": "reflect",
}


def np_map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    out = ndimage.map_coordinates(
        inputs.astype(np.float64),
        np.asarray(coordinates, np.float64),
        order=order,
        mode=SCIPY_MODES[fill_mode],
        cval=fill_value,
    )
    return as_dtype(out, inputs.dtype)


def np_sample(images, rows, columns, order, fill_mode, fill_value):
    """Channels-last 4-D `images` sampled per image at (rows, columns) (batch, h, w)."""
    out = np.zeros(rows.shape + images.shape[-1:])
    for b, c in np.ndindex(images.shape[0], images.shape[-1]):
        out[b, ..., c] = ndimage.map_coordinates(
            images[b, ..., c].astype(np.float64),
            [rows[b], columns[b]],
            order=order,
            mode=SCIPY_MODES[fill_mode],
            cval=fill_value,
        )
    return as_dtype(out, images.dtype)


def np_warp(images, transform, order, fill_mode, fill_value):
    """Projective warp (one 8-vector per image), by SciPy's map_coordinates."""
    single = images.ndim == 3
    x = images[None] if single else images
    transform = np.broadcast_to(np.reshape(transform, (-1, 8)), (x.shape[0], 8))
    rows, columns = np.meshgrid(np.arange(x.shape[1]), np.arange(x.shape[2]), indexing="ij")
    a0, a1, a2, b0, b1, b2, c0, c1 = (t[:, None, None] for t in transform.T)
    k = c0 * columns + c1 * rows + 1
    src_rows = (b0 * columns + b1 * rows + b2) / k
    src_columns = (a0 * columns + a1 * rows + a2) / k
    out = np_sample(x, src_rows, src_columns, order, fill_mode, fill_value)
    return out[0] if single else out


@channels_last
def np_affine_transform(
    images, transform, interpolation="bilinear", fill_mode="constant", fill_value=0
):
    order = {"nearest": 0, "bilinear": 1}[interpolation]
    transform = np.reshape(transform, (-1, 8))
    if np.any(transform[:, 6:]):
        return np_warp(images, transform, order, fill_mode, fill_value)
    # Affine: SciPy's own affine_transform, in (row, column) order.
    single = images.ndim == 3
    x = images[None] if single else images
    transform = np.broadcast_to(transform, (x.shape[0], 8))
    out = np.zeros(x.shape)
    for b, c in np.ndindex(x.shape[0], x.shape[-1]):
        a0, a1, a2, b0, b1, b2 = transform[b, :6]
        out[b, ..., c] = ndimage.affine_transform(
            x[b, ..., c].astype(np.float64),
            [[b1, b0], [a1, a0]],
            offset=[b2, a2],
            order=order,
            mode=SCIPY_MODES[fill_mode],
            cval=fill_value,
        )
    out = as_dtype(out, images.dtype)
    return out[0] if single else out


def np_homography(start, end):
    """The 8 coefficients taking each end point to its start point (np.linalg.solve)."""
    rows, target = [], []
    for (sx, sy), (ex, ey) in zip(start, end):
        rows.append([ex, ey, 1, 0, 0, 0, -sx * ex, -sx * ey])
        rows.append([0, 0, 0, ex, ey, 1, -sy * ex, -sy * ey])
        target += [sx, sy]
    return np.linalg.solve(np.array(rows, np.float64), np.array(target, np.float64))


@channels_last
def np_perspective_transform(
    images, start_points, end_points, interpolation="bilinear", fill_value=0
):
    start = np.reshape(start_points, (-1, 4, 2))
    end = np.reshape(end_points, (-1, 4, 2))
    transform = np.stack([np_homography(s, e) for s, e in zip(start, end)])
    order = {"nearest": 0, "bilinear": 1}[interpolation]
    return np_warp(images, transform, order, "constant", fill_value)


def np_gaussian(size, sigma):
    x = np.arange(size) - (size - 1) / 2
    kernel = np.exp(-0.5 * (x / sigma) ** 2)
    return kernel / kernel.sum()


def per_channel(x, fn):
    """fn applied to every (height, width) plane of a channels-last 3-D or 4-D array."""
    x = x[None] if x.ndim == 3 else x
    planes = [[fn(x[b, ..., c]) for c in range(x.shape[-1])] for b in range(x.shape[0])]
    return np.stack([np.stack(p, axis=-1) for p in planes])


@channels_last
def np_gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0)):
    # kernel_size[0] and sigma[0] along the width, as Keras.
    kernel = np.outer(np_gaussian(kernel_size[1], sigma[1]), np_gaussian(kernel_size[0], sigma[0]))
    out = per_channel(
        images.astype(np.float64), lambda p: ndimage.correlate(p, kernel, mode="constant")
    )
    return as_dtype(out if images.ndim == 4 else out[0], images.dtype)


def np_sobel_edges(images, data_format=None):
    x = np.moveaxis(images, 1, -1) if data_format == "channels_first" else images
    x = x.astype(np.float64)
    edges = np.stack(
        [per_channel(x, lambda p, a=a: ndimage.sobel(p, axis=a, mode="constant")) for a in (0, 1)],
        axis=-1,
    )
    if data_format == "channels_first":
        edges = np.moveaxis(edges, 3, 1)
    return edges.astype(np.float32 if images.dtype.kind in "ui" else images.dtype)


def np_ssim(
    a, b, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03, data_format=None
):
    if data_format == "channels_first":
        a, b = np.moveaxis(a, -3, -1), np.moveaxis(b, -3, -1)
    single = a.ndim == 3
    a, b = (
        np.asarray(v, np.float64)[None] if single else np.asarray(v, np.float64) for v in (a, b)
    )
    window = np.outer(
        np_gaussian(filter_size, filter_sigma), np_gaussian(filter_size, filter_sigma)
    )
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    values = []
    for i in range(a.shape[0]):
        per_channel_values = []
        for c in range(a.shape[-1]):
            x, y = a[i, ..., c], b[i, ..., c]

            def mean(p):
                return scipy.signal.correlate2d(p, window, mode="valid")

            mx, my = mean(x), mean(y)
            vx, vy, cxy = mean(x * x) - mx**2, mean(y * y) - my**2, mean(x * y) - mx * my
            ssim_map = ((2 * mx * my + c1) * (2 * cxy + c2)) / (
                (mx**2 + my**2 + c1) * (vx + vy + c2)
            )
            per_channel_values.append(ssim_map.mean())
        values.append(np.mean(per_channel_values))
    out = np.array(values, np.float32)
    return out[0] if single else out


def np_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    rank = len(size) if not isinstance(size, int) else 2
    size = (size,) * rank if isinstance(size, int) else tuple(size)
    strides = (
        size if strides is None else (strides,) * rank if isinstance(strides, int) else strides
    )
    dilation = (dilation_rate,) * rank if isinstance(dilation_rate, int) else dilation_rate
    x = np.moveaxis(images, -rank - 1, -1) if data_format == "channels_first" else images
    single = x.ndim == rank + 1
    x = x[None] if single else x
    if padding == "same":
        widths = [(0, 0)]
        for n, k, s, d in zip(x.shape[1:-1], size, strides, dilation):
            total = max((-(-n // s) - 1) * s + (k - 1) * d + 1 - n, 0)
            widths.append((total // 2, total - total // 2))
        x = np.pad(x, widths + [(0, 0)])
    counts = [
        (n - (k - 1) * d - 1) // s + 1 for n, k, s, d in zip(x.shape[1:-1], size, strides, dilation)
    ]
    out = np.zeros((x.shape[0], *counts, int(np.prod(size)) * x.shape[-1]), x.dtype)
    for position in np.ndindex(*counts):
        pieces = []
        for offset in np.ndindex(*size):
            index = tuple(p * s + o * d for p, s, o, d in zip(position, strides, offset, dilation))
            pieces.append(x[(slice(None), *index)])
        out[(slice(None), *position)] = np.concatenate(pieces, axis=-1)
    if data_format == "channels_first":
        out = np.moveaxis(out, -1, 1)
    return out[0] if single else out


@channels_last
def np_rgb_to_grayscale(images):
    weights = np.array([0.2989, 0.5870, 0.1140], np.float32)
    gray = np.tensordot(images.astype(np.float32), weights, axes=([-1], [0]))[..., None]
    return gray.astype(images.dtype)


@channels_last
def np_rgb_to_hsv(images):
    return np.apply_along_axis(
        lambda p: colorsys.rgb_to_hsv(*p), -1, images.astype(np.float64)
    ).astype(images.dtype)


@channels_last
def np_hsv_to_rgb(images):
    return np.apply_along_axis(
        lambda p: colorsys.hsv_to_rgb(*p), -1, images.astype(np.float64)
    ).astype(images.dtype)


def keras_image(name):
    """`keras.ops.image.<name>` on NumPy inputs (copied: some Keras backends write into them)."""

    def reference(*args, **kwargs):
        k = keras_ops()
        args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
        return np.asarray(k.convert_to_numpy(getattr(k.image, name)(*args, **kwargs)))

    return reference


# ---------------------------------------------------------------------------- tables


def row(op, *args, dtype="float32", ref=None, id=None, skip=None, tol=None, **kwargs):
    """One OpCase: `op` on `args`/`kwargs`, against `ref` (a NumPy function or
    keras_image(op) when ref="keras")."""
    reference = keras_image(op) if ref == "keras" else ref
    rtol, atol = tol or (None, None)
    return OpCase(
        op,
        args,
        kwargs,
        dtype=dtype,
        reference=reference,
        rtol=rtol,
        atol=atol,
        skip=skip or {},
        id=id,
    )


X = r(2, 7, 9, 3)  # a batch, channels last
X3 = r(7, 9, 3)  # one image
XU = u8(2, 7, 9, 3)
INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5", "area")
KERAS_LACKS = {
    "lanczos3": {"torch": "Keras's torch resize has no Lanczos interpolation"},
    "lanczos5": {"torch": "Keras's torch resize has no Lanczos interpolation"},
    "area": {
        b: "Keras has area interpolation on TensorFlow only" for b in ("jax", "torch", "numpy")
    },
}
PLAIN_BICUBIC = {
    "torch": "Keras's torch bicubic uses a = -0.75 without antialias (kfn, like JAX: -0.5)",
    "tensorflow": "Keras's TensorFlow bicubic (ResizeBicubic) differs at the borders",
}

RESIZE = []
for name in INTERPOLATIONS:
    keras_skip = KERAS_LACKS.get(name, {})
    plain_skip = {**keras_skip, **(PLAIN_BICUBIC if name == "bicubic" else {})}
    RESIZE += [
        row("resize", X, (5, 4), interpolation=name, ref=np_resize, id=f"resize_{name}_down"),
        row("resize", X, (11, 13), interpolation=name, ref=np_resize, id=f"resize_{name}_up"),
        row(
            "resize",
            cf(X3),
            (5, 12),
            interpolation=name,
            data_format="channels_first",
            ref=np_resize,
            id=f"resize_{name}_unbatched_channels_first",
        ),
        row(
            "resize",
            X,
            (5, 4),
            interpolation=name,
            ref="keras",
            skip=plain_skip,
            tol=(1e-5, 2e-6),
            id=f"resize_{name}_down_vs_keras",
        ),
        row(
            "resize",
            X,
            (11, 13),
            interpolation=name,
            ref="keras",
            skip=plain_skip,
            tol=(1e-5, 2e-6),
            id=f"resize_{name}_up_vs_keras",
        ),
    ]
    if name in ("bilinear", "bicubic", "lanczos3"):
        RESIZE += [
            row(
                "resize",
                X,
                (5, 4),
                interpolation=name,
                antialias=True,
                ref=np_resize,
                id=f"resize_{name}_antialias",
            ),
            row(
                "resize",
                cf(X),
                (4, 6),
                interpolation=name,
                antialias=True,
                data_format="channels_first",
                ref="keras",
                skip=keras_skip,
                tol=(1e-5, 2e-6),
                id=f"resize_{name}_antialias_channels_first_vs_keras",
            ),
        ]
# uint8: sizes whose weights have odd denominators, so no result is exactly half-way.
for name, size in (("bilinear", (5, 7)), ("nearest", (9, 11)), ("area", (5, 7))):
    RESIZE.append(
        row(
            "resize",
            XU,
            size,
            interpolation=name,
            dtype="uint8",
            ref=np_resize,
            id=f"resize_{name}_uint8",
        )
    )
RESIZE += [
    row("resize", XU, (9, 11), dtype="uint8", ref="keras", id="resize_uint8_vs_keras"),
    row(
        "resize",
        cf(X3),
        (5, 12),
        data_format="channels_first",
        ref="keras",
        id="resize_unbatched_channels_first_vs_keras",
    ),
    row("resize", X, (4, 4), crop_to_aspect_ratio=True, ref=np_resize, id="resize_crop"),
    row(
        "resize",
        cf(X),
        (3, 9),
        crop_to_aspect_ratio=True,
        data_format="channels_first",
        ref=np_resize,
        id="resize_crop_channels_first",
    ),
    row("resize", X, (4, 4), crop_to_aspect_ratio=True, ref="keras", id="resize_crop_vs_keras"),
    row(
        "resize",
        X3,
        (4, 4),
        pad_to_aspect_ratio=True,
        fill_value=0.5,
        ref=np_resize,
        id="resize_pad",
    ),
    row("resize", X, (8, 3), pad_to_aspect_ratio=True, ref=np_resize, id="resize_pad_rows"),
    row(
        "resize",
        X,
        (4, 4),
        pad_to_aspect_ratio=True,
        fill_value=0.25,
        ref="keras",
        id="resize_pad_vs_keras",
    ),
    row(
        "resize", X.astype(np.float64), (5, 4), dtype="float64", ref=np_resize, id="resize_float64"
    ),
    row(
        "resize",
        X.astype(np.float16),
        (5, 4),
        interpolation="bicubic",
        dtype="float16",
        ref=np_resize,
        id="resize_float16",
    ),
]

SCALE = np.array([0.6, 2.3], np.float32)
SHIFT = np.array([0.3, -1.0], np.float32)
SCALE_AND_TRANSLATE = [
    row(
        "scale_and_translate",
        r(6, 5),
        (9, 3),
        np.array([1.5, 0.7]),
        np.array([-0.25, 0.5]),
        (0, 1),
        "bicubic",
        ref=np_scale_and_translate,
        id="scale_and_translate_2d",
    ),
]
for method, antialias in (
    ("linear", False),
    ("linear", True),
    ("cubic", False),
    ("lanczos3", True),
    ("lanczos5", False),
):
    args = ("scale_and_translate", X, (2, 4, 20, 3), SCALE, SHIFT, (1, 2), method, antialias)
    tag = f"scale_and_translate_{method}_aa{antialias}"
    SCALE_AND_TRANSLATE += [
        row(*args, ref=np_scale_and_translate, id=tag),
        row(*args, ref="keras", tol=(1e-5, 2e-6), id=tag + "_vs_keras"),
    ]

# Transforms chosen so no sampling position falls near a half-integer ("nearest" ties).
AFFINE = np.array(
    [
        [1.0731, 0.1937, -1.2193, 0.0813, 0.9127, 0.6719, 0, 0],
        [0.9, -0.1, 2.1357, 0.2, 1.1, -1.3713, 0, 0],
    ],
    np.float32,
)
PROJECTIVE = AFFINE + np.array(
    [[0] * 6 + [0.0113, -0.0217], [0] * 6 + [-0.0091, 0.0071]], np.float32
)
TF_WRAP = {
    "tensorflow": "Keras's TensorFlow affine_transform has no 'mirror', and wraps the "
    "continuous position (not the pixel index)"
}
WARP_TOL = (1e-5, 1e-5)
WARPS = []
for fill_mode in ("constant", "nearest", "wrap", "mirror", "reflect"):
    for name in ("bilinear", "nearest"):
        WARPS.append(
            row(
                "affine_transform",
                X,
                AFFINE,
                name,
                fill_mode,
                0.25,
                ref=np_affine_transform,
                tol=WARP_TOL,
                id=f"affine_{fill_mode}_{name}",
            )
        )
    name = "nearest" if fill_mode in ("nearest", "mirror") else "bilinear"
    WARPS.append(
        row(
            "affine_transform",
            X,
            AFFINE,
            name,
            fill_mode,
            0.25,
            ref="keras",
            skip=TF_WRAP if fill_mode in ("wrap", "mirror") else {},
            tol=WARP_TOL,
            id=f"affine_{fill_mode}_{name}_vs_keras",
        )
    )
WARPS += [
    row(
        "affine_transform",
        X,
        PROJECTIVE,
        ref=np_affine_transform,
        tol=WARP_TOL,
        id="affine_projective",
    ),
    row(
        "affine_transform",
        X,
        PROJECTIVE,
        ref="keras",
        tol=WARP_TOL,
        skip={b: "Keras applies c0 and c1 on TensorFlow only" for b in ("jax", "torch", "numpy")},
        id="affine_projective_vs_keras",
    ),
    row(
        "affine_transform",
        cf(X3),
        AFFINE[0],
        data_format="channels_first",
        ref=np_affine_transform,
        tol=WARP_TOL,
        id="affine_unbatched_channels_first",
    ),
    row(
        "affine_transform",
        cf(X3),
        AFFINE[0],
        data_format="channels_first",
        ref="keras",
        tol=WARP_TOL,
        id="affine_unbatched_channels_first_vs_keras",
    ),
    row(
        "affine_transform",
        X,
        AFFINE[1],
        ref=np_affine_transform,
        tol=WARP_TOL,
        id="affine_one_transform_for_the_batch",
    ),
    row(
        "affine_transform",
        XU,
        AFFINE,
        "nearest",
        dtype="uint8",
        ref=np_affine_transform,
        id="affine_uint8",
    ),
    row(
        "affine_transform",
        XU,
        AFFINE,
        "nearest",
        dtype="uint8",
        ref="keras",
        id="affine_uint8_vs_keras",
    ),
]
START = np.array([[[0, 0], [0, 6], [8, 0], [8, 6]]] * 2, np.float32)
END = np.array(
    [
        [[1, 0.5], [0.3, 6.2], [7.5, -0.4], [8.4, 5.1]],
        [[0.1, 0.2], [0.3, 6.8], [7.5, -0.4], [9.4, 5.1]],
    ],
    np.float32,
)
PERSPECTIVE_TOL = (1e-4, 2e-5)
WARPS += [
    row(
        "perspective_transform",
        X,
        START,
        END,
        ref=np_perspective_transform,
        tol=PERSPECTIVE_TOL,
        id="perspective",
    ),
    row(
        "perspective_transform",
        X,
        START,
        END,
        ref="keras",
        tol=PERSPECTIVE_TOL,
        id="perspective_vs_keras",
    ),
    row(
        "perspective_transform",
        cf(X3),
        START[0],
        END[0],
        data_format="channels_first",
        fill_value=0.5,
        ref=np_perspective_transform,
        tol=PERSPECTIVE_TOL,
        id="perspective_unbatched_channels_first",
    ),
    row(
        "perspective_transform",
        X3,
        START[1],
        END[1],
        "nearest",
        ref="keras",
        tol=PERSPECTIVE_TOL,
        id="perspective_unbatched_nearest_vs_keras",
    ),
]

IMAGE = r(5, 6)
INSIDE = RNG.uniform(0, 4.2, (2, 4, 3)).astype(np.float32)
POINTS = RNG.uniform(-3.0, 8.0, (2, 4, 3)).astype(np.float32)  # inside and outside
TF_MIRROR = {"tensorflow": "Keras's TensorFlow map_coordinates mis-maps points outside"}
MAP = []
for fill_mode in ("constant", "nearest", "wrap", "mirror", "reflect"):
    skip = TF_MIRROR if fill_mode in ("mirror", "reflect") else {}
    for order in (0, 1):
        args = ("map_coordinates", IMAGE, POINTS, order, fill_mode, 0.5)
        MAP.append(
            row(
                *args,
                ref=np_map_coordinates,
                tol=(1e-5, 1e-6),
                id=f"map_coordinates_{fill_mode}_{order}",
            )
        )
        if order == 1 or fill_mode == "constant":
            MAP.append(
                row(
                    *args,
                    ref="keras",
                    skip=skip,
                    id=f"map_coordinates_{fill_mode}_{order}_vs_keras",
                )
            )
MAP += [
    row(
        "map_coordinates",
        IMAGE,
        INSIDE,
        1,
        "mirror",
        ref="keras",
        id="map_coordinates_mirror_inside_vs_keras",
    ),
    row(
        "map_coordinates",
        r(3, 4, 5),
        RNG.uniform(-1, 4, (3, 6)).astype(np.float32),
        1,
        ref=np_map_coordinates,
        tol=(1e-5, 1e-6),
        id="map_coordinates_3d",
    ),
    row(
        "map_coordinates",
        u8(5, 6),
        POINTS,
        1,
        "reflect",
        dtype="uint8",
        ref=np_map_coordinates,
        id="map_coordinates_uint8",
    ),
    row(
        "map_coordinates",
        IMAGE.astype(np.float64),
        INSIDE.astype(np.float64),
        1,
        dtype="float64",
        ref=np_map_coordinates,
        id="map_coordinates_float64",
    ),
]

NON_SQUARE = {
    b: "Keras builds non-square kernels differently on this backend"
    for b in ("torch", "tensorflow")
}
FILTERS = [
    row(
        "gaussian_blur",
        XU,
        3,
        0.9,
        dtype="uint8",
        ref=lambda x, k, s: np_gaussian_blur(x, (k, k), (s, s)),
        id="gaussian_blur_uint8",
    ),
    row("sobel_edges", XU, ref=np_sobel_edges, tol=(1e-5, 1e-4), id="sobel_edges_uint8"),
]
for x, data_format in ((X, "channels_last"), (cf(X3), "channels_first")):
    for kernel_size, sigma in (((3, 3), (1.0, 1.0)), ((5, 5), (0.8, 1.7)), ((3, 5), (1.2, 0.6))):
        args = ("gaussian_blur", x, kernel_size, sigma)
        tag = f"gaussian_blur_{data_format}_{kernel_size[0]}x{kernel_size[1]}"
        FILTERS += [
            row(*args, data_format=data_format, ref=np_gaussian_blur, id=tag),
            row(
                *args,
                data_format=data_format,
                ref="keras",
                skip=NON_SQUARE if kernel_size == (3, 5) else {},
                id=tag + "_vs_keras",
            ),
        ]
KERAS_REFLECTS = {
    b: "Keras reflects at the border on this backend (see the interior rows)"
    for b in ("tensorflow", "numpy")
}
for x, data_format in ((X, "channels_last"), (cf(X), "channels_first")):
    FILTERS += [
        row(
            "sobel_edges",
            x,
            data_format,
            ref=np_sobel_edges,
            tol=(1e-5, 1e-5),
            id=f"sobel_edges_{data_format}",
        ),
        row(
            "sobel_edges",
            x,
            data_format,
            ref="keras",
            skip=KERAS_REFLECTS,
            tol=(1e-5, 1e-5),
            id=f"sobel_edges_{data_format}_vs_keras",
        ),
    ]
    interior = (slice(None),) * (2 if data_format == "channels_first" else 1) + (slice(1, -1),) * 2
    FILTERS.append(
        OpCase(
            lambda x, f, i=interior: image.sobel_edges(x, f)[i],
            (x, data_format),
            dtype="float32",
            reference=lambda x, f, i=interior: keras_image("sobel_edges")(x, f)[i],
            rtol=1e-5,
            atol=1e-5,
            id=f"sobel_edges_{data_format}_interior_vs_keras",
        )
    )
A = r(2, 16, 16, 3)
B = np.clip(A + RNG.normal(0, 0.2, A.shape), 0, 1).astype(np.float32)
for args, kwargs, tag in (
    ((A, B), {}, "batch"),
    ((A[0], B[0]), {"filter_size": 5, "filter_sigma": 1.0}, "single"),
    ((cf(A), cf(B)), {"data_format": "channels_first", "max_val": 2.0}, "channels_first"),
):
    FILTERS += [
        row("ssim", *args, ref=np_ssim, tol=(1e-4, 1e-5), id=f"ssim_{tag}", **kwargs),
        row("ssim", *args, ref="keras", tol=(1e-4, 1e-5), id=f"ssim_{tag}_vs_keras", **kwargs),
    ]

COLOUR = [
    row("rgb_to_grayscale", XU, dtype="uint8", ref=np_rgb_to_grayscale, id="grayscale_uint8"),
    row("rgb_to_grayscale", XU, dtype="uint8", ref="keras", id="grayscale_uint8_vs_keras"),
    row("rgb_to_grayscale", X[..., :1], ref=lambda x: x, id="grayscale_one_channel"),
    row("rgb_to_hsv", X.astype(np.float64), dtype="float64", ref=np_rgb_to_hsv, id="hsv_float64"),
    row(lambda x: image.hsv_to_rgb(image.rgb_to_hsv(x)), X, ref=lambda x: x, id="hsv_round_trip"),
]
for x, data_format in ((X, "channels_last"), (cf(X3), "channels_first")):
    for name, reference in (
        ("rgb_to_grayscale", np_rgb_to_grayscale),
        ("rgb_to_hsv", np_rgb_to_hsv),
        ("hsv_to_rgb", np_hsv_to_rgb),
    ):
        COLOUR += [
            row(name, x, data_format=data_format, ref=reference, id=f"{name}_{data_format}"),
            row(name, x, data_format=data_format, ref="keras", id=f"{name}_{data_format}_vs_keras"),
        ]

V = r(2, 5, 6, 7, 2)
NO_UINT8_CONV = {
    b: "Keras's conv has no uint8 kernels on this backend" for b in ("torch", "tensorflow")
}
PATCHES = []
for args, kwargs, tag in (
    ((X, (2, 3)), {}, "2x3"),
    ((X, 3), {"strides": 2, "padding": "same"}, "same"),
    ((X, (2, 2)), {"strides": 1, "dilation_rate": 2}, "dilated"),
    ((X3, (3, 2)), {"strides": (1, 2)}, "unbatched"),
    ((cf(X), (2, 3)), {"strides": (2, 1), "data_format": "channels_first"}, "channels_first"),
    ((XU, 2), {"dtype": "uint8"}, "uint8"),
    ((V, (2, 2, 2)), {}, "3d"),
):
    PATCHES += [
        row("extract_patches", *args, ref=np_patches, id=f"extract_patches_{tag}", **kwargs),
        row(
            "extract_patches",
            *args,
            ref="keras",
            skip=NO_UINT8_CONV if tag == "uint8" else {},
            id=f"extract_patches_{tag}_vs_keras",
            **kwargs,
        ),
    ]
for args, kwargs, tag in (
    ((V, 2), {}, "2"),
    ((V[0], (2, 3, 2)), {"strides": 1}, "unbatched"),
    ((V, (3, 2, 2)), {"strides": 2, "padding": "same"}, "same"),
    ((np.moveaxis(V, -1, 1).copy(), 2), {"data_format": "channels_first"}, "channels_first"),
):
    PATCHES += [
        row(
            "extract_patches_3d",
            *args,
            id=f"extract_patches_3d_{tag}",
            **kwargs,
            ref=lambda x, s, **k: np_patches(x, (s,) * 3 if isinstance(s, int) else s, **k),
        ),
        row(
            "extract_patches_3d",
            *args,
            ref="keras",
            id=f"extract_patches_3d_{tag}_vs_keras",
            **kwargs,
        ),
    ]

CROP_PAD = [
    row(
        "pad_images",
        XU,
        1,
        1,
        1,
        1,
        dtype="uint8",
        id="pad_images_uint8",
        ref=lambda x, *a: np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0))),
    )
]
# (top, bottom, left, right) removed or added by each set of arguments.
BOXES = {
    "crop_images": (
        (
            {"top_cropping": 1, "left_cropping": 2, "target_height": 4, "target_width": 5},
            (1, 2, 2, 2),
        ),
        (
            {"top_cropping": 2, "bottom_cropping": 1, "left_cropping": 0, "right_cropping": 3},
            (2, 1, 0, 3),
        ),
        (
            {"bottom_cropping": 2, "target_height": 3, "right_cropping": 1, "target_width": 8},
            (2, 2, 0, 1),
        ),
    ),
    "pad_images": (
        (
            {"top_padding": 1, "left_padding": 2, "target_height": 10, "target_width": 12},
            (1, 2, 2, 1),
        ),
        (
            {"top_padding": 0, "bottom_padding": 3, "left_padding": 1, "right_padding": 0},
            (0, 3, 1, 0),
        ),
        (
            {"bottom_padding": 2, "target_height": 9, "right_padding": 1, "target_width": 11},
            (0, 2, 1, 1),
        ),
    ),
}


def np_box(x, op, box, data_format="channels_last", **arguments):
    """`x` cropped or zero-padded by `box` (top, bottom, left, right)."""
    top, bottom, left, right = box
    rows, columns = (
        (x.ndim - 3, x.ndim - 2) if data_format == "channels_last" else (x.ndim - 2, x.ndim - 1)
    )
    if op == "pad_images":
        widths = [(0, 0)] * x.ndim
        widths[rows], widths[columns] = (top, bottom), (left, right)
        return np.pad(x, widths)
    index = [slice(None)] * x.ndim
    index[rows] = slice(top, x.shape[rows] - bottom)
    index[columns] = slice(left, x.shape[columns] - right)
    return x[tuple(index)]


for x, data_format in ((X, "channels_last"), (cf(X3), "channels_first")):
    for op, boxes in BOXES.items():
        for kwargs, box in boxes:
            tag = f"{op}_{'_'.join(map(str, box))}_{data_format}"
            reference = functools.partial(np_box, op=op, box=box)
            CROP_PAD += [
                row(op, x, data_format=data_format, ref=reference, id=tag, **kwargs),
                row(op, x, data_format=data_format, ref="keras", id=tag + "_vs_keras", **kwargs),
            ]

TABLES = RESIZE + SCALE_AND_TRANSLATE + WARPS + MAP + FILTERS + COLOUR + PATCHES + CROP_PAD
for _case in TABLES:
    if isinstance(_case.op, str):
        _case.op = getattr(image, _case.op)


@pytest.mark.parametrize("case", TABLES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


# ---------------------------------------------------------------------------- elastic_transform


def test_elastic_transform_is_blurred_noise_then_map_coordinates():
    x, sigma, alpha = X[:1], 1.2, 3.0
    out = image.elastic_transform(ops.convert_to_tensor(x), alpha, sigma, seed=kfn.random.key(3))
    keys = kfn.random.split(kfn.random.key(3))
    taps = int(6 * sigma) | 1
    fields = []
    for key in (keys[0], keys[1]):
        noise = ops.convert_to_numpy(kfn.random.normal((1, 7, 9, 1), dtype="float32", seed=key))
        fields.append(alpha * np_gaussian_blur(noise * sigma, (taps, taps), (sigma, sigma))[..., 0])
    rows, columns = np.meshgrid(np.arange(7), np.arange(9), indexing="ij")
    expected = np_sample(x, rows + fields[1], columns + fields[0], 1, "reflect", 0.0)
    assert ops.dtype(out) == "float32"
    np.testing.assert_allclose(ops.convert_to_numpy(out), expected, rtol=1e-4, atol=1e-5)


def test_elastic_transform_seeds_layouts_and_dtypes():
    x = ops.convert_to_tensor(X)
    same = [ops.convert_to_numpy(image.elastic_transform(x, seed=5)) for _ in range(2)]
    np.testing.assert_array_equal(same[0], same[1])
    generator = kfn.random.SeedGenerator(1)
    a, b = (ops.convert_to_numpy(image.elastic_transform(x, seed=generator)) for _ in range(2))
    assert np.abs(a - b).max() > 1e-3 and np.abs(a - same[0]).max() > 1e-3
    first = image.elastic_transform(
        ops.convert_to_tensor(cf(X)), seed=5, data_format="channels_first"
    )
    np.testing.assert_allclose(cf(same[0]), ops.convert_to_numpy(first), rtol=1e-6, atol=1e-6)
    still = image.elastic_transform(x, alpha=0.0, seed=5, fill_mode="constant")
    np.testing.assert_allclose(ops.convert_to_numpy(still), X, atol=1e-6)
    integers = image.elastic_transform(ops.convert_to_tensor(XU), interpolation="nearest", seed=2)
    assert ops.dtype(integers) == "uint8" and tuple(integers.shape) == XU.shape


# ---------------------------------------------------------------------------- API and errors


def test_every_image_op_has_keras_signature_a_docstring_and_an_implementation():
    keras_image_ops = keras_ops().image
    problems = []
    for name in PUBLIC:
        fn = getattr(image, name)
        ours = [(p.name, p.default) for p in inspect.signature(fn).parameters.values()]
        theirs = [
            (p.name, p.default)
            for p in inspect.signature(getattr(keras_image_ops, name)).parameters.values()
        ]
        if ours != theirs:
            problems.append(f"{name}: kfn {ours}, keras {theirs}")
        if not (fn.__doc__ or "").strip():
            problems.append(f"{name}: no docstring")
        impl = fn.__kfn_impl__
        if impl.__name__ == "missing":
            problems.append(f"{name}: no {kfn.backend()} implementation")
        elif inspect.signature(impl) != inspect.signature(fn):
            problems.append(f"{name}: implemented as {inspect.signature(impl)}")
    assert len(PUBLIC) == 16 and not problems, "\n".join(problems)


def test_default_data_format_is_the_configured_one():
    previous = kfn.config.image_data_format()
    kfn.config.set_image_data_format("channels_first")
    try:
        out = image.resize(ops.convert_to_tensor(cf(X)), (4, 5))
        gray = image.rgb_to_grayscale(ops.convert_to_tensor(cf(X)))
    finally:
        kfn.config.set_image_data_format(previous)
    assert tuple(out.shape) == (2, 3, 4, 5) and tuple(gray.shape) == (2, 1, 7, 9)


BAD_ARGUMENTS = [
    (
        lambda: image.resize(X[0, 0], (2, 2)),
        ValueError,
        r"kfn.ops.image.resize: images must have rank 3 \(one image\) or 4 .*got shape \(9, 3\)",
    ),
    (
        lambda: image.resize(X, (2, 2), interpolation="cubic"),
        ValueError,
        r"resize: interpolation must be one of \('bilinear', .*got 'cubic'",
    ),
    (lambda: image.resize(X, (2, 0)), ValueError, r"resize: size must be \(height, width\)"),
    (
        lambda: image.resize(X, (2, 2), fill_mode="reflect"),
        ValueError,
        r"resize: fill_mode must be 'constant'",
    ),
    (
        lambda: image.resize(X, (2, 2), crop_to_aspect_ratio=True, pad_to_aspect_ratio=True),
        ValueError,
        r"only one of crop_to_aspect_ratio and pad_to_aspect_ratio",
    ),
    (
        lambda: image.resize(X, (2, 2), data_format="NHWC"),
        ValueError,
        r"resize: data_format must be 'channels_last', 'channels_first' or None, got 'NHWC'",
    ),
    (
        lambda: image.affine_transform(X, AFFINE, interpolation="bicubic"),
        ValueError,
        r"affine_transform: interpolation must be one of \('nearest', 'bilinear'\)",
    ),
    (
        lambda: image.affine_transform(X, AFFINE, fill_mode="edge"),
        ValueError,
        r"affine_transform: fill_mode must be one of .*got 'edge'",
    ),
    (
        lambda: image.affine_transform(X, AFFINE[:, :6]),
        ValueError,
        r"affine_transform: transform must have 8 entries .*got shape \(2, 6\)",
    ),
    (
        lambda: image.affine_transform(X, np.tile(AFFINE, (2, 1))),
        ValueError,
        r"affine_transform: expected one transform or one per image \(2\), got 4",
    ),
    (
        lambda: image.map_coordinates(IMAGE, INSIDE[:1], 1),
        ValueError,
        r"map_coordinates: the first dimension of coordinates must be the rank of inputs \(2\)",
    ),
    (
        lambda: image.map_coordinates(IMAGE, INSIDE[0, 0], 1),
        ValueError,
        r"map_coordinates: coordinates must have rank 2 or more",
    ),
    (
        lambda: image.map_coordinates(IMAGE, INSIDE, 3),
        ValueError,
        r"map_coordinates: order must be one of \(0, 1\), got 3",
    ),
    (
        lambda: image.rgb_to_hsv(XU),
        ValueError,
        r"rgb_to_hsv: images must have a float dtype, got uint8",
    ),
    (
        lambda: image.hsv_to_rgb(X[..., :2]),
        ValueError,
        r"hsv_to_rgb: images must have 3 channels, got shape \(2, 7, 9, 2\)",
    ),
    (
        lambda: image.rgb_to_grayscale(X[..., :2]),
        ValueError,
        r"rgb_to_grayscale: images must have 1 or 3 channels",
    ),
    (
        lambda: image.crop_images(X, 1, 1, target_height=3),
        ValueError,
        r"crop_images: give exactly two of left_cropping, right_cropping and target_width",
    ),
    (
        lambda: image.crop_images(X, 5, 0, target_height=4, target_width=3),
        ValueError,
        r"crop_images: bottom_cropping must be >= 0, got bottom_cropping=-2",
    ),
    (
        lambda: image.pad_images(X, 1, 1, target_height=3, target_width=12),
        ValueError,
        r"pad_images: bottom_padding must be >= 0, got bottom_padding=-5",
    ),
    (
        lambda: image.extract_patches(X, "3"),
        TypeError,
        r"extract_patches: size must be an int or a tuple of 2 or 3 ints, got str",
    ),
    (
        lambda: image.extract_patches(X, (2, 2, 2, 2)),
        ValueError,
        r"extract_patches: size must be an int or a tuple of 2 or 3 ints",
    ),
    (
        lambda: image.extract_patches(X, (8, 2)),
        ValueError,
        r"extract_patches: patches of size \(8, 2\) .*do not fit",
    ),
    (
        lambda: image.extract_patches(X, 2, padding="full"),
        ValueError,
        r"kfn.ops.image.extract_patches: padding must be one of \('valid', 'same'\)",
    ),
    (
        lambda: image.extract_patches_3d(X[0], 2),
        ValueError,
        r"extract_patches_3d: volumes must have rank 4 or 5",
    ),
    (lambda: image.sobel_edges(X[0]), ValueError, r"sobel_edges: images must have rank 4"),
    (
        lambda: image.ssim(A, B[:, :8]),
        ValueError,
        r"ssim: image1 and image2 must have the same shape",
    ),
    (
        lambda: image.ssim(A, B, filter_size=17),
        ValueError,
        r"ssim: filter_size must be an int from 1 to the image height and width \(16, 16\)",
    ),
    (
        lambda: image.gaussian_blur(X, kernel_size=(3, 0)),
        ValueError,
        r"gaussian_blur: kernel_size must be a positive int or 2 positive ints",
    ),
    (
        lambda: image.perspective_transform(X, START[:, :3], END[:, :3]),
        ValueError,
        r"perspective_transform: start_points must have shape \(4, 2\) or \(batch, 4, 2\)",
    ),
    (
        lambda: image.perspective_transform(X, START, END[0]),
        ValueError,
        r"perspective_transform: start_points and end_points must have the same shape",
    ),
    (
        lambda: image.elastic_transform(X, fill_mode="edge"),
        ValueError,
        r"elastic_transform: fill_mode must be one of",
    ),
    (
        lambda: image.scale_and_translate(X, (2, 4, 20, 3), SCALE, SHIFT, (1, 2), "area"),
        ValueError,
        r"scale_and_translate: method must be one of \('linear', .*got 'area'",
    ),
    (
        lambda: image.scale_and_translate(X, (2, 4, 20), SCALE, SHIFT, (1, 2), "linear"),
        ValueError,
        r"scale_and_translate: output_shape must have one entry per dimension",
    ),
    (
        lambda: image.scale_and_translate(X, (2, 4, 20, 3), SCALE[:1], SHIFT, (1, 2), "linear"),
        ValueError,
        r"scale_and_translate: scale must hold one value per spatial dimension",
    ),
]


@pytest.mark.parametrize(
    "call, error, message",
    BAD_ARGUMENTS,
    ids=[f"{m.split(':')[0].split('.')[-1]}_{i}" for i, (_, _, m) in enumerate(BAD_ARGUMENTS)],
)
def test_bad_arguments_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.skipif(BACKEND == "numpy", reason="the numpy backend does not compile")
def test_compiled_calls_match_eager():
    x = ops.convert_to_tensor(X)

    def pipeline(x):
        return (
            image.resize(x, (5, 4), interpolation="bicubic", antialias=True),
            image.affine_transform(x, ops.convert_to_tensor(AFFINE)),
            image.gaussian_blur(x, 3, 1.0),
            image.resize(x, (3, 5), interpolation="area"),
        )

    for eager, compiled in zip(pipeline(x), ops.jit(pipeline)(x)):
        np.testing.assert_allclose(
            ops.convert_to_numpy(eager), ops.convert_to_numpy(compiled), rtol=1e-6, atol=1e-6
        )


# ---------------------------------------------------------------------------- gradients

# Each loss is compiled (ops.jit): the finite differences then call one program, not a few
# hundred eager ops.
GRADIENTS = {
    "resize_bilinear": (lambda x: image.resize(x, (5, 3)), (1, 3, 4, 2)),
    "resize_bilinear_antialias": (lambda x: image.resize(x, (2, 3), antialias=True), (1, 4, 5, 1)),
    "affine_transform": (lambda x: image.affine_transform(x, AFFINE[:1]), (1, 4, 5, 2)),
    "map_coordinates": (lambda x: image.map_coordinates(x, POINTS[:, :2], 1), (5, 6)),
    "rgb_to_hsv": (image.rgb_to_hsv, (1, 2, 3, 3)),
    "gaussian_blur": (lambda x: image.gaussian_blur(x, 3, (1.0, 0.7)), (1, 4, 4, 2)),
}


@requires_gradients
@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradient(name):
    fn, shape = GRADIENTS[name]
    check_gradient(ops.jit(lambda x: ops.sum(fn(x) ** 2)), RNG.uniform(0.1, 0.9, shape))


@requires_gradients
def test_map_coordinates_gradient_with_respect_to_coordinates():
    inputs = RNG.uniform(size=(5, 6))
    check_gradient(
        ops.jit(lambda c: ops.sum(image.map_coordinates(inputs, c, 1, "reflect") ** 2)),
        RNG.uniform(-1.0, 5.0, (2, 3)) + 0.013,
    )
