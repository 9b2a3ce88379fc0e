OK_FORMAT = True

test = {   'name': 'q1b',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> X1 = residual_block(np.array([1.0, 2.0]), np.array([[1.0, -1.0], [0.0, 1.0]]), np.array([[1.0, 2.0], [3.0, 4.0]]))\n'
                                               ">>> assert isinstance(X1, np.ndarray), 'residual_block must return a numpy array'\n"
                                               ">>> assert X1.shape == (2,), f'residual_block returned shape {X1.shape}, expected (n,) = (2,)'\n"
                                               '>>> assert np.allclose(X1, [5.0, 10.0])\n',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
