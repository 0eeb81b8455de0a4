"""The whole `python -m compiler` process against the floor of its work, measured side by side.

Generates a class of 3,000 people x 6 tests in the SurveyHeart layout (about 25 columns), then
times, alternating and best of N:
  - compile: `python -m compiler FILES -o OUT.xlsx` as a newcomer runs it;
  - floor:   a fresh process that reads the same files with python-calamine and writes one
             sheet of the same size as the Results sheet with XlsxWriter.
Both are whole processes (interpreter start and imports included), so the ratio is honest.

    python -m benchmarks.compile_speed [--people 3000] [--tests 6] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
        for upload in make_surveyheart_benchmark(args.people, args.tests):
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

    best_compile, best_floor = min(compile_times), min(floor_times)
    print(f"class: {args.people} people x {args.tests} tests, SurveyHeart layout")
    print(f"{'':8} {'best':>8} {'median':>8}")
    print(f"{'compile':8} {best_compile:8.3f} {statistics.median(compile_times):8.3f} s")
    print(f"{'floor':8} {best_floor:8.3f} {statistics.median(floor_times):8.3f} s")
    print(f"ratio (best): {best_compile / best_floor:.2f}x   (budget 1.50x)")


if __name__ == "__main__":
    main()
