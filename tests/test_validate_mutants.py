"""Mutants of solution code, the equivalence oracle, and the mutation_bar config key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from build_support import MASTERS

from autograder.assemble.lint import lint_master
from autograder.assemble.master import read_master, solution_line_numbers
from autograder.validate.equivalence import EquivalenceOracle, Setup
from autograder.validate.mutants import AnswerCell, Mutant, mutants_of, sample

CELL = '''def step(x, W, b):
    """Not a solution line: never mutated."""
    scale = 2.0
    # BEGIN SOLUTION
    z = W.T @ x + b
    return np.where(z > 0, z, 0.0) * scale, (z, W)
    # END SOLUTION


offset = np.sum(np.maximum(-1.0, 3.0))  # SOLUTION
'''


def cell_mutants() -> list[Mutant]:
    return mutants_of(AnswerCell("step-cell", "q_step", CELL))


def test_every_operator_family_appears_on_a_small_cell() -> None:
    kinds = {mutant.kind for mutant in cell_mutants()}
    assert kinds == {
        "swap operator",
        "drop term",
        "swap operands",
        "transpose",
        "drop transpose",
        "swap comparison",
        "change constant",
        "swap arguments",
        "drop call",
        "swap function",
        "swap name",
        "reorder",
        "drop sign",
    }


def test_only_solution_lines_change_one_statement_at_a_time() -> None:
    original = CELL.split("\n")
    solution = solution_line_numbers(CELL)
    assert solution == {5, 6, 10}
    for mutant in cell_mutants():
        changed = [
            number
            for number, (old, new) in enumerate(
                zip(original, mutant.source.split("\n"), strict=True), start=1
            )
            if old != new
        ]
        assert len(changed) == 1 and changed[0] in solution, mutant.diff
        assert mutant.line == changed[0]


def test_mutants_are_distinct_and_named_by_their_diff() -> None:
    mutants = cell_mutants()
    assert len({m.source for m in mutants}) == len(mutants)
    transposed = [m for m in mutants if m.kind == "drop transpose"]
    assert [m.diff for m in transposed] == [
        "-    z = W.T @ x + b\n+    z = W @ x + b",
    ]


def test_swapped_names_are_bound_before_the_statement() -> None:
    swaps = [m for m in cell_mutants() if m.kind == "swap name" and m.line == 5]
    assert swaps, "no name swaps on line 5"
    for mutant in swaps:  # z is bound on line 5 itself, so only parameters and `scale` qualify
        assert "z" not in mutant.source.split("\n")[4].split("=", 1)[1].split()


def test_the_sample_is_reproducible_and_covers_every_kind() -> None:
    mutants = cell_mutants()
    first, again, other = sample(mutants, 13, 0), sample(mutants, 13, 0), sample(mutants, 13, 1)
    assert first == again and first != other
    assert {m.kind for m in first} == {m.kind for m in mutants}
    assert sample(mutants, None, 0) == mutants


ORACLE_CELLS = (
    ("imports", "import numpy as np"),
    ("answer", "def relu(x):\n    return np.where(x >= 0, x, 0.0)\n"),
)
PROBE = "import numpy as np\nrelu(np.random.default_rng(0).normal(size=(3, 2)))\n"


@pytest.fixture(scope="module")
def oracle() -> object:
    setup = Setup(ORACLE_CELLS, {"q_relu": ("relu",)}, ((PROBE, ("relu", "np")),), seed=0)
    with EquivalenceOracle(setup, timeout=5.0) as judge:
        yield judge


def mutant(source: str) -> Mutant:
    return Mutant("q_relu", "answer", "test", 2, ORACLE_CELLS[1][1], source)


def test_a_mutant_that_agrees_on_fresh_inputs_is_equivalent(oracle: EquivalenceOracle) -> None:
    verdict = oracle.judge(mutant("def relu(x):\n    return np.where(x > 0, x, 0.0)\n"))
    assert verdict.equivalent, verdict.reason


def test_a_wrong_mutant_is_not_equivalent(oracle: EquivalenceOracle) -> None:
    verdict = oracle.judge(mutant("def relu(x):\n    return np.where(x >= 0, x, -x)\n"))
    assert not verdict.equivalent
    assert "relu differs on fresh inputs" in verdict.reason


def test_a_mutant_that_warns_where_the_solution_does_not_is_not_equivalent(
    oracle: EquivalenceOracle,
) -> None:
    source = "def relu(x):\n    return np.where(x >= 0, x, 0.0) + 0 * np.exp(-x * 1000)\n"
    verdict = oracle.judge(mutant(source))
    assert not verdict.equivalent and "warns" in verdict.reason


def test_a_looping_mutant_times_out_and_the_oracle_goes_on(oracle: EquivalenceOracle) -> None:
    looping = oracle.judge(mutant("def relu(x):\n    while True:\n        pass\n"))
    assert not looping.equivalent and "did not finish" in looping.reason
    assert oracle.judge(mutant(ORACLE_CELLS[1][1].replace(">=", ">"))).equivalent


def toy_with_bar(tmp_path: Path, bar: str, question: str = "q1_square") -> list[str]:
    notebook = json.loads((MASTERS / "toy.ipynb").read_text())
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if source.startswith("# BEGIN QUESTION") and f"name: {question}\n" in source:
            cell["source"] = source + f"\nmutation_bar: {bar}"
    path = tmp_path / "toy.ipynb"
    path.write_text(json.dumps(notebook))
    return list(lint_master(read_master(path, "solutions/toy.ipynb"), "toy"))


def test_a_question_may_set_its_own_mutation_bar(tmp_path: Path) -> None:
    assert toy_with_bar(tmp_path, "0.8") == []
    master = read_master(tmp_path / "toy.ipynb", "solutions/toy.ipynb")
    assert [q.mutation_bar for q in master.questions] == [0.8, None, None]


@pytest.mark.parametrize("bar", ["95", "high", "0"])
def test_a_mutation_bar_that_is_not_a_fraction_is_named(tmp_path: Path, bar: str) -> None:
    found = toy_with_bar(tmp_path, bar)
    assert len(found) == 1 and "question q1_square" in found[0], found
    assert f"mutation_bar: {bar!r}" in found[0] or f"mutation_bar: {bar}" in found[0]


def test_a_manual_question_cannot_have_a_mutation_bar(tmp_path: Path) -> None:
    found = toy_with_bar(tmp_path, "0.9", question="q3_explain")
    assert len(found) == 1 and "manual question has no mutants" in found[0]


def test_seeded_draws_repeat_and_grading_stays_fresh() -> None:
    from autograder.hidden.support import fresh_generator, seeded_draws

    def two_draws() -> list[float]:
        return [float(fresh_generator(None).normal()) for _ in range(2)]

    with seeded_draws(7):
        first = two_draws()
    with seeded_draws(7):
        again = two_draws()
    with seeded_draws(8):
        other = two_draws()
    assert first == again and first != other
    assert first[0] != first[1]  # each helper call gets its own stream
    assert two_draws() != two_draws()  # outside validation: fresh entropy
