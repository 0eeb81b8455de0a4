"""Every hostile file through the compiler: refused quickly with a message naming the file and
saying what to do, or, when only odd, read and compiled with its odd text intact and nothing
in the workbook a formula."""

from __future__ import annotations

import io
import time

import pytest
from openpyxl import load_workbook

from compiler.errors import CompilerError, ExportError
from compiler.grade.policies import POLICIES
from compiler.model import CompileOptions, TestNumber
from compiler.pipeline import compile_files, inspect_file
from compiler.understand.numbering import number_upload
from tests.hostile import odd
from tests.hostile.catalogue import LEGITIMATE, REFUSED, Hostile

OPTIONS = CompileOptions(policy=POLICIES["classic"])
DOING_WORDS = ("Send", "Save", "Open", "Export", "Delete", "Unzip")


def ids(hostile: Hostile) -> str:
    return hostile.name


@pytest.mark.parametrize("hostile", REFUSED, ids=ids)
def test_refused_naming_the_file_saying_what_is_wrong_and_what_to_do(hostile: Hostile) -> None:
    upload = hostile.upload()
    assert len(upload.data) < 2_100_000  # the test files themselves stay small
    started = time.perf_counter()
    with pytest.raises(CompilerError) as raised:
        inspect_file(upload, TestNumber(1, "test"))
    assert time.perf_counter() - started < 2.0  # refused, never expanded
    error = raised.value
    assert isinstance(error, ExportError)
    assert type(error) is hostile.refused, str(error)
    assert str(error).startswith(f"{hostile.name}: ")
    assert hostile.says in error.problem
    assert any(word in error.advice for word in DOING_WORDS), error.advice


def workbook_cells(workbook: bytes) -> list[tuple[str, str, str, object]]:
    """(sheet, cell, data type, value) of every cell of every sheet."""
    book = load_workbook(io.BytesIO(workbook))
    return [
        (sheet.title, cell.coordinate, cell.data_type, cell.value)
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def results_names(workbook: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(workbook), read_only=True)
    return [str(row[0]) for row in book["Results"].iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize("hostile", LEGITIMATE, ids=ids)
def test_odd_but_legitimate_files_keep_their_text_and_never_become_formulas(
    hostile: Hostile,
) -> None:
    upload = hostile.upload()
    (summary,) = inspect_file(upload, TestNumber(1, "test"))
    assert summary.participants == len(hostile.people)
    result = compile_files([upload], OPTIONS)
    assert sorted(results_names(result.workbook)) == sorted(hostile.people)
    cells = workbook_cells(result.workbook)
    assert not [cell for cell in cells if cell[2] == "f"]  # no formula anywhere
    assert all(len(str(value)) <= 32_767 for *_, value in cells)


def test_text_that_looks_like_a_formula_stays_text() -> None:
    result = compile_files([next(h for h in LEGITIMATE if "📊" in h.name).upload()], OPTIONS)
    shown = {str(value): kind for _, _, kind, value in workbook_cells(result.workbook)}
    assert [shown[name] for name in odd.FORMULA_LIKE_SHOWN] == ["s"] * 3


def test_the_arabic_and_emoji_file_name_still_gives_its_test_number() -> None:
    test, _ = number_upload("نتائج الاختبار 3 📊.xlsx", None, set())
    assert test.number == 3


def test_the_longest_name_is_shown_whole() -> None:
    longest = next(h for h in LEGITIMATE if h.build is odd.longest_cells)
    assert len(odd.LONG_NAME) > 32_700
    assert odd.LONG_NAME in results_names(compile_files([longest.upload()], OPTIONS).workbook)
