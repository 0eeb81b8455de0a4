"""Errors cross the worker-process boundary whole: same type, same fields, same text."""

import pickle

import pytest

from compiler.errors import (
    CompilerError,
    CorruptFile,
    FileTooLarge,
    MissingMaximum,
    NothingToCompile,
    UnsupportedFormat,
)


@pytest.mark.parametrize(
    "error",
    [
        CorruptFile("a.xlsx", "is damaged.", "Save it again as .xlsx."),
        UnsupportedFormat("b.pdf", "is a PDF.", "Send the spreadsheet."),
        FileTooLarge("c.xlsx", "would expand to 3 GB.", "Send a smaller file."),
        MissingMaximum([4, 2]),
        NothingToCompile(),
        CompilerError("plain"),
    ],
)
def test_errors_survive_pickling(error: CompilerError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error) == error.message
    assert copy.__dict__ == error.__dict__


def test_missing_maximum_names_the_tests_in_order() -> None:
    error = MissingMaximum([4, 2])
    assert error.tests == [2, 4]
    assert "test 2, test 4" in str(error) and "--out-of 2=MAX" in str(error)


def test_a_missing_maximum_names_its_column() -> None:
    error = MissingMaximum([5], {5: "Unit Exam I [Total Pts: 0 Text] |60230"})
    assert str(error) == (
        "The maximum score is not in the file for test 5 ('Unit Exam I [Total Pts: 0 Text] "
        "|60230'): say out of how many marks (on the command line: --out-of 5=MAX)."
    )
