"""Accuracy of the compiler on every generated layout, measured.

    python -m benchmarks.accuracy [--people 120] [--tests 5] [--seed 0] [--show 5]
                                  [--layout NAME ...] [--rounds 5] [--last-first-roster]

For each layout of `tests.support.classes`: generate a noisy class, compile it with the classic
policy (telling it the maxima the files do not carry), score the `Results` sheet against the
truth, and print one row: cells compared, cells right, their share, rows that match nobody, and
the compile's wall time.

Then the same layouts with the identity noise no file settles (`make_class(...,
undecidable=True)`: a misspelt name with no usable e-mail, a second e-mail under another
spelling, different people one letter apart who never meet in a test), measured two ways side
by side:
- with the class's roster (`tests.support.roster_file`: two absentees on it, one person of the
  class left off it): people on the roster, Results rows, rows off the roster (and how many of
  those are not below the roster's), cells right;
- without a roster: rows and questions ("possibly the same person") of the first compile and
  the share of those questions that are one person; then every question answered truthfully
  (`tests.support.oracle`), the class compiled again with every answer so far, until nothing is
  asked (at most `--rounds` compiles): rows and cells right after, questions asked again after
  being answered (the same pair, or the same two true people), and the compiles it took.
Every figure printed is measured here; `--show` lists what went wrong, by person index.
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from benchmarks.identity import (
    MAX_ROUNDS,
    compile_for_identity,
    format_identity_table,
    measure_identity,
)
from compiler.errors import CompilerError
from compiler.model import CompileOptions
from tests.support.accuracy import AccuracyResult, score_workbook
from tests.support.classes import LAYOUTS, GeneratedClass, make_class

CompileClass = Callable[[GeneratedClass], bytes]


@dataclass(frozen=True)
class LayoutRun:
    """One layout's measurement: the accuracy, or why there is none."""

    layout: str
    files: int
    seconds: float
    accuracy: AccuracyResult | None
    error: str | None = None


def compile_with_classic_policy(generated: GeneratedClass) -> bytes:
    """The real compile: `compiler.pipeline.compile_files` with the classic policy, best attempt."""
    from compiler import pipeline as api
    from compiler.grade import policies as grading  # imported late: this module loads without them

    options = CompileOptions(policy=grading.POLICIES["classic"], out_of=dict(generated.out_of))
    return api.compile_files(generated.files, options).workbook


def measure(
    compile_class: CompileClass,
    layouts: Sequence[str] = LAYOUTS,
    people: int = 120,
    tests: int = 5,
    seed: int = 0,
) -> list[LayoutRun]:
    """Generate, compile and score each layout; a compile error is recorded, not raised."""
    runs = []
    for layout in layouts:
        generated = make_class(layout, people, tests, seed=seed)
        started = time.perf_counter()
        try:
            workbook = compile_class(generated)
        except CompilerError as error:
            seconds = time.perf_counter() - started
            runs.append(LayoutRun(layout, len(generated.files), seconds, None, error.message))
            continue
        seconds = time.perf_counter() - started
        accuracy = score_workbook(workbook, generated)
        runs.append(LayoutRun(layout, len(generated.files), seconds, accuracy))
    return runs


def format_table(runs: Sequence[LayoutRun], show: int = 0) -> str:
    """The runs as a fixed-width table, with a total row and up to `show` mismatches each."""
    lines = [
        f"{'layout':<18}{'files':>6}{'cells':>7}{'right':>7}{'share':>9}{'stray':>7}{'secs':>7}"
    ]
    cells = right = 0
    for run in runs:
        head = f"{run.layout:<18}{run.files:>6}"
        if run.accuracy is None:
            lines.append(f"{head}  compile failed: {run.error}")
            continue
        acc = run.accuracy
        cells, right = cells + acc.cells, right + acc.right
        lines.append(
            f"{head}{acc.cells:>7}{acc.right:>7}{acc.share:>9.2%}{acc.extra_rows:>7}"
            f"{run.seconds:>7.2f}"
        )
        lines += [f"    {line}" for line in acc.describe().splitlines()[1 : show + 1]]
    share = f"{right / cells:>9.2%}" if cells else f"{'-':>9}"
    lines.append(f"{'all':<18}{'':>6}{cells:>7}{right:>7}{share}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=120)
    parser.add_argument("--tests", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=0, help="mismatches to list per layout")
    parser.add_argument("--layout", action="append", choices=LAYOUTS, help="only these layouts")
    parser.add_argument(
        "--rounds", type=int, default=MAX_ROUNDS, help="most compiles while answering questions"
    )
    parser.add_argument(
        "--last-first-roster",
        action="store_true",
        help="write the roster's lone name column as `Surname, Given`",
    )
    args = parser.parse_args(argv)
    if importlib.util.find_spec("compiler.pipeline") is None:
        print("compiler.pipeline is not there yet: nothing to measure.")
        return 2
    layouts = args.layout or LAYOUTS
    runs = measure(compile_with_classic_policy, layouts, args.people, args.tests, args.seed)
    print(format_table(runs, args.show))
    print()
    print("The same layouts with the identity noise no file settles:")
    identity = measure_identity(
        compile_for_identity,
        layouts,
        args.people,
        args.tests,
        args.seed,
        args.rounds,
        last_first=args.last_first_roster,
    )
    print(format_identity_table(identity, args.show))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
