"""The numpy backend: kfn.ops.image primitives (see kfn/ops/image.py for the documented signatures)."""

from __future__ import annotations
