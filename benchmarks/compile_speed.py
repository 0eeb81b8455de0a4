"""The whole `python -m compiler` process against the floor of its work, measured side by side.

Generates a class of 3,000 people x 6 tests in the SurveyHeart layout (about 25 columns), then
times, alternating and best of N:
  - compile: `python -m compiler FILES -o OUT.xlsx` as a newcomer runs it;
  - floor:   a fresh process that reads the same files with python-calamine and writes one
             sheet of the same size as the Results sheet with XlsxWriter.
Both are whole processes (interpreter start and imports included), so the ratio is honest.

Then the same two inside one warm process, as a bot's worker runs a compile (modules loaded,
one compile done before timing):
  - warm compile: `compiler.compile_files` on the files' bytes;
  - warm floor:   calamine reading the same bytes and XlsxWriter writing the same sheet.

    python -m benchmarks.compile_speed [--people 3000] [--tests 6] [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import python_calamine
import xlsxwriter

from compiler import DEFAULT_POLICY, POLICIES, CompileOptions, UploadedFile, compile_files
from tests.support.classes import make_surveyheart_benchmark

FLOOR = """
import sys
import python_calamine
import xlsxwriter

paths, out, rows, cols = sys.argv[1:-3], sys.argv[-3], int(sys.argv[-2]), int(sys.argv[-1])
for path in paths:
    book = python_calamine.CalamineWorkbook.from_path(path)
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()
book = xlsxwriter.Workbook(out, {"constant_memory": False})
sheet = book.add_worksheet("Results")
for r in range(rows):
    for c in range(cols):
        sheet.write_number(r, c, r * 0.5 + c) if c > 1 else sheet.write_string(r, c, f"P{r}")
book.close()
"""


def _floor_in_process(datas: list[bytes], rows: int, cols: int) -> None:
    for data in datas:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": False, "in_memory": True})
    sheet = book.add_worksheet("Results")
    for r in range(rows):
        for c in range(cols):
            sheet.write_number(r, c, r * 0.5 + c) if c > 1 else sheet.write_string(r, c, f"P{r}")
    book.close()


def warm_figures(
    uploads: list[UploadedFile], rows: int, cols: int, runs: int
) -> tuple[list[float], list[float]]:
    """Seconds of a compile and of its floor in this (warm) process, alternating, `runs` each."""
    options = CompileOptions(policy=POLICIES[DEFAULT_POLICY])
    datas = [upload.data for upload in uploads]
    compile_files(uploads, options)  # warm: imports, caches, the allocator
    _floor_in_process(datas, rows, cols)
    compile_times, floor_times = [], []
    for _ in range(runs):
        started = time.perf_counter()
        compile_files(uploads, options)
        compile_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        _floor_in_process(datas, rows, cols)
        floor_times.append(time.perf_counter() - started)
    return compile_times, floor_times


def _timed(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started


def _with_bytecode() -> dict[str, str]:
    """The environment with bytecode caching on, as in a normal installation: both sides then
    start from cached bytecode (the libraries the floor imports have theirs from pip)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--tests", type=int, default=6)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = []
        uploads = make_surveyheart_benchmark(args.people, args.tests)
        for upload in uploads:
            path = folder / upload.name
            path.write_bytes(upload.data)
            paths.append(str(path))
        columns = 2 + args.tests + 3  # Name, Email, tests, Assignment, Final Average, Status
        compile_cmd = [sys.executable, "-m", "compiler", *paths, "-o", str(folder / "out.xlsx")]
        floor_cmd = [
            sys.executable, "-c", FLOOR, *paths, str(folder / "floor.xlsx"),
            str(args.people + 1), str(columns),
        ]  # fmt: skip
        # Warm the page cache, and write the bytecode of both sides.
        _timed(compile_cmd, _with_bytecode()), _timed(floor_cmd, _with_bytecode())
        compile_times, floor_times = [], []
        for _ in range(args.runs):
            compile_times.append(_timed(compile_cmd))
            floor_times.append(_timed(floor_cmd))

    warm_compile, warm_floor = warm_figures(uploads, args.people + 1, columns, args.runs)
    print(f"class: {args.people} people x {args.tests} tests, SurveyHeart layout")
    print(f"{'':22} {'best':>8} {'median':>8}")
    for label, times in (
        ("compile (process)", compile_times),
        ("floor (process)", floor_times),
        ("compile (warm worker)", warm_compile),
        ("floor (warm worker)", warm_floor),
    ):
        print(f"{label:22} {min(times):8.3f} {statistics.median(times):8.3f} s")
    print(
        f"ratio, whole process (best): {min(compile_times) / min(floor_times):.2f}x (budget 1.50x)"
    )
    print(f"ratio, warm worker (best):   {min(warm_compile) / min(warm_floor):.2f}x")


if __name__ == "__main__":
    main()
