"""Reference answers, one module per assignment, computed in float64.

Names and signatures follow the answer contract (``CONTENT.md``): a student's
``sigmoid`` is compared with ``references.disc05.sigmoid``, their
``inductive_bias_table`` with ``references.disc06.INDUCTIVE_BIAS_TABLE``.
"""
