OK_FORMAT = True

test = {   'name': 'q2_backward',
    'points': 6,
    'suites': [   {   'cases': [   {   'code': '>>> x = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])\n'
                                               '>>> h_prev = np.array([[0.3, -0.7], [-1.2, 0.8]])\n'
                                               '>>> c_prev = np.array([[1.0, -2.0], [-1.5, 1.5]])\n'
                                               '>>> Wx = np.linspace(-1.0, 1.0, 24).reshape(3, 8)\n'
                                               '>>> Wh = np.linspace(1.0, -1.0, 16).reshape(2, 8)\n'
                                               '>>> b = np.linspace(-0.5, 0.5, 8)\n'
                                               '>>> dh = np.array([[1.0, -0.5], [0.25, 2.0]])\n'
                                               '>>> dc_next = np.array([[-1.0, 0.5], [1.5, -0.25]])\n'
                                               '>>> h, c, cache = lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)\n'
                                               '>>> grads = lstm_step_backward(dh, dc_next, cache)\n'
                                               ">>> assert len(grads) == 6, 'lstm_step_backward must return (dx, dh_prev, dc_prev, dWx, dWh, db)'\n"
                                               ">>> shapes = {'dx': (2, 3), 'dh_prev': (2, 2), 'dc_prev': (2, 2), 'dWx': (3, 8), 'dWh': (2, 8), 'db': (8,)}\n"
                                               '>>> for (name, shape), grad in zip(shapes.items(), grads):\n'
                                               "...     assert np.shape(grad) == shape, f'{name} has shape {np.shape(grad)}, expected {shape}'\n"
                                               '>>> dx, dh_prev, dc_prev, dWx, dWh, db = grads\n'
                                               ">>> assert np.allclose(dc_prev, [[-0.596190864694446, 0.236485236535497], [0.0806997274200176, -0.00135125640443831]], rtol=1e-07, atol=1e-10), 'wrong "
                                               "dc_prev'\n"
                                               '>>> assert np.allclose(dx, [[0.235248931079328, 0.0740006443763056, -0.0872476423267168], [0.129407470152848, 0.0307178186719373, '
                                               "-0.0679718328089736]], rtol=1e-07, atol=1e-10), 'wrong dx'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
