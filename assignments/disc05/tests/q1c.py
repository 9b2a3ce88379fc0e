OK_FORMAT = True

test = {   'name': 'q1c',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> J = residual_jacobian(np.array([1.0, 2.0]), np.array([[1.0, -1.0], [0.0, 1.0]]), np.array([[1.0, 2.0], [3.0, 4.0]]))\n'
                                               ">>> assert isinstance(J, np.ndarray), 'residual_jacobian must return a numpy array'\n"
                                               ">>> assert J.shape == (2, 2), f'residual_jacobian returned shape {J.shape}, expected (n, n) = (2, 2)'\n"
                                               '>>> assert np.allclose(J, [[1.0, 2.0], [0.0, 5.0]])\n',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
