"""disc05 answers as students write them: right ones in other styles, and the typical
mistakes of CONTENT.md (plus a few more), each a small named function or value."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import sympy

Array = Any

x = sympy.Symbol("x")
x_real = sympy.Symbol("x", real=True)
p = sympy.Symbol("p")
p_positive = sympy.Symbol("p", positive=True)

# --- sigmoid and its gradient --------------------------------------------------------


def sigmoid_tanh(x: Array) -> Array:
    """Right: sigma(x) = (1 + tanh(x/2))/2 never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x)))


def sigmoid_loop(x: Array) -> Array:
    """Right: element by element with math.exp, on whichever side is safe."""
    values = np.asarray(x, dtype=float)
    out = np.empty_like(values)
    for index, v in np.ndenumerate(values):
        out[index] = 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))
    return out


def sigmoid_naive(x: Array) -> Array:
    """Mistake: exp(-x) overflows at x = -1000 (right values, but a RuntimeWarning)."""
    return 1 / (1 + np.exp(-x))


def sigmoid_as_list(x: Array) -> Array:
    """Right on 1-d input: a list of floats (fails on other shapes by shape, not by crash)."""
    return [float(v) for v in sigmoid_tanh(x).ravel()]


def sigmoid_grad_from_sigmoid(x: Array) -> Array:
    s = sigmoid_tanh(x)
    return s * (1 - s)


def sigmoid_grad_cosh(x: Array) -> Array:
    """Right: 1/(4 cosh(x/2)^2), with cosh clipped where it would overflow."""
    return 0.25 / np.cosh(np.clip(np.asarray(x) / 2, -350, 350)) ** 2


def sigmoid_grad_naive(x: Array) -> Array:
    """Mistake: exp(-x)/(1+exp(-x))^2 is inf/inf = nan at x = -1000."""
    e = np.exp(-x)
    return e / (1 + e) ** 2


def sigmoid_grad_of_naive_sigmoid(x: Array) -> Array:
    """Mistake: right formula, on a sigmoid that overflows at x = -1000 (a RuntimeWarning)."""
    return sigmoid_naive(x) * sigmoid_naive(-x)


def sigmoid_grad_is_sigmoid(x: Array) -> Array:
    """Mistake: returns sigma(x) instead of its derivative."""
    return sigmoid_tanh(x)


# --- residual block ------------------------------------------------------------------


def residual_block_loops(X0: Array, W1: Array, W2: Array) -> Array:
    n = len(X0)
    hidden = [max(0.0, sum(W1[r, k] * X0[k] for k in range(n))) for r in range(n)]
    return [X0[r] + sum(W2[r, k] * hidden[k] for k in range(n)) for r in range(n)]


def residual_block_mask(X0: Array, W1: Array, W2: Array) -> Array:
    z = W1 @ X0
    return X0 + W2 @ (z * (z > 0))


def residual_block_without_skip(X0: Array, W1: Array, W2: Array) -> Array:
    """Mistake (extra): the skip connection is missing."""
    return W2 @ np.maximum(W1 @ X0, 0)


def residual_jacobian_diag(X0: Array, W1: Array, W2: Array) -> Array:
    return np.eye(len(X0)) + W2 @ np.diag((W1 @ X0 > 0).astype(float)) @ W1


def residual_jacobian_loops(X0: Array, W1: Array, W2: Array) -> Array:
    n = len(X0)
    active = [float(W1[k] @ X0 > 0) for k in range(n)]
    return np.array(
        [
            [
                float(r == c) + sum(W2[r, k] * active[k] * W1[k, c] for k in range(n))
                for c in range(n)
            ]
            for r in range(n)
        ]
    )


def residual_jacobian_without_identity(X0: Array, W1: Array, W2: Array) -> Array:
    """Mistake: the skip's identity is missing."""
    return W2 @ np.diag((W1 @ X0 > 0).astype(float)) @ W1


def residual_jacobian_without_mask(X0: Array, W1: Array, W2: Array) -> Array:
    """Mistake: the ReLU's derivative (the mask) is missing."""
    return np.eye(len(X0)) + W2 @ W1


def residual_jacobian_without_identity_and_mask(X0: Array, W1: Array, W2: Array) -> Array:
    """Mistake (extra): W2 W1, neither the identity nor the mask."""
    return W2 @ W1


# --- dropout as Tikhonov regularization ----------------------------------------------


def dropout_expected_loss_sums(X: Array, y: Array, w_check: Array, p: float) -> Array:
    """Right: with explicit sums, returning a 0-d array."""
    fit = np.sum((y - p * X @ w_check) ** 2)
    penalty = sum(np.sum(X[:, j] ** 2) * w_check[j] ** 2 for j in range(X.shape[1]))
    return np.array(fit + p * (1 - p) * penalty)


