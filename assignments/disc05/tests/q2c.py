OK_FORMAT = True

test = {   'name': 'q2c',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> norms = column_norms(np.array([[3.0, 0.0], [4.0, 1.0]]))\n'
                                               ">>> assert isinstance(norms, np.ndarray), 'column_norms must return a numpy array'\n"
                                               ">>> assert norms.shape == (2,), f'column_norms returned shape {norms.shape}, expected (d,) = (2,)'\n"
                                               ">>> known_mistakes = {'the norms of the rows: Γ̌ has one norm per feature, and the features are the columns of X (axis 0 sums over the rows)': [3.0, "
                                               "4.12310562561766], 'the squared column norms: the norm is the square root of the sum of squares': [25.0, 1.0]}\n"
                                               '>>> for mistake, values in known_mistakes.items():\n'
                                               '...     same = np.shape(norms) == np.shape(values) and np.allclose(norms, values, rtol=1e-07, atol=1e-10)\n'
                                               "...     assert not same, f'column_norms matches a known mistake, {mistake}'\n"
                                               '>>> expected = np.array([5.0, 1.0])\n'
                                               '>>> gap = np.abs(np.asarray(norms, dtype=float) - expected)\n'
                                               ">>> assert np.allclose(norms, expected, rtol=1e-09, atol=1e-12), f'column_norms(X) is off, most at index {np.argwhere(gap == "
                                               "gap.max())[0].tolist()}'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0},
                                   {   'code': ">>> assert isinstance(equal_column_norm, sympy.Expr), 'equal_column_norm must be a sympy expression'\n"
                                               '>>> names = {symbol.name for symbol in equal_column_norm.free_symbols}\n'
                                               ">>> assert names == {'p'}, f'equal_column_norm must depend on the symbol p only, not {names}'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
