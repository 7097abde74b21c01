"""The jax backend: kfn.ops.math primitives (see kfn/ops/math.py for the documented signatures)."""

from __future__ import annotations
