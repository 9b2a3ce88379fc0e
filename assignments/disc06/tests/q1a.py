OK_FORMAT = True

test = {   'name': 'q1a',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': ">>> assert isinstance(ridge_prior, str), 'ridge_prior must be a string'\n"
                                               '>>> assert ridge_prior.strip().lower() in {\'gaussian\', \'laplace\', \'uniform\'}, f"{ridge_prior!r} is not one of \'gaussian\', \'laplace\', '
                                               '\'uniform\'"\n',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0},
                                   {   'code': ">>> assert isinstance(ridge_lambda, sympy.Expr), 'ridge_lambda must be a sympy expression'\n"
                                               '>>> names = {symbol.name for symbol in ridge_lambda.free_symbols}\n'
                                               ">>> assert names == {'sigma', 'tau'}, f'ridge_lambda must be written with the symbols sigma and tau, not {names}'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
