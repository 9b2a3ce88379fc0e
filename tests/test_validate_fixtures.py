"""Every fixture submission gets exactly its expected credit, under 20 seeds (no flips);
every typical mistake of CONTENT.md has its fixture, every autograded question right
answers in other forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixture_submissions import FixtureSubmission, load_fixtures

from autograder.assemble.files import write_notebook
from autograder.assemble.master import read_master
from autograder.grading import load_spec
from autograder.project import Project
from autograder.validate.grading import ValidationGrader
from autograder.validate.notebooks import load_notebooks
from autograder.validate.validation import grade_under_seeds

SEEDS = range(20)

# CONTENT.md's typical mistakes -> the fixture that models each.
CONTENT_MISTAKES = {
    "forgetting dh*o*(1-t^2) in dc": "disc06/mistakes/dc_without_tanh_path",
    "dropping dc_next": "disc06/mistakes/dc_next_dropped",
    "(1-t) for (1-t^2)": "disc06/mistakes/one_minus_t",
    "missing o in dc": "disc06/mistakes/dc_without_o",
    "sigma' on the g gate": "disc06/mistakes/sigmoid_grad_on_g",
    "tanh' on sigma gates": "disc06/mistakes/tanh_grad_on_sigmoid_gates",
    "gate order i,f,g,o": "disc06/mistakes/gate_order_ifgo",
    "df using c instead of c_prev": "disc06/mistakes/df_uses_c",
    "do = dh*c": "disc06/mistakes/do_uses_c",
    "dc_prev = dc (no f)": "disc06/mistakes/dc_prev_without_f",
    "dc_prev = dc_next*f": "disc06/mistakes/dc_prev_from_dc_next",
    "db averaged instead of summed": "disc06/mistakes/db_averaged",
    "dWh divided by N": "disc06/mistakes/dWh_divided_by_n",
    "transposed dWx": "disc06/mistakes/dWx_transposed",
    "sigmoid overflow at -1000": "disc05/mistakes/sigmoid_overflow",
    "Jacobian missing I": "disc05/mistakes/jacobian_without_identity",
    "Jacobian without the ReLU mask": "disc05/mistakes/jacobian_without_mask",
    "Gamma without the sqrt((1-p)/p) factor": "disc05/mistakes/gamma_without_factor",
    "w = w_check/p": "disc05/mistakes/w_divided_by_p",
    "X~ = Gamma X": "disc05/mistakes/x_tilde_gamma_times_x",
    "X~ = X Gamma": "disc05/mistakes/x_tilde_x_times_gamma",
}


def test_every_content_mistake_has_its_fixture_and_loses_credit() -> None:
    fixtures = {fixture.name: fixture for fixture in load_fixtures()}
    for mistake, name in CONTENT_MISTAKES.items():
        assert name in fixtures, f"no fixture for {mistake!r}"
        assert fixtures[name].loses, f"{name} loses nothing"


def test_every_autograded_question_has_two_right_answers_in_other_forms() -> None:
    for name in ("disc05", "disc06"):
        covered: dict[str, int] = {}
        for fixture in load_fixtures(name):
            if fixture.kind == "correct":
                for question in fixture.scores:
                    covered[question] = covered.get(question, 0) + 1
        thin = {question: count for question, count in covered.items() if count < 2}
        assert not thin, thin


@pytest.mark.slow
@pytest.mark.parametrize("name", ["disc05", "disc06"])
def test_each_fixture_gets_its_credit_under_20_seeds(
    built_project: Project, name: str, tmp_path: Path
) -> None:
    files = built_project.files(name)
    master = read_master(built_project.master(name), name)
    notebooks = load_notebooks(files, master)
    spec = load_spec(built_project, name)
    points = {case.label: case.points for q in spec.questions for case in q.graded_cases}
    fixtures: dict[Path, FixtureSubmission] = {}
    for fixture in load_fixtures(name):
        path = tmp_path / f"{fixture.kind}-{fixture.path.stem}.ipynb"
        write_notebook(notebooks.submission(fixture.cells), path)
        fixtures[path] = fixture
    with ValidationGrader(files.tests_dir, files.manifest, workers=2) as grader:
        graded = grade_under_seeds(grader, list(fixtures), list(SEEDS))
    wrong = []
    for path, fixture in fixtures.items():
        for seed, verdicts in graded[path].items():
            lost = {label for label, _, passed in verdicts if not passed}
            scores = {
                question: sum(points[label] for label, q, ok in verdicts if q == question and ok)
                for question in fixture.scores
            }
            expected = {question: got for question, (got, _) in fixture.scores.items()}
            if lost != fixture.loses or scores != expected:
                wrong.append(f"{fixture.name} seed {seed}: lost {sorted(lost)}, scores {scores}")
    assert not wrong, "\n".join(wrong)
