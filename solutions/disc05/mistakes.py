"""disc05's known mistakes, keyed by the hidden-test helper that checks the answer.

Each variant takes the inputs the reference gets and computes the answer the
way the mistake does. The sentences name the missing or wrong piece; they
never give the expected values.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from autograder.hidden import Misconception

import reference

Array = Any  # the variants run on float64 arrays; mistakes may return what they like


def _overflowing_sigmoid(x: Array) -> Array:
    return 1 / (1 + np.exp(-x))


def _exp_ratio(x: Array) -> Array:
    e = np.exp(-x)
    return e / (1 + e) ** 2


def _grad_of_overflowing_sigmoid(x: Array) -> Array:
    s = _overflowing_sigmoid(x)
    return s * (1 - s)


def _mask(X0: Array, W1: Array) -> Array:
    return (W1 @ X0 > 0).astype(np.float64)


def _loss_without_variance(X: Array, y: Array, w_check: Array, p: float) -> float:
    fit = y - p * X @ w_check
    return float(fit @ fit)


def _loss_with_p_squared(X: Array, y: Array, w_check: Array, p: float) -> float:
    penalty = reference.column_norms(X) * w_check
    return _loss_without_variance(X, y, w_check, p) + p**2 * float(penalty @ penalty)


SIGMOID_OVERFLOWS = Misconception(
    "sigmoid_overflows",
    "the textbook formula 1/(1 + exp(-x)), whose exp(-x) overflows for x below about -709",
    "compute it with exp(-|x|), which never overflows, on each side of 0",
    _overflowing_sigmoid,
    warns=True,
    # the example submission: the textbook formula in place of the master's stable one
    example=(
        (
            "    x = np.asarray(x, dtype=float)\n"
            "    # exp(-|x|) lies in (0, 1], so neither branch can overflow\n"
            "    z = np.exp(-np.abs(x))\n"
            "    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))",
            "    return 1 / (1 + np.exp(-x))",
        ),
    ),
)
SIGMOID_GRAD_IS_SIGMOID = Misconception(
    "sigmoid_grad_is_sigmoid",
    "the sigmoid itself instead of its derivative",
    "differentiate sigmoid(x) = 1/(1 + exp(-x)) and write the result in terms of sigmoid(x)",
    reference.sigmoid,
)
SIGMOID_GRAD_EXP_RATIO = Misconception(
    "sigmoid_grad_exp_ratio",
    "exp(-x)/(1 + exp(-x))**2, which is inf/inf = nan for x below about -709",
    "write it with a sigmoid that never overflows, as sigmoid(x)·sigmoid(-x)",
    _exp_ratio,
)
SIGMOID_GRAD_INHERITS_OVERFLOW = Misconception(
    "sigmoid_grad_inherits_overflow",
    "a derivative built on a sigmoid that overflows",
    "sigmoid_grad inherits the overflow of 1/(1 + exp(-x)), so make sigmoid safe for any x "
    "(exp(-|x|) never overflows) and sigmoid_grad is safe too",
    _grad_of_overflowing_sigmoid,
    warns=True,
)

CATALOG: dict[str, tuple[Misconception, ...]] = {
    "sigmoid_extremes": (SIGMOID_OVERFLOWS,),
    "sigmoid_grad": (SIGMOID_GRAD_IS_SIGMOID,),
    "sigmoid_grad_extremes": (
        SIGMOID_GRAD_IS_SIGMOID,
        SIGMOID_GRAD_EXP_RATIO,
        SIGMOID_GRAD_INHERITS_OVERFLOW,
    ),
    "residual_block": (
        Misconception(
            "residual_block_without_skip",
            "the block without its skip connection",
            "a residual block adds its input back to what the two layers compute",
            lambda X0, W1, W2: W2 @ np.maximum(W1 @ X0, 0.0),
        ),
    ),
    "residual_jacobian": (
        Misconception(
            "jacobian_without_identity",
            "the Jacobian without the identity of the skip connection",
            "X1 = X0 + W2 relu(W1 X0), and the X0 term contributes ∂X0/∂X0 = I",
            lambda X0, W1, W2: (W2 * _mask(X0, W1)) @ W1,
            example=(("np.eye(X0.shape[0]) + W2", "W2"),),
        ),
        Misconception(
            "jacobian_without_relu_mask",
            "the Jacobian without the ReLU's derivative",
            "relu'(z) is 1 where z = W1 X0 > 0 and 0 elsewhere, so the rows of W1 whose "
            "unit is inactive must drop out: diag(1[W1 X0 > 0]) sits between W2 and W1",
            lambda X0, W1, W2: np.eye(len(X0)) + W2 @ W1,
        ),
        Misconception(
            "jacobian_without_identity_and_mask",
            "W2 W1 alone, without the identity of the skip connection or the ReLU's derivative",
            "the skip connection contributes I, and relu' = 1[W1 X0 > 0] masks the units "
            "between W2 and W1",
            lambda X0, W1, W2: W2 @ W1,
        ),
    ),
    "dropout_expected_loss": (
        Misconception(
            "expected_loss_without_variance",
            "the loss of the mean prediction only, without the variance term",
            "the masked prediction also varies, and its variance adds p(1 - p)‖Γ̌w̌‖²",
            _loss_without_variance,
        ),
        Misconception(
            "expected_loss_with_p_squared",
            "p² instead of p(1 - p) in front of the penalty",
            "a Bernoulli(p) entry has variance p(1 - p), and that is the factor of ‖Γ̌w̌‖²",
            _loss_with_p_squared,
        ),
    ),
    "dropout_to_tikhonov": (
        Misconception(
            "tikhonov_weights_divided_by_p",
            "w = w̌/p (inverted dropout, the wrong way round)",
            "the dropout model predicts pXw̌ on average, and the Tikhonov model predicts Xw",
            lambda w_check, p: w_check / p,
        ),
    ),
    "tikhonov_gamma": (
        Misconception(
            "gamma_without_factor",
            "Γ̌ itself, without the factor that depends on p",
            "with w = p·w̌ the penalty p(1 - p)‖Γ̌w̌‖² is ((1 - p)/p)‖Γ̌w‖², "
            "so Γ must absorb that factor",
            lambda X, p: np.diag(reference.column_norms(X)),
            example=(("np.sqrt((1 - p) / p) * np.diag", "np.diag"),),
        ),
    ),
    "ridge_data_matrix": (
        Misconception(
            "ridge_matrix_gamma_times_x",
            "ΓX, with Γ on the wrong side and not inverted",
            "with w̃ = Γw, Xw = XΓ⁻¹w̃, so Γ⁻¹ multiplies X from the right",
            lambda X, Gamma: Gamma @ X,
        ),
        Misconception(
            "ridge_matrix_x_times_gamma",
            "XΓ, with Γ not inverted",
            "with w̃ = Γw, Xw = XΓ⁻¹w̃, so X̃ uses the inverse of Γ",
            lambda X, Gamma: X @ Gamma,
        ),
        Misconception(
            "ridge_matrix_diagonal_only",
            "X divided by the diagonal of Γ, right only when Γ is diagonal",
            "Γ may be any invertible matrix, so use its inverse "
            "(np.linalg.solve or np.linalg.inv), not its diagonal",
            lambda X, Gamma: X / np.diag(Gamma),
        ),
    ),
    "grad_expr": (
        Misconception(
            "grad_expr_is_sigmoid",
            "the sigmoid itself instead of its derivative",
            "differentiate 1/(1 + exp(-x)) with the chain rule",
            lambda: 1 / (1 + sympy.exp(-reference.x)),
        ),
    ),
    "equal_column_norm": (
        Misconception(
            "column_norm_inverted",
            "sqrt((1 - p)/p), the factor of Γ rather than of its inverse",
            "X̃ = XΓ⁻¹ divides column j of X by its entry of Γ, and Γ = sqrt((1 - p)/p)·Γ̌",
            lambda: sympy.sqrt((1 - reference.p) / reference.p),
        ),
        Misconception(
            "column_norm_squared",
            "p/(1 - p), the squared norm",
            "a norm is the square root of the sum of squares",
            lambda: reference.p / (1 - reference.p),
        ),
    ),
    "column_norms": (
        Misconception(
            "norms_of_rows",
            "the norms of the rows",
            "Γ̌ has one norm per feature, and the features are the columns of X (axis 0 sums "
            "over the rows)",
            lambda X: np.linalg.norm(X, axis=1),
        ),
        Misconception(
            "squared_column_norms",
            "the squared column norms",
            "the norm is the square root of the sum of squares",
            lambda X: np.sum(X**2, axis=0),
        ),
    ),
}
