"""How long read_export takes on a 3,000-row x 25-column SurveyHeart export, next to calamine
reading the same file alone and XlsxWriter writing a sheet of the same size.

Run from the repository root: `python -m benchmarks.intake_speed` (prints best and median of 7).
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

import xlsxwriter
from python_calamine import CalamineWorkbook

from compiler.model import UploadedFile
from compiler.understand.intake import read_export
from tests.support.exports.files import xlsx_bytes
from tests.support.exports.samples import surveyheart_rows

ROWS = 3_000


def surveyheart_sheet(rows: int) -> list[list[object]]:
    """A SurveyHeart export widened to 25 columns with more True/False question columns."""
    sheet = surveyheart_rows(rows)
    extra = [f"{i}. Question {i}: the total score of the heart is what?" for i in range(4, 18)]
    sheet[0] = [*sheet[0][:-1], *extra, sheet[0][-1]]
    for row in sheet[1:]:
        row[-1:-1] = ["True" if i % 3 else "False" for i in range(len(extra))]
    return sheet


def timed(action: Callable[[], object], repeats: int = 7) -> tuple[float, float]:
    """(best, median) wall time of `action` in milliseconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return min(times), statistics.median(times)


def main() -> None:
    sheet = surveyheart_sheet(ROWS)
    data = xlsx_bytes([("Responses", sheet)])
    upload = UploadedFile(name="Anatomy TEST 5.xlsx", data=data)

    def calamine_alone() -> None:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in workbook.sheet_names:
            workbook.get_sheet_by_name(name).to_python()

    def xlsxwriter_same_size() -> None:
        workbook = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
        target = workbook.add_worksheet()
        for r, row in enumerate(sheet):
            for c, value in enumerate(row):
                target.write(r, c, value)
        workbook.close()

    print(f"{ROWS} rows x {len(sheet[0])} columns, {len(data):,} bytes")
    for label, action in (
        ("calamine to_python alone", calamine_alone),
        ("xlsxwriter, same-size sheet", xlsxwriter_same_size),
        ("read_export", lambda: read_export(upload)),
    ):
        best, median = timed(action)
        print(f"{label:30} best {best:7.1f} ms   median {median:7.1f} ms")


if __name__ == "__main__":
    main()
