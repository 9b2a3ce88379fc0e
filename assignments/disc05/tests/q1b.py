"""Public tests of q1b: `grader.check("q1b")` runs them.

A failed check prints the line that failed and its message.
"""

from otter.test_files import test_case

OK_FORMAT = False

name = 'q1b'
points = 2


def _defined(env, variable):
    if variable not in env:
        raise NameError(f"{variable} is not defined: run the cell that defines it first")
    return env[variable]


@test_case(points=0, hidden=False)
def public_1(env):
    residual_block = _defined(env, 'residual_block')
    np = _defined(env, 'np')
    X1 = residual_block(np.array([1.0, 2.0]), np.array([[1.0, -1.0], [0.0, 1.0]]), np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert isinstance(X1, np.ndarray), 'residual_block must return a numpy array'
    assert X1.shape == (2,), f'residual_block returned shape {X1.shape}, expected (n,) = (2,)'
    known_mistakes = {'the block without its skip connection: a residual block adds its input back to what the two layers compute': [4.0, 8.0]}
    for mistake, values in known_mistakes.items():
        same = np.shape(X1) == np.shape(values) and np.allclose(X1, values, rtol=1e-07, atol=1e-10)
        assert not same, f'residual_block matches a known mistake, {mistake}'
    expected = np.array([5.0, 10.0])
    gap = np.abs(np.asarray(X1, dtype=float) - expected)
    assert np.allclose(X1, expected, rtol=1e-09, atol=1e-12), f'residual_block(X0, W1, W2) is off, most at index {np.argwhere(gap == gap.max())[0].tolist()}'
