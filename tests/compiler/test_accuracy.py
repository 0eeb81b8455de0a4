"""End to end: every generated layout, noise and all, compiles to its truth (share >= 0.99)."""

from __future__ import annotations

import pytest

from compiler import pipeline as api
from compiler.grade import policies as grading
from compiler.model import CompileOptions
from tests.support.accuracy import score_workbook
from tests.support.classes import LAYOUTS, make_class


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("seed", [7, 8])
def test_a_noisy_class_compiles_to_its_truth(layout: str, seed: int) -> None:
    generated = make_class(layout, people=120, tests=5, seed=seed)
    options = CompileOptions(policy=grading.POLICIES["classic"], out_of=dict(generated.out_of))
    accuracy = score_workbook(api.compile_files(generated.files, options).workbook, generated)
    assert accuracy.share >= 0.99, accuracy.describe()
    assert accuracy.extra_rows == 0, accuracy.describe()  # totals, averages, anonymous rows
    assert accuracy.unexpected_tests == (), accuracy.describe()  # `TEST 519 ...` is test 5


def test_a_canvas_gradebook_brings_one_test_per_assignment() -> None:
    generated = make_class("canvas_gradebook", people=20, tests=3, seed=1)
    options = CompileOptions(policy=grading.POLICIES["classic"])
    result = api.compile_files(generated.files, options)
    assert result.report.tests == (1, 2, 3)
    assert all(
        title and title.startswith(("Test", "Quiz")) for title in result.report.titles.values()
    )
    assert score_workbook(result.workbook, generated).share == 1.0
