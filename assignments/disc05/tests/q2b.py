OK_FORMAT = True

test = {   'name': 'q2b',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> try:\n'
                                               '...     X_tilde = ridge_data_matrix(np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 2.0]]), np.array([[2.0, 1.0], [0.0, 1.0]]))\n'
                                               '... except ValueError as error:\n'
                                               "...     raise AssertionError(f'ridge_data_matrix raised ValueError ({error}) for X of shape (3, 2) and Gamma of shape (2, 2): the new data matrix has "
                                               "the shape of X, so Gamma acts on X from the right') from None\n"
                                               ">>> assert isinstance(X_tilde, np.ndarray), 'ridge_data_matrix must return a numpy array'\n"
                                               ">>> assert X_tilde.shape == (3, 2), f'ridge_data_matrix returned shape {X_tilde.shape}, expected (n, d) = (3, 2)'\n"
                                               ">>> known_mistakes = {'XΓ, with Γ not inverted: with w̃ = Γw, Xw = XΓ⁻¹w̃, so X̃ uses the inverse of Γ': [[2.0, 3.0], [6.0, 2.0], [0.0, 2.0]], 'X "
                                               'divided by the diagonal of Γ, right only when Γ is diagonal: Γ may be any invertible matrix, so use its inverse (np.linalg.solve or np.linalg.inv), '
                                               "not its diagonal': [[0.5, 2.0], [1.5, -1.0], [0.0, 2.0]]}\n"
                                               '>>> for mistake, values in known_mistakes.items():\n'
                                               '...     same = np.shape(X_tilde) == np.shape(values) and np.allclose(X_tilde, values, rtol=1e-07, atol=1e-10)\n'
                                               "...     assert not same, f'ridge_data_matrix matches a known mistake, {mistake}'\n",
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
