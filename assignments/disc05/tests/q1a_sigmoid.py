OK_FORMAT = True

test = {   'name': 'q1a_sigmoid',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> values = sigmoid(np.array([[0.0, 2.0], [-1.0, 3.0]]))\n'
                                               ">>> assert isinstance(values, np.ndarray), 'sigmoid must return a numpy array'\n"
                                               ">>> assert values.shape == (2, 2), f'sigmoid returned shape {values.shape} for a (2, 2) input'\n"
                                               '>>> expected = np.array([[0.5, 0.880797077977882], [0.268941421369995, 0.952574126822433]])\n'
                                               '>>> gap = np.abs(np.asarray(values, dtype=float) - expected)\n'
                                               ">>> assert np.allclose(values, expected, rtol=1e-09, atol=0), f'sigmoid(x) for x = [[0, 2], [-1, 3]] is off, most at index {np.argwhere(gap == "
                                               "gap.max())[0].tolist()}: sigmoid(x) = 1/(1 + exp(-x)) elementwise'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0},
                                   {   'code': '>>> slopes = sigmoid_grad(np.array([2.0, -2.0, 5.0]))\n'
                                               ">>> assert isinstance(slopes, np.ndarray), 'sigmoid_grad must return a numpy array'\n"
                                               ">>> assert slopes.shape == (3,), f'sigmoid_grad returned shape {slopes.shape} for a (3,) input'\n"
                                               ">>> known_mistakes = {'the sigmoid itself instead of its derivative: differentiate sigmoid(x) = 1/(1 + exp(-x)) and write the result in terms of "
                                               "sigmoid(x)': [0.880797077977882, 0.119202922022118, 0.993307149075715]}\n"
                                               '>>> for mistake, values in known_mistakes.items():\n'
                                               '...     same = np.shape(slopes) == np.shape(values) and np.allclose(slopes, values, rtol=1e-07, atol=1e-10)\n'
                                               "...     assert not same, f'sigmoid_grad matches a known mistake, {mistake}'\n"
                                               '>>> expected = np.array([0.104993585403506, 0.104993585403506, 0.00664805667079016])\n'
                                               '>>> gap = np.abs(np.asarray(slopes, dtype=float) - expected)\n'
                                               ">>> assert np.allclose(slopes, expected, rtol=1e-09, atol=0), f'sigmoid_grad(x) for x = [2, -2, 5] is off, most at index {np.argwhere(gap == "
                                               "gap.max())[0].tolist()}'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0},
                                   {   'code': '>>> try:\n'
                                               "...     with np.errstate(over='raise', invalid='raise'):\n"
                                               '...         tails = sigmoid(np.array([-1000.0, 1000.0]))\n'
                                               '... except FloatingPointError as error:\n'
                                               "...     raise AssertionError(f'sigmoid(x) fails at x = -1000 ({error}): 1/(1 + exp(-x)) takes exp(1000), which overflows; compute it with exp(-|x|), "
                                               "which never overflows, on each side of 0') from None\n"
                                               '>>> try:\n'
                                               "...     with np.errstate(over='raise', invalid='raise'):\n"
                                               '...         tail_slopes = sigmoid_grad(np.array([-1000.0, 1000.0]))\n'
                                               '... except FloatingPointError as error:\n'
                                               "...     raise AssertionError(f'sigmoid_grad(x) fails at x = -1000 or 1000 ({error}): write it with a sigmoid that never takes exp of a large positive "
                                               "number') from None\n"
                                               ">>> assert np.allclose(tails, [0.0, 1.0]), 'sigmoid must approach 0 and 1 in the tails'\n"
                                               ">>> assert np.allclose(tail_slopes, [0.0, 0.0]), 'sigmoid_grad must approach 0 in the tails'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
