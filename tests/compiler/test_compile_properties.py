"""Whatever the cells hold, a compile ends in a workbook or in one of the compiler's own errors,
and the workbook never holds a formula."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from compiler import pipeline as api
from compiler.errors import CompilerError
from compiler.grade import policies as grading
from compiler.model import CompileOptions, UploadedFile

garbage = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["=1+1", "+2", "-3", "@SUM(A1)", "\t=x", "a@@b.com", "76,5%", "-", "EX"]),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
name = st.one_of(st.from_regex(r"[A-Z][a-z]{2,8} [A-Z][a-z]{2,8}-Test", fullmatch=True), garbage)
email = st.one_of(st.from_regex(r"[a-z]{3,8}@example\.org", fullmatch=True), garbage)
score = st.one_of(*[st.integers(0, 20).map(str)] * 4, st.sampled_from(["8 / 20", "12.5"]), garbage)
row = st.tuples(name, email, score)


def _csv(rows: list[tuple[str, str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Name", "Email", "Score (out of 20)"])
    for name, email, score in rows:
        writer.writerow([name.replace("\0", ""), email.replace("\0", ""), score.replace("\0", "")])
    return out.getvalue().encode("utf-8")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(row, min_size=2, max_size=12), min_size=1, max_size=3))
def test_any_cells_give_a_workbook_without_formulas_or_a_compiler_error(
    tests: list[list[tuple[str, str, str]]],
) -> None:
    files = [UploadedFile(f"Test {n}.csv", _csv(rows)) for n, rows in enumerate(tests, start=1)]
    options = CompileOptions(policy=grading.POLICIES["classic"])
    try:
        result = api.compile_files(files, options)
    except CompilerError as error:
        assert str(error)
        event(f"refused: {type(error).__name__}")
        return
    event("compiled")
    book = load_workbook(io.BytesIO(result.workbook))
    for sheet in book.worksheets:
        for cells in sheet.iter_rows():
            assert all(c.data_type != "f" for c in cells), f"a formula in {sheet.title}"
    assert len(result.report.participants) <= sum(len(rows) for rows in tests)
