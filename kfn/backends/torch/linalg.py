"""The torch backend: kfn.ops.linalg primitives (see kfn/ops/linalg.py for the documented signatures)."""

from __future__ import annotations
