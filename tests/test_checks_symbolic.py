"""The safe expression parser and the equivalence check, right and wrong answers, attacks."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import sympy
from course import course

from autograder.checks.symbolic import POSITIVE, REAL, UNIT_INTERVAL, check_expression
from autograder.expressions import MAX_LENGTH, ExpressionSyntaxError, parse_expression

disc05 = course("disc05", "reference")
disc06 = course("disc06", "reference")

x, p = sympy.Symbol("x"), sympy.Symbol("p")
sigma, tau = sympy.Symbol("sigma"), sympy.Symbol("tau")


# --- parse_expression reads what sympy prints ------------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        disc05.sigmoid_grad_expr,
        sympy.diff(1 / (1 + sympy.exp(-x)), x),
        1 / (4 * sympy.cosh(x / 2) ** 2),
        sympy.sqrt(p) / sympy.sqrt(1 - p),
        1 / sympy.sqrt(1 / p - 1),
        disc05.equal_column_norm,
        disc06.ridge_lambda,
        sympy.Rational(1, 4),
        sympy.Float(0.25),
        sympy.Float(1e-20) * x,
        -(x**2) + sympy.pi * sympy.E ** (-x),
        x ** sympy.Rational(-3, 2),
        sympy.Abs(sympy.tanh(x)) + sympy.log(sympy.sinh(x)) - sympy.sin(x) * sympy.cos(x),
        sympy.tan(x) ** -2,
    ],
    ids=str,
)
def test_parse_expression_round_trips_sympy_str(expression: sympy.Expr) -> None:
    parsed = parse_expression(str(expression))
    assert parsed == expression or sympy.simplify(parsed - expression) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("exp(-x)/(exp(-x) + 1)**2", disc05.sigmoid_grad_expr),
        ("sqrt(p)/sqrt(1 - p)", sympy.sqrt(p) / sympy.sqrt(1 - p)),
        ("1/sqrt(-1 + 1/p)", 1 / sympy.sqrt(-1 + 1 / p)),
        ("1/(4*cosh(x/2)**2)", 1 / (4 * sympy.cosh(x / 2) ** 2)),
        ("sigma**2/tau**2", sigma**2 / tau**2),
        ("1/4", sympy.Rational(1, 4)),
        ("0.25", sympy.Float(0.25)),
        ("2.5e-3", sympy.Float("0.0025")),
        (".5", sympy.Float(0.5)),
        ("-x**2", -(x**2)),
        ("2**-1", sympy.Rational(1, 2)),
        ("x^2", x**2),
        ("x**y**2", x ** (sympy.Symbol("y") ** 2)),
        ("+x - -x", 2 * x),
        ("  x  *  2 ", 2 * x),
        ("E**x*pi", sympy.pi * sympy.exp(x)),
    ],
)
def test_parse_expression_follows_python_precedence(text: str, expected: sympy.Expr) -> None:
    assert parse_expression(text) == expected


@pytest.mark.parametrize(
    ("text", "position", "says"),
    [
        ("", 0, "empty"),
        ("x +", 3, "unexpected end"),
        ("2x", 1, "unexpected 'x'"),
        ("(x + 1", 0, "unclosed '('"),
        ("x)", 1, "unexpected ')'"),
        ("exp", 0, "exp is a function"),
        ("exp x", 0, "exp is a function"),
        ("foo(x)", 0, "unknown function 'foo'"),
        ("x, y", 1, "unexpected character ','"),
        ("x == 1", 2, "unexpected character '='"),
        ("x % 2", 2, "unexpected character '%'"),
        ("_x", 0, "unexpected character '_'"),
        ("x**999999999", 1, "exponent too large"),
        ("(x+1)**(10**3)", 5, "exponent too large"),
        ("exp(exp(exp(100)))", 4, "argument of exp too large"),
        ("2**2**2**2**2", 1, "exponent too large"),
        ("(" * 60 + "x" + ")" * 60, 50, "nested more than 50"),
        ("-" * 60 + "x", 50, "nested more than 50"),
    ],
)
def test_parse_expression_reports_errors_with_their_position(
    text: str, position: int, says: str
) -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse_expression(text)
    assert caught.value.position == position
    assert says in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_parse_expression_caps_the_length() -> None:
    with pytest.raises(ExpressionSyntaxError, match="longer than"):
        parse_expression("x+" * MAX_LENGTH + "x")


def test_parse_expression_refuses_non_strings() -> None:
    with pytest.raises(TypeError):
        parse_expression(b"x")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "number"),
    [("I", sympy.I), ("oo", sympy.oo), ("-oo", -sympy.oo), ("zoo", sympy.zoo), ("nan", sympy.nan)],
)
def test_the_names_sympy_prints_for_its_numbers_are_those_numbers(
    text: str, number: sympy.Expr
) -> None:
    parsed = parse_expression(text)
    assert parsed is number
    assert not parsed.free_symbols
    assert parse_expression(str(2 * x + number)) == 2 * x + number


def test_the_sandbox_decodes_sympys_numbers_as_numbers() -> None:
    from autograder.sandbox.values import parse_sympy_text

    assert parse_sympy_text(str(x + sympy.oo)) == x + sympy.oo
    assert parse_sympy_text("I*x") == sympy.I * x


@pytest.mark.parametrize("text", ["exp(-oo)", "sin(nan)", "log(zoo)", "cos(I*oo)"])
def test_a_function_of_a_constant_that_is_not_finite_is_refused(text: str) -> None:
    with pytest.raises(ExpressionSyntaxError, match="not a finite number"):
        parse_expression(text)


HOSTILE = [
    pytest.param("__import__('os').system('touch {marker}')", id="import-os-system"),
    pytest.param("lambda: __import__('os').system('touch {marker}')", id="lambda"),
    pytest.param("x.__class__.__mro__[1].__subclasses__()", id="attribute-access"),
    pytest.param('exec(\'open("{marker}", "w")\')', id="exec"),
    pytest.param("open('{marker}', 'w')", id="open"),
    pytest.param("x**999999999", id="huge-exponent"),
    pytest.param("10**10**10", id="power-tower"),
    pytest.param("exp(exp(exp(exp(10))))", id="exp-tower"),
    pytest.param("Abs(exp(exp(exp(10))) - 3)", id="evaluated-tower"),
    pytest.param("(" * 10_000 + "x" + ")" * 10_000, id="deep-nesting"),
    pytest.param("x+" * 100_000 + "x", id="very-long"),
    pytest.param("9" * 5000, id="huge-literal"),
]


@pytest.mark.parametrize("template", HOSTILE)
def test_hostile_text_fails_cleanly_quickly_and_does_nothing(template: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned_x"
    text = template.format(marker=marker)
    with pytest.raises(ExpressionSyntaxError):
        parse_expression(text)
    result = check_expression(text, disc05.sigmoid_grad_expr, domain={"x": REAL})
    assert not result.passed and result.stage == "syntax"
    assert not marker.exists()


def test_the_classic_payload_creates_nothing_in_tmp() -> None:
    marker = Path("/tmp/pwned_x")
    marker.unlink(missing_ok=True)
    text = "__import__('os').system('touch /tmp/pwned_x')"
    result = check_expression(text, disc05.sigmoid_grad_expr, domain={"x": REAL})
    assert not result.passed and "cannot be read" in result.message
    assert not marker.exists()


# --- check_expression: right answers in many forms -------------------------------------

X_REAL = {"x": REAL}
P_UNIT = {"p": UNIT_INTERVAL}
SIGMA_TAU = {"sigma": POSITIVE, "tau": POSITIVE}
x_real = sympy.Symbol("x", real=True)
p_positive = sympy.Symbol("p", positive=True)
x_dummy = sympy.Dummy("x")

RIGHT = [
    pytest.param(disc05.sigmoid_grad_expr, disc05.sigmoid_grad_expr, X_REAL, id="identical"),
    pytest.param(
        sympy.exp(-x_real) / (1 + sympy.exp(-x_real)) ** 2,
        disc05.sigmoid_grad_expr,
        X_REAL,
        id="x-real",
    ),
    pytest.param(
        sympy.exp(-x_dummy) / (1 + sympy.exp(-x_dummy)) ** 2,
        disc05.sigmoid_grad_expr,
        X_REAL,
        id="x-dummy",
    ),
    pytest.param(1 / (4 * sympy.cosh(x / 2) ** 2), disc05.sigmoid_grad_expr, X_REAL, id="cosh"),
    pytest.param(
        sympy.exp(x) / (1 + sympy.exp(x)) ** 2, disc05.sigmoid_grad_expr, X_REAL, id="exp-x"
    ),
    pytest.param(
        sympy.diff(1 / (1 + sympy.exp(-x)), x), disc05.sigmoid_grad_expr, X_REAL, id="diff"
    ),
    pytest.param((1 - sympy.tanh(x / 2) ** 2) / 4, disc05.sigmoid_grad_expr, X_REAL, id="tanh"),
    pytest.param(
        sympy.Derivative(1 / (1 + sympy.exp(-x)), x),
        disc05.sigmoid_grad_expr,
        X_REAL,
        id="unevaluated-derivative",
    ),
    pytest.param("exp(-x)/(exp(-x) + 1)**2", disc05.sigmoid_grad_expr, X_REAL, id="string"),
    pytest.param("1/(4*cosh(x/2)**2)", disc05.sigmoid_grad_expr, X_REAL, id="string-cosh"),
    pytest.param(
        sympy.sqrt(p) / sympy.sqrt(1 - p), disc05.equal_column_norm, P_UNIT, id="sqrt-ratio"
    ),
    pytest.param(1 / sympy.sqrt(1 / p - 1), disc05.equal_column_norm, P_UNIT, id="one-over-sqrt"),
    pytest.param(
        sympy.sqrt(p_positive / (1 - p_positive)), disc05.equal_column_norm, P_UNIT, id="p-positive"
    ),
    pytest.param("1/sqrt(-1 + 1/p)", disc05.equal_column_norm, P_UNIT, id="string-p"),
    pytest.param((sigma / tau) ** 2, disc06.ridge_lambda, SIGMA_TAU, id="lambda-squared-ratio"),
    pytest.param("sigma^2*tau^-2", disc06.ridge_lambda, SIGMA_TAU, id="lambda-string"),
    pytest.param(0.25, sympy.Rational(1, 4), {}, id="number-for-constant"),
    pytest.param("1/4", sympy.Rational(1, 4), {}, id="string-number"),
    pytest.param(1, sympy.Integer(1), {}, id="int"),
]


@pytest.mark.parametrize(("answer", "reference", "domain"), RIGHT)
def test_check_expression_accepts_equivalent_forms(
    answer: object, reference: sympy.Expr, domain: dict[str, tuple[float, float]]
) -> None:
    result = check_expression(answer, reference, domain=domain)
    assert result.passed, result.message
    assert result.error is not None and result.error < 1e-20


WRONG = [
    pytest.param(
        1 / (1 + sympy.exp(-x)),
        disc05.sigmoid_grad_expr,
        X_REAL,
        "close",
        "differs at",
        id="sigmoid-itself",
    ),
    pytest.param(
        sympy.exp(x) / (1 + sympy.exp(-x)) ** 2,
        disc05.sigmoid_grad_expr,
        X_REAL,
        "close",
        "differs at",
        id="sign-slip",
    ),
    pytest.param(
        sympy.Rational(1, 4),
        disc05.sigmoid_grad_expr,
        X_REAL,
        "close",
        "differs at",
        id="the-maximum",
    ),
    pytest.param(0.25, disc05.sigmoid_grad_expr, X_REAL, "close", "differs at", id="a-number"),
    pytest.param(
        sympy.Abs(x) * 0 + x, sympy.Abs(x), X_REAL, "close", "differs at", id="abs-on-negatives"
    ),
    pytest.param(
        sympy.sqrt((1 - p) / p),
        disc05.equal_column_norm,
        P_UNIT,
        "close",
        "0 < p < 1",
        id="inverted",
    ),
    pytest.param(
        p / (1 - p), disc05.equal_column_norm, P_UNIT, "close", "differs at", id="no-sqrt"
    ),
    pytest.param(
        tau**2 / sigma**2,
        disc06.ridge_lambda,
        SIGMA_TAU,
        "close",
        "sigma > 0, tau > 0",
        id="lambda-inverted",
    ),
    pytest.param(
        sympy.exp(-sympy.Symbol("y")),
        disc05.sigmoid_grad_expr,
        X_REAL,
        "symbols",
        "uses y",
        id="wrong-symbol",
    ),
    pytest.param(
        "sigma**2/t**2",
        disc06.ridge_lambda,
        SIGMA_TAU,
        "symbols",
        "uses t,",
        id="unknown-symbol-in-string",
    ),
    pytest.param(
        sympy.Function("f")(x),
        disc05.sigmoid_grad_expr,
        X_REAL,
        "symbols",
        "undefined function",
        id="undefined-function",
    ),
    pytest.param(
        sympy.Eq(x, 1), disc05.sigmoid_grad_expr, X_REAL, "type", "equation", id="equation"
    ),
    pytest.param(
        sympy.Matrix([x]),
        disc05.sigmoid_grad_expr,
        X_REAL,
        "type",
        "expected a sympy expression",
        id="matrix",
    ),
    pytest.param(None, disc05.sigmoid_grad_expr, X_REAL, "type", "is None", id="none"),
    pytest.param(..., disc05.sigmoid_grad_expr, X_REAL, "type", "still `...`", id="ellipsis"),
    pytest.param(True, disc05.sigmoid_grad_expr, X_REAL, "type", "bool", id="bool"),
    pytest.param(
        lambda v: v, disc05.sigmoid_grad_expr, X_REAL, "type", "function", id="python-function"
    ),
    pytest.param([x], disc05.sigmoid_grad_expr, X_REAL, "type", "is a list", id="list"),
    pytest.param(
        "exp(-x)/(1+exp(-x)",
        disc05.sigmoid_grad_expr,
        X_REAL,
        "syntax",
        "unclosed '(' at position 8",
        id="syntax",
    ),
    pytest.param(
        sympy.zoo * x,
        disc05.sigmoid_grad_expr,
        X_REAL,
        "close",
        "differs at 40 of 40",
        id="undefined-everywhere",
    ),
]


@pytest.mark.parametrize(("answer", "reference", "domain", "stage", "says"), WRONG)
def test_check_expression_rejects_wrong_answers_with_a_reason(
    answer: object,
    reference: sympy.Expr,
    domain: dict[str, tuple[float, float]],
    stage: str,
    says: str,
) -> None:
    result = check_expression(answer, reference, domain=domain, name="ans")
    assert not result.passed
    assert result.stage == stage, result.message
    assert says in result.message
    assert result.message.startswith("ans ")


@dataclass(frozen=True)
class Unreadable:
    """Like the sandbox's UnreadableExpression: text its parser rejected, and why."""

    text: str
    reason: str


