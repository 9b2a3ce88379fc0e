OK_FORMAT = True

test = {   'name': 'q2b',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> X_tilde = ridge_data_matrix(np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 2.0]]), np.array([[2.0, 1.0], [0.0, 1.0]]))\n'
                                               ">>> assert isinstance(X_tilde, np.ndarray), 'ridge_data_matrix must return a numpy array'\n"
                                               ">>> assert X_tilde.shape == (3, 2), f'ridge_data_matrix returned shape {X_tilde.shape}, expected (n, d) = (3, 2)'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0},
                                   {   'code': '>>> X_tilde = ridge_data_matrix(np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 2.0]]), np.eye(2))\n'
                                               ">>> assert np.allclose(X_tilde, [[1.0, 2.0], [3.0, -1.0], [0.0, 2.0]]), 'with Gamma = I, (3) already is ridge regression'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
