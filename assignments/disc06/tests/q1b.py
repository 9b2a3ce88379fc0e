"""Public tests of q1b: `grader.check("q1b")` runs them.

A failed check prints the line that failed and its message.
"""

from otter.test_files import test_case

OK_FORMAT = False

name = 'q1b'
points = 3


def _defined(env, variable):
    if variable not in env:
        raise NameError(f"{variable} is not defined: run the cell that defines it first")
    return env[variable]


@test_case(points=0, hidden=False)
def public_1(env):
    inductive_bias_table = _defined(env, 'inductive_bias_table')
    options = {'inputs': {'units', 'grid elements', 'timesteps', 'nodes', 'edges'}, 'interactions': {'all-to-all', 'local', 'sequential', 'pairwise'}, 'invariance': {'none', 'spatial translation', 'time translation', 'node permutation'}, 'inductive_bias': {'weak', 'locality', 'sequentiality', 'relational'}}
    assert isinstance(inductive_bias_table, dict), 'inductive_bias_table must be a dict'
    assert set(inductive_bias_table) == {'fully_connected', 'convolutional', 'recurrent'}, "inductive_bias_table must have the keys 'fully_connected', 'convolutional', 'recurrent'"
    for block, row in inductive_bias_table.items():
        assert isinstance(row, dict) and set(row) == set(options), f'inductive_bias_table[{block!r}] must be a dict with the keys {sorted(options)}'
        for column, value in row.items():
            assert isinstance(value, str) and value.strip().lower() in options[column], f'inductive_bias_table[{block!r}][{column!r}] = {value!r} is not one of {sorted(options[column])}'
