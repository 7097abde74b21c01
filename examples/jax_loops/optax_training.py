"""A kfn Keras-style model trained with jax.jit and optax, through its pure state pytree.

    KFN_BACKEND=jax python examples/jax_loops/optax_training.py

The model has BatchNormalization and Dropout: their moving statistics and seed state are in
the non-trainable part of the state and come back updated from each jitted step. Prints the
loss every 50 steps and, last, a JSON line with the first and final losses.
"""

from __future__ import annotations

import json

import jax
import jax.numpy as jnp
import numpy as np
import optax

import kfn
from kfn import layers


def make_model():
    return kfn.Sequential(
        [
            kfn.Input((8,)),
            layers.Dense(32, activation="relu"),
            layers.BatchNormalization(),
            layers.Dropout(0.1, seed=0),
            layers.Dense(1),
        ]
    )


def data(count=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(count, 8)).astype(np.float32)
    y = np.sin(x.sum(axis=1, keepdims=True)).astype(np.float32)
    return jnp.asarray(x), jnp.asarray(y)


def train(steps=200):
    kfn.random.set_seed(0)
    model = make_model()
    x, y = data()
    optimizer = optax.adam(1e-2)

    def loss_fn(trainable, non_trainable, x, y):
        pred, non_trainable = model.stateless_call(trainable, non_trainable, x, training=True)
        return jnp.mean((pred - y) ** 2), non_trainable

    @jax.jit
    def step(trainable, non_trainable, opt_state, x, y):
        (loss, non_trainable), grads = jax.value_and_grad(loss_fn, has_aux=True)(
            trainable, non_trainable, x, y
        )
        updates, opt_state = optimizer.update(grads, opt_state, trainable)
        return optax.apply_updates(trainable, updates), non_trainable, opt_state, loss

    state = model.state_tree()
    trainable, non_trainable = state["trainable"], state["non_trainable"]
    opt_state = optimizer.init(trainable)
    losses = []
    for i in range(steps):
        trainable, non_trainable, opt_state, loss = step(trainable, non_trainable, opt_state, x, y)
        losses.append(float(loss))
        if i % 50 == 0:
            print(f"step {i:4d}  loss {losses[-1]:.4f}")
    model.assign_state_tree({"trainable": trainable, "non_trainable": non_trainable})
    inference = float(jnp.mean((model(x) - y) ** 2))
    return {"first": losses[0], "last": losses[-1], "inference": inference}


if __name__ == "__main__":
    print(json.dumps(train()))
