OK_FORMAT = True

test = {   'name': 'q2a',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> w = dropout_to_tikhonov(np.array([1.0, -2.0, 0.5]), 0.3)\n'
                                               ">>> assert isinstance(w, np.ndarray), 'dropout_to_tikhonov must return a numpy array'\n"
                                               ">>> assert w.shape == (3,), f'dropout_to_tikhonov returned shape {w.shape}, expected (d,) = (3,)'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0},
                                   {   'code': '>>> Gamma = tikhonov_gamma(np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 2.0]]), 0.5)\n'
                                               ">>> assert isinstance(Gamma, np.ndarray), 'tikhonov_gamma must return a numpy array'\n"
                                               ">>> assert Gamma.shape == (2, 2), f'tikhonov_gamma returned shape {Gamma.shape}, expected (d, d) = (2, 2)'\n"
                                               '>>> assert np.allclose(Gamma, [[3.16227766016838, 0.0], [0.0, 3.0]])\n',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
