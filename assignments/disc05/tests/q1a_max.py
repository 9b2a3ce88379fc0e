"""Public tests of q1a_max: `grader.check("q1a_max")` runs them.

A failed check prints the line that failed and its message.
"""

from otter.test_files import test_case

OK_FORMAT = False

name = 'q1a_max'
points = 3


def _defined(env, variable):
    if variable not in env:
        raise NameError(f"{variable} is not defined: run the cell that defines it first")
    return env[variable]


@test_case(points=0, hidden=False)
def public_1(env):
    sigmoid_grad_max = _defined(env, 'sigmoid_grad_max')
    sigmoid_grad_argmax = _defined(env, 'sigmoid_grad_argmax')
    np = _defined(env, 'np')
    for name, value in (('sigmoid_grad_max', sigmoid_grad_max), ('sigmoid_grad_argmax', sigmoid_grad_argmax)):
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise AssertionError(f'{name} must be a number, not {value!r}') from None
        assert np.isfinite(number), f'{name} must be a finite number, not {value!r}'


@test_case(points=0, hidden=False)
def public_2(env):
    sigmoid_grad_expr = _defined(env, 'sigmoid_grad_expr')
    sympy = _defined(env, 'sympy')
    assert isinstance(sigmoid_grad_expr, sympy.Expr), 'sigmoid_grad_expr must be a sympy expression'
    names = {symbol.name for symbol in sigmoid_grad_expr.free_symbols}
    assert names == {'x'}, f'sigmoid_grad_expr must depend on the symbol x only, not {names}'
