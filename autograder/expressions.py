"""Expressions as text: a safe reader of the sympy expressions students write and send.

``parse_expression`` turns text into a sympy expression with a hand-written
parser for a small whitelist grammar; the text is never handed to ``eval``,
``sympify`` or ``parse_expr``. The symbolic checks read students' strings with
it, and the grading sandbox decodes with it the sympy answers a student process
sends as text (``str`` of the expression).

Names sympy prints for its own numbers are those numbers, not symbols: ``I``
(the imaginary unit), ``oo`` and ``zoo`` (the real and the complex infinity),
``nan`` (not a number), besides ``E`` and ``pi``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sympy

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
CONSTANTS: dict[str, sympy.Expr] = {
    "E": sympy.E,
    "pi": sympy.pi,
    "I": sympy.I,
    "oo": sympy.oo,
    "zoo": sympy.zoo,
    "nan": sympy.nan,
}
#: The constants that are not finite numbers: an expression holding one is infinite or
#: undefined wherever it does not cancel out (sympy already turns ``exp(-oo)`` into 0).
NOT_FINITE: tuple[sympy.Expr, ...] = (sympy.oo, -sympy.oo, sympy.zoo, sympy.nan)


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
    if not argument.is_number:
        return FUNCTIONS[name](argument)
    size = _magnitude(argument)
    if math.isnan(size) or argument.has(*NOT_FINITE):
        raise ExpressionSyntaxError(f"constant argument of {name} is not a finite number", position)
    if not size <= MAX_ARGUMENT:
        raise ExpressionSyntaxError(
            f"constant argument of {name} too large (at most {MAX_ARGUMENT:g} in absolute value)",
            position,
        )
    return FUNCTIONS[name](argument)


def parse_expression(text: str) -> sympy.Expr:
    """Read ``text`` (as sympy's ``str`` prints expressions) into a sympy expression.

    Grammar: numbers (``2``, ``0.25``, ``1.0e-5``), symbols (any other name),
    the functions exp log sqrt sin cos tan sinh cosh tanh Abs, the constants
    E, pi, I, oo, zoo and nan, ``+ - * / ** ^``, unary minus and parentheses. Anything else,
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
