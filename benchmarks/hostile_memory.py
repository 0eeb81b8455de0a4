"""Peak memory and time of reading each hostile file, next to an ordinary 3,000-row export.

Each file is read by `compiler.pipeline.inspect_file` (what the bot runs in a worker, with the bot's
limits) in a fresh Python process; the figure is that process's peak resident set, interpreter
and imports included, so the first row (a process that reads nothing) is the floor every other
row stands on. The child reports its own `VmHWM` (Linux): its `ru_maxrss`, from `getrusage` or
`wait4`, starts at the parent's peak (the kernel carries it across `exec`), and the parent holds
every file it builds. Only a child that dies is measured by `wait4`, an upper bound.

The files are the hostile set of `tests.hostile.catalogue`, the costly-but-accepted files of the
worker tests, and the largest files the limits accept: a 5,000 x 1,000 sheet of real cells, a
2,000 x 1,000 sheet of distinct shared strings (as large as 20 MB of zip allows), and a
19 MB CSV of 6.5 million cells.

Run from the repository root: `python -m benchmarks.hostile_memory` (about a minute).
Children run under a 4 GB address-space ceiling and a 300 s CPU limit, so a runaway shows as
an outcome rather than taking the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.hostile.broken import column_letters

CEILING = 4 * 1024**3
CPU_SECONDS = 300
REFERENCE = "ordinary export, 3,000 rows x 25 columns"


@dataclass(frozen=True)
class Measured:
    name: str
    size: int
    outcome: str
    seconds: float
    peak_mb: float


def ordinary() -> bytes:
    from benchmarks.intake_speed import surveyheart_sheet
    from tests.support.exports.files import xlsx_bytes

    return xlsx_bytes([("Responses", surveyheart_sheet(3_000))])


def largest_dense_xlsx() -> bytes:
    """5,000 rows x 1,000 columns of real cells (the most a sheet may span), 13 MB."""
    from tests.hostile.broken import inline_cell, ordinary_export, sheet_xml
    from tests.hostile.zips import parts_of, zip_of

    columns = [inline_cell(f"{column_letters(c)}1", f"Q{c}") for c in range(2, 1_000)]
    header = (
        b'<row r="1">' + inline_cell("A1", "Name") + inline_cell("B1", "Score")
        + b"".join(columns) + b"</row>"
    )  # fmt: skip
    letters = [column_letters(c).encode() for c in range(1_000)]
    rows = [header]
    for r in range(2, 5_001):
        number = str(r).encode()
        cells = [inline_cell(f"A{r}", f"Person {r}-Test"), b'<c r="B%d"><v>8</v></c>' % r]
        cells += [b'<c r="' + letters[c] + number + b'"><v>%d</v></c>' % ((r + c) % 10)
                  for c in range(2, 1_000)]  # fmt: skip
        rows.append(b'<row r="' + number + b'">' + b"".join(cells) + b"</row>")
    parts = parts_of(ordinary_export())
    parts["xl/worksheets/sheet1.xml"] = sheet_xml(b"".join(rows))
    return zip_of(parts)


def largest_shared_strings() -> bytes:
    """2,000 rows x 1,000 columns, every cell its own shared string: 120 MB of XML, 15 MB."""
    from tests.hostile.broken import ordinary_export, sheet_xml
    from tests.hostile.zips import parts_of, zip_of

    rows_count, columns = 2_000, 1_000
    letters = [column_letters(c).encode() for c in range(columns)]
    rows = []
    for r in range(rows_count):
        number = str(r + 1).encode()
        cells = [
            b'<c r="' + letters[c] + number + b'" t="s"><v>%d</v></c>' % (r * columns + c)
            for c in range(columns)
        ]
        rows.append(b'<row r="' + number + b'">' + b"".join(cells) + b"</row>")
    texts = [b"Name", b"Score"] + [b"a%07d" % i for i in range(2, rows_count * columns)]
    for r in range(1, rows_count):  # a name and a score in each row
        texts[r * columns] = b"Person %d-Test" % r
        texts[r * columns + 1] = b"8"
    strings = b"".join(b"<si><t>" + text + b"</t></si>" for text in texts)
    parts = parts_of(ordinary_export())
    parts["xl/worksheets/sheet1.xml"] = sheet_xml(b"".join(rows))
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
        b'openxmlformats.org/spreadsheetml/2006/main">' + strings + b"</sst>"
    )
    return zip_of(parts)


def widest_text() -> bytes:
    """930,000 cells showing one 200-character shared string with an emoji in it: as much
    repeated text as the budget allows, and Python keeps such text at 4 bytes a character."""
    from tests.hostile.broken import ordinary_export, sheet_xml
    from tests.hostile.zips import parts_of, zip_of

    text = ("🙂" + "a" * 199).encode()
    letters = [column_letters(c).encode() for c in range(1_000)]
    questions = b"".join(
        b'<c r="' + letters[c] + b'1" t="inlineStr"><is><t>Q%d</t></is></c>' % c
        for c in range(2, 1_000)
    )
    rows = [b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>' + questions]
    rows[0] += b"</row>"
    for r in range(2, 931):
        number = str(r).encode()
        cells = [b'<c r="A' + number + b'" t="s"><v>2</v></c><c r="B' + number + b'"><v>8</v></c>']
        cells += [
            b'<c r="' + letters[c] + number + b'" t="s"><v>3</v></c>' for c in range(2, 1_000)
        ]
        rows.append(b'<row r="' + number + b'">' + b"".join(cells) + b"</row>")
    parts = parts_of(ordinary_export())
    parts["xl/worksheets/sheet1.xml"] = sheet_xml(b"".join(rows))
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
        b'openxmlformats.org/spreadsheetml/2006/main"><si><t>Name</t></si><si><t>Score</t></si>'
        b"<si><t>Amara Okonkwo-Test</t></si><si><t>" + text + b"</t></si></sst>"
    )
    return zip_of(parts)


def largest_csv() -> bytes:
    """A 19 MB CSV of 1,000 columns of two-digit numbers: 6.5 million cells, each a string."""
    rng = random.Random(3)
    header = "Name,Score," + ",".join(f"Q{c}" for c in range(2, 1_000)) + "\r\n"
    lines = [header.encode()]
    size = len(lines[0])
    while size < 19 * 1024 * 1024:
        line = f"Person {len(lines)}-Test,8," + ",".join(
            str(rng.randrange(10, 100)) for _ in range(998)
        ) + "\r\n"  # fmt: skip
        lines.append(line.encode())
        size += len(lines[-1])
    return b"".join(lines)


def files() -> list[tuple[str, Callable[[], bytes]]]:
    """(name, builder) of every file measured, the reference first."""
    from tests.hostile.catalogue import HOSTILE
    from tests.hostile.odd import stray_cell_export, unpositioned_cells

    return [
        (REFERENCE, ordinary),
        *((h.name, h.build) for h in HOSTILE),
        ("stray cell (5,000,000-cell extent).xlsx", stray_cell_export),
        ("unpositioned cells.xlsx", unpositioned_cells),
        ("largest dense sheet.xlsx", largest_dense_xlsx),
        ("largest shared strings.xlsx", largest_shared_strings),
        ("most repeated text.xlsx", widest_text),
        ("largest csv.csv", largest_csv),
    ]


def measure(name: str, path: Path | None) -> Measured:
    """Read `path` (None: read nothing) in a fresh process; its peak RSS and time."""
    command = [sys.executable, "-m", "benchmarks.hostile_memory", "--child", str(path or "")]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if output.strip():
        report = json.loads(output)
    else:
        report = {"outcome": f"died ({child.returncode})", "peak_kb": usage.ru_maxrss}
    return Measured(
        name=name,
        size=path.stat().st_size if path else 0,
        outcome=report["outcome"],
        seconds=report.get("seconds", float("nan")),
        peak_mb=report["peak_kb"] / 1024,
    )


def child(path: str) -> None:
    """In the child: read one file as the bot's worker does, print the outcome as JSON."""
    resource.setrlimit(resource.RLIMIT_AS, (CEILING, CEILING))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    from compiler.errors import CompilerError
    from compiler.model import Limits, TestNumber, UploadedFile
    from compiler.pipeline import inspect_file

    if not path:
        print(json.dumps({"outcome": "nothing read", "seconds": 0.0, "peak_kb": _peak_kb()}))
        return
    upload = UploadedFile(Path(path).name, Path(path).read_bytes())
    started = time.perf_counter()
    try:
        summary = inspect_file(upload, TestNumber(1, "benchmark"), Limits(max_bytes=20 * 1024**2))
        outcome = f"read: {summary.participants:,} participants"
    except CompilerError as error:
        outcome = f"refused: {type(error).__name__}"
    except MemoryError:
        outcome = "MemoryError"
    seconds = time.perf_counter() - started
    print(json.dumps({"outcome": outcome, "seconds": seconds, "peak_kb": _peak_kb()}))


