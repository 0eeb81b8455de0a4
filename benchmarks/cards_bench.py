"""The report cards beside the workbook, for one big class, measured in the same process.

Generates a class of 3,000 people x 6 tests in the SurveyHeart layout (as compile_speed does),
compiles it once, then on that one CompileReport measures, alternating, N runs each:
  - workbook: `write_workbook(report)`, the .xlsx a compile sends;
  - cards:    `render_report_cards(report)`, the PDF: a cover and a page per participant.
Time is given as wall clock and as CPU time of this process (the second is steadier on a
shared machine). Then each runs once more under tracemalloc for its peak of Python
allocations (memory that C code takes for itself, zlib's or HarfBuzz's, is not counted), and
the sizes are printed, the PDF's against the 50 MB a bot may upload to Telegram.

    python -m benchmarks.cards_bench [--people 3000] [--tests 6] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from collections.abc import Callable

from compiler import DEFAULT_POLICY, POLICIES, CompileOptions, compile_files, render_report_cards
from compiler.model import CompileReport
from compiler.write.workbook import write_workbook
from tests.support.classes import make_surveyheart_benchmark

TELEGRAM_UPLOAD_MB = 50  # the largest file a bot may send (Bot API, sendDocument)
MB = 1024 * 1024

Writer = Callable[[CompileReport], bytes]


def timed(writer: Writer, report: CompileReport) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, bytes) of one run."""
    wall, cpu = time.perf_counter(), time.process_time()
    size = len(writer(report))
    return time.perf_counter() - wall, time.process_time() - cpu, size


def peak_memory(writer: Writer, report: CompileReport) -> int:
    """The peak of Python allocations, in bytes, while `writer` runs."""
    tracemalloc.start()
    try:
        writer(report)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--tests", type=int, default=6)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    files = make_surveyheart_benchmark(args.people, args.tests)
    options = CompileOptions(policy=POLICIES[DEFAULT_POLICY])
    report = compile_files(files, options).report
    writers: dict[str, Writer] = {"workbook": write_workbook, "cards": render_report_cards}
    for writer in writers.values():  # warm-up: modules, fonts, caches
        writer(report)

    runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name in writers}
    for _ in range(args.runs):  # interleaved so both see the same machine
        for name, writer in writers.items():
            runs[name].append(timed(writer, report))
    peaks = {name: peak_memory(writer, report) for name, writer in writers.items()}

    people = len(report.participants)
    print(
        f"{people:,} participants x {len(report.tests)} tests "
        f"({args.people:,} generated, policy {DEFAULT_POLICY}); {args.runs} runs each"
    )
    print(f"{'':10} {'wall best':>10} {'median':>8} {'CPU best':>9} {'median':>8} "
          f"{'peak (tracemalloc)':>19} {'size':>9}")  # fmt: skip
    for name in writers:
        wall = [run[0] for run in runs[name]]
        cpu = [run[1] for run in runs[name]]
        size = runs[name][0][2]
        print(
            f"{name:10} {min(wall):9.2f}s {statistics.median(wall):7.2f}s "
            f"{min(cpu):8.2f}s {statistics.median(cpu):7.2f}s "
            f"{peaks[name] / MB:16.0f} MB {size / MB:6.2f} MB"
        )
    cards_mb = runs["cards"][0][2] / MB
    fits = "fits" if cards_mb < TELEGRAM_UPLOAD_MB else "does NOT fit"
    print(
        f"cards / workbook: {_ratio(runs, 0)}x wall, {_ratio(runs, 1)}x CPU; "
        f"the PDF ({cards_mb:.2f} MB, {cards_mb / (people + 1) * 1024:.1f} KB a page) {fits} "
        f"Telegram's {TELEGRAM_UPLOAD_MB} MB upload limit"
    )


def _ratio(runs: dict[str, list[tuple[float, float, int]]], index: int) -> str:
    cards = statistics.median(run[index] for run in runs["cards"])
    workbook = statistics.median(run[index] for run in runs["workbook"])
    return f"{cards / workbook:.1f}"


if __name__ == "__main__":
    main()
