OK_FORMAT = True

test = {   'name': 'q2_loss',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> loss = dropout_expected_loss(np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([1.0, 0.0]), np.array([0.5, -1.0]), 0.8)\n'
                                               ">>> assert loss is not None and np.ndim(loss) == 0, 'dropout_expected_loss must return a single number'\n"
                                               ">>> assert np.isclose(loss, 10.04, rtol=1e-09), f'expected loss {loss} does not match the average over all 16 masks'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
