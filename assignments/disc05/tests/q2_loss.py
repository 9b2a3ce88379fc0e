"""Public tests of q2_loss: `grader.check("q2_loss")` runs them.

A failed check prints the line that failed and its message.
"""

from otter.test_files import test_case

OK_FORMAT = False

name = 'q2_loss'
points = 2


def _defined(env, variable):
    if variable not in env:
        raise NameError(f"{variable} is not defined: run the cell that defines it first")
    return env[variable]


@test_case(points=0, hidden=False)
def public_1(env):
    dropout_expected_loss = _defined(env, 'dropout_expected_loss')
    np = _defined(env, 'np')
    loss = dropout_expected_loss(np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([1.0, 0.0]), np.array([0.5, -1.0]), 0.8)
    assert loss is not None and np.ndim(loss) == 0, 'dropout_expected_loss must return a single number'
    known_mistakes = {'the loss of the mean prediction only, without the variance term: the masked prediction also varies, and its variance adds a penalty': 8.84, 'p² instead of p(1 - p) in front of the penalty: the factor of the penalty is the variance of a Bernoulli(p) entry': 13.64}
    for mistake, values in known_mistakes.items():
        same = np.shape(loss) == np.shape(values) and np.allclose(loss, values, rtol=1e-07, atol=1e-10)
        assert not same, f'dropout_expected_loss matches a known mistake, {mistake}'
    assert np.isclose(loss, 10.04, rtol=1e-09), f'expected loss {loss} does not match the average over all 16 masks'
