"""Learning-platform exports: the Moodle quiz Grades report and the Canvas gradebook CSV."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from compiler.model import UploadedFile
from tests.support.exports.files import (
    MONTHS,
    Cell,
    csv_bytes,
    file_name,
    number_text,
    xlsx_bytes,
)
from tests.support.plan import Row, TestSheet

MOODLE_NO_SCORE = ("-", "Not yet graded")
CANVAS_NO_SCORE = ("EX", "N/A")
_MOODLE_QUESTIONS = 10


def split_name(name: str) -> tuple[str, str]:
    """(given names, surname) of a shown name: the surname is its last word."""
    words = name.split()
    return " ".join(words[:-1]), words[-1]


def write_moodle(rng: random.Random, sheet: TestSheet) -> UploadedFile:
    """Moodle quiz Grades report: one row per attempt, `Grade/<max>`, `Overall average` last.

    Odd tests are xlsx, even tests CSV, as teachers download whichever the menu offers.
    """
    as_csv = sheet.test % 2 == 0
    maximum = sheet.scale.maximum
    with_id_number = rng.random() < 0.5
    header: list[Cell] = ["Surname", "First name", "Institution", "Department"]
    header += ["ID number"] if with_id_number else []
    header += ["Email address", "State", "Started on", "Completed", "Time taken"]
    header += [f"Grade/{maximum:.2f}"] + [f"Q. {q} /1.00" for q in range(1, _MOODLE_QUESTIONS + 1)]
    rows: list[list[Cell]] = [header]
    graded: list[float] = []
    for row in sheet.rows:
        assert row.name is not None
        given, surname = split_name(row.name)
        cells: list[Cell] = [surname, given, "Example College", "Anatomy"]
        cells += [f"ID{(row.person or 0) + 1000}"] if with_id_number else []
        cells += [row.email, *_moodle_attempt(rng, row)]
        if row.points is None:
            marks: list[Cell] = ["-"] * _MOODLE_QUESTIONS
            if row.no_score == "Not yet graded":
                marks[-1] = "Requires grading"
            cells += [row.no_score, *marks]
        else:
            graded.append(row.points)
            grade: Cell = f"{row.points:.2f}" if as_csv else row.points
            cells += [grade, *_question_marks(rng, row.points / maximum, as_csv)]
        rows.append(cells)
    average = sum(graded) / len(graded) if graded else 0.0
    footer: list[Cell] = ["Overall average"] + [None] * (len(header) - _MOODLE_QUESTIONS - 2)
    footer += [f"{average:.2f}" if as_csv else round(average, 2)] + [None] * _MOODLE_QUESTIONS
    rows.append(footer)
    extension = "csv" if as_csv else "xlsx"
    templates = (f"Anatomy-Quiz {{t}}-grades.{extension}", f"Test {{t}} grades.{extension}")
    name = file_name(rng, templates, sheet.test, sheet.day)
    data = csv_bytes(rows) if as_csv else xlsx_bytes([("Grades", rows)])
    return UploadedFile(name=name, data=data)


def _moodle_attempt(rng: random.Random, row: Row) -> list[Cell]:
    """State, Started on, Completed and Time taken; unfinished attempts show `-`."""
    taken = timedelta(minutes=rng.randint(6, 40), seconds=rng.randint(0, 59))
    started = _moodle_time(row.at - taken)
    if row.no_score == "-":
        return ["In progress", started, "-", "-"]
    minutes, seconds = divmod(int(taken.total_seconds()), 60)
    return ["Finished", started, _moodle_time(row.at), f"{minutes} mins {seconds} secs"]


def _moodle_time(at: datetime) -> str:
    """Moodle's `17 February 2026  9:05 AM`."""
    clock = f"{(at.hour - 1) % 12 + 1}:{at.minute:02d} {'AM' if at.hour < 12 else 'PM'}"
    return f"{at.day} {MONTHS[at.month - 1]} {at.year}  {clock}"


