"""`python -m compiler`: files in, a workbook written whole or not at all, a printed report."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from compiler.cli import main
from tests.support.exports.files import csv_bytes, xlsx_bytes
from tests.support.exports.samples import google_rows, surveyheart_rows

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def exports(tmp_path: Path) -> list[Path]:
    quiz1, quiz2 = tmp_path / "Quiz 1.xlsx", tmp_path / "Quiz 2.csv"
    quiz1.write_bytes(xlsx_bytes([("Responses", surveyheart_rows(6))]))
    quiz2.write_bytes(csv_bytes(google_rows()))
    return [quiz1, quiz2]


def run(*args: object) -> int:
    return main([str(a) for a in args])


def test_writes_the_workbook_and_prints_what_it_did(
    exports: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "made" / "results.xlsx"  # a folder that does not exist yet
    assert run(*exports, "-o", out) == 0
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames == ["Results", "Summary", "Issues", "Sources"]
    assert [c.value for c in book["Results"][1]][:4] == ["Name", "Email", "Test 1", "Test 2"]
    printed = capsys.readouterr().out
    assert "Test 1: Quiz 1.xlsx (from the file name)" in printed
    assert "Test 2: Quiz 2.csv (from the file name)" in printed
    assert "6 participants, 2 tests" in printed
    assert printed.rstrip().endswith(f"Wrote {out}.")
    assert sorted(p.name for p in out.parent.iterdir()) == ["results.xlsx"]  # no temporary left


def test_choices_reach_the_compile(
    exports: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options = ["--policy", "average", "--pass-mark", "55", "--duplicates", "latest"]
    assert run(*exports, "-o", tmp_path / "r.xlsx", *options) == 0
    assert "(policy average, pass mark 55, repeated submissions: latest)" in capsys.readouterr().out


def test_test_numbers_and_maxima_given_by_hand(
    exports: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    label, maximum = f"--test={exports[0].name}=4", "--out-of=4=20"
    assert run(exports[0], "-o", tmp_path / "r.xlsx", label, maximum) == 0
    printed = capsys.readouterr().out
    assert "Test 4: Quiz 1.xlsx (from the label)" in printed
    assert "out of 20 (given by you)" in printed


def test_a_file_that_cannot_be_compiled_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello there\nnothing here\n")
    assert run(notes, "-o", tmp_path / "r.xlsx") == 1
    err = capsys.readouterr().err
    assert err.startswith("error: notes.txt: ")
    assert err.rstrip().endswith("Nothing was written.")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--pass-mark", "150"], "--pass-mark must be between 0 and 100"),
        (["--out-of", "1=lots"], "--out-of takes TEST=MAX with numbers, got 1=lots"),
        (["--out-of", "1=0"], "--out-of 1: the maximum must be above 0"),
        (["--out-of", "1"], "--out-of takes KEY=VALUE, got '1'"),
        (["--test", "other.xlsx=2"], "--test names a file that is not among FILE: other.xlsx"),
        (["--policy", "lenient"], "invalid choice: 'lenient'"),
        (["--pass-mark", "nan"], "--pass-mark must be between 0 and 100"),
        (["--weight", "1=heavy"], "--weight takes TEST=W with numbers, got 1=heavy"),
        (["--weight", "one=2"], "--weight takes TEST=W with numbers, got one=2"),
        (["--weight", "1=-2"], "--weight 1: the weight must be from 0 to 1,000,000"),
        (["--weight", "1=nan"], "--weight 1: the weight must be from 0 to 1,000,000"),
        (["--weight", "1"], "--weight takes KEY=VALUE, got '1'"),
        (["--drop-lowest", "-1"], "--drop-lowest must be a whole number from 0 to 1,000"),
        (["--drop-lowest", "1.5"], "invalid int value: '1.5'"),
        (["--letters", "lenient"], "--letters: There is no letter scale called 'lenient'"),
        (["--letters", "A=70,B=60"], "--letters: The lowest letter must start at 0"),
    ],
)
def test_bad_options_are_refused_before_anything_is_read(
    exports: list[Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    options: list[str],
    message: str,
) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(*exports, "-o", tmp_path / "r.xlsx", *options)
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "r.xlsx").exists()


def test_a_missing_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(tmp_path / "gone.xlsx", "-o", tmp_path / "r.xlsx")
    assert exit_.value.code == 1
    assert "gone.xlsx: cannot read it (No such file or directory)." in capsys.readouterr().err


def test_python_m_compiler_exits_with_the_status_of_the_compile(
    exports: list[Path], tmp_path: Path
) -> None:
    def python_m_compiler(*args: object) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "compiler", *map(str, args)]
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)

    done = python_m_compiler(*exports, "-o", tmp_path / "r.xlsx")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.rstrip().endswith(f"Wrote {tmp_path / 'r.xlsx'}.")
    notes = tmp_path / "notes.txt"
    notes.write_text("hello there\n")
    failed = python_m_compiler(notes, "-o", tmp_path / "n.xlsx")
    assert failed.returncode == 1
    assert failed.stderr.rstrip().endswith("Nothing was written.")


def test_weights_drops_and_letters_reach_the_compile(
    exports: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.xlsx"
    options = ["--weight", "2=3", "--weight=1=0.5", "--drop-lowest", "1", "--letters", "Nigeria"]
    assert run(*exports, "-o", out, "--policy", "strict", "--pass-mark", "47.5", *options) == 0
    printed = capsys.readouterr().out
    assert "(policy strict, pass mark 47.5, repeated submissions: best)" in printed
    assert "Weights: Test 1: 0.5; Test 2: 3." in printed
    assert "Dropped: each person's lowest result among the tests that count" in printed
    assert "Letter grades (nigeria): A " in printed
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    header = [c.value for c in book["Results"][1]]
    assert header[-3:] == ["Final Average", "Grade", "Status"]
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["Weights"] == "Test 1: 0.5; Test 2: 3"
    assert summary["Pass mark"] == 47.5
    assert summary["Per test"] is None and summary["Test 2"] is not None
    weights = {
        r[0]: (r[7], r[8])
        for r in book["Summary"].iter_rows(min_row=3, max_row=4, values_only=True)
    }
    assert weights == {"Test 1": (0.5, "given by you"), "Test 2": (3, "given by you")}
    both = [r for r in book["Results"].iter_rows(min_row=2, values_only=True) if None not in r[2:4]]
    assert both
    for row in both:  # took both: the lower dropped, the higher is the final
        assert row[4] == max(row[2:4])


def test_a_scale_of_your_own(
    exports: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(*exports, "-o", tmp_path / "r.xlsx", "--letters", "Pass=50,Fail=0") == 0
    assert "Letter grades (custom): Pass " in capsys.readouterr().out


def test_a_weight_for_a_test_no_file_is_writes_nothing(
    exports: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(*exports, "-o", tmp_path / "r.xlsx", "--weight", "7=2") == 1
    err = capsys.readouterr().err
    assert "--weight names test 7, but the files are tests 1, 2." in err
    assert not (tmp_path / "r.xlsx").exists()


def test_every_weight_zero_writes_nothing(
    exports: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(*exports, "-o", tmp_path / "r.xlsx", "--weight", "1=0", "--weight", "2=0") == 1
    assert "Every test has weight 0" in capsys.readouterr().err
