"""Public tests of q1a_sigmoid: `grader.check("q1a_sigmoid")` runs them.

A failed check prints the line that failed and its message.
"""

from otter.test_files import test_case

OK_FORMAT = False

name = 'q1a_sigmoid'
points = 4


def _defined(env, variable):
    if variable not in env:
        raise NameError(f"{variable} is not defined: run the cell that defines it first")
    return env[variable]


@test_case(points=0, hidden=False)
def public_1(env):
    sigmoid = _defined(env, 'sigmoid')
    np = _defined(env, 'np')
    values = sigmoid(np.array([[0.0, 2.0], [-1.0, 3.0]]))
    assert isinstance(values, np.ndarray), 'sigmoid must return a numpy array'
    assert values.shape == (2, 2), f'sigmoid returned shape {values.shape} for a (2, 2) input'
    expected = np.array([[0.5, 0.880797077977882], [0.268941421369995, 0.952574126822433]])
    gap = np.abs(np.asarray(values, dtype=float) - expected)
    assert np.allclose(values, expected, rtol=1e-09, atol=0), f'sigmoid(x) for x = [[0, 2], [-1, 3]] is off, most at index {np.argwhere(gap == gap.max())[0].tolist()}: sigmoid(x) = 1/(1 + exp(-x)) elementwise'


@test_case(points=0, hidden=False)
def public_2(env):
    sigmoid_grad = _defined(env, 'sigmoid_grad')
    np = _defined(env, 'np')
    slopes = sigmoid_grad(np.array([2.0, -2.0, 5.0]))
    assert isinstance(slopes, np.ndarray), 'sigmoid_grad must return a numpy array'
    assert slopes.shape == (3,), f'sigmoid_grad returned shape {slopes.shape} for a (3,) input'
    known_mistakes = {"the sigmoid itself instead of its derivative: differentiate sigmoid(x) = 1/(1 + exp(-x)) and write the result in terms of sigmoid(x)": [0.880797077977882, 0.119202922022118, 0.993307149075715]}
    for mistake, values in known_mistakes.items():
        same = np.shape(slopes) == np.shape(values) and np.allclose(slopes, values, rtol=1e-07, atol=1e-10)
        assert not same, f'sigmoid_grad matches a known mistake, {mistake}'
    expected = np.array([0.104993585403506, 0.104993585403506, 0.00664805667079016])
    gap = np.abs(np.asarray(slopes, dtype=float) - expected)
    assert np.allclose(slopes, expected, rtol=1e-09, atol=0), f'sigmoid_grad(x) for x = [2, -2, 5] is off, most at index {np.argwhere(gap == gap.max())[0].tolist()}'


@test_case(points=0, hidden=False)
def public_3(env):
    np = _defined(env, 'np')
    sigmoid = _defined(env, 'sigmoid')
    sigmoid_grad = _defined(env, 'sigmoid_grad')
    try:
        with np.errstate(over='raise', invalid='raise'):
            tails = sigmoid(np.array([-1000.0, 1000.0]))
    except FloatingPointError as error:
        raise AssertionError(f'sigmoid(x) fails at x = -1000 ({error}): 1/(1 + exp(-x)) takes exp(1000), which overflows; compute it with exp(-|x|), which never overflows, on each side of 0') from None
    try:
        with np.errstate(over='raise', invalid='raise'):
            tail_slopes = sigmoid_grad(np.array([-1000.0, 1000.0]))
    except FloatingPointError as error:
        raise AssertionError(f'sigmoid_grad(x) fails at x = -1000 or 1000 ({error}): write it with a sigmoid that never takes exp of a large positive number') from None
    assert np.allclose(tails, [0.0, 1.0]), 'sigmoid must approach 0 and 1 in the tails'
    assert np.allclose(tail_slopes, [0.0, 0.0]), 'sigmoid_grad must approach 0 in the tails'
