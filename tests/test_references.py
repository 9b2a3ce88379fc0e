"""The references against truths derived independently of them: finite differences,
Monte Carlo means, closed forms derived with sympy, exact arithmetic."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy
from course import course

from autograder.checks.gradients import central_difference
from autograder.checks.numeric import relative_error

disc05 = course("disc05", "reference")
disc06 = course("disc06", "reference")
lstm = course("disc06", "lstm")
LSTM_GRADIENTS = lstm.LSTM_GRADIENTS
lstm_numeric_gradient = lstm.lstm_numeric_gradient
random_lstm_problem = lstm.random_lstm_problem

SEEDS = (0, 1, 2, 3)


# --- disc06: the LSTM ---------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("gradient", LSTM_GRADIENTS)
def test_lstm_backward_matches_central_differences(seed: int, gradient: str) -> None:
    problem = random_lstm_problem(np.random.default_rng(seed))
    _, _, cache = disc06.lstm_step_forward(*problem.inputs())
    analytic = disc06.lstm_step_backward(problem.dh, problem.dc_next, cache)
    numeric = lstm_numeric_gradient(disc06.lstm_step_forward, problem, gradient)
    # CONTENT.md: correct code is within 3e-9 of central differences (eps = 1e-5).
    assert relative_error(analytic[LSTM_GRADIENTS.index(gradient)], numeric) < 1e-8


def test_lstm_forward_follows_the_gate_equations_one_sample_at_a_time() -> None:
    problem = random_lstm_problem(np.random.default_rng(5))
    h, c, _ = disc06.lstm_step_forward(*problem.inputs())
    H = problem.h_prev.shape[1]
    for n in range(len(problem.x)):
        a = problem.x[n] @ problem.Wx + problem.h_prev[n] @ problem.Wh + problem.b
        i, f, o = (1 / (1 + np.exp(-a[k * H : (k + 1) * H])) for k in range(3))
        g = np.tanh(a[3 * H :])
        c_n = f * problem.c_prev[n] + i * g
        assert relative_error(c[n], c_n) < 1e-14
        assert relative_error(h[n], o * np.tanh(c_n)) < 1e-14


def test_lstm_problems_have_order_one_cell_states_and_nonzero_upstream_gradients() -> None:
    rng = np.random.default_rng(7)
    for _ in range(20):
        problem = random_lstm_problem(rng)
        _, c, _ = disc06.lstm_step_forward(*problem.inputs())
        # A small |c| hides the missing tanh in do (CONTENT.md: 6.5e-3 at mean |c| = 0.31).
        assert np.mean(np.abs(c)) > 0.4
        assert np.all(problem.dh != 0) and np.all(problem.dc_next != 0)
        assert problem.Wx.shape[0] != problem.Wx.shape[1]


def test_random_lstm_problem_refuses_d_equal_to_4h() -> None:
    with pytest.raises(ValueError, match="transposed"):
        random_lstm_problem(np.random.default_rng(0), d=16, h=4)


# --- disc05: sigmoid ------------------------------------------------------------------


@pytest.mark.parametrize("value", [-1000.0, -745.0, -30.0, -1.5, 0.0, 2.0, 40.0, 1000.0])
def test_sigmoid_and_its_gradient_match_high_precision_values(value: float) -> None:
    with mpmath.workdps(50):
        s = 1 / (1 + mpmath.exp(-value))
        expected_s, expected_grad = float(s), float(s * (1 - s))
    # Warnings are errors in this test run: this also proves the reference warning-free.
    assert float(disc05.sigmoid(np.array([value]))[0]) == pytest.approx(expected_s, rel=1e-15)
    grad = float(disc05.sigmoid_grad(np.array([value]))[0])
    assert grad == pytest.approx(expected_grad, rel=1e-12, abs=1e-300)


def test_sigmoid_keeps_the_shape_of_its_input() -> None:
    values = np.random.default_rng(0).normal(size=(2, 3, 4))
    assert disc05.sigmoid(values).shape == (2, 3, 4)
    assert disc05.sigmoid_grad(values).shape == (2, 3, 4)


def test_sigmoid_gradient_is_at_most_one_quarter_attained_at_zero() -> None:
    x = sympy.Symbol("x", real=True)
    derivative = sympy.diff(1 / (1 + sympy.exp(-x)), x)
    critical = sympy.solve(sympy.diff(derivative, x), x)
    assert critical == [0]
    assert sympy.diff(derivative, x, 2).subs(x, 0) < 0
    assert derivative.subs(x, 0) == disc05.SIGMOID_GRAD_MAX == sympy.Rational(1, 4)
    assert critical[0] == disc05.SIGMOID_GRAD_ARGMAX
    assert sympy.limit(derivative, x, sympy.oo) == 0 == sympy.limit(derivative, x, -sympy.oo)


def test_sigmoid_grad_expr_is_the_derivative_of_the_sigmoid() -> None:
    x = disc05.x
    derivative = sympy.diff(1 / (1 + sympy.exp(-x)), x)
    assert sympy.simplify(disc05.sigmoid_grad_expr - derivative) == 0


def test_ten_sigmoid_layers_shrink_the_gradient_as_content_says() -> None:
    assert float(disc05.SIGMOID_GRAD_MAX**10) == pytest.approx(9.5e-7, rel=0.01)


# --- disc05: residual block -----------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_residual_jacobian_matches_central_differences(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 6
    X0, W1, W2 = rng.normal(size=n), rng.normal(size=(n, n)), rng.normal(size=(n, n))
    numeric = np.column_stack(
        [
            central_difference(lambda v, r=r: float(disc05.residual_block(v, W1, W2)[r]), X0)
            for r in range(n)
        ]
    ).T
    assert relative_error(disc05.residual_jacobian(X0, W1, W2), numeric) < 1e-8


def test_residual_block_adds_the_input_to_the_branch() -> None:
    X0 = np.array([1.0, -2.0])
    W1 = np.array([[1.0, 0.0], [0.0, 1.0]])  # relu(W1 X0) = (1, 0)
    W2 = np.array([[2.0, 3.0], [5.0, 7.0]])
    assert disc05.residual_block(X0, W1, W2).tolist() == [3.0, 3.0]


def test_residual_blocks_keep_the_gradient_norm_content_reports() -> None:
    # CONTENT.md, q1c_written: 20 blocks, n = 16, weights std 0.1/sqrt(n).
    rng = np.random.default_rng(0)
    n = 16
    x = rng.normal(size=n)
    with_skip, without_skip = np.eye(n), np.eye(n)
    for _ in range(20):
        W1, W2 = (rng.normal(scale=0.1 / np.sqrt(n), size=(n, n)) for _ in range(2))
        J = disc05.residual_jacobian(x, W1, W2)
        with_skip = J @ with_skip
        without_skip = (J - np.eye(n)) @ without_skip
        x = disc05.residual_block(x, W1, W2)
    assert 0.9 < np.linalg.norm(with_skip, 2) < 1.2
    assert np.linalg.norm(without_skip, 2) < 1e-30


# --- disc05: dropout -------------------------------------------------------------------


def _dropout_problem(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(9, 4)) * rng.uniform(0.5, 3.0, size=4)
    return X, rng.normal(size=9), rng.normal(size=4), float(rng.uniform(0.2, 0.9))


@pytest.mark.parametrize("seed", (0, 1))
def test_dropout_expected_loss_is_the_monte_carlo_mean(seed: int) -> None:
    X, y, w_check, p = _dropout_problem(seed)
    rng = np.random.default_rng(100 + seed)
    masks = rng.random(size=(40_000, *X.shape)) < p
    losses = np.sum((y - (masks * X) @ w_check) ** 2, axis=1)
    standard_error = losses.std(ddof=1) / np.sqrt(len(losses))
    gap = abs(losses.mean() - disc05.dropout_expected_loss(X, y, w_check, p))
    assert gap < 4 * standard_error
    # The test has the power to see the variance term it is about.
    fit_only = float(np.sum((y - p * X @ w_check) ** 2))
    assert abs(losses.mean() - fit_only) > 10 * standard_error


@pytest.mark.parametrize("seed", (0, 1, 2))
def test_scaled_dropout_solution_is_the_tikhonov_solution(seed: int) -> None:
    X, y, _, p = _dropout_problem(seed)
    norms = disc05.column_norms(X)
    # argmin of (4): (p^2 X^T X + p(1-p) diag(norms^2)) w = p X^T y
    w_check = np.linalg.solve(p**2 * X.T @ X + p * (1 - p) * np.diag(norms**2), p * X.T @ y)
    Gamma = disc05.tikhonov_gamma(X, p)
    w_tikhonov = np.linalg.solve(X.T @ X + Gamma.T @ Gamma, X.T @ y)
    assert relative_error(disc05.dropout_to_tikhonov(w_check, p), w_tikhonov) < 1e-12


@pytest.mark.parametrize("seed", (0, 1, 2))
def test_ridge_on_the_changed_data_matrix_solves_tikhonov_for_any_invertible_gamma(
    seed: int,
) -> None:
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(9, 4)), rng.normal(size=9)
    Gamma = rng.normal(size=(4, 4)) + 3 * np.eye(4)  # not diagonal
    w_tikhonov = np.linalg.solve(X.T @ X + Gamma.T @ Gamma, X.T @ y)
    X_tilde = disc05.ridge_data_matrix(X, Gamma)
    w_tilde = np.linalg.solve(X_tilde.T @ X_tilde + np.eye(4), X_tilde.T @ y)  # lambda = 1
    assert relative_error(np.linalg.solve(Gamma, w_tilde), w_tikhonov) < 1e-12
    assert relative_error(X_tilde @ Gamma, X) < 1e-14


def test_every_column_of_the_changed_matrix_has_the_same_norm_symbolically() -> None:
    # p = 1/(1+q) with q > 0 tells sympy that 0 < p < 1.
    q = sympy.Symbol("q", positive=True)
    p = 1 / (1 + q)
    norm_j = sympy.Symbol("n_j", positive=True)
    gamma_j = sympy.sqrt((1 - p) / p) * norm_j  # Gamma's j-th diagonal entry
    column_norm = norm_j / gamma_j  # X~ = X Gamma^-1 divides column j by gamma_j
    reference = disc05.equal_column_norm.subs(disc05.p, p)
    assert sympy.simplify(column_norm - reference) == 0


@pytest.mark.parametrize("p", (0.1, 0.5, 0.8))
def test_every_column_of_the_changed_matrix_has_the_same_norm_numerically(p: float) -> None:
    X, _, _, _ = _dropout_problem(3)
    X_tilde = disc05.ridge_data_matrix(X, disc05.tikhonov_gamma(X, p))
    expected = float(disc05.equal_column_norm.subs(disc05.p, p))
    assert np.allclose(disc05.column_norms(X_tilde), expected, rtol=1e-13)


# --- disc06: ridge as MAP --------------------------------------------------------------


def test_ridge_lambda_is_noise_variance_over_prior_variance() -> None:
    x, y, w, lam = sympy.symbols("x y w lambda", real=True)
    sigma, tau = sympy.symbols("sigma tau", positive=True)
    # Negative log posterior of y ~ N(x w, sigma^2) with the prior w ~ N(0, tau^2).
    neg_log_posterior = (y - x * w) ** 2 / (2 * sigma**2) + w**2 / (2 * tau**2)
    w_map = sympy.solve(sympy.diff(neg_log_posterior, w), w)[0]
    w_ridge = sympy.solve(sympy.diff((y - x * w) ** 2 + lam * w**2, w), w)[0]
    (lam_map,) = sympy.solve(sympy.Eq(w_map, w_ridge), lam)
    reference = disc06.ridge_lambda.subs({disc06.sigma: sigma, disc06.tau: tau})
    assert sympy.simplify(lam_map - reference) == 0
    assert disc06.RIDGE_PRIOR == "gaussian" and disc06.RIDGE_PRIOR in disc06.RIDGE_PRIOR_OPTIONS


def test_inductive_bias_table_is_battaglia_table_1_and_offers_wrong_options() -> None:
    table = disc06.INDUCTIVE_BIAS_TABLE
    assert tuple(table) == disc06.INDUCTIVE_BIAS_ROWS
    assert table["convolutional"]["invariance"] == "spatial translation"
    assert table["recurrent"]["inductive_bias"] == "sequentiality"
    for column, options in disc06.INDUCTIVE_BIAS_OPTIONS.items():
        right = {table[row][column] for row in table}
        assert right < set(options), column  # every right answer shown, plus wrong ones
