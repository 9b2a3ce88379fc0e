"""disc05 reference: sigmoid gradients, residual blocks, dropout as Tikhonov regularization."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import sympy

FloatArray = npt.NDArray[np.float64]

x = sympy.Symbol("x")
p = sympy.Symbol("p")

SIGMOID_GRAD_MAX = sympy.Rational(1, 4)
SIGMOID_GRAD_ARGMAX = sympy.Integer(0)
sigmoid_grad_expr = sympy.exp(-x) / (1 + sympy.exp(-x)) ** 2
equal_column_norm = sympy.sqrt(p / (1 - p))


def sigmoid(x: npt.ArrayLike) -> FloatArray:
    """sigmoid(x) = 1/(1+e^-x), evaluated so that e^t never sees a positive t (no overflow)."""
    z = np.asarray(x, dtype=np.float64)
    decay = np.exp(-np.abs(z))
    return np.asarray(np.where(z >= 0, 1.0 / (1.0 + decay), decay / (1.0 + decay)))


def sigmoid_grad(x: npt.ArrayLike) -> FloatArray:
    """sigmoid(x)(1 - sigmoid(x)), written as sigmoid(x) sigmoid(-x): for large x,
    1 - sigmoid(x) would round to 0 and lose the tail."""
    z = np.asarray(x, dtype=np.float64)
    return sigmoid(z) * sigmoid(-z)


def _relu(z: FloatArray) -> FloatArray:
    return np.maximum(z, 0.0)


def residual_block(X0: FloatArray, W1: FloatArray, W2: FloatArray) -> FloatArray:
    """X1 = X0 + W2 relu(W1 X0)."""
    return np.asarray(X0 + W2 @ _relu(W1 @ X0), dtype=np.float64)


def residual_jacobian(X0: FloatArray, W1: FloatArray, W2: FloatArray) -> FloatArray:
    """∂X1/∂X0 = I + W2 diag(1[W1 X0 > 0]) W1."""
    active = (W1 @ X0 > 0).astype(np.float64)
    return np.asarray(np.eye(len(X0)) + (W2 * active) @ W1, dtype=np.float64)


def column_norms(X: FloatArray) -> FloatArray:
    return np.asarray(np.linalg.norm(X, axis=0), dtype=np.float64)


def dropout_expected_loss(X: FloatArray, y: FloatArray, w_check: FloatArray, p: float) -> float:
    """E_R ||y - (R⊙X) w̌||² = ||y - pXw̌||² + p(1-p)||Γ̌w̌||², Γ̌ = diag(column norms of X)."""
    fit = y - p * (X @ w_check)
    penalty = column_norms(X) * w_check
    return float(fit @ fit + p * (1.0 - p) * (penalty @ penalty))


def dropout_to_tikhonov(w_check: FloatArray, p: float) -> FloatArray:
    """w = p·w̌: the dropout weights scaled as at inference time."""
    return np.asarray(p * np.asarray(w_check, dtype=np.float64))


def tikhonov_gamma(X: FloatArray, p: float) -> FloatArray:
    """Γ = √((1-p)/p)·Γ̌, so that (4) with w = p·w̌ is (3)."""
    return np.asarray(np.sqrt((1.0 - p) / p) * np.diag(column_norms(X)))


def ridge_data_matrix(X: FloatArray, Gamma: FloatArray) -> FloatArray:
    """X̃ = XΓ⁻¹ for any invertible Γ, computed as the solution of Γᵀ X̃ᵀ = Xᵀ."""
    return np.asarray(np.linalg.solve(np.asarray(Gamma).T, np.asarray(X).T).T)
