"""A validation report as text: the table per question, the survivors, the flips."""

from __future__ import annotations

from autograder.validate.validation import MutantResult, ValidationReport


def describe(report: ValidationReport, *, show_equivalent: bool = True) -> str:
    rows = [("question", "mutants", "sampled", "equivalent", "killed", "score", "bar")]
    for q in report.questions:
        score = "n/a" if q.score is None else f"{100 * q.score:.0f}%"
        rows.append(
            (
                q.name,
                str(q.generated),
                str(q.sampled),
                str(len(q.equivalent)),
                f"{len(q.killed)}/{len(q.graded)}",
                score + ("" if q.passed else " FAIL"),
                f"{100 * q.bar:.0f}%",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [f"{report.name}: mutation testing of the hidden tests ({report.seconds:.0f} s)"]
    lines += [
        "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows
    ]
    survivors = [r for q in report.questions for r in q.survivors]
    lines.append(f"surviving mutants: {len(survivors)}")
    lines += [_mutant(r) for r in survivors]
    if show_equivalent:
        equivalent = [r for q in report.questions for r in q.equivalent]
        lines.append(
            f"equivalent mutants (agree with the solution on fresh inputs): {len(equivalent)}"
        )
        lines += [_mutant(r) for r in equivalent]
    if report.stability_seeds:
        lines.append(
            f"stability: {len(report.stability_submissions)} submissions x "
            f"{len(report.stability_seeds)} seeds, {len(report.flips)} flip(s)"
        )
        lines += [
            f"  {f.submission} {f.credit}: fails under seeds {list(f.failed_seeds)}"
            for f in report.flips
        ]
    return "\n".join(lines)


def _mutant(result: MutantResult) -> str:
    mutant = result.mutant
    diff = "\n".join("      " + line for line in mutant.diff.split("\n"))
    return f"  {mutant.question} [{mutant.kind}] cell {mutant.cell_id}, line {mutant.line}:\n{diff}"