def test_text_the_sandbox_could_not_read_fails_with_the_parsers_reason() -> None:
    answer = Unreadable("exp(-x", "unclosed '(' at position 3")
    result = check_expression(answer, disc05.sigmoid_grad_expr, domain=X_REAL, name="ans")
    assert result.stage == "syntax"
    assert result.message == "ans cannot be read: unclosed '(' at position 3"


def test_check_expression_needs_an_interval_for_every_reference_symbol() -> None:
    with pytest.raises(ValueError, match="no interval for p"):
        check_expression(p, disc05.equal_column_norm, domain={"x": REAL})


class Hangs(sympy.Function):
    """A function sympy cannot evaluate in reasonable time (the student's own sympy
    objects, under ``otter run``, can be anything)."""

    def _eval_evalf(self, prec: int) -> sympy.Expr:
        time.sleep(60)
        raise AssertionError("unreachable: the check is killed first")


class SimplifiesForever(sympy.Function):
    """Evaluates at once (to a wrong value), but simplify never returns."""

    def _eval_evalf(self, prec: int) -> sympy.Expr:
        return sympy.Float(0)

    def _eval_simplify(self, **kwargs: object) -> sympy.Expr:
        time.sleep(60)
        raise AssertionError("unreachable: the check is killed first")


def test_check_expression_gives_up_after_its_time_limit() -> None:
    result = check_expression(Hangs(x), disc05.sigmoid_grad_expr, domain=X_REAL, time_limit=0.5)
    assert not result.passed
    assert result.stage == "timeout"
    assert "could not decide in 0.5 s" in result.message


