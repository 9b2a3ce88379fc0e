"""Written answers for manual grading: found in real notebooks, rendered offline, escaped."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from chromium_support import needs_chromium, render
from course import example, repo_project

from autograder.errors import GradingSetupError
from autograder.grading.spec import AssignmentSpec, ManualQuestion
from autograder.written_answers import load_questions, write_written_answers
from autograder.written_answers.extract import find_answers, read_cells
from autograder.written_answers.render import latex_to_mathml, markdown_to_html

REPO = Path(__file__).resolve().parents[1]
MANUAL = {
    "disc05": ("q1a_relu", "q1c_written", "q2c_written"),
    "disc06": ("q1a_written", "q2_written"),
}
PLACEHOLDER = "_Type your answer here, replacing this text._"


def spec_of(name: str) -> AssignmentSpec:
    manual = tuple(ManualQuestion(q, 2.0) for q in MANUAL[name])
    return AssignmentSpec(name, (), REPO / "dist" / name / "tests", manual)


def template(name: str) -> Path:
    """The committed student notebook: the same blocks as the solution, no model answers."""
    return REPO / "assignments" / name / f"{name}.ipynb"


def answers_to(name: str, notebook: Path) -> dict[str, object]:
    spec = spec_of(name)
    questions = load_questions(template(name), spec.manual_questions)
    ids = frozenset(c.cell_id for c in read_cells(template(name)) if c.cell_id)
    return {a.question: a for a in find_answers(notebook, questions, ids)}


@pytest.mark.parametrize("name", sorted(MANUAL))
def test_every_written_question_is_found_in_the_student_notebook(name: str) -> None:
    questions = load_questions(template(name), spec_of(name).manual_questions)
    assert [q.name for q in questions] == list(MANUAL[name])
    for question in questions:
        assert "(written)" in question.heading
        assert question.answer_ids
        assert question.placeholder == PLACEHOLDER
        assert "BEGIN QUESTION" not in question.prompt[0].source


@pytest.mark.parametrize("name", sorted(MANUAL))
def test_the_example_answers_are_found(name: str) -> None:
    solution = answers_to(name, example(name, "solution"))
    blank = answers_to(name, example(name, "blank"))
    for question in MANUAL[name]:
        assert solution[question].status == "answered"  # type: ignore[attr-defined]
        assert blank[question].status == "unchanged"  # type: ignore[attr-defined]


def test_a_students_own_answer_is_found_with_its_math(tmp_path: Path) -> None:
    found = answers_to("disc05", REPO / "examples" / "disc05" / "partial.ipynb")
    answer = found["q1a_relu"]
    assert answer.status == "answered"  # type: ignore[attr-defined]
    html = markdown_to_html(answer.cells[0].source)  # type: ignore[attr-defined]
    assert "<math" in html
    assert "&lt;b&gt;no shrinking&lt;/b&gt;" in html


def edited(name: str, tmp_path: Path, change: object) -> Path:
    """The solution example of ``name`` with ``change(notebook)`` applied."""
    notebook = nbformat.read(example(name, "solution"), as_version=4)
    change(notebook)  # type: ignore[operator]
    path = tmp_path / "edited.ipynb"
    nbformat.write(notebook, path)
    return path


def cell_index(notebook: nbformat.NotebookNode, cell_id: str) -> int:
    return next(i for i, cell in enumerate(notebook.cells) if cell.get("id") == cell_id)


def test_cells_a_student_adds_after_the_answer_belong_to_it(tmp_path: Path) -> None:
    def add(notebook: nbformat.NotebookNode) -> None:
        at = cell_index(notebook, "q1a-written-prompt") + 1
        extra = nbformat.v4.new_markdown_cell("And a second paragraph, in its own cell.")
        notebook.cells.insert(at, extra)

    found = answers_to("disc06", edited("disc06", tmp_path, add))
    sources = [c.source for c in found["q1a_written"].cells]  # type: ignore[attr-defined]
    assert len(sources) == 2
    assert sources[1] == "And a second paragraph, in its own cell."


def test_an_answer_whose_cell_ids_were_lost_is_found_by_its_heading(tmp_path: Path) -> None:
    def renumber(notebook: nbformat.NotebookNode) -> None:
        for number, cell in enumerate(notebook.cells):
            cell["id"] = f"copied-{number}"  # pasted into a fresh notebook

    found = answers_to("disc06", edited("disc06", tmp_path, renumber))
    answer = found["q2_written"]
    assert answer.status == "answered"  # type: ignore[attr-defined]
    assert "forget gate" in answer.cells[0].source  # type: ignore[attr-defined]


def test_a_deleted_question_is_missing_not_an_error(tmp_path: Path) -> None:
    def delete(notebook: nbformat.NotebookNode) -> None:
        notebook.cells = [c for c in notebook.cells if not c.get("id", "").startswith("q2-written")]

    found = answers_to("disc06", edited("disc06", tmp_path, delete))
    assert found["q2_written"].status == "missing"  # type: ignore[attr-defined]
    assert found["q1a_written"].status == "answered"  # type: ignore[attr-defined]


def test_an_unreadable_notebook_gets_pages_saying_so(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ipynb"
    broken.write_bytes(b"\x89PNG not a notebook")
    spec = spec_of("disc06")
    pages = write_written_answers(spec, template("disc06"), [broken], tmp_path / "out")
    html = (pages.folder / "broken.html").read_text()
    assert "could not be read" in html
    assert [p.name for p in pages.questions] == ["q1a_written.html", "q2_written.html"]


HOSTILE = "\n\n".join(
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        "![tracker](https://example.invalid/pixel.png)",
        r"$\text{<script>alert(2)</script>}$",
        r"$\href{javascript:alert(3)}{x}$ and $\style{position:fixed}{y}$",
        '<img src=x onerror="alert(4)">',
    ]
)


def hostile_notebook(tmp_path: Path) -> Path:
    def write(notebook: nbformat.NotebookNode) -> None:
        notebook.cells[cell_index(notebook, "q1a-written-prompt")].source = HOSTILE

    return edited("disc06", tmp_path, write)


class Elements(HTMLParser):
    """Every element and attribute of a page, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


