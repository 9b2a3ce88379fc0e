"""Symbolic checks: decide whether a student's expression equals the reference on a domain.

``check_expression`` reads a student's string with ``autograder.expressions``
(never ``eval`` or ``sympify``), matches symbols by name, lets random points of
the domain decide, and gives ``simplify`` the last word when they disagree. A
wrong expression's feedback shows a point where the two differ (simple
coordinates such as x = 1 when one will do) with both values there. An
infinite or undefined answer (``oo``, ``zoo``, ``nan``) is named as such.
It runs in a forked child process that is killed when the time limit is hit.
"""

from __future__ import annotations

import itertools
import math
import numbers
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any

import mpmath  # type: ignore[import-untyped,unused-ignore]  # ships with sympy, no stubs
import numpy as np
import sympy
from sympy.core.function import AppliedUndef

from autograder.checks.numeric import describe, missing_answer
from autograder.checks.result import CheckResult
from autograder.child import Child, Ended, Reply
from autograder.expressions import NOT_FINITE, ExpressionSyntaxError, parse_expression

# An open interval (low, high) per symbol name; the bounds may be ±inf.
Interval = tuple[float, float]
REAL: Interval = (-math.inf, math.inf)
POSITIVE: Interval = (0.0, math.inf)
UNIT_INTERVAL: Interval = (0.0, 1.0)

DEFAULT_TIME_LIMIT = 10.0
SAMPLE_POINTS = 40
MIN_POINTS = 10
# Points are evaluated with 30 significant digits, so equivalent forms agree to
# ~1e-25; a wrong expression differs by far more than 1e-8 almost everywhere.
POINT_RTOL = 1e-8
_DIGITS = 30