def test_the_points_verdict_stands_when_simplify_runs_out_of_time() -> None:
    result = check_expression(
        SimplifiesForever(x), disc05.sigmoid_grad_expr, domain=X_REAL, time_limit=1.0
    )
    assert not result.passed
    assert result.stage == "close" and "differs at 40 of 40" in result.message


def test_check_expression_verdict_is_reproducible() -> None:
    wrong = sympy.exp(-x) / (1 + sympy.exp(-x))
    first = check_expression(wrong, disc05.sigmoid_grad_expr, domain=X_REAL)
    second = check_expression(wrong, disc05.sigmoid_grad_expr, domain=X_REAL)
    assert first == second


# --- the counterexample a wrong expression gets ------------------------------------------

COUNTEREXAMPLE = re.compile(r"for example at (.+), ans is (.+) and the right expression is (.+)$")


def _value_at(expression: object, point: dict[str, float]) -> str:
    """What the message should show for ``expression`` at ``point``, computed independently."""
    parsed = parse_expression(expression) if isinstance(expression, str) else expression
    assert isinstance(parsed, sympy.Basic)
    value = complex(sympy.N(parsed.subs({sympy.Symbol(k): v for k, v in point.items()})))
    return f"{value.real:.6g}"


@pytest.mark.parametrize(
    ("answer", "reference", "domain", "point"),
    [
        pytest.param(sympy.Rational(1, 4), disc05.sigmoid_grad_expr, X_REAL, "x = 1", id="const"),
        pytest.param(sympy.Abs(x) * 0 + x, sympy.Abs(x), X_REAL, "x = -1", id="abs-negatives"),
        pytest.param(
            sympy.sqrt((1 - p) / p), disc05.equal_column_norm, P_UNIT, "p = 0.25", id="inverted"
        ),
        pytest.param(
            tau**2 / sigma**2, disc06.ridge_lambda, SIGMA_TAU, "sigma = 1, tau = 2", id="lambda"
        ),
        pytest.param(
            "sigma**2/tau**3", disc06.ridge_lambda, SIGMA_TAU, "sigma = 1, tau = 2", id="string"
        ),
    ],
)
def test_a_wrong_expression_gets_a_point_where_it_differs_with_both_values(
    answer: object, reference: sympy.Expr, domain: dict[str, tuple[float, float]], point: str
) -> None:
    result = check_expression(answer, reference, domain=domain, name="ans")
    match = COUNTEREXAMPLE.search(result.message)
    assert match is not None, result.message
    where, ours, theirs = match.groups()
    assert where == point  # the simplest point of the domain where the two differ
    coordinates = {k: float(v) for k, v in (pair.split(" = ") for pair in where.split(", "))}
    assert ours == _value_at(answer, coordinates)
    assert theirs == _value_at(reference, coordinates)
    assert ours != theirs