def test_student_html_and_math_cannot_inject_anything(tmp_path: Path) -> None:
    path = hostile_notebook(tmp_path)
    pages = write_written_answers(spec_of("disc06"), template("disc06"), [path], tmp_path / "o")
    for page in (pages.folder / "edited.html", pages.folder / "questions" / "q1a_written.html"):
        html = page.read_text()
        parsed = Elements()
        parsed.feed(html)
        assert "script" not in parsed.tags
        assert "img" not in parsed.tags  # the only image was remote
        names = {name for name, _ in parsed.attributes}
        assert not {name for name in names if name.startswith("on")}
        assert "style" not in names
        links = [value for name, value in parsed.attributes if name in ("href", "src")]
        assert all(not re.match(r"(?i)\s*(javascript|https?|//)", link) for link in links)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, as text
        assert "example.invalid/pixel.png" in html  # named, not loaded


def test_unconvertible_math_falls_back_to_its_source() -> None:
    assert latex_to_mathml(r"\frac{a}{", display=False) == r'<code class="latex">$\frac{a}{$</code>'
    assert latex_to_mathml("x" * 5000, display=True).startswith('<p><code class="latex">')
    assert latex_to_mathml(r"x^2", display=False).startswith("<math")


def test_a_stale_solution_notebook_is_an_instructor_error(tmp_path: Path) -> None:
    manual = (*spec_of("disc06").manual_questions, ManualQuestion("q3_written", 2.0))
    spec = AssignmentSpec("disc06", (), tmp_path, manual)
    with pytest.raises(GradingSetupError, match="rebuild"):
        write_written_answers(spec, template("disc06"), [], tmp_path / "out")


def test_no_written_questions_writes_nothing(tmp_path: Path) -> None:
    spec = AssignmentSpec("x", (), tmp_path)
    pages = write_written_answers(spec, tmp_path / "absent.ipynb", [], tmp_path / "out")
    assert pages.students == ()
    assert not (tmp_path / "out").exists()


@needs_chromium
def test_a_question_page_renders_in_chromium(tmp_path: Path) -> None:
    examples = repo_project().example_notebooks("disc06")
    submissions = [*examples, hostile_notebook(tmp_path)]
    pages = write_written_answers(spec_of("disc06"), template("disc06"), submissions, tmp_path)
    for page in pages.questions:
        rendered = render(page, tmp_path / "profile")
        assert rendered.console == []  # no blocked load: the remote image was not emitted
        assert "<math" in rendered.dom
        for path in submissions:
            assert f'id="{path.stem}"' in rendered.dom
        # answered: the solution, each mistake example (answers filled in) and the hostile one
        answered = 2 + sum(p.stem.startswith("mistake-") for p in examples)
        assert f"{answered} of {len(submissions)} submissions answered" in rendered.dom


