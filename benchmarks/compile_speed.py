"""The whole `python -m compiler` process against the floor of its work, measured side by side.

Generates a class of 3,000 people x 6 tests in the SurveyHeart layout (about 25 columns), then
times, alternating and best of N:
  - compile: `python -m compiler FILES -o OUT.xlsx` as a newcomer runs it;
  - graded:  the same with weights, the lowest result dropped and letter grades on
             (`--weight 1=2 --weight 3=0.5 --drop-lowest 1 --letters nigeria`);
  - floor:   a fresh process that reads the same files with python-calamine and writes one
             sheet of the same size as the Results sheet with XlsxWriter.
All are whole processes (interpreter start and imports included), so the ratio is honest.

Then the same inside one warm process, as a bot's worker runs a compile (modules loaded,
one compile done before timing):
  - warm compile (and graded): `compiler.compile_files` on the files' bytes;
  - warm floor:   calamine reading the same bytes and XlsxWriter writing the same sheet.

    python -m benchmarks.compile_speed [--people 3000] [--tests 6] [--runs 5] [--plain]

`--plain` leaves out the graded runs.
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

from compiler import (
    DEFAULT_POLICY,
    POLICIES,
    CompileOptions,
    UploadedFile,
    compile_files,
    letter_scale,
)
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


def grading_choices(tests: int) -> tuple[dict[int, float], int, str]:
    """The weights, the number dropped and the letter scale of the graded runs."""
    return {1: 2.0, min(3, tests): 0.5}, 1, "nigeria"


def grading_arguments(tests: int) -> list[str]:
    """`grading_choices` as `python -m compiler` takes them."""
    weights, drop, letters = grading_choices(tests)
    arguments = [f"--weight={test}={weight:g}" for test, weight in weights.items()]
    return [*arguments, "--drop-lowest", str(drop), "--letters", letters]


def warm_figures(
    uploads: list[UploadedFile], rows: int, cols: int, runs: int, tests: int, graded: bool
) -> dict[str, list[float]]:
    """Seconds of a compile (and a graded one) and of the floor in this (warm) process,
    alternating, `runs` each."""
    plain = CompileOptions(policy=POLICIES[DEFAULT_POLICY])
    weights, drop, letters = grading_choices(tests)
    chosen = CompileOptions(
        policy=plain.policy, weights=weights, drop_lowest=drop, letters=letter_scale(letters)
    )
    options = {"compile": plain, **({"graded": chosen} if graded else {})}
    datas = [upload.data for upload in uploads]
    for each in options.values():  # warm: imports, caches, the allocator
        compile_files(uploads, each)
    _floor_in_process(datas, rows, cols)
    times: dict[str, list[float]] = {name: [] for name in [*options, "floor"]}
    for _ in range(runs):
        for name, each in options.items():
            started = time.perf_counter()
            compile_files(uploads, each)
            times[name].append(time.perf_counter() - started)
        started = time.perf_counter()
        _floor_in_process(datas, rows, cols)
        times["floor"].append(time.perf_counter() - started)
    return times


def _timed(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env, cwd=cwd)
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
    parser.add_argument("--plain", action="store_true", help="leave out the graded runs")
    parser.add_argument(
        "--before",
        type=Path,
        metavar="CHECKOUT",
        help="also time `python -m compiler` of another checkout (an earlier commit, for a "
        "change's cost measured in the same runs)",
    )
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
        commands = {"compile": compile_cmd}
        if not args.plain:
            commands["graded"] = [*compile_cmd, *grading_arguments(args.tests)]
        cwd: dict[str, Path | None] = {name: None for name in commands}
        if args.before is not None:
            commands["before"], cwd["before"] = compile_cmd, args.before.resolve()
        commands["floor"] = [
            sys.executable, "-c", FLOOR, *paths, str(folder / "floor.xlsx"),
            str(args.people + 1), str(columns),
        ]  # fmt: skip
        # Warm the page cache, and write the bytecode of every side.
        for name, command in commands.items():
            _timed(command, _with_bytecode(), cwd.get(name))
        process: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                process[name].append(_timed(command, cwd=cwd.get(name)))

    warm = warm_figures(uploads, args.people + 1, columns, args.runs, args.tests, not args.plain)
    print(f"class: {args.people} people x {args.tests} tests, SurveyHeart layout")
    if not args.plain:
        print(f"graded: {' '.join(grading_arguments(args.tests))}")
    print(f"{'':24} {'best':>8} {'median':>8}")
    for where, times in (("process", process), ("warm worker", warm)):
        for name, seconds in times.items():
            label = f"{name} ({where})"
            print(f"{label:24} {min(seconds):8.3f} {statistics.median(seconds):8.3f} s")
    for name in [n for n in process if n != "floor"]:
        ratio = min(process[name]) / min(process["floor"])
        warm_ratio = (
            f"; warm worker: {min(warm[name]) / min(warm['floor']):.2f}x" if name in warm else ""
        )
        print(f"ratio {name}, whole process (best): {ratio:.2f}x (budget 1.50x){warm_ratio}")


if __name__ == "__main__":
    main()