def _peak_kb() -> int:
    """This process's peak resident set in KiB (`VmHWM`)."""
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1])


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        results = [measure("python + compiler imported, nothing read", None)]
        for index, (name, build) in enumerate(files()):
            path = Path(folder) / f"{index:02d}{Path(name).suffix or '.xlsx'}"
            path.write_bytes(build())
            results.append(measure(name, path))
    reference = next(r for r in results if r.name == REFERENCE)
    print(f"{'file':44} {'size':>9}  {'outcome':34} {'peak RSS':>9} {'time':>8}  vs ordinary")
    for r in results:
        ratio = f"{r.peak_mb / reference.peak_mb:5.1f}x"
        print(
            f"{r.name[:44]:44} {r.size / 1024:7.0f} K  {r.outcome[:34]:34} "
            f"{r.peak_mb:6.0f} MB {r.seconds:7.2f} s  {ratio}"
        )
    worst = max(results, key=lambda r: r.peak_mb)
    slowest = max(results, key=lambda r: r.seconds)
    print(
        f"\nWorst peak: {worst.name} ({worst.outcome}), {worst.peak_mb:.0f} MB, "
        f"{worst.peak_mb / reference.peak_mb:.1f} times the ordinary export's "
        f"{reference.peak_mb:.0f} MB.\nSlowest: {slowest.name} ({slowest.outcome}), "
        f"{slowest.seconds:.1f} s, against {reference.seconds:.2f} s."
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child is not None:
        child(arguments.child)
    else:
        main()
