"""Public tests of q1c: `grader.check("q1c")` runs them.

A failed check prints the line that failed and its message.
"""

from otter.test_files import test_case

OK_FORMAT = False

name = 'q1c'
points = 2


def _defined(env, variable):
    if variable not in env:
        raise NameError(f"{variable} is not defined: run the cell that defines it first")
    return env[variable]


@test_case(points=0, hidden=False)
def public_1(env):
    residual_jacobian = _defined(env, 'residual_jacobian')
    np = _defined(env, 'np')
    J = residual_jacobian(np.array([1.0, 2.0]), np.array([[1.0, -1.0], [0.0, 1.0]]), np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert isinstance(J, np.ndarray), 'residual_jacobian must return a numpy array'
    assert J.shape == (2, 2), f'residual_jacobian returned shape {J.shape}, expected (n, n) = (2, 2)'
    known_mistakes = {'the Jacobian without the identity of the skip connection: the X0 term of X1 = X0 + W2 relu(W1 X0) has a derivative too': [[0.0, 2.0], [0.0, 4.0]], "the Jacobian without the ReLU's derivative: relu'(z) is 1 where z = W1 X0 > 0 and 0 elsewhere, so the units that are inactive must drop out": [[2.0, 1.0], [3.0, 2.0]], "W2 W1 alone, without the identity of the skip connection or the ReLU's derivative: the skip connection contributes a term of its own, and the ReLU's derivative masks the inactive units": [[1.0, 1.0], [3.0, 1.0]]}
    for mistake, values in known_mistakes.items():
        same = np.shape(J) == np.shape(values) and np.allclose(J, values, rtol=1e-07, atol=1e-10)
        assert not same, f'residual_jacobian matches a known mistake, {mistake}'
    expected = np.array([[1.0, 2.0], [0.0, 5.0]])
    gap = np.abs(np.asarray(J, dtype=float) - expected)
    assert np.allclose(J, expected, rtol=1e-09, atol=1e-12), f'residual_jacobian(X0, W1, W2) is off, most at index {np.argwhere(gap == gap.max())[0].tolist()}'
