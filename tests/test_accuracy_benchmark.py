"""The accuracy benchmark's own plumbing, driven by injected compiles that are wrong on
purpose, so the scorer is shown to catch them."""

from __future__ import annotations

from benchmarks.accuracy import format_table, measure
from compiler.errors import NothingToCompile
from tests.support.accuracy import truth_workbook
from tests.support.classes import GeneratedClass


def test_a_perfect_compile_measures_full_marks() -> None:
    runs = measure(truth_workbook, layouts=("moodle", "kahoot"), people=20, tests=2, seed=3)
    assert [run.layout for run in runs] == ["moodle", "kahoot"]
    assert all(run.accuracy and run.accuracy.share == 1.0 for run in runs)
    table = format_table(runs)
    assert "moodle" in table and "kahoot" in table
    assert table.splitlines()[-1].split()[1:] == ["80", "80", "100.00%"]


def test_a_failing_compile_is_reported_and_the_rest_still_run() -> None:
    def refuse_kahoot(generated: GeneratedClass) -> bytes:
        if generated.layout == "kahoot":
            raise NothingToCompile()
        return truth_workbook(generated, lambda rows: rows[1:])

    runs = measure(refuse_kahoot, layouts=("kahoot", "handmade"), people=10, tests=2)
    table = format_table(runs, show=1)
    assert runs[0].accuracy is None and "compile failed: There are no result files" in table
    assert runs[1].accuracy and runs[1].accuracy.right == 20 - 2
    assert "person not found" in table
