"""Real layouts, platform by platform: how many corpus files (tests/fixtures/platforms) the
compiler reads right, refuses rightly or gets wrong, and how many stated scores it reads right,
each beside the reading stated by hand for that file (the reference).

    python -m benchmarks.platforms [--verbose]
"""

from __future__ import annotations

import argparse
from collections import defaultdict

from tests.support.platform_corpus import Verdict, corpus_files, judge


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="say what was wrong, file by file")
    args = parser.parse_args()
    by_platform: dict[str, list[Verdict]] = defaultdict(list)
    for path in corpus_files():
        verdict = judge(path)
        by_platform[verdict.platform].append(verdict)
    print(f"{'platform':24} {'files':>5} {'right':>5} {'refused rightly':>15} {'wrong':>5}"
          f" {'cells right / stated':>21}")  # fmt: skip
    totals = [0, 0, 0, 0, 0, 0]
    for platform, verdicts in sorted(by_platform.items()):
        counts = [
            len(verdicts),
            sum(v.outcome == "right" for v in verdicts),
            sum(v.outcome == "refused rightly" for v in verdicts),
            sum(v.outcome == "wrong" for v in verdicts),
            sum(v.cells_right for v in verdicts),
            sum(v.cells for v in verdicts),
        ]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        _row(platform, counts)
        if args.verbose:
            for verdict in verdicts:
                for why in verdict.why:
                    print(f"    {verdict.path.name}: {why}")
    _row("all", totals)


def _row(label: str, counts: list[int]) -> None:
    files, right, refused, wrong, cells_right, cells = counts
    share = f"({cells_right / cells:.1%})" if cells else ""
    print(
        f"{label:24} {files:5} {right:5} {refused:15} {wrong:5} "
        f"{cells_right:>9} / {cells:<5} {share}"
    )


if __name__ == "__main__":
    main()
