OK_FORMAT = True

test = {   'name': 'q2c',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> norms = column_norms(np.array([[3.0, 0.0], [4.0, 1.0]]))\n'
                                               ">>> assert isinstance(norms, np.ndarray), 'column_norms must return a numpy array'\n"
                                               ">>> assert norms.shape == (2,), f'column_norms returned shape {norms.shape}, expected (d,) = (2,)'\n"
                                               '>>> assert np.allclose(norms, [5.0, 1.0])\n',
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
