OK_FORMAT = True

test = {   'name': 'q1a_sigmoid',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> values = sigmoid(np.array([[0.0, 2.0], [-1.0, 3.0]]))\n'
                                               ">>> assert isinstance(values, np.ndarray), 'sigmoid must return a numpy array'\n"
                                               ">>> assert values.shape == (2, 2), f'sigmoid returned shape {values.shape} for a (2, 2) input'\n"
                                               '>>> assert np.allclose(values, [[0.5, 0.880797077977882], [0.268941421369995, 0.952574126822433]], rtol=1e-09, atol=0)\n',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0},
                                   {   'code': '>>> slopes = sigmoid_grad(np.array([2.0, -2.0, 5.0]))\n'
                                               ">>> assert isinstance(slopes, np.ndarray), 'sigmoid_grad must return a numpy array'\n"
                                               ">>> assert slopes.shape == (3,), f'sigmoid_grad returned shape {slopes.shape} for a (3,) input'\n"
                                               '>>> assert np.allclose(slopes, [0.104993585403506, 0.104993585403506, 0.00664805667079016], rtol=1e-09, atol=0)\n',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0},
                                   {   'code': ">>> with np.errstate(over='raise', invalid='raise'):\n"
                                               '...     tails = sigmoid(np.array([-1000.0, 1000.0]))\n'
                                               '...     tail_slopes = sigmoid_grad(np.array([-1000.0, 1000.0]))\n'
                                               ">>> assert np.allclose(tails, [0.0, 1.0]), 'sigmoid must approach 0 and 1 in the tails'\n"
                                               ">>> assert np.allclose(tail_slopes, [0.0, 0.0]), 'sigmoid_grad must approach 0 in the tails'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
