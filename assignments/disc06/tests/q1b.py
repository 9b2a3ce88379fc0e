OK_FORMAT = True

test = {   'name': 'q1b',
    'points': 3,
    'suites': [   {   'cases': [   {   'code': ">>> options = {'inputs': {'units', 'grid elements', 'timesteps', 'nodes', 'edges'}, 'interactions': {'all-to-all', 'local', 'sequential', 'pairwise'}, "
                                               "'invariance': {'none', 'spatial translation', 'time translation', 'node permutation'}, 'inductive_bias': {'weak', 'locality', 'sequentiality', "
                                               "'relational'}}\n"
                                               ">>> assert isinstance(inductive_bias_table, dict), 'inductive_bias_table must be a dict'\n"
                                               '>>> assert set(inductive_bias_table) == {\'fully_connected\', \'convolutional\', \'recurrent\'}, "inductive_bias_table must have the keys '
                                               '\'fully_connected\', \'convolutional\', \'recurrent\'"\n'
                                               '>>> for block, row in inductive_bias_table.items():\n'
                                               "...     assert isinstance(row, dict) and set(row) == set(options), f'inductive_bias_table[{block!r}] must be a dict with the keys {sorted(options)}'\n"
                                               '...     for column, value in row.items():\n'
                                               "...         assert isinstance(value, str) and value.strip().lower() in options[column], f'inductive_bias_table[{block!r}][{column!r}] = {value!r} is "
                                               "not one of {sorted(options[column])}'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
