OK_FORMAT = True

test = {   'name': 'q1b',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> X1 = residual_block(np.array([1.0, 2.0]), np.array([[1.0, -1.0], [0.0, 1.0]]), np.array([[1.0, 2.0], [3.0, 4.0]]))\n'
                                               ">>> assert isinstance(X1, np.ndarray), 'residual_block must return a numpy array'\n"
                                               ">>> assert X1.shape == (2,), f'residual_block returned shape {X1.shape}, expected (n,) = (2,)'\n"
                                               ">>> known_mistakes = {'the block without its skip connection: a residual block adds its input back to what the two layers compute': [4.0, 8.0]}\n"
                                               '>>> for mistake, values in known_mistakes.items():\n'
                                               '...     same = np.shape(X1) == np.shape(values) and np.allclose(X1, values, rtol=1e-07, atol=1e-10)\n'
                                               "...     assert not same, f'residual_block matches a known mistake, {mistake}'\n"
                                               '>>> expected = np.array([5.0, 10.0])\n'
                                               '>>> gap = np.abs(np.asarray(X1, dtype=float) - expected)\n'
                                               ">>> assert np.allclose(X1, expected, rtol=1e-09, atol=1e-12), f'residual_block(X0, W1, W2) is off, most at index {np.argwhere(gap == "
                                               "gap.max())[0].tolist()}'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
