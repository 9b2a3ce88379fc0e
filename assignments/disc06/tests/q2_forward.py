OK_FORMAT = True

test = {   'name': 'q2_forward',
    'points': 2,
    'suites': [   {   'cases': [   {   'code': '>>> x = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])\n'
                                               '>>> h_prev = np.array([[0.3, -0.7], [-1.2, 0.8]])\n'
                                               '>>> c_prev = np.array([[1.0, -2.0], [-1.5, 1.5]])\n'
                                               '>>> Wx = np.linspace(-1.0, 1.0, 24).reshape(3, 8)\n'
                                               '>>> Wh = np.linspace(1.0, -1.0, 16).reshape(2, 8)\n'
                                               '>>> b = np.linspace(-0.5, 0.5, 8)\n'
                                               '>>> h, c, cache = lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)\n'
                                               ">>> assert np.shape(h) == (2, 2), f'h has shape {np.shape(h)}, expected (N, H) = (2, 2)'\n"
                                               ">>> assert np.shape(c) == (2, 2), f'c has shape {np.shape(c)}, expected (N, H) = (2, 2)'\n"
                                               ">>> assert np.allclose(c, [[1.34449496174676, -0.933115161451011], [-0.108517677549715, 0.0673677313990344]], rtol=1e-07, atol=1e-10), 'wrong cell "
                                               "state c'\n"
                                               ">>> assert np.allclose(h, [[0.742448915950929, -0.649782691780176], [-0.00970400415820133, 0.00778642953074598]], rtol=1e-07, atol=1e-10), 'wrong "
                                               "hidden state h'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
