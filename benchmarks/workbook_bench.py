"""Time write_workbook for a large class against a bare XlsxWriter loop over the same cells.

Run from the repository root: `python benchmarks/workbook_bench.py [participants] [tests]`.
"""

from __future__ import annotations

import io
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compiler.model import CompileReport, ParticipantResult, Policy
from compiler.write.workbook import WORKBOOK_OPTIONS, write_workbook

POLICY = Policy("average", "The mean of the tests taken.", False, False, 50.0)


def make_report(participants: int, tests: int) -> CompileReport:
    """Invented people with random scores, about one in ten tests missing."""
    rng = random.Random(1)
    rows = []
    for i in range(participants):
        scores: dict[int, float | None] = {
            t: None if rng.random() < 0.1 else round(rng.uniform(0, 100), 1)
            for t in range(1, tests + 1)
        }
        taken = [s for s in scores.values() if s is not None]
        average = sum(taken) / len(taken) if taken else 0.0
        rows.append(
            ParticipantResult(
                f"Person {i:05d}-Test", f"p{i}@example.test", scores, None, average, average >= 50
            )
        )
    return CompileReport(POLICY, "best", tuple(range(1, tests + 1)), tuple(rows), (), (), (), ())


def bare_loop(report: CompileReport) -> bytes:
    """The same Results cells with no formats, widths, filters, other sheets or chart."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    sheet = book.add_worksheet("Results")
    for row, p in enumerate(report.participants, start=1):
        sheet.write_string(row, 0, p.name)
        sheet.write_string(row, 1, p.email or "")
        for col, t in enumerate(report.tests, start=2):
            score = p.scores.get(t)
            if score is not None:
                sheet.write_number(row, col, score)
        sheet.write_number(row, len(report.tests) + 2, p.final_average)
        sheet.write_string(row, len(report.tests) + 3, "PASS" if p.passed else "FAIL")
    book.close()
    return buffer.getvalue()


def timed(
    function: Callable[[CompileReport], bytes], report: CompileReport, runs: int
) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(report)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    participants = int(sys.argv[1]) if len(sys.argv) > 1 else 3_000
    tests = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    report = make_report(participants, tests)
    write_workbook(report)  # warm-up
    bare_loop(report)
    ours, bare = [], []
    for _ in range(5):  # interleaved so both see the same machine state
        ours += timed(write_workbook, report, 1)
        bare += timed(bare_loop, report, 1)
    size = len(write_workbook(report))
    print(f"{participants} participants x {tests} tests, 5 runs each, median (min-max):")
    print(f"  write_workbook: {statistics.median(ours):.3f} s ({min(ours):.3f}-{max(ours):.3f})")
    print(f"  bare loop:      {statistics.median(bare):.3f} s ({min(bare):.3f}-{max(bare):.3f})")
    print(f"  ratio: {statistics.median(ours) / statistics.median(bare):.2f}x; xlsx {size} bytes")


if __name__ == "__main__":
    main()
