"""`autograder report`: the numbers, the page (rendered in Chromium), and bad folders."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import pytest
from chromium_support import needs_chromium, render
from PIL import Image
from report_support import QUESTIONS, WRITTEN, write_batch

from autograder.class_report import load_batch, summarize, write_report
from autograder.cli import main

EVIL = "<img src=x onerror=alert(1)>"


def test_per_question_numbers_count_only_gradable_submissions(tmp_path: Path) -> None:
    summary = summarize(load_batch(write_batch(tmp_path / "out")))
    assert summary.submissions == 5
    assert summary.graded == 4  # the unreadable file is in the distribution only
    assert summary.totals == (0.0, 6.0, 7.0, 2.0, 8.0)  # results files in name order
    stats = {q.name: q for q in summary.questions}
    assert list(stats) == list(QUESTIONS)
    assert (stats["q1a"].points, stats["q1a"].mean, stats["q1a"].full_credit_rate) == (2, 2, 1)
    assert stats["q2_backward"].points == 6
    assert stats["q2_backward"].mean == pytest.approx((6 + 5 + 4 + 0) / 4)
    assert stats["q2_backward"].full_credit_rate == pytest.approx(1 / 4)
    assert summary.written == tuple(WRITTEN)
    assert sum(b.count for b in summary.bins) == 5


def test_recognised_mistakes_are_counted_per_submission(tmp_path: Path) -> None:
    summary = summarize(load_batch(write_batch(tmp_path / "out")))
    assert [(m.part, m.mistake, m.count) for m in summary.mistakes] == [
        ("q2_backward: dc_prev", "dc_prev_without_forget_gate", 2)
    ]
    failed = {m.part: m.count for m in summary.failed_parts}
    assert failed["q2_backward: dc_prev"] == 3
    assert failed["q2_backward: db"] == 2
    assert "q1a: ridge_prior" not in failed  # only the unreadable file failed it


def test_without_mistake_ids_the_failed_parts_stand_in(tmp_path: Path) -> None:
    folder = write_batch(tmp_path / "out", with_mistakes=False)
    summary = summarize(load_batch(folder))
    assert summary.mistakes == ()
    assert summary.failed_parts[0].part == "q2_backward: dc_prev"
    markdown = write_report(folder).markdown
    assert "None recognized" in markdown
    assert "| q2_backward: dc_prev | 3 |" in markdown


def test_incidents_say_who_timed_out_and_what_could_not_be_read(tmp_path: Path) -> None:
    summary = summarize(load_batch(write_batch(tmp_path / "out")))
    assert [(stem, i.kind, i.where) for stem, i in summary.incidents] == [
        (EVIL, "unreadable", "x"),
        ("loops", "timeout", "q2_backward"),
    ]


def test_markdown_and_page_hold_the_same_numbers(tmp_path: Path) -> None:
    report = write_report(write_batch(tmp_path / "out"))
    page = report.page.read_text()
    for needle in ("q2_backward", "3.75", "25%", "dc_prev_without_forget_gate", "timed out"):
        assert needle in report.markdown
        assert needle in page


def test_the_page_escapes_student_text_and_loads_nothing(tmp_path: Path) -> None:
    page = write_report(write_batch(tmp_path / "out")).page.read_text()
    assert EVIL not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>relative error</b>" not in page  # feedback quoted as text, not markup
    assert "<script" not in page
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == 2
    for data in images:
        with Image.open(io.BytesIO(base64.b64decode(data))) as image:
            assert image.format == "PNG"
            assert min(image.size) > 100


def test_files_that_are_not_results_are_listed_not_fatal(tmp_path: Path) -> None:
    folder = write_batch(tmp_path / "out")
    (folder / "notes.json").write_text('{"hello": 1}')
    (folder / "broken.json").write_text("{")
    summary = summarize(load_batch(folder))
    assert summary.submissions == 5
    assert [s.split(":")[0] for s in summary.skipped] == ["broken.json", "notes.json"]


def test_a_results_file_with_a_bad_score_is_skipped_naming_the_test(tmp_path: Path) -> None:
    folder = write_batch(tmp_path / "out")
    data = json.loads((folder / "bob.json").read_text())
    data["tests"][0]["score"] = "lots"
    (folder / "bob.json").write_text(json.dumps(data))
    skipped = summarize(load_batch(folder)).skipped
    assert skipped == ("bob.json: q1a: ridge_prior: score is 'lots', not a number",)


def test_report_command_prints_markdown_and_writes_the_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_batch(tmp_path / "out")
    assert main(["report", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Class report: disc06")
    assert f"report written to {folder / 'report.html'}" in out
    assert (folder / "report.html").is_file()


def test_report_html_option_chooses_the_page(tmp_path: Path) -> None:
    folder = write_batch(tmp_path / "out")
    assert main(["report", str(folder), "--html", str(tmp_path / "class.html")]) == 0
    assert (tmp_path / "class.html").is_file()
    assert not (folder / "report.html").exists()


@pytest.mark.parametrize("make", ["missing", "empty", "file"])
def test_report_on_a_folder_without_results_is_an_instructor_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: str
) -> None:
    folder = tmp_path / "out"
    if make == "empty":
        folder.mkdir()
    elif make == "file":
        folder.write_text("not a folder")
    assert main(["report", str(folder)]) == 1
    err = capsys.readouterr().err
    assert str(folder) in err.replace("\n", "")
    assert "autograder grade" in err.replace("\n", " ")


def test_an_unwritable_page_is_an_instructor_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_batch(tmp_path / "out")
    target = tmp_path / "no" / "such" / "dir" / "r.html"
    assert main(["report", str(folder), "--html", str(target)]) == 1
    assert "cannot write the report" in capsys.readouterr().err


@needs_chromium
def test_the_page_renders_in_chromium_with_every_question(tmp_path: Path) -> None:
    page = write_report(write_batch(tmp_path / "out")).page
    shot = tmp_path / "report.png"
    rendered = render(page, tmp_path / "profile", screenshot=shot)
    assert rendered.console == []
    for question in [*QUESTIONS, *WRITTEN]:
        assert question in rendered.dom
    assert rendered.dom.count("<img") == 2
    with Image.open(shot) as image:
        assert len(image.getcolors(maxcolors=1 << 16) or range(1 << 16)) > 16  # not blank


@needs_chromium
def test_the_chromium_check_sees_a_blocked_load(tmp_path: Path) -> None:
    """The console check above can fail: a remote image is blocked and reported."""
    page = write_report(write_batch(tmp_path / "out")).page
    text = page.read_text().replace("</body>", '<img src="http://example.invalid/x.png"></body>')
    page.write_text(text)
    rendered = render(page, tmp_path / "profile")
    assert any("example.invalid" in line for line in rendered.console)


def test_the_page_links_to_the_written_answers_when_they_exist(tmp_path: Path) -> None:
    folder = write_batch(tmp_path / "out")
    (folder / "written" / "questions").mkdir(parents=True)
    (folder / "written" / "questions" / "q2_written.html").write_text("<p>answers</p>")
    page = write_report(folder).page.read_text()
    assert '<a href="written/questions/q2_written.html">q2_written</a>' in page
    assert 'href="written/questions/q1a_written.html"' not in page  # not written: no dead link


def test_report_on_the_demo_folder_names_the_assignment_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_batch(tmp_path / "demo" / "disc06")
    assert main(["report", str(tmp_path / "demo")]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert f"autograder report {tmp_path / 'demo' / 'disc06'}" in err


@pytest.mark.slow
@needs_chromium
@pytest.mark.parametrize("name", ["disc05", "disc06"])
def test_the_report_of_the_graded_examples_renders_every_question(
    graded_folder: Path, tmp_path: Path, name: str
) -> None:
    folder = graded_folder / name
    report = write_report(folder, tmp_path / "report.html")
    results = [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]
    questions = {test["name"].split(":")[0] for r in results for test in r["tests"]}
    rendered = render(report.page, tmp_path / "profile")
    assert rendered.console == []
    for question in questions:
        assert question in rendered.dom
        assert question in report.markdown
    recognised = {
        m for r in results for t in r["tests"] for m in t.get("extra_data", {}).get("mistakes", [])
    }
    assert {m.mistake for m in report.summary.mistakes} == recognised
    assert recognised  # the examples' planted mistakes are recognised


def test_links_to_the_written_answers_work_from_a_page_elsewhere(tmp_path: Path) -> None:
    folder = write_batch(tmp_path / "out")
    (folder / "written" / "questions").mkdir(parents=True)
    (folder / "written" / "questions" / "q1a_written.html").write_text("<p>answers</p>")
    (tmp_path / "pages").mkdir()
    page = write_report(folder, tmp_path / "pages" / "class.html").page
    href = re.search(r'<a href="([^"]+)">q1a_written</a>', page.read_text())
    assert href is not None
    assert (page.parent / href.group(1)).resolve() == folder / "written/questions/q1a_written.html"


def test_a_single_mistake_id_is_read_too(tmp_path: Path) -> None:
    """Results may name one mistake as ``extra_data.mistake`` instead of a list."""
    folder = write_batch(tmp_path / "out", with_mistakes=False)
    data = json.loads((folder / "bob.json").read_text())
    entry = next(t for t in data["tests"] if t["name"] == "q2_backward: dc_prev")
    entry["extra_data"] = {"mistake": "dc_prev_without_forget_gate"}
    (folder / "bob.json").write_text(json.dumps(data))
    mistakes = summarize(load_batch(folder)).mistakes
    assert [(m.part, m.mistake, m.count) for m in mistakes] == [
        ("q2_backward: dc_prev", "dc_prev_without_forget_gate", 1)
    ]


def test_score_bins_of_whole_scores_name_whole_scores() -> None:
    from autograder.class_report.summary import score_bins

    assert [b.label for b in score_bins([0, 1, 3, 5], 5)] == ["0", "1", "2", "3", "4-5"]
    assert [b.label for b in score_bins([0, 13, 7], 13)] == [
        "0-1", "2-3", "4-5", "6-7", "8-9", "10-11", "12-13",
    ]  # fmt: skip
    assert [b.label for b in score_bins([0.5, 2], 2)] == ["0-1", "1-2"]  # half points: edges
