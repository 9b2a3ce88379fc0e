OK_FORMAT = True

test = {   'name': 'q2_loss',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> loss = dropout_expected_loss(np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([1.0, 0.0]), np.array([0.5, -1.0]), 0.8)\n'
                                               ">>> assert loss is not None and np.ndim(loss) == 0, 'dropout_expected_loss must return a single number'\n"
                                               ">>> known_mistakes = {'the loss of the mean prediction only, without the variance term: the masked prediction also varies, and its variance adds p(1 - "
                                               "p)‖Γ̌w̌‖²': 8.84, 'p² instead of p(1 - p) in front of the penalty: a Bernoulli(p) entry has variance p(1 - p), and that is the factor of ‖Γ̌w̌‖²': "
                                               '13.64}\n'
                                               '>>> for mistake, values in known_mistakes.items():\n'
                                               '...     same = np.shape(loss) == np.shape(values) and np.allclose(loss, values, rtol=1e-07, atol=1e-10)\n'
                                               "...     assert not same, f'dropout_expected_loss matches a known mistake, {mistake}'\n"
                                               ">>> assert np.isclose(loss, 10.04, rtol=1e-09), f'expected loss {loss} does not match the average over all 16 masks'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
