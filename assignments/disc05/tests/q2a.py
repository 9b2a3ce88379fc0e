"""Public tests of q2a: `grader.check("q2a")` runs them.

A failed check prints the line that failed and its message.
"""

from otter.test_files import test_case

OK_FORMAT = False

name = 'q2a'
points = 2


def _defined(env, variable):
    if variable not in env:
        raise NameError(f"{variable} is not defined: run the cell that defines it first")
    return env[variable]


@test_case(points=0, hidden=False)
def public_1(env):
    dropout_to_tikhonov = _defined(env, 'dropout_to_tikhonov')
    np = _defined(env, 'np')
    w = dropout_to_tikhonov(np.array([1.0, -2.0, 0.5]), 0.3)
    assert isinstance(w, np.ndarray), 'dropout_to_tikhonov must return a numpy array'
    assert w.shape == (3,), f'dropout_to_tikhonov returned shape {w.shape}, expected (d,) = (3,)'
    known_mistakes = {'w = w̌/p (inverted dropout, the wrong way round): match what the two models predict on average': [3.33333333333333, -6.66666666666667, 1.66666666666667]}
    for mistake, values in known_mistakes.items():
        same = np.shape(w) == np.shape(values) and np.allclose(w, values, rtol=1e-07, atol=1e-10)
        assert not same, f'dropout_to_tikhonov matches a known mistake, {mistake}'


@test_case(points=0, hidden=False)
def public_2(env):
    tikhonov_gamma = _defined(env, 'tikhonov_gamma')
    np = _defined(env, 'np')
    Gamma = tikhonov_gamma(np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 2.0]]), 0.2)
    assert isinstance(Gamma, np.ndarray), 'tikhonov_gamma must return a numpy array'
    assert Gamma.shape == (2, 2), f'tikhonov_gamma returned shape {Gamma.shape}, expected (d, d) = (2, 2)'
    known_mistakes = {"Γ̌ itself, without the factor that depends on p: with w = p·w̌ the penalty's factor changes, and Γ must absorb it": [[3.16227766016838, 0.0], [0.0, 3.0]]}
    for mistake, values in known_mistakes.items():
        same = np.shape(Gamma) == np.shape(values) and np.allclose(Gamma, values, rtol=1e-07, atol=1e-10)
        assert not same, f'tikhonov_gamma matches a known mistake, {mistake}'
    expected = np.array([[6.32455532033676, 0.0], [0.0, 6.0]])
    gap = np.abs(np.asarray(Gamma, dtype=float) - expected)
    assert np.allclose(Gamma, expected, rtol=1e-07, atol=1e-10), f'tikhonov_gamma(X, 0.2) is off, most at index {np.argwhere(gap == gap.max())[0].tolist()}'
