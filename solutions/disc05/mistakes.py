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
    "the exponential must never see a large positive argument",
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
    answer="compute it with exp(-|x|), which never overflows, on each side of 0",
)
SIGMOID_GRAD_IS_SIGMOID = Misconception(
    "sigmoid_grad_is_sigmoid",
    "the sigmoid itself instead of its derivative",
    "differentiate sigmoid(x) = 1/(1 + exp(-x)) and write the result in terms of sigmoid(x)",
    reference.sigmoid,
    answer="sigmoid'(x) = sigmoid(x)·(1 - sigmoid(x))",
)
SIGMOID_GRAD_EXP_RATIO = Misconception(
    "sigmoid_grad_exp_ratio",
    "exp(-x)/(1 + exp(-x))**2, which is inf/inf = nan for x below about -709",
    "for x below about -709 both exponentials overflow: write the derivative with a sigmoid that never overflows",
    _exp_ratio,
    answer="sigmoid(x)·sigmoid(-x)",
)
SIGMOID_GRAD_INHERITS_OVERFLOW = Misconception(
    "sigmoid_grad_inherits_overflow",
    "a derivative built on a sigmoid that overflows",
    "sigmoid_grad inherits the overflow of sigmoid, so make sigmoid safe for any x and sigmoid_grad is safe too",
    _grad_of_overflowing_sigmoid,
    warns=True,
    answer="exp(-|x|) never overflows",
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
            "the X0 term of X1 = X0 + W2 relu(W1 X0) has a derivative too",
            lambda X0, W1, W2: (W2 * _mask(X0, W1)) @ W1,
            example=(("np.eye(X0.shape[0]) + W2", "W2"),),
            answer="∂X0/∂X0 = I",
        ),
        Misconception(
            "jacobian_without_relu_mask",
            "the Jacobian without the ReLU's derivative",
            "relu'(z) is 1 where z = W1 X0 > 0 and 0 elsewhere, so the units that are inactive must drop out",
            lambda X0, W1, W2: np.eye(len(X0)) + W2 @ W1,
            answer="diag(1[W1 X0 > 0]) sits between W2 and W1",
        ),
        Misconception(
            "jacobian_without_identity_and_mask",
            "W2 W1 alone, without the identity of the skip connection or the ReLU's derivative",
            "the skip connection contributes a term of its own, and the ReLU's derivative masks the inactive units",
            lambda X0, W1, W2: W2 @ W1,
            answer="I + W2 diag(1[W1 X0 > 0]) W1",
        ),
    ),
    "dropout_expected_loss": (
        Misconception(
            "expected_loss_without_variance",
            "the loss of the mean prediction only, without the variance term",
            "the masked prediction also varies, and its variance adds a penalty",
            _loss_without_variance,
            answer="p(1 - p)‖Γ̌w̌‖²",
        ),
        Misconception(
            "expected_loss_with_p_squared",
            "p² instead of p(1 - p) in front of the penalty",
            "the factor of the penalty is the variance of a Bernoulli(p) entry",
            _loss_with_p_squared,
            answer="that variance is p(1 - p)",
        ),
    ),
    "dropout_to_tikhonov": (
        Misconception(
            "tikhonov_weights_divided_by_p",
            "w = w̌/p (inverted dropout, the wrong way round)",
            "match what the two models predict on average",
            lambda w_check, p: w_check / p,
            answer="the dropout model predicts pXw̌ on average and the Tikhonov model Xw, so w = p·w̌",
        ),
    ),
    "tikhonov_gamma": (
        Misconception(
            "gamma_without_factor",
            "Γ̌ itself, without the factor that depends on p",
            "with w = p·w̌ the penalty's factor changes, and Γ must absorb it",
            lambda X, p: np.diag(reference.column_norms(X)),
            example=(("np.sqrt((1 - p) / p) * np.diag", "np.diag"),),
            answer="p(1 - p)‖Γ̌w̌‖² = ((1 - p)/p)‖Γ̌w‖²",
        ),
    ),
    "ridge_data_matrix": (
        Misconception(
            "ridge_matrix_gamma_times_x",
            "ΓX, with Γ on the wrong side and not inverted",
            "substitute w̃ = Γw into Xw",
            lambda X, Gamma: Gamma @ X,
            answer="Xw = XΓ⁻¹w̃, so Γ⁻¹ multiplies X from the right",
        ),
        Misconception(
            "ridge_matrix_x_times_gamma",
            "XΓ, with Γ not inverted",
            "substitute w̃ = Γw into Xw",
            lambda X, Gamma: X @ Gamma,
            answer="Xw = XΓ⁻¹w̃, so X̃ uses the inverse of Γ",
        ),
        Misconception(
            "ridge_matrix_diagonal_only",
            "X divided by the diagonal of Γ, right only when Γ is diagonal",
            "Γ may be any invertible matrix, not only a diagonal one",
            lambda X, Gamma: X / np.diag(Gamma),
            answer="use its inverse (np.linalg.solve or np.linalg.inv), not its diagonal",
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
            "X̃ = XΓ⁻¹ divides column j of X by its entry of Γ",
            lambda: sympy.sqrt((1 - reference.p) / reference.p),
            answer="Γ = sqrt((1 - p)/p)·Γ̌",
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
            "Γ̌ has one norm per feature, and the features are the columns of X",
            lambda X: np.linalg.norm(X, axis=1),
            answer="axis 0 sums over the rows",
        ),
        Misconception(
            "squared_column_norms",
            "the squared column norms",
            "the norm is the square root of the sum of squares",
            lambda X: np.sum(X**2, axis=0),
        ),
    ),
}
