"""Public tests of q2_backward: `grader.check("q2_backward")` runs them.

A failed check prints the line that failed and its message.
"""

from otter.test_files import test_case

OK_FORMAT = False

name = 'q2_backward'
points = 6


def _defined(env, variable):
    if variable not in env:
        raise NameError(f"{variable} is not defined: run the cell that defines it first")
    return env[variable]


@test_case(points=0, hidden=False)
def public_1(env):
    lstm_step_forward = _defined(env, 'lstm_step_forward')
    lstm_step_backward = _defined(env, 'lstm_step_backward')
    np = _defined(env, 'np')
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])
    h_prev = np.array([[0.3, -0.7], [-1.2, 0.8]])
    c_prev = np.array([[1.0, -2.0], [-1.5, 1.5]])
    Wx = np.linspace(-1.0, 1.0, 24).reshape(3, 8)
    Wh = np.linspace(1.0, -1.0, 16).reshape(2, 8)
    b = np.linspace(-0.5, 0.5, 8)
    dh = np.array([[1.0, -0.5], [0.25, 2.0]])
    dc_next = np.array([[-1.0, 0.5], [1.5, -0.25]])
    h, c, cache = lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)
    grads = lstm_step_backward(dh, dc_next, cache)
    assert len(grads) == 6, 'lstm_step_backward must return (dx, dh_prev, dc_prev, dWx, dWh, db)'
    shapes = {'dx': (2, 3), 'dh_prev': (2, 2), 'dc_prev': (2, 2), 'dWx': (3, 8), 'dWh': (2, 8), 'db': (8,)}
    for (name, shape), grad in zip(shapes.items(), grads):
        assert np.shape(grad) == shape, f'{name} has shape {np.shape(grad)}, expected {shape}, the shape of the input it is the gradient of'
    dx, dh_prev, dc_prev, dWx, dWh, db = grads
    known_mistakes = {'dc = dc_next, without the path through h: c also reaches the loss through h = o⊙tanh(c)': [[0.322841658862983, 0.0865065041812225, -0.149828650500538], [0.137246237753245, 0.0289674552157671, -0.0793113273217111]], 'dc without the upstream dc_next: c reaches the loss directly as well as through h, so dc starts from dc_next': [[-0.180518414383487, -0.00292453541976852, 0.17466934354395], [-0.0141817935401802, 0.00345046875694858, 0.0210827310540773]], "(1 - tanh(c)) for the derivative of tanh in dc: check the derivative of tanh": [[0.255269868757728, 0.0992812958876692, -0.0567072769823897], [0.130263706335534, 0.0306856982166709, -0.0688923099021916]], 'dc without the output gate o: h = o⊙tanh(c), so the path from h to c passes through the output gate': [[0.220194587177645, 0.0715084223747369, -0.077177742428171], [0.0744436202264734, 0.0451499278180658, 0.0158562354096582]], 'the sigmoid derivative g(1 - g) on the g gate: g is a tanh, not a sigmoid': [[0.232099601983637, 0.0752131795374861, -0.081673242908665], [0.172349262814787, 0.0113887281917813, -0.149571806431225]], 'the tanh derivative 1 - s² on the sigmoid gates i, f, o: i, f and o are sigmoids, not tanh': [[0.601742663256173, 0.189918611726616, -0.221905439802941], [3.25799802858752, 0.747403098420642, -1.76319183174623]], 'the gates taken in the order i, f, g, o: the blocks of H columns of a = x Wx + h_prev Wh + b follow the gate order of lstm_step_forward': [[0.293319831946685, 0.0826439324291212, -0.128031967088443], [0.128589442481566, 0.0346282081823707, -0.0593330261168244]], 'df computed with the new cell state c: in c = f⊙c_prev + i⊙g, f multiplies the previous cell state': [[0.241548077026748, 0.0786105326476081, -0.0843270117315322], [0.0402303495422369, 0.0167691716126907, -0.0066920063168555]], 'do = dh⊙c, without the tanh: in h = o⊙tanh(c), o multiplies tanh(c), not c': [[0.190505728712358, 0.0779136426182882, -0.0346784434757816], [0.12940134794054, 0.0307201584438389, -0.0679610310528622]]}
    for mistake, values in known_mistakes.items():
        same = np.shape(dx) == np.shape(values) and np.allclose(dx, values, rtol=1e-07, atol=1e-10)
        assert not same, f'dx matches a known mistake, {mistake}'
    expected = np.array([[0.235248931079328, 0.0740006443763056, -0.0872476423267168], [0.129407470152848, 0.0307178186719373, -0.0679718328089736]])
    gap = np.abs(np.asarray(dx, dtype=float) - expected)
    assert np.allclose(dx, expected, rtol=1e-07, atol=1e-10), f'dx is off, most at index {np.argwhere(gap == gap.max())[0].tolist()}: compare your gradients with finite differences (check_lstm_gradients below)'
    known_mistakes = {'the gradient without the forget gate: c = f⊙c_prev + i⊙g, so the gradient must pass through the forget gate to reach c_prev': [[-0.797267710527226, 0.294019854395492], [1.52218126463898, -0.0195359338893853]], 'dc_next⊙f, without the path through h: dc_prev flows from the whole cell gradient dc': [[-0.747792563052868, 0.402158617862241], [0.0795237689111463, -0.0172919351090314]]}
    for mistake, values in known_mistakes.items():
        same = np.shape(dc_prev) == np.shape(values) and np.allclose(dc_prev, values, rtol=1e-07, atol=1e-10)
        assert not same, f'dc_prev matches a known mistake, {mistake}'
    expected = np.array([[-0.596190864694446, 0.236485236535497], [0.0806997274200176, -0.00135125640443831]])
    gap = np.abs(np.asarray(dc_prev, dtype=float) - expected)
    assert np.allclose(dc_prev, expected, rtol=1e-07, atol=1e-10), f'dc_prev is off, most at index {np.argwhere(gap == gap.max())[0].tolist()}: compare your gradients with finite differences (check_lstm_gradients below)'
