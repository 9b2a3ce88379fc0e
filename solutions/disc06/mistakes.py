"""disc06's known mistakes: the prior behind ridge, and the LSTM step forward and backward.

``CATALOG`` lists the value answers' mistakes by helper (the variant returns the
mistaken option or expression). Every LSTM mistake is one step of ``LSTMRules``
done wrong; its variant computes all eight outputs of the step (h, c and the six
gradients) on an ``LSTMProblem``, so a student's output can be matched credit by
credit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from autograder.hidden import Misconception, run_variant, same_values

import reference
from lstm import LSTMProblem
from reference import sigmoid

FloatArray = npt.NDArray[np.float64]
Gates = dict[str, FloatArray]


CATALOG: dict[str, tuple[Misconception, ...]] = {
    "ridge_prior": (
        Misconception(
            "prior_laplace",
            "the Laplace prior",
            "the log-density of a Laplace prior is linear in |w|, which gives the L1 penalty "
            "of the lasso; a squared penalty needs a log-density quadratic in w",
            lambda: "laplace",
        ),
        Misconception(
            "prior_uniform",
            "the uniform prior",
            "a uniform prior has a constant log-density and adds no penalty at all",
            lambda: "uniform",
        ),
    ),
    "ridge_lambda": (
        Misconception(
            "lambda_inverted",
            "tau**2/sigma**2, the ratio upside down",
            "write the negative log-posterior and divide it by the factor of the squared error: λ is what then multiplies ‖w‖²",
            lambda: reference.tau**2 / reference.sigma**2,
            answer="‖y - Xw‖²/(2 sigma**2) + ‖w‖²/(2 tau**2)",
        ),
        Misconception(
            "lambda_not_squared",
            "sigma/tau, a ratio of standard deviations",
            "λ is a ratio of variances",
            lambda: reference.sigma / reference.tau,
        ),
    ),
}


def _row_of(row: str, other: str) -> Misconception:
    network, other_network = (name.replace("_", " ") for name in (row, other))
    return Misconception(
        f"{row}_row_holds_{other}",
        f"the entries of the {other_network} network's row",
        f"ask of a {network} network what its inputs are, which of them interact, what it is "
        "invariant to and what that makes its inductive bias",
        lambda: reference.INDUCTIVE_BIAS_TABLE[other],
    )


# Rows of the inductive-bias table filled in with another network's entries (rows swapped).
TABLE_ROWS: dict[str, tuple[Misconception, ...]] = {
    row: tuple(_row_of(row, other) for other in reference.INDUCTIVE_BIAS_ROWS if other != row)
    for row in reference.INDUCTIVE_BIAS_ROWS
}


def _hidden(o: FloatArray, c: FloatArray) -> FloatArray:
    return o * np.tanh(c)


def _cell_gradient(dh: FloatArray, dc_next: FloatArray, o: FloatArray, t: FloatArray) -> FloatArray:
    return dc_next + dh * o * (1 - t**2)


def _forget_gradient(dc: FloatArray, c_prev: FloatArray, c: FloatArray) -> FloatArray:
    return dc * c_prev


def _output_gradient(dh: FloatArray, t: FloatArray, c: FloatArray) -> FloatArray:
    return dh * t


def _local_derivatives(i: FloatArray, f: FloatArray, o: FloatArray, g: FloatArray) -> Gates:
    return {"i": i * (1 - i), "f": f * (1 - f), "o": o * (1 - o), "g": 1 - g**2}


def _cell_prev_gradient(dc: FloatArray, dc_next: FloatArray, f: FloatArray) -> FloatArray:
    return dc * f


def _weight_gradient(inputs: FloatArray, da: FloatArray) -> FloatArray:
    return np.asarray(inputs.T @ da)


def _bias_gradient(da: FloatArray) -> FloatArray:
    return np.asarray(da.sum(axis=0))


@dataclass(frozen=True)
class LSTMRules:
    """One LSTM step, step by step; the defaults are right (CONTENT.md)."""

    gate_order: str = "ifog"
    hidden: Callable[[FloatArray, FloatArray], FloatArray] = _hidden
    cell_gradient: Callable[[FloatArray, FloatArray, FloatArray, FloatArray], FloatArray] = (
        _cell_gradient
    )
    forget_gradient: Callable[[FloatArray, FloatArray, FloatArray], FloatArray] = _forget_gradient
    output_gradient: Callable[[FloatArray, FloatArray, FloatArray], FloatArray] = _output_gradient
    local_derivatives: Callable[[FloatArray, FloatArray, FloatArray, FloatArray], Gates] = (
        _local_derivatives
    )
    cell_prev_gradient: Callable[[FloatArray, FloatArray, FloatArray], FloatArray] = (
        _cell_prev_gradient
    )
    weight_x_gradient: Callable[[FloatArray, FloatArray], FloatArray] = _weight_gradient
    weight_h_gradient: Callable[[FloatArray, FloatArray], FloatArray] = _weight_gradient
    bias_gradient: Callable[[FloatArray], FloatArray] = _bias_gradient

    def outputs(self, problem: LSTMProblem) -> dict[str, FloatArray]:
        """h, c and the six gradients of the loss Σ dh⊙h + Σ dc_next⊙c, by name."""
        x, h_prev, c_prev, Wx, Wh, b = problem.inputs()
        dh, dc_next = problem.dh, problem.dc_next
        width = h_prev.shape[1]
        a = x @ Wx + h_prev @ Wh + b
        block = {gate: a[:, k * width : (k + 1) * width] for k, gate in enumerate(self.gate_order)}
        i, f, o, g = (
            sigmoid(block["i"]),
            sigmoid(block["f"]),
            sigmoid(block["o"]),
            np.tanh(block["g"]),
        )
        c = f * c_prev + i * g
        t = np.tanh(c)
        dc = self.cell_gradient(dh, dc_next, o, t)
        upstream = {
            "i": dc * g,
            "f": self.forget_gradient(dc, c_prev, c),
            "o": self.output_gradient(dh, t, c),
            "g": dc * i,
        }
        local = self.local_derivatives(i, f, o, g)
        da = np.concatenate([upstream[k] * local[k] for k in self.gate_order], axis=1)
        return {
            "h": self.hidden(o, c),
            "c": c,
            "dx": da @ Wx.T,
            "dh_prev": da @ Wh.T,
            "dc_prev": self.cell_prev_gradient(dc, dc_next, f),
            "dWx": self.weight_x_gradient(x, da),
            "dWh": self.weight_h_gradient(h_prev, da),
            "db": self.bias_gradient(da),
        }


RIGHT = LSTMRules()


def _mistake(
    name: str,
    title: str,
    fix: str,
    rules: LSTMRules,
    example: tuple[tuple[str, str], ...] = (),
    answer: str = "",
) -> Misconception:
    return Misconception(name, title, fix, rules.outputs, example=example, answer=answer)


LSTM_MISTAKES: tuple[Misconception, ...] = (
    _mistake(
        "dc_without_path_through_h",
        "dc = dc_next, without the path through h",
        "c also reaches the loss through h = o⊙tanh(c)",
        replace(RIGHT, cell_gradient=lambda dh, dc_next, o, t: dc_next),
        answer="dc adds dh⊙o⊙(1 - tanh²(c)) to dc_next",
    ),
    _mistake(
        "dc_without_dc_next",
        "dc without the upstream dc_next",
        "c reaches the loss directly as well as through h, so dc starts from dc_next",
        replace(RIGHT, cell_gradient=lambda dh, dc_next, o, t: dh * o * (1 - t**2)),
    ),
    _mistake(
        "tanh_derivative_one_minus_t",
        "(1 - tanh(c)) for the derivative of tanh in dc",
        "check the derivative of tanh",
        replace(RIGHT, cell_gradient=lambda dh, dc_next, o, t: dc_next + dh * o * (1 - t)),
        answer="tanh'(c) = 1 - tanh²(c), with the tanh squared",
    ),
    _mistake(
        "dc_without_output_gate",
        "dc without the output gate o",
        "h = o⊙tanh(c), so the path from h to c passes through the output gate",
        replace(RIGHT, cell_gradient=lambda dh, dc_next, o, t: dc_next + dh * (1 - t**2)),
        answer="it is scaled by o",
    ),
    _mistake(
        "sigmoid_derivative_on_g",
        "the sigmoid derivative g(1 - g) on the g gate",
        "g is a tanh, not a sigmoid",
        replace(
            RIGHT,
            local_derivatives=lambda i, f, o, g: {
                **_local_derivatives(i, f, o, g),
                "g": g * (1 - g),
            },
        ),
        answer="its local derivative is 1 - g²",
    ),
    _mistake(
        "tanh_derivative_on_sigmoid_gates",
        "the tanh derivative 1 - s² on the sigmoid gates i, f, o",
        "i, f and o are sigmoids, not tanh",
        replace(
            RIGHT,
            local_derivatives=lambda i, f, o, g: {
                "i": 1 - i**2,
                "f": 1 - f**2,
                "o": 1 - o**2,
                "g": 1 - g**2,
            },
        ),
        answer="their local derivative is s(1 - s)",
    ),
    _mistake(
        "gate_order_ifgo",
        "the gates taken in the order i, f, g, o",
        "the blocks of H columns of a = x Wx + h_prev Wh + b follow the gate order of lstm_step_forward",
        replace(RIGHT, gate_order="ifgo"),
        answer="i, f, o, g (in lstm_step_forward, and so in da)",
    ),
    _mistake(
        "forget_gradient_uses_c",
        "df computed with the new cell state c",
        "in c = f⊙c_prev + i⊙g, f multiplies the previous cell state",
        replace(RIGHT, forget_gradient=lambda dc, c_prev, c: dc * c),
        answer="the gradient of f is dc⊙c_prev",
    ),
    _mistake(
        "output_gradient_uses_c",
        "do = dh⊙c, without the tanh",
        "in h = o⊙tanh(c), o multiplies tanh(c), not c",
        replace(RIGHT, output_gradient=lambda dh, t, c: dh * c),
        answer="the gradient of o is dh⊙tanh(c)",
    ),
    _mistake(
        "dc_prev_without_forget_gate",
        "the gradient without the forget gate",
        "c = f⊙c_prev + i⊙g, so the gradient must pass through the forget gate to reach c_prev",
        replace(RIGHT, cell_prev_gradient=lambda dc, dc_next, f: dc),
        example=(("dc_prev = dc * f", "dc_prev = dc"),),
        answer="dc_prev = dc⊙f",
    ),
    _mistake(
        "dc_prev_from_dc_next",
        "dc_next⊙f, without the path through h",
        "dc_prev flows from the whole cell gradient dc",
        replace(RIGHT, cell_prev_gradient=lambda dc, dc_next, f: dc_next * f),
        answer="dc is dc_next plus the path through h = o⊙tanh(c)",
    ),
    _mistake(
        "db_averaged",
        "db averaged over the batch",
        "the loss adds up the batch",
        replace(RIGHT, bias_gradient=lambda da: da.mean(axis=0)),
        example=(("db = da.sum(axis=0)", "db = da.mean(axis=0)"),),
        answer="db is the sum of da over the batch, not its mean",
    ),
    _mistake(
        "dWh_divided_by_batch",
        "dWh divided by the batch size",
        "the loss adds up the batch",
        replace(RIGHT, weight_h_gradient=lambda h_prev, da: h_prev.T @ da / len(h_prev)),
        answer="dWh = h_prevᵀ da with no 1/N",
    ),
    _mistake(
        "dWx_transposed",
        "dWx transposed (daᵀ x)",
        "dWx has the shape of Wx, (D, 4H)",
        replace(RIGHT, weight_x_gradient=lambda x, da: da.T @ x),
        answer="dWx = xᵀ da",
    ),
    _mistake(
        "hidden_without_tanh",
        "h = o⊙c, without the tanh of the cell state",
        "the cell state is squashed before the output gate",
        replace(RIGHT, hidden=lambda o, c: o * c),
        answer="h = o⊙tanh(c)",
    ),
)


def recognize_lstm(
    output: str, student: Mapping[str, object], problem: LSTMProblem
) -> tuple[Misconception, ...]:
    """The mistakes whose ``output`` (h, c or a gradient) on ``problem`` is the student's.

    One output can match several mistakes (dc_prev = dc_next⊙f is what both a
    missing path through h in dc and in dc_prev give): the mistakes that also
    explain most of the student's other outputs are the ones named.
    """
    ranked: list[tuple[int, Misconception]] = []
    for mistake in LSTM_MISTAKES:
        mistaken = run_variant(mistake.variant, problem)
        if mistaken is None or not isinstance(mistaken.value, dict):
            continue
        outputs = mistaken.value
        if not same_values(student[output], outputs[output]):
            continue
        agreement = sum(same_values(value, outputs[name]) for name, value in student.items())
        ranked.append((agreement, mistake))
    best = max((agreement for agreement, _ in ranked), default=0)
    return tuple(mistake for agreement, mistake in ranked if agreement == best)
