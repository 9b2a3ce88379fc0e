"""Public tests of q1a: `grader.check("q1a")` runs them.

A failed check prints the line that failed and its message.
"""

from otter.test_files import test_case

OK_FORMAT = False

name = 'q1a'
points = 2


def _defined(env, variable):
    if variable not in env:
        raise NameError(f"{variable} is not defined: run the cell that defines it first")
    return env[variable]


@test_case(points=0, hidden=False)
def public_1(env):
    ridge_prior = _defined(env, 'ridge_prior')
    assert isinstance(ridge_prior, str), 'ridge_prior must be a string'
    assert ridge_prior.strip().lower() in {'gaussian', 'laplace', 'uniform'}, f"{ridge_prior!r} is not one of 'gaussian', 'laplace', 'uniform'"


@test_case(points=0, hidden=False)
def public_2(env):
    ridge_lambda = _defined(env, 'ridge_lambda')
    sympy = _defined(env, 'sympy')
    assert isinstance(ridge_lambda, sympy.Expr), 'ridge_lambda must be a sympy expression'
    names = {symbol.name for symbol in ridge_lambda.free_symbols}
    assert names == {'sigma', 'tau'}, f'ridge_lambda must be written with the symbols sigma and tau, not {names}'