@pytest.mark.slow
def test_grade_writes_every_written_question_of_every_example(graded_folder: Path) -> None:
    for name, questions in MANUAL.items():
        folder = graded_folder / name / "written"
        stems = sorted(p.stem for p in repo_project().example_notebooks(name))
        assert sorted(p.stem for p in folder.glob("*.html")) == stems
        assert sorted(p.stem for p in (folder / "questions").glob("*.html")) == sorted(questions)
        for stem in stems:
            html = (folder / f"{stem}.html").read_text()
            for question in questions:
                assert f'id="{question}"' in html
        solution = (folder / "solution.html").read_text()
        assert "No answer" not in solution
        assert "<math" in solution
        results = json.loads((graded_folder / name / "solution.json").read_text())
        manual = [t["name"] for t in results["tests"] if t.get("extra_data", {}).get("manual")]
        assert manual == [f"{q}: written answer" for q in questions]


def test_a_control_space_at_a_line_end_is_a_space_not_a_backslash() -> None:
    # disc06's model answer: "\big|\" ending a line, then "\delta o": LaTeX reads "\ "
    mathml = latex_to_mathml("a\\ \\big|\\\n\\delta o", display=True)
    assert "\\" not in mathml
    assert "<mtext>\xa0</mtext><mi>δ</mi>" in mathml
    assert "\\" not in latex_to_mathml("a \\\\\nb", display=True)  # "\\" stays a line break
    master = json.loads((REPO / "solutions" / "disc06" / "disc06.ipynb").read_text())
    sources = ["".join(cell["source"]) for cell in master["cells"]]
    model = next(source for source in sources if "\\big|\\\n" in source)
    html = markdown_to_html(model)
    assert "<math" in html and "\\" not in re.sub(r"<annotation.*?</annotation>", "", html)


def entries_for(notebook: Path) -> dict[str, str]:
    from autograder.written_answers.entry import answers_for_results

    cells = json.loads(notebook.read_text())["cells"]
    return answers_for_results(cells, MANUAL["disc06"])


def test_the_results_entry_shows_the_answer_found_in_the_submission_alone(
    tmp_path: Path,
) -> None:
    def answer(notebook: nbformat.NotebookNode) -> None:
        notebook.cells[
            cell_index(notebook, "q2-written-prompt")
        ].source = "The forget gate keeps $\\delta c$ alive <script>alert(1)</script>"
        extra = nbformat.v4.new_markdown_cell("A second cell of mine.")
        notebook.cells.insert(cell_index(notebook, "q2-written-prompt") + 1, extra)

    notebook = nbformat.read(template("disc06"), as_version=4)
    answer(notebook)
    path = tmp_path / "answered.ipynb"
    nbformat.write(notebook, path)
    entries = entries_for(path)
    assert "Unanswered" in entries["q1a_written"]  # still the placeholder
    shown = entries["q2_written"]
    assert "The forget gate keeps <span" in shown and "<code>$\\delta c$</code>" in shown
    assert "A second cell of mine." in shown
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert "<math" not in shown  # Gradescope draws no MathML: the source is shown


def test_a_deleted_block_leaves_every_entry_saying_where_to_look(tmp_path: Path) -> None:
    def delete(notebook: nbformat.NotebookNode) -> None:
        notebook.cells = [c for c in notebook.cells if not c.get("id", "").startswith("q2-written")]

    entries = entries_for(edited("disc06", tmp_path, delete))
    assert all("No answer found" in html and "in the notebook" in html for html in entries.values())


def test_a_written_entry_has_no_score_no_verdict_and_no_staff_text() -> None:
    from autograder.grading.results import manual_entries

    spec = spec_of("disc06")
    entries = manual_entries(spec, answers={"q2_written": "<p>my answer</p>"})
    written = {entry.question: entry.to_json() for entry in entries}
    for entry in written.values():
        assert set(entry) == {"name", "output", "output_format", "visibility", "extra_data"}
        assert entry["output_format"] == "html"
        assert "staff:" not in entry["output"] and "autograder grade" not in entry["output"]
        assert "written/questions/" in entry["extra_data"]["staff"]
        assert entry["extra_data"]["manual"] is True
    assert written["q2_written"]["output"].endswith("<p>my answer</p>")
    assert "could not be read" in written["q1a_written"]["output"]
