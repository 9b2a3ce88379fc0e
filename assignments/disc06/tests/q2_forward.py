"""Public tests of q2_forward: `grader.check("q2_forward")` runs them.

A failed check prints the line that failed and its message.
"""

from otter.test_files import test_case

OK_FORMAT = False

name = 'q2_forward'
points = 2


def _defined(env, variable):
    if variable not in env:
        raise NameError(f"{variable} is not defined: run the cell that defines it first")
    return env[variable]


@test_case(points=0, hidden=False)
def public_1(env):
    lstm_step_forward = _defined(env, 'lstm_step_forward')
    np = _defined(env, 'np')
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])
    h_prev = np.array([[0.3, -0.7], [-1.2, 0.8]])
    c_prev = np.array([[1.0, -2.0], [-1.5, 1.5]])
    Wx = np.linspace(-1.0, 1.0, 24).reshape(3, 8)
    Wh = np.linspace(1.0, -1.0, 16).reshape(2, 8)
    b = np.linspace(-0.5, 0.5, 8)
    h, c, cache = lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)
    assert np.shape(h) == (2, 2), f'h has shape {np.shape(h)}, expected (N, H) = (2, 2)'
    assert np.shape(c) == (2, 2), f'c has shape {np.shape(c)}, expected (N, H) = (2, 2)'
    known_mistakes = {'the gates taken in the order i, f, g, o: the blocks of H columns of a = x Wx + h_prev Wh + b follow the gate order of lstm_step_forward': [[1.31827302306753, -0.94872371261129], [-0.109729470563258, 0.0646436736806049]]}
    for mistake, values in known_mistakes.items():
        same = np.shape(c) == np.shape(values) and np.allclose(c, values, rtol=1e-07, atol=1e-10)
        assert not same, f'c matches a known mistake, {mistake}'
    expected = np.array([[1.34449496174676, -0.933115161451011], [-0.108517677549715, 0.0673677313990344]])
    gap = np.abs(np.asarray(c, dtype=float) - expected)
    assert np.allclose(c, expected, rtol=1e-07, atol=1e-10), f'the cell state c is off, most at index {np.argwhere(gap == gap.max())[0].tolist()}'
    known_mistakes = {'h = o⊙c, without the tanh of the cell state: the cell state is squashed before the output gate': [[1.14376568701277, -0.828260218792912], [-0.00974206601720683, 0.00779820530807119]]}
    for mistake, values in known_mistakes.items():
        same = np.shape(h) == np.shape(values) and np.allclose(h, values, rtol=1e-07, atol=1e-10)
        assert not same, f'h matches a known mistake, {mistake}'
    expected = np.array([[0.742448915950929, -0.649782691780176], [-0.00970400415820133, 0.00778642953074598]])
    gap = np.abs(np.asarray(h, dtype=float) - expected)
    assert np.allclose(h, expected, rtol=1e-07, atol=1e-10), f'the hidden state h is off, most at index {np.argwhere(gap == gap.max())[0].tolist()}'
