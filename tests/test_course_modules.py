"""Course modules beside the master: imported by bare name, kept apart per assignment,
and plain asserts in hidden tests that say what failed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autograder.course import CourseModuleError, CourseModules
from autograder.grading.assertions import rewrite_asserts
from autograder.grading.cases import run_case, trusted_values
from autograder.grading.spec import Case
from autograder.sandbox import StudentObject


def folder(root: Path, name: str, modules: dict[str, str]) -> Path:
    path = root / name
    path.mkdir(parents=True)
    for module, source in modules.items():
        (path / f"{module}.py").write_text(source)
    return path


def case(code: str) -> Case:
    source = "".join(
        (">>> " if not line.startswith(" ") else "... ") + line + "\n" for line in code.splitlines()
    )
    return Case("q1", "part", 1.0, True, source)


def test_course_modules_import_each_other_by_bare_name(tmp_path: Path) -> None:
    course = CourseModules(
        folder(
            tmp_path,
            "hw1",
            {
                "reference": "def double(x):\n    return 2 * x\n",
                "helpers": "from reference import double\n\ndef check(f):\n"
                "    assert f(3) == double(3), 'wrong double'\n",
            },
        )
    )
    assert course.load("helpers").check(lambda x: 2 * x) is None
    with pytest.raises(AssertionError, match="wrong double"):
        course.load("helpers").check(lambda x: x)


def test_two_assignments_keep_their_own_reference(tmp_path: Path) -> None:
    one = CourseModules(folder(tmp_path, "hw1", {"reference": "ANSWER = 1\n"}))
    two = CourseModules(folder(tmp_path, "hw2", {"reference": "ANSWER = 2\n"}))
    code = "from reference import ANSWER\nassert ANSWER == 1"
    assert run_case(case(code), {}, one).passed
    outcome = run_case(case(code), {}, two)
    assert not outcome.passed
    assert "ANSWER == 1" in outcome.message and "ANSWER = 2" in outcome.message


def test_a_syntax_error_in_a_course_module_names_its_file_and_line(tmp_path: Path) -> None:
    course = CourseModules(folder(tmp_path, "hw1", {"helpers": "x = 1\ndef f(:\n    pass\n"}))
    with pytest.raises(CourseModuleError) as raised:
        course.load("helpers")
    assert f"{tmp_path / 'hw1' / 'helpers.py'}, line 2: SyntaxError" in str(raised.value)


def test_a_failing_import_in_a_course_module_names_its_file_and_line(tmp_path: Path) -> None:
    course = CourseModules(folder(tmp_path, "hw1", {"helpers": "x = 1\nimport no_such_module\n"}))
    with pytest.raises(CourseModuleError) as raised:
        course.load("helpers")
    message = str(raised.value)
    assert "helpers.py, line 2: ModuleNotFoundError" in message
    assert "no_such_module" in message


def test_a_case_that_cannot_import_its_course_module_says_so(tmp_path: Path) -> None:
    course = CourseModules(folder(tmp_path, "hw1", {"helpers": "1 / 0\n"}))
    outcome = run_case(case("import helpers"), {}, course)
    assert not outcome.passed
    assert "a problem of the course, not of your answer" in outcome.message
    assert "helpers.py, line 1: ZeroDivisionError" in outcome.message


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "assert f(2) == 5",
            ["this check failed: assert f(2) == 5", "f(2) = 4"],
        ),
        (
            "import numpy as np\nassert np.allclose(f(np.arange(3.0)), [0.0, 1.0, 2.0])",
            [
                "np.allclose(f(np.arange(3.0)), [0.0, 1.0, 2.0])",
                "f(np.arange(3.0)) = array of shape (3,): [0. 2. 4.]",
            ],
        ),
        ("assert not f(1)", ["assert not f(1)", "f(1) = 2"]),
        ("assert f(1) < 2 < 3", ["this check failed: assert f(1) < 2 < 3"]),
    ],
)
def test_a_bare_assert_says_what_it_compared(code: str, expected: list[str]) -> None:
    outcome = run_case(case(code), {"f": lambda x: 2 * x})
    assert not outcome.passed
    for text in expected:
        assert text in outcome.message, outcome.message


def test_an_assert_with_a_message_keeps_it() -> None:
    outcome = run_case(case("assert f(2) == 5, 'f must add three'"), {"f": lambda x: 2 * x})
    assert outcome.message == "f must add three"


def test_rewriting_keeps_evaluation_order_and_counts() -> None:
    calls: list[int] = []

    def f(x: int) -> int:
        calls.append(x)
        return x

    assert run_case(case("assert f(1) == f(1)"), {"f": f}).passed
    assert calls == [1, 1]
    calls.clear()
    assert not run_case(case("assert f(1) > 5 and f(2) > 0"), {"f": f}).passed
    assert calls == [1]  # `and` still short-circuits
    calls.clear()
    assert run_case(case("for i in range(3):\n    assert f(i) == i"), {"f": f}).passed
    assert calls == [0, 1, 2]


def test_unparsable_examples_are_left_alone() -> None:
    assert rewrite_asserts("assert (\n") == "assert (\n"


def test_a_module_the_student_bound_is_this_process_s_own_when_trusted() -> None:
    class Owner:
        def call(self, *args: object, **kwargs: object) -> object:
            raise AssertionError("not called")

    np_handle = StudentObject(Owner(), 0, 1, type_name="builtins.module", name="numpy")
    other = StudentObject(Owner(), 0, 2, type_name="builtins.module", name="antigravity")
    values = trusted_values({"np": np_handle, "web": other, "x": 3})
    assert values["np"] is np
    assert values["web"] is other  # never imported here
    assert values["x"] == 3


def test_an_edited_course_module_is_loaded_again(tmp_path: Path) -> None:
    from autograder.course import course_modules

    path = folder(tmp_path, "hw1", {"reference": "ANSWER = 1\n"})
    assert course_modules(path).load("reference").ANSWER == 1
    assert course_modules(path) is course_modules(path)  # loaded once while unchanged
    (path / "reference.py").write_text("ANSWER = 22\n")  # another size: a new version
    assert course_modules(path).load("reference").ANSWER == 22
