"""End to end: every generated layout, noise and all, compiles to its truth (share >= 0.99)."""

from __future__ import annotations

import pytest

from compiler.model import CompileOptions
from tests.support.accuracy import score_workbook
from tests.support.classes import LAYOUTS, make_class

api = pytest.importorskip("compiler.api")
grading = pytest.importorskip("compiler.grading")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_noisy_class_compiles_to_its_truth(layout: str) -> None:
    generated = make_class(layout, people=120, tests=5, seed=7)
    options = CompileOptions(policy=grading.POLICIES["classic"], out_of=dict(generated.out_of))
    accuracy = score_workbook(api.compile_files(generated.files, options).workbook, generated)
    assert accuracy.share >= 0.99, accuracy.describe()
    assert accuracy.extra_rows == 0, accuracy.describe()  # totals, averages, anonymous rows
    assert accuracy.unexpected_tests == (), accuracy.describe()  # `TEST 519 ...` is test 5
