"""Public tests of q2b: `grader.check("q2b")` runs them.

A failed check prints the line that failed and its message.
"""

from otter.test_files import test_case

OK_FORMAT = False

name = 'q2b'
points = 2


def _defined(env, variable):
    if variable not in env:
        raise NameError(f"{variable} is not defined: run the cell that defines it first")
    return env[variable]


@test_case(points=0, hidden=False)
def public_1(env):
    ridge_data_matrix = _defined(env, 'ridge_data_matrix')
    np = _defined(env, 'np')
    try:
        X_tilde = ridge_data_matrix(np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 2.0]]), np.array([[2.0, 1.0], [0.0, 1.0]]))
    except ValueError as error:
        raise AssertionError(f'ridge_data_matrix raised ValueError ({error}) for X of shape (3, 2) and Gamma of shape (2, 2): the new data matrix has the shape of X, so Gamma acts on X from the right') from None
    assert isinstance(X_tilde, np.ndarray), 'ridge_data_matrix must return a numpy array'
    assert X_tilde.shape == (3, 2), f'ridge_data_matrix returned shape {X_tilde.shape}, expected (n, d) = (3, 2)'
    known_mistakes = {'XΓ, with Γ not inverted: substitute w̃ = Γw into Xw': [[2.0, 3.0], [6.0, 2.0], [0.0, 2.0]], 'X divided by the diagonal of Γ, right only when Γ is diagonal: Γ may be any invertible matrix, not only a diagonal one': [[0.5, 2.0], [1.5, -1.0], [0.0, 2.0]]}
    for mistake, values in known_mistakes.items():
        same = np.shape(X_tilde) == np.shape(values) and np.allclose(X_tilde, values, rtol=1e-07, atol=1e-10)
        assert not same, f'ridge_data_matrix matches a known mistake, {mistake}'


@test_case(points=0, hidden=False)
def public_2(env):
    ridge_data_matrix = _defined(env, 'ridge_data_matrix')
    np = _defined(env, 'np')
    X_tilde = ridge_data_matrix(np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 2.0]]), np.eye(2))
    assert np.allclose(X_tilde, [[1.0, 2.0], [3.0, -1.0], [0.0, 2.0]]), 'with Gamma = I, (3) already is ridge regression'
