OK_FORMAT = True

test = {   'name': 'q1a_max',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': ">>> for name, value in (('sigmoid_grad_max', sigmoid_grad_max), ('sigmoid_grad_argmax', sigmoid_grad_argmax)):\n"
                                               '...     try:\n'
                                               '...         number = float(value)\n'
                                               '...     except (TypeError, ValueError):\n'
                                               "...         raise AssertionError(f'{name} must be a number, not {value!r}') from None\n"
                                               "...     assert np.isfinite(number), f'{name} must be a finite number, not {value!r}'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0},
                                   {   'code': ">>> assert isinstance(sigmoid_grad_expr, sympy.Expr), 'sigmoid_grad_expr must be a sympy expression'\n"
                                               '>>> names = {symbol.name for symbol in sigmoid_grad_expr.free_symbols}\n'
                                               ">>> assert names == {'x'}, f'sigmoid_grad_expr must depend on the symbol x only, not {names}'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
