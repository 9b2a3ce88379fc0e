OK_FORMAT = True

test = {   'name': 'q2a',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> w = dropout_to_tikhonov(np.array([1.0, -2.0, 0.5]), 0.3)\n'
                                               ">>> assert isinstance(w, np.ndarray), 'dropout_to_tikhonov must return a numpy array'\n"
                                               ">>> assert w.shape == (3,), f'dropout_to_tikhonov returned shape {w.shape}, expected (d,) = (3,)'\n"
                                               ">>> known_mistakes = {'w = w̌/p (inverted dropout, the wrong way round): the dropout model predicts pXw̌ on average, and the Tikhonov model predicts "
                                               "Xw': [3.33333333333333, -6.66666666666667, 1.66666666666667]}\n"
                                               '>>> for mistake, values in known_mistakes.items():\n'
                                               '...     same = np.shape(w) == np.shape(values) and np.allclose(w, values, rtol=1e-07, atol=1e-10)\n'
                                               "...     assert not same, f'dropout_to_tikhonov matches a known mistake, {mistake}'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0},
                                   {   'code': '>>> Gamma = tikhonov_gamma(np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 2.0]]), 0.2)\n'
                                               ">>> assert isinstance(Gamma, np.ndarray), 'tikhonov_gamma must return a numpy array'\n"
                                               ">>> assert Gamma.shape == (2, 2), f'tikhonov_gamma returned shape {Gamma.shape}, expected (d, d) = (2, 2)'\n"
                                               ">>> known_mistakes = {'Γ̌ itself, without the factor that depends on p: with w = p·w̌ the penalty p(1 - p)‖Γ̌w̌‖² is ((1 - p)/p)‖Γ̌w‖², so Γ must "
                                               "absorb that factor': [[3.16227766016838, 0.0], [0.0, 3.0]]}\n"
                                               '>>> for mistake, values in known_mistakes.items():\n'
                                               '...     same = np.shape(Gamma) == np.shape(values) and np.allclose(Gamma, values, rtol=1e-07, atol=1e-10)\n'
                                               "...     assert not same, f'tikhonov_gamma matches a known mistake, {mistake}'\n"
                                               '>>> expected = np.array([[6.32455532033676, 0.0], [0.0, 6.0]])\n'
                                               '>>> gap = np.abs(np.asarray(Gamma, dtype=float) - expected)\n'
                                               ">>> assert np.allclose(Gamma, expected, rtol=1e-07, atol=1e-10), f'tikhonov_gamma(X, 0.2) is off, most at index {np.argwhere(gap == "
                                               "gap.max())[0].tolist()}'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
