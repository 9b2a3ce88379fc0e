"""disc06 reference: the prior behind ridge, inductive biases, one LSTM step and its gradients."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import sympy

FloatArray = npt.NDArray[np.float64]


def sigmoid(x: npt.ArrayLike) -> FloatArray:
    """sigmoid(x) = 1/(1+e^-x), evaluated so that e^t never sees a positive t (no overflow)."""
    z = np.asarray(x, dtype=np.float64)
    decay = np.exp(-np.abs(z))
    return np.asarray(np.where(z >= 0, 1.0 / (1.0 + decay), decay / (1.0 + decay)))


sigma = sympy.Symbol("sigma")
tau = sympy.Symbol("tau")

RIDGE_PRIOR = "gaussian"
RIDGE_PRIOR_OPTIONS = ("gaussian", "laplace", "uniform")
ridge_lambda = sigma**2 / tau**2

INDUCTIVE_BIAS_ROWS = ("fully_connected", "convolutional", "recurrent")
INDUCTIVE_BIAS_COLUMNS = ("inputs", "interactions", "invariance", "inductive_bias")

# Battaglia et al. (2018), Table 1. The graph-network row of that table supplies
# one plausible wrong option per column.
INDUCTIVE_BIAS_TABLE: dict[str, dict[str, str]] = {
    "fully_connected": {
        "inputs": "units",
        "interactions": "all-to-all",
        "invariance": "none",
        "inductive_bias": "weak",
    },
    "convolutional": {
        "inputs": "grid elements",
        "interactions": "local",
        "invariance": "spatial translation",
        "inductive_bias": "locality",
    },
    "recurrent": {
        "inputs": "timesteps",
        "interactions": "sequential",
        "invariance": "time translation",
        "inductive_bias": "sequentiality",
    },
}
INDUCTIVE_BIAS_OPTIONS: dict[str, tuple[str, ...]] = {
    "inputs": ("units", "grid elements", "timesteps", "nodes"),
    "interactions": ("all-to-all", "local", "sequential", "arbitrary"),
    "invariance": ("none", "spatial translation", "time translation", "node permutation"),
    "inductive_bias": ("weak", "locality", "sequentiality", "arbitrary"),
}


@dataclass(frozen=True)
class LSTMCache:
    """What the backward pass needs from one forward step."""

    x: FloatArray
    h_prev: FloatArray
    c_prev: FloatArray
    Wx: FloatArray
    Wh: FloatArray
    i: FloatArray
    f: FloatArray
    o: FloatArray
    g: FloatArray
    tanh_c: FloatArray


LSTMGradients = tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]


def lstm_step_forward(
    x: FloatArray,
    h_prev: FloatArray,
    c_prev: FloatArray,
    Wx: FloatArray,
    Wh: FloatArray,
    b: FloatArray,
) -> tuple[FloatArray, FloatArray, LSTMCache]:
    """a = x Wx + h_prev Wh + b in gate order i, f, o, g; c = f⊙c_prev + i⊙g; h = o⊙tanh(c)."""
    a = x @ Wx + h_prev @ Wh + b
    a_i, a_f, a_o, a_g = np.split(a, 4, axis=1)
    i, f, o, g = sigmoid(a_i), sigmoid(a_f), sigmoid(a_o), np.tanh(a_g)
    c = f * c_prev + i * g
    tanh_c = np.tanh(c)
    h = o * tanh_c
    return h, c, LSTMCache(x, h_prev, c_prev, Wx, Wh, i, f, o, g, tanh_c)


def lstm_step_backward(dh: FloatArray, dc_next: FloatArray, cache: LSTMCache) -> LSTMGradients:
    """Gradients of a loss with upstream dh (into h) and dc_next (into c), as in CONTENT.md."""
    k = cache
    dc = dc_next + dh * k.o * (1.0 - k.tanh_c**2)
    di, df, do, dg = dc * k.g, dc * k.c_prev, dh * k.tanh_c, dc * k.i
    da = np.concatenate(
        [
            di * k.i * (1.0 - k.i),
            df * k.f * (1.0 - k.f),
            do * k.o * (1.0 - k.o),
            dg * (1.0 - k.g**2),
        ],
        axis=1,
    )
    return (
        da @ k.Wx.T,
        da @ k.Wh.T,
        dc * k.f,
        k.x.T @ da,
        k.h_prev.T @ da,
        da.sum(axis=0),
    )