def test_a_counterexample_says_where_the_answer_is_undefined_or_not_real() -> None:
    undefined = check_expression(sympy.zoo * x, disc05.sigmoid_grad_expr, domain=X_REAL)
    assert "your expression is undefined and the right expression is 0.196612" in undefined.message
    complex_valued = check_expression(sympy.log(x - 3), disc05.sigmoid_grad_expr, domain=X_REAL)
    assert "at x = 1, your expression is not real: (0.693147 + 3.14159j)" in complex_valued.message


# --- check_expression: I, oo, zoo and nan are numbers, not the student's symbols ---------


@pytest.mark.parametrize(
    ("answer", "contains"),
    [
        ("x + oo", "oo"),
        ("-oo*x", "-oo"),
        ("zoo", "zoo"),
        ("0*oo + x", "nan"),
        (sympy.zoo * x, "zoo"),
    ],
)
def test_an_answer_that_is_not_finite_is_wrong_and_says_why(answer: object, contains: str) -> None:
    result = check_expression(answer, x, domain=X_REAL, name="ans")
    assert not result.passed
    assert result.stage == "close", result.message
    assert f"ans contains {contains}, which is not a finite number" in result.message
    assert "cannot depend on" not in result.message


def test_an_imaginary_answer_to_a_real_question_is_not_real() -> None:
    result = check_expression("I*x", x, domain=X_REAL, name="ans")
    assert not result.passed and "not real" in result.message


@pytest.mark.parametrize(
    ("answer", "reference"),
    [("sqrt(-1)*x", sympy.I * x), ("I**2*x", -x), ("oo", sympy.oo), ("2*oo", sympy.oo)],
)
def test_answers_with_sympys_numbers_can_be_right(answer: str, reference: sympy.Expr) -> None:
    result = check_expression(answer, reference, domain=X_REAL)
    assert result.passed, result.message
