"""Symbolic checks: read an expression safely, decide equivalence on a domain.

``parse_expression`` turns text into a sympy expression with a hand-written
parser for a small whitelist grammar; the text is never handed to ``eval``,
``sympify`` or ``parse_expr``. The grading sandbox uses it to decode the sympy
answers a student process sends as text.

``check_expression`` decides whether a student's expression equals the
reference on the problem's domain: symbols are matched by name, random points
of the domain decide, and ``simplify`` gets the last word when they disagree.
A wrong expression's feedback shows a point where the two differ (simple
coordinates such as x = 1 when one will do) with both values there.
It runs in a forked child process that is killed when the time limit is hit.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import numbers
import re
import time
import warnings
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import mpmath  # type: ignore[import-untyped,unused-ignore]  # ships with sympy, no stubs
import numpy as np
import sympy
from sympy.core.function import AppliedUndef

from autograder.checks.numeric import describe, missing_answer
from autograder.checks.result import CheckResult

# Bounds on what the parser accepts, so that no text can make sympy work for long
# while the expression is being built: sympy evaluates numeric powers eagerly.
MAX_LENGTH = 2000
MAX_DEPTH = 50
MAX_EXPONENT = 100
MAX_INTEGER_BITS = 100_000
MAX_ARGUMENT = 1000.0

FUNCTIONS: dict[str, Callable[[sympy.Expr], sympy.Expr]] = {
    "exp": sympy.exp,
    "log": sympy.log,
    "sqrt": sympy.sqrt,
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "sinh": sympy.sinh,
    "cosh": sympy.cosh,
    "tanh": sympy.tanh,
    "Abs": sympy.Abs,
}
CONSTANTS: dict[str, sympy.Expr] = {"E": sympy.E, "pi": sympy.pi}

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


class ExpressionSyntaxError(ValueError):
    """Text that is not an expression of the whitelist grammar; ``position`` is 0-based."""

    def __init__(self, message: str, position: int) -> None:
        self.reason = message
        self.position = position
        super().__init__(f"{message} at position {position}")


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name" or "op"
    text: str
    position: int


_TOKEN = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/^()])"
)


def _tokenize(text: str) -> list[_Token]:
    tokens = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ExpressionSyntaxError(f"unexpected character {text[position]!r}", position)
        kind = match.lastgroup
        assert kind is not None
        if kind != "space":
            tokens.append(_Token(kind, match.group(), position))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent with Python's precedence: ``-x**2`` is ``-(x**2)``, ``**`` is right
    associative, ``2**-1`` is allowed. ``^`` is a synonym of ``**``.

    expression := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := ("+" | "-") unary | power
    power      := atom (("**" | "^") unary)?
    atom       := number | constant | symbol | function "(" expression ")" | "(" expression ")"
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._tokens = _tokenize(text)
        self._index = 0
        self._depth = 0

    def parse(self) -> sympy.Expr:
        if not self._tokens:
            raise ExpressionSyntaxError("empty expression", 0)
        expression = self._expression()
        if self._index < len(self._tokens):
            token = self._tokens[self._index]
            raise ExpressionSyntaxError(f"unexpected {token.text!r}", token.position)
        return expression

    def _peek(self) -> _Token | None:
        return self._tokens[self._index] if self._index < len(self._tokens) else None

    def _next(self) -> _Token:
        token = self._peek()
        if token is None:
            raise ExpressionSyntaxError("unexpected end of expression", len(self._text))
        self._index += 1
        return token

    def _accept(self, *ops: str) -> _Token | None:
        token = self._peek()
        if token is not None and token.kind == "op" and token.text in ops:
            self._index += 1
            return token
        return None

    @contextmanager
    def _nested(self, position: int) -> Any:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise ExpressionSyntaxError(f"nested more than {MAX_DEPTH} levels deep", position)
        try:
            yield
        finally:
            self._depth -= 1

    def _expression(self) -> sympy.Expr:
        result = self._term()
        while operator := self._accept("+", "-"):
            right = self._term()
            result = result + right if operator.text == "+" else result - right
        return result

    def _term(self) -> sympy.Expr:
        result = self._unary()
        while operator := self._accept("*", "/"):
            right = self._unary()
            result = result * right if operator.text == "*" else result / right
        return result

    def _unary(self) -> sympy.Expr:
        operator = self._accept("+", "-")
        if operator is None:
            return self._power()
        with self._nested(operator.position):
            operand = self._unary()
        return -operand if operator.text == "-" else operand

    def _power(self) -> sympy.Expr:
        base = self._atom()
        operator = self._accept("**", "^")
        if operator is None:
            return base
        with self._nested(operator.position):
            exponent = self._unary()
        return _bounded_power(base, exponent, operator.position)

    def _atom(self) -> sympy.Expr:
        token = self._next()
        if token.kind == "number":
            return _number(token)
        if token.kind == "name":
            return self._named(token)
        if token.text == "(":
            with self._nested(token.position):
                inner = self._expression()
            self._expect_closing(token)
            return inner
        raise ExpressionSyntaxError(f"unexpected {token.text!r}", token.position)

    def _named(self, token: _Token) -> sympy.Expr:
        opening = self._accept("(")
        if opening is None:
            if token.text in FUNCTIONS:
                raise ExpressionSyntaxError(
                    f"{token.text} is a function: write {token.text}(...)", token.position
                )
            if token.text in CONSTANTS:
                return CONSTANTS[token.text]
            return sympy.Symbol(token.text)
        if token.text not in FUNCTIONS:
            allowed = ", ".join(FUNCTIONS)
            raise ExpressionSyntaxError(
                f"unknown function {token.text!r} (allowed: {allowed})", token.position
            )
        with self._nested(opening.position):
            argument = self._expression()
        self._expect_closing(opening)
        return _bounded_call(token.text, argument, token.position)

    def _expect_closing(self, opening: _Token) -> None:
        if self._accept(")") is None:
            raise ExpressionSyntaxError("unclosed '('", opening.position)


def _number(token: _Token) -> sympy.Expr:
    if token.text.isdigit():
        return sympy.Integer(int(token.text))
    return sympy.Float(token.text, max(15, len(token.text)))


def _magnitude(value: sympy.Expr) -> float:
    """|value| for a constant expression; cheap because every constant the parser lets
    through has bounded size (see the bounds on exponents and function arguments)."""
    try:
        return abs(complex(value.evalf(15)))
    except (TypeError, ValueError, OverflowError):
        return math.inf


def _bounded_power(base: sympy.Expr, exponent: sympy.Expr, position: int) -> sympy.Expr:
    if exponent.is_number:
        size = _magnitude(exponent)
        if not size <= MAX_EXPONENT:
            raise ExpressionSyntaxError(
                f"exponent too large (at most {MAX_EXPONENT} in absolute value)", position
            )
        if isinstance(base, sympy.Rational):
            bits = max(int(base.p).bit_length(), int(base.q).bit_length())
            if bits * size > MAX_INTEGER_BITS:
                raise ExpressionSyntaxError("number too large", position)
    result: sympy.Expr = base**exponent
    return result


def _bounded_call(name: str, argument: sympy.Expr, position: int) -> sympy.Expr:
    # sympy evaluates constant subexpressions while building (to learn their sign,
    # say); exp(exp(exp(100))) would take forever, so constant arguments are bounded.
    if argument.is_number and not _magnitude(argument) <= MAX_ARGUMENT:
        raise ExpressionSyntaxError(
            f"constant argument of {name} too large (at most {MAX_ARGUMENT:g} in absolute value)",
            position,
        )
    return FUNCTIONS[name](argument)


def parse_expression(text: str) -> sympy.Expr:
    """Read ``text`` (as sympy's ``str`` prints expressions) into a sympy expression.

    Grammar: numbers (``2``, ``0.25``, ``1.0e-5``), symbols (any other name),
    the functions exp log sqrt sin cos tan sinh cosh tanh Abs, the constants
    E and pi, ``+ - * / ** ^``, unary minus and parentheses. Anything else,
    and text longer than MAX_LENGTH, nested deeper than MAX_DEPTH, with an
    exponent above MAX_EXPONENT or a function of a constant above MAX_ARGUMENT,
    raises ExpressionSyntaxError. The bounds keep the time to build the result
    small whatever the text.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_expression reads a str, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionSyntaxError(f"expression longer than {MAX_LENGTH} characters", MAX_LENGTH)
    return _Parser(text).parse()


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
    # Points can disagree through loss of precision; simplify gets the last word,
    # and if it runs out of time the points' verdict stands.
    report(by_points)
    if sympy.simplify(ours - theirs) == 0:
        return CheckResult.ok(error=0.0)
    return by_points


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
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(task, sender), name="check_expression")
    with warnings.catch_warnings():
        # Python >= 3.12 warns about forking a process with threads (BLAS pools).
        # The child runs only sympy and never touches locks those threads hold;
        # a deadlock would still end at the time limit.
        warnings.simplefilter("ignore", DeprecationWarning)
        child.start()
    sender.close()
    verdict = undecided
    deadline = time.monotonic() + time_limit
    try:
        while (remaining := deadline - time.monotonic()) > 0 and receiver.poll(remaining):
            final, verdict = receiver.recv()
            if final:
                break
    except EOFError:
        if verdict is undecided:
            verdict = CheckResult.fail("error", "the check of the expression crashed")
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
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
