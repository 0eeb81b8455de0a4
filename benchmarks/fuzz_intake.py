"""Coverage-guided fuzzing of the intake (`compiler.understand.intake.read_export`) with atheris.

Every input is a file's bytes plus, in its last byte, the extension it is named with; anything
`read_export` raises other than `compiler.errors.CompilerError` is a crash (so is a run past
`-timeout` or `-rss_limit_mb`). The run starts from a seed corpus of real exports and of the
small hostile files (written to a temporary folder unless a corpus folder is given).

atheris is not a project dependency; it installs from a wheel, no compiler needed:

    python3 -m venv /tmp/fuzzvenv
    /tmp/fuzzvenv/bin/pip install atheris -e .
    /tmp/fuzzvenv/bin/python -m benchmarks.fuzz_intake -max_total_time=60 -timeout=20

Any libFuzzer option works (`-runs=`, `-max_len=`, `-jobs=`); a crash leaves `crash-<sha1>` in
the current folder, and `python -m benchmarks.fuzz_intake crash-<sha1>` replays it.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from compiler.errors import CompilerError
    from compiler.model import Limits, UploadedFile
    from compiler.understand.intake import read_export

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt", "")
LIMITS = Limits(max_bytes=2 * 1024 * 1024)
_LARGEST_SEED = 64 * 1024


def read_one(data: bytes) -> None:
    """The fuzz target: the bytes but the last as a file named by the last byte."""
    if not data:
        return
    name = "fuzzed" + EXTENSIONS[data[-1] % len(EXTENSIONS)]
    with contextlib.suppress(CompilerError):
        read_export(UploadedFile(name, data[:-1]), LIMITS)


def seeds() -> list[tuple[str, bytes]]:
    """(extension, bytes) of real exports of every layout, and the small hostile files."""
    from tests.hostile.catalogue import HOSTILE
    from tests.support.exports.files import csv_bytes, ods_bytes, xlsx_bytes
    from tests.support.exports.samples import (
        canvas_rows,
        google_rows,
        handmade_rows,
        kahoot_sheets,
        moodle_rows,
        ms_forms_rows,
        surveyheart_rows,
    )

    exports = {
        ".xlsx": [
            xlsx_bytes([("Responses", surveyheart_rows(4))]),
            xlsx_bytes([("Form Responses 1", google_rows())]),
            xlsx_bytes([("Sheet1", ms_forms_rows())], date_format="yyyy-mm-dd hh:mm:ss"),
            xlsx_bytes(kahoot_sheets()),
        ],
        ".ods": [ods_bytes([("Grades", moodle_rows())])],
        ".csv": [
            csv_bytes(canvas_rows()),
            csv_bytes(canvas_rows(decimal_comma=True), delimiter=";"),
            csv_bytes(handmade_rows(), encoding="utf-16", bom=True),
        ],
    }
    found = [(extension, data) for extension, files in exports.items() for data in files]
    for hostile in HOSTILE:
        data = hostile.build()
        if len(data) <= _LARGEST_SEED:
            found.append((Path(hostile.name).suffix, data))
    return found


def write_seeds(folder: Path) -> None:
    for number, (extension, data) in enumerate(seeds()):
        selector = EXTENSIONS.index(extension) if extension in EXTENSIONS else 0
        (folder / f"seed-{number:03d}").write_bytes(data + bytes([selector]))


def main() -> None:
    arguments = sys.argv
    corpus_given = any(not argument.startswith("-") for argument in arguments[1:])
    if not corpus_given:
        folder = Path(tempfile.mkdtemp(prefix="fuzz-intake-"))
        write_seeds(folder)
        arguments = [*arguments, str(folder)]
        print(f"seed corpus: {folder}", file=sys.stderr)
    atheris.Setup(arguments, read_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