def _question_marks(rng: random.Random, share: float, as_csv: bool) -> list[Cell]:
    """Ten question marks out of 1.00 whose sum is `share` of the quiz."""
    left = share * _MOODLE_QUESTIONS
    marks: list[float] = []
    for _ in range(_MOODLE_QUESTIONS):
        mark = round(min(1.0, left), 2)
        marks.append(mark)
        left = max(0.0, left - mark)
    rng.shuffle(marks)
    return [f"{m:.2f}" if as_csv else m for m in marks]


def _canvas_dialect(rng: random.Random) -> tuple[str, bool, bool]:
    """(separator, byte-order mark, decimal comma): US default, with BOM, or European."""
    return rng.choice(((",", False, False), (",", True, False), (";", True, True)))


def _canvas_table(
    rng: random.Random, sheets: Sequence[TestSheet], decimal_comma: bool
) -> list[list[Cell]]:
    """Header, `Points Possible` row and one row per student (sorted by surname)."""
    assignments: list[Cell] = [
        f"{rng.choice(('Test', 'Quiz'))} {s.test} ({40100 + 7 * s.test})" for s in sheets
    ]
    computed: list[Cell] = ["Current Points", "Final Points", "Current Score"]
    computed += ["Unposted Current Score"]
    computed += ["Final Score", "Unposted Final Score"]
    header: list[Cell] = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    rows: list[list[Cell]] = [header + assignments + computed]
    possible: list[Cell] = [
        number_text(s.scale.maximum, decimal_comma=decimal_comma) for s in sheets
    ]
    rows.append(["    Points Possible", None, None, None, None, *possible] + ["(read only)"] * 6)
    by_person = [{row.person: row for row in sheet.rows} for sheet in sheets]
    for person, first in sorted(by_person[0].items(), key=lambda item: _surname_first(item[1])):
        assert person is not None
        cells: list[Cell] = [_surname_first(first), 50000 + 13 * person, f"S{100000 + person}"]
        cells += [first.email, rng.choice(("ANAT 101 A", "ANAT 101 B"))]
        scores: list[Cell] = [_canvas_cell(rows_of[person], decimal_comma) for rows_of in by_person]
        course: list[Cell] = [
            number_text(rng.uniform(40, 95), decimal_comma=decimal_comma) for _ in computed
        ]
        rows.append(cells + scores + course)  # course-wide figures: never the test's score
    return rows


def _surname_first(row: Row) -> str:
    assert row.name is not None
    given, surname = split_name(row.name)
    return f"{surname}, {given}"


def _canvas_cell(row: Row, decimal_comma: bool) -> Cell:
    if row.points is None:
        return row.no_score or None  # EX, N/A, or blank when not submitted
    return number_text(row.points, decimal_comma=decimal_comma)


def write_canvas(rng: random.Random, sheet: TestSheet) -> UploadedFile:
    """Canvas "Export Current Gradebook View" filtered to one assignment: one file per test."""
    separator, bom, decimal_comma = _canvas_dialect(rng)
    rows = _canvas_table(rng, [sheet], decimal_comma)
    templates = ("Test {t} - Canvas grades.csv", "canvas_test{t}.csv", "quiz{t}_results.csv")
    name = file_name(rng, templates, sheet.test, sheet.day)
    return UploadedFile(name=name, data=csv_bytes(rows, delimiter=separator, bom=bom))


def write_canvas_gradebook(rng: random.Random, sheets: Sequence[TestSheet]) -> UploadedFile:
    """The whole Canvas gradebook: one file, one `<Assignment> (<id>)` column per test."""
    separator, bom, decimal_comma = _canvas_dialect(rng)
    rows = _canvas_table(rng, sheets, decimal_comma)
    last = sheets[-1].day
    name = f"{last.isoformat()}T1015_Grades-Anatomy.csv"
    return UploadedFile(name=name, data=csv_bytes(rows, delimiter=separator, bom=bom))