def dropout_expected_loss_without_variance(X: Array, y: Array, w_check: Array, p: float) -> Array:
    """Mistake (extra): only the mean term ||y - pXw||^2."""
    return float(np.sum((y - p * X @ w_check) ** 2))


def dropout_expected_loss_squared_p(X: Array, y: Array, w_check: Array, p: float) -> Array:
    """Mistake (extra): p^2 instead of p(1 - p) in front of the penalty."""
    gamma_w = np.linalg.norm(X, axis=0) * w_check
    return float(np.sum((y - p * X @ w_check) ** 2) + p**2 * gamma_w @ gamma_w)


def dropout_to_tikhonov_times(w_check: Array, p: float) -> Array:
    return [p * float(v) for v in w_check]


def dropout_to_tikhonov_divides(w_check: Array, p: float) -> Array:
    """Mistake: w = w_check/p (PyTorch's inverted dropout, backwards)."""
    return w_check / p


def tikhonov_gamma_right(X: Array, p: float) -> Array:
    return np.diag(np.sqrt(np.sum(X**2, axis=0) * (1 - p) / p))


def tikhonov_gamma_without_factor(X: Array, p: float) -> Array:
    """Mistake: Gamma = Gamma_check, the sqrt((1-p)/p) factor is missing."""
    return np.diag(np.linalg.norm(X, axis=0))


def ridge_data_matrix_inverse(X: Array, Gamma: Array) -> Array:
    return X @ np.linalg.inv(Gamma)


def ridge_data_matrix_gamma_times_x(X: Array, Gamma: Array) -> Array:
    """Mistake: Gamma X (raises on an (n, d) X with n != d)."""
    return Gamma @ X


def ridge_data_matrix_x_times_gamma(X: Array, Gamma: Array) -> Array:
    """Mistake: X Gamma instead of X Gamma^-1."""
    return X @ Gamma


def ridge_data_matrix_diagonal_only(X: Array, Gamma: Array) -> Array:
    """Mistake (extra): right only for a diagonal Gamma."""
    return X / np.diag(Gamma)


def column_norms_loop(X: Array) -> Array:
    return [math.sqrt(sum(v * v for v in X[:, j])) for j in range(X.shape[1])]


def column_norms_of_rows(X: Array) -> Array:
    """Mistake (extra): norms of the rows."""
    return np.linalg.norm(X, axis=1)


def column_norms_squared(X: Array) -> Array:
    """Mistake (extra): squared norms."""
    return np.sum(X**2, axis=0)


# --- values: numbers and sympy expressions -------------------------------------------

GRAD_MAX_RIGHT = (0.25, sympy.Rational(1, 4), np.float64(0.25), sympy.Float(0.25), 1 / 4)
GRAD_MAX_WRONG = (0.5, 1, sympy.Rational(1, 2), "0.25")
GRAD_ARGMAX_RIGHT = (0, 0.0, sympy.Integer(0), np.float64(-0.0), 1e-9)
GRAD_ARGMAX_WRONG = (0.25, 1, 0.01)

GRAD_EXPR_RIGHT = (
    sympy.exp(-x) / (1 + sympy.exp(-x)) ** 2,
    sympy.exp(-x_real) / (1 + sympy.exp(-x_real)) ** 2,
    sympy.diff(1 / (1 + sympy.exp(-x)), x),
    (1 / (1 + sympy.exp(-x))) * (1 - 1 / (1 + sympy.exp(-x))),
    1 / (4 * sympy.cosh(x / 2) ** 2),
    sympy.exp(x) / (1 + sympy.exp(x)) ** 2,
    "exp(-x)/(exp(-x) + 1)**2",
    "1/(4*cosh(x/2)**2)",
)
GRAD_EXPR_WRONG = (
    1 / (1 + sympy.exp(-x)),
    sympy.exp(x) / (1 + sympy.exp(-x)) ** 2,
    sympy.exp(-x) / (1 + sympy.exp(-x)),
    sympy.Rational(1, 4),
    "0.25",
)

EQUAL_COLUMN_NORM_RIGHT = (
    sympy.sqrt(p / (1 - p)),
    sympy.sqrt(p) / sympy.sqrt(1 - p),
    1 / sympy.sqrt(1 / p - 1),
    sympy.sqrt(p_positive / (1 - p_positive)),
    "sqrt(p)/sqrt(1 - p)",
    "1/sqrt(-1 + 1/p)",
)
EQUAL_COLUMN_NORM_WRONG = (
    sympy.sqrt((1 - p) / p),
    p / (1 - p),
    sympy.sqrt(p * (1 - p)),
    sympy.Integer(1),
)
