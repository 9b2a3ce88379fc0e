"""disc06 answers other than the LSTM: the ridge prior, lambda, the inductive-bias table."""

from __future__ import annotations

import copy

import sympy
from course import course

INDUCTIVE_BIAS_TABLE = course("disc06", "reference").INDUCTIVE_BIAS_TABLE

sigma = sympy.Symbol("sigma")
tau = sympy.Symbol("tau")
sigma_positive = sympy.Symbol("sigma", positive=True)
tau_positive = sympy.Symbol("tau", positive=True)

RIDGE_PRIOR_RIGHT = ("gaussian", "Gaussian ", " GAUSSIAN")
RIDGE_PRIOR_WRONG = ("laplace", "uniform", "normal", "gaussian prior", None, ..., 1)

RIDGE_LAMBDA_RIGHT = (
    sigma**2 / tau**2,
    (sigma / tau) ** 2,
    sigma_positive**2 / tau_positive**2,
    sigma**2 * tau**-2,
    "sigma**2/tau**2",
    "(sigma/tau)^2",
)
RIDGE_LAMBDA_WRONG = (
    tau**2 / sigma**2,
    sigma / tau,
    sigma**2,
    sympy.Integer(1),
    "sigma**2/t**2",
)


def table_right_loosely() -> dict[str, dict[str, str]]:
    """Right, written with other case and spaces."""
    return {
        row: {key: f"  {value.upper()} " for key, value in entries.items()}
        for row, entries in INDUCTIVE_BIAS_TABLE.items()
    }


def table_with(row: str, **changes: object) -> dict[str, dict[str, object]]:
    """The right table with some entries of one row replaced (None deletes the key)."""
    table: dict[str, dict[str, object]] = {
        name: dict(entries) for name, entries in INDUCTIVE_BIAS_TABLE.items()
    }
    for key, value in changes.items():
        if value is None:
            del table[row][key]
        else:
            table[row][key] = value
    return table


def table_with_rows_swapped() -> dict[str, dict[str, str]]:
    """Mistake: the convolutional and recurrent rows exchanged."""
    table = copy.deepcopy(INDUCTIVE_BIAS_TABLE)
    table["convolutional"], table["recurrent"] = table["recurrent"], table["convolutional"]
    return table
