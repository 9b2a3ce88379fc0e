"""Public tests of q2c: `grader.check("q2c")` runs them.

A failed check prints the line that failed and its message.
"""

from otter.test_files import test_case

OK_FORMAT = False

name = 'q2c'
points = 2


def _defined(env, variable):
    if variable not in env:
        raise NameError(f"{variable} is not defined: run the cell that defines it first")
    return env[variable]


@test_case(points=0, hidden=False)
def public_1(env):
    column_norms = _defined(env, 'column_norms')
    np = _defined(env, 'np')
    norms = column_norms(np.array([[3.0, 0.0], [4.0, 1.0]]))
    assert isinstance(norms, np.ndarray), 'column_norms must return a numpy array'
    assert norms.shape == (2,), f'column_norms returned shape {norms.shape}, expected (d,) = (2,)'
    known_mistakes = {'the norms of the rows: Γ̌ has one norm per feature, and the features are the columns of X': [3.0, 4.12310562561766], 'the squared column norms: the norm is the square root of the sum of squares': [25.0, 1.0]}
    for mistake, values in known_mistakes.items():
        same = np.shape(norms) == np.shape(values) and np.allclose(norms, values, rtol=1e-07, atol=1e-10)
        assert not same, f'column_norms matches a known mistake, {mistake}'
    expected = np.array([5.0, 1.0])
    gap = np.abs(np.asarray(norms, dtype=float) - expected)
    assert np.allclose(norms, expected, rtol=1e-09, atol=1e-12), f'column_norms(X) is off, most at index {np.argwhere(gap == gap.max())[0].tolist()}'


@test_case(points=0, hidden=False)
def public_2(env):
    equal_column_norm = _defined(env, 'equal_column_norm')
    sympy = _defined(env, 'sympy')
    assert isinstance(equal_column_norm, sympy.Expr), 'equal_column_norm must be a sympy expression'
    names = {symbol.name for symbol in equal_column_norm.free_symbols}
    assert names == {'p'}, f'equal_column_norm must depend on the symbol p only, not {names}'
