"""`python -m compiler` starts with only what a compile of .xlsx exports needs: each module
imported is time spent before the first file is read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.classes import make_surveyheart_benchmark

ROOT = Path(__file__).resolve().parents[2]

# Loaded when a file needs them: a CSV, an .xls, an .ods or a sheet the quick scan cannot read.
RARE = {
    "compiler.read.csv_text",
    "csv",
    "compiler.read.guards.xls",
    "defusedxml",
    "xml.etree.ElementTree",
    "pyexpat",  # shared strings that are not a plain table
}
# Never on the compile path: heavy, or not the compiler's business.
NEVER = {
    "pandas",
    "openpyxl",
    "PIL",
    "compiler.write.picture",
    "fpdf",  # the report cards: loaded when --cards asks for them
    "fontTools",
    "compiler.write.cards",
    "telegram",
    "storage",
    "bot",
}


def modules_loaded(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code`."""
    report = "\nimport json, sys; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code + report], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_starting_the_command_line_loads_no_rare_or_heavy_module() -> None:
    loaded = modules_loaded("import compiler.cli")
    assert {"compiler.write.workbook", "xlsxwriter", "python_calamine"} <= loaded
    assert loaded & (RARE | NEVER) == set()


def test_compiling_xlsx_exports_loads_no_rare_or_heavy_module(tmp_path: Path) -> None:
    paths = []
    for upload in make_surveyheart_benchmark(40, 2):
        paths.append(str(tmp_path / upload.name))
        Path(paths[-1]).write_bytes(upload.data)
    arguments = [*paths, "-o", str(tmp_path / "out.xlsx")]
    loaded = modules_loaded(f"from compiler.cli import main\nassert main({arguments!r}) == 0")
    assert (tmp_path / "out.xlsx").stat().st_size > 0
    assert loaded & (RARE | NEVER) == set()