def check_expression(
    student: object,
    reference: sympy.Expr,
    *,
    domain: Mapping[str, Interval],
    name: str = "your expression",
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> CheckResult:
    """Is ``student`` (a sympy expression, a number or a string) equal to ``reference``
    for every point of ``domain`` (an open interval per symbol name)?"""
    unknown = sorted(_name(s) for s in reference.free_symbols if _name(s) not in domain)
    if unknown:
        raise ValueError(f"the domain gives no interval for {', '.join(unknown)}")
    missing = missing_answer(student, name)
    if missing is not None:
        return missing
    if isinstance(student, (bool, np.bool_)) or not isinstance(
        student, (str, sympy.Basic, numbers.Number, np.number)
    ):
        return CheckResult.fail(
            "type", f"{name} is {describe(student)}, expected a sympy expression"
        )
    return _within_time_limit(
        lambda report: _compare(student, reference, dict(domain), name, report),
        time_limit,
        undecided=CheckResult.fail(
            "timeout",
            f"could not decide in {time_limit:g} s whether {name} is right: "
            "try a simpler form of it",
        ),
    )


def describe_domain(domain: Mapping[str, Interval]) -> str:
    parts = []
    for symbol, (low, high) in domain.items():
        if low == -math.inf and high == math.inf:
            parts.append(f"{symbol} real")
        elif high == math.inf:
            parts.append(f"{symbol} > {low:g}")
        elif low == -math.inf:
            parts.append(f"{symbol} < {high:g}")
        else:
            parts.append(f"{low:g} < {symbol} < {high:g}")
    return ", ".join(parts)


# --- the comparison, run in the child -------------------------------------------------

# Sends a provisional verdict to the parent before starting on something slow.
Report = Callable[[CheckResult], None]


def _compare(
    student: object,
    reference: sympy.Expr,
    domain: dict[str, Interval],
    name: str,
    report: Report,
) -> CheckResult:
    expression = _as_expression(student, name)
    if isinstance(expression, CheckResult):
        return expression
    symbols = {
        symbol: sympy.Symbol(symbol, real=True, positive=True if low >= 0 else None)
        for symbol, (low, high) in domain.items()
    }
    foreign = sorted({_name(s) for s in expression.free_symbols} - set(symbols))
    if foreign:
        allowed = ", ".join(symbols)
        return CheckResult.fail(
            "symbols",
            f"{name} uses {', '.join(foreign)}, which the answer cannot depend on "
            f"(it may use only {allowed})",
        )
    undefined = sorted(str(f.func) for f in expression.atoms(AppliedUndef))
    if undefined:
        return CheckResult.fail(
            "symbols", f"{name} uses the undefined function(s) {', '.join(undefined)}"
        )
    ours = _rename(expression, symbols)
    theirs = _rename(reference, symbols)
    if ours == theirs:
        return CheckResult.ok(error=0.0)
    by_points = _compare_at_points(ours, theirs, symbols, domain, name)
    if by_points.passed:
        return by_points
    by_points = _noting_not_finite(by_points, ours, name)
    # Points can disagree through loss of precision; simplify gets the last word,
    # and if it runs out of time the points' verdict stands.
    report(by_points)
    if sympy.simplify(ours - theirs) == 0:
        return CheckResult.ok(error=0.0)
    return by_points


def _noting_not_finite(result: CheckResult, expression: sympy.Expr, name: str) -> CheckResult:
    """``result``, saying why the points found ``expression`` undefined: it holds oo, nan..."""
    held = " and ".join(sorted({str(atom) for atom in NOT_FINITE if expression.has(atom)}))
    if not held:
        return result
    note = f"{name} contains {held}, which is not a finite number"
    return replace(result, message=f"{result.message} ({note})")


def _as_expression(student: object, name: str) -> sympy.Expr | CheckResult:
    if isinstance(student, str):
        try:
            return parse_expression(student)
        except ExpressionSyntaxError as error:
            return CheckResult.fail("syntax", f"{name} cannot be read: {error}")
    if isinstance(student, (numbers.Integral, np.integer)):
        return sympy.Integer(int(student))
    if isinstance(student, (numbers.Real, np.floating)):
        return sympy.Float(float(student))
    if isinstance(student, sympy.Expr):
        return student.doit()
    if isinstance(student, sympy.core.relational.Relational):
        return CheckResult.fail("type", f"{name} is an equation, expected an expression")
    return CheckResult.fail("type", f"{name} is {describe(student)}, expected a sympy expression")


def _rename(expression: sympy.Expr, symbols: Mapping[str, sympy.Symbol]) -> sympy.Expr:
    """Our symbols, by name, whatever assumptions the student's carried."""
    mapping = {s: symbols[_name(s)] for s in expression.free_symbols}
    renamed: sympy.Expr = expression.xreplace(mapping)
    return renamed


def _name(symbol: sympy.Basic) -> str:
    """The name the student gave a symbol (``str`` would print a Dummy as ``_x``)."""
    return str(getattr(symbol, "name", symbol))


def _compare_at_points(
    ours: sympy.Expr,
    theirs: sympy.Expr,
    symbols: Mapping[str, sympy.Symbol],
    domain: Mapping[str, Interval],
    name: str,
) -> CheckResult:
    # A fixed seed: the same answer always gets the same verdict.
    rng = np.random.default_rng(20240518)
    used = ours.free_symbols | theirs.free_symbols
    count = SAMPLE_POINTS if used else 1
    compared = differing = 0
    largest = 0.0
    first_difference: Difference | None = None
    for _ in range(count):
        point = {
            symbol: sympy.Float(_sample(rng, domain[str(symbol)]), _DIGITS)
            for symbol in symbols.values()
            if symbol in used
        }
        difference = _difference_at(ours, theirs, point)
        if difference is None:
            continue
        compared += 1
        largest = max(largest, difference.gap)
        if difference.gap > POINT_RTOL:
            differing += 1
            first_difference = first_difference or difference
    if compared < min(MIN_POINTS, count):
        return CheckResult.fail(
            "points", f"{name} could not be evaluated on enough points of {describe_domain(domain)}"
        )
    if first_difference is None:
        return CheckResult.ok(error=largest)
    example = _simple_counterexample(ours, theirs, used, domain) or first_difference
    return CheckResult.fail(
        "close",
        f"{name} is not equivalent to the right expression for {describe_domain(domain)}: "
        f"it differs at {differing} of {compared} random points "
        f"(largest relative difference {largest:.1e}); for example at {example.where()}, "
        f"{name} is {example.ours()} and the right expression is {example.theirs()}",
        error=largest,
    )


@dataclass(frozen=True)
class Difference:
    """The two expressions at one point: the student's value, the reference's, their gap.

    A value is None where its expression is undefined (or not finite) at the point.
    """

    point: Mapping[sympy.Symbol, sympy.Float]
    student: Any
    reference: Any
    gap: float

    def where(self) -> str:
        if not self.point:
            return "any point"
        return ", ".join(
            f"{_name(symbol)} = {float(value):.6g}"
            for symbol, value in sorted(self.point.items(), key=lambda item: _name(item[0]))
        )

    def ours(self) -> str:
        return _shown(self.student)

    def theirs(self) -> str:
        return _shown(self.reference)


def _shown(value: Any) -> str:
    if value is None:
        return "undefined"
    if isinstance(value, mpmath.mpc) and value.imag != 0:
        return f"not real: {mpmath.nstr(value, 6)}"
    return f"{float(mpmath.re(value)):.6g}"


def _difference_at(
    ours: sympy.Expr, theirs: sympy.Expr, point: Mapping[sympy.Symbol, sympy.Float]
) -> Difference | None:
    """Both values at ``point``; None where neither expression is defined."""
    with mpmath.workdps(_DIGITS):
        a, b = _evaluate(ours, point), _evaluate(theirs, point)
        if a is None and b is None:
            return None
        gap = 1.0 if a is None or b is None else _relative_gap(a, b)
    return Difference(dict(point), a, b, gap)


# Coordinates a student can check by hand, tried before any random point is shown.
_SIMPLE_VALUES = (1.0, 2.0, 0.5, -1.0, 0.25, 0.75, -2.0, 3.0, 0.1, 0.9)
_SIMPLE_POINTS = 50


def _simple_counterexample(
    ours: sympy.Expr,
    theirs: sympy.Expr,
    used: set[sympy.Basic],
    domain: Mapping[str, Interval],
) -> Difference | None:
    """A point with simple coordinates where the expressions differ, if one is found."""
    ordered = sorted((s for s in used if isinstance(s, sympy.Symbol)), key=_name)
    choices = [
        [v for v in _SIMPLE_VALUES if domain[_name(s)][0] < v < domain[_name(s)][1]]
        for s in ordered
    ]
    for values in itertools.islice(itertools.product(*choices), _SIMPLE_POINTS):
        point = {s: sympy.Float(v, _DIGITS) for s, v in zip(ordered, values, strict=True)}
        difference = _difference_at(ours, theirs, point)
        if difference is not None and difference.gap > POINT_RTOL:
            return difference
    return None


def _sample(rng: np.random.Generator, interval: Interval) -> float:
    low, high = interval
    if math.isinf(low) and math.isinf(high):
        return float(rng.uniform(-6.0, 6.0))
    spread = float(10.0 ** rng.uniform(-1.5, 1.5))
    if math.isinf(high):
        return low + spread
    if math.isinf(low):
        return high - spread
    margin = 0.01 * (high - low)
    return float(rng.uniform(low + margin, high - margin))


def _evaluate(expression: sympy.Expr, point: Mapping[sympy.Symbol, sympy.Float]) -> Any:
    """The value at ``point`` as an mpmath number of _DIGITS digits, None where undefined."""
    value = expression.evalf(_DIGITS, subs=dict(point))
    if not value.is_number:
        return None
    try:
        number = value._to_mpmath(mpmath.mp.prec)
    except (TypeError, ValueError, AttributeError):
        return None
    return number if mpmath.isfinite(number) else None


def _relative_gap(a: Any, b: Any) -> float:
    scale = max(abs(a), abs(b))
    return 0.0 if scale == 0 else float(abs(a - b) / scale)


# --- the time limit ---------------------------------------------------------------------


def _within_time_limit(
    task: Callable[[Report], CheckResult], time_limit: float, *, undecided: CheckResult
) -> CheckResult:
    """Run ``task`` in a forked child, killed after ``time_limit`` seconds.

    The task returns its verdict and may report provisional ones before: the
    last verdict that arrives in time wins, ``undecided`` if none does.
    """
    child = Child.forked(lambda _, replies: _child(task, replies), name="check_expression")
    child.allow(time_limit)
    verdict = undecided
    try:
        while isinstance(outcome := child.receive(), Reply):
            final, verdict = outcome.message
            if final:
                break
        if isinstance(outcome, Ended) and verdict is undecided:
            verdict = CheckResult.fail("error", "the check of the expression crashed")
    finally:
        child.kill()
    return verdict


def _child(task: Callable[[Report], CheckResult], sender: Connection) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            verdict = task(lambda provisional: sender.send((False, provisional)))
    except Exception as error:  # whatever sympy does with a hostile expression
        verdict = CheckResult.fail(
            "error", f"the expression could not be evaluated ({type(error).__name__})"
        )
    sender.send((True, verdict))
    sender.close()
