"""The public surface a teacher who codes uses in a notebook: `compile_paths`, then the Results
sheet as a pandas DataFrame, or the workbook saved."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import compiler
from compiler import CompilerError, compile_paths
from tests.support.platform_corpus import CORPUS

GRADEBOOK = CORPUS / "canvas" / "2026-03-02T1015_Grades-BIO_101_A.csv"
QUIZ = CORPUS / "google_forms" / "Quiz 3 (Responses).xlsx"


def test_compile_paths_gives_the_results_as_a_dataframe_and_a_workbook(tmp_path: Path) -> None:
    result = compile_paths([GRADEBOOK, QUIZ], policy="average", pass_mark=60)
    frame = result.to_dataframe()
    assert list(frame.columns) == result.report.results_header()
    assert list(frame.columns)[:2] == ["Name", "Email"]
    assert len(frame) == len(result.report.participants)
    first = result.report.participants[0]
    row = frame.iloc[0]
    assert row["Name"] == first.name
    assert row["Final Average"] == first.final_average
    assert row["Status"] == ("PASS" if first.passed else "FAIL")
    assert result.report.policy.pass_mark == 60
    out = tmp_path / "results.xlsx"
    result.save(out)
    assert openpyxl.load_workbook(out).sheetnames == ["Results", "Summary", "Issues", "Sources"]


def test_compile_paths_numbers_a_file_as_told_and_takes_maxima() -> None:
    result = compile_paths([QUIZ], tests={QUIZ.name: 7}, out_of={})
    assert result.report.tests == (7,)


def test_compile_paths_refuses_with_the_reason() -> None:
    ungraded = CORPUS / "moodle" / "Grades-BIO101-Essay 1-4822.csv"
    with pytest.raises(CompilerError, match="'Grade': no one has a score"):
        compile_paths([ungraded])


def test_the_surface_names_what_it_exports() -> None:
    for name in compiler.__all__:
        assert getattr(compiler, name) is not None
    assert callable(compiler.render_results_png)  # loaded on first use
