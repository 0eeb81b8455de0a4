"""Read generated exports back, knowing exactly how their writers laid them out.

This is the generator's own oracle, not a compiler: it asserts the verbatim headers of
docs/formats.md and returns every row as seen, so the self-tests can recompute the truth from the
files alone and count the noise the files really hold.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import openpyxl

from compiler.model import UploadedFile
from tests.support.classes import GeneratedClass
from tests.support.exports.sheets import KAHOOT_HEADER
from tests.support.roster import TruePerson, normalise_email, normalise_name

NAME_HEADERS = {"Full names", "Full Names", "Name", "Full name", "Your name"}
NAME_HEADERS |= {"Nombre completo", "Nombre y apellidos"}
_VALID_EMAIL = re.compile(r"[a-z0-9._-]+@[a-z0-9-]+(\.[a-z0-9-]+)+")


@dataclass(frozen=True)
class SeenRow:
    """One data row as the file shows it; `marker` is the text standing where a score would be."""

    test: int
    name: str | None
    email: str | None
    percent: float | None
    marker: str | None = None


def read_back(generated: GeneratedClass) -> list[SeenRow]:
    """Every data row of every file of `generated`, headers checked on the way."""
    reader = _READERS[generated.layout]
    seen: list[SeenRow] = []
    for file in generated.files:
        seen += reader(file, generated.file_tests[file.name], generated.out_of)
    return seen


def is_valid_email(text: str | None) -> bool:
    """A clean lower-case address, as a strict export would hold it."""
    return bool(text) and _VALID_EMAIL.fullmatch(text or "") is not None


def repair_email(text: str | None) -> str | None:
    """The address a person meant: trimmed, lower-cased, `mailto:` and `@@` undone."""
    if not text:
        return None
    repaired = normalise_email(text)
    return repaired if is_valid_email(repaired) else None


def owner_of(row: SeenRow, people: Sequence[TruePerson]) -> int | None:
    """The true person a row belongs to: by repaired e-mail, else by name; None if nobody."""
    email = repair_email(row.email)
    for index, person in enumerate(people):
        if email and email in person.emails:
            return index
    if row.name:
        key = normalise_name(row.name)
        for index, person in enumerate(people):
            if key in {normalise_name(n) for n in person.names}:
                return index
    return None


def table(file: UploadedFile, sheet: str | None = None) -> list[list[object]]:
    """A sheet (or the CSV) as rows of cell values; CSV separators are detected."""
    if file.name.endswith(".csv"):
        text = file.data.decode("utf-8-sig")
        first = text.split("\r\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    book = openpyxl.load_workbook(io.BytesIO(file.data), read_only=True, data_only=True)
    try:
        return [list(row) for row in book[sheet or book.sheetnames[0]].iter_rows(values_only=True)]
    finally:
        book.close()


def sheet_names(file: UploadedFile) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(file.data), read_only=True)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _surveyheart(file: UploadedFile, tests: tuple[int, ...], _: dict[int, float]) -> list[SeenRow]:
    rows = table(file, "Responses")
    header = [str(h) for h in rows[0]]
    assert header[:2] == ["S.NO", "Submitted Time"] and header[3] == "Email", header
    assert header[2] in NAME_HEADERS and header[4] in ("Phone number", "Phone Number"), header
    marks = re.fullmatch(r"Total Marks \((\d+)\)", header[5])
    assert marks and header[6] == "Result" and header[-1] == "Answer Sheet Link", header
    assert all(re.match(rf"{n}\. \S", h) for n, h in enumerate(header[7:-1], start=1)), header
    out_of = int(marks.group(1))
    seen = []
    for row in rows[1:]:
        assert re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d:\d\d", str(row[1])), row[1]
        percent = float(row[5]) / out_of * 100  # type: ignore[arg-type]
        assert abs(float(str(row[6]).rstrip("%")) - percent) < 0.006, (row[5], row[6])
        seen.append(SeenRow(tests[0], _text(row[2]), _text(row[3]), percent))
    return seen


def _google(file: UploadedFile, tests: tuple[int, ...], _: dict[int, float]) -> list[SeenRow]:
    sheet = "Form Responses 1" if file.name.endswith(".xlsx") else None
    if sheet and "Respuestas de formulario 1" in sheet_names(file):
        sheet = "Respuestas de formulario 1"
    rows = table(file, sheet)
    header = [str(h) for h in rows[0]]
    assert header[:3] in (
        ["Timestamp", "Email Address", "Score"],
        ["Marca temporal", "Dirección de correo electrónico", "Puntuación"],
    ), header
    named = header[3] in NAME_HEADERS
    seen = []
    for row in rows[1:]:
        got, out_of = str(row[2]).split(" / ")
        name = _text(row[3]) if named else None
        seen.append(SeenRow(tests[0], name, _text(row[1]), float(got) / float(out_of) * 100))
    return seen


def _microsoft(
    file: UploadedFile, tests: tuple[int, ...], out_of: dict[int, float]
) -> list[SeenRow]:
    rows = table(file, "Sheet1")
    header = [str(h) for h in rows[0]]
    assert header[:3] == ["ID", "Start time", "Completion time"], header
    total = header.index("Total points")
    assert header[total + 1 : total + 3] == ["Quiz feedback", "Grade posted time"], header
    for at in range(total + 3, len(header), 3):
        question = header[at]
        assert header[at + 1 : at + 3] == [f"Points - {question}", f"Feedback - {question}"]
    name, email = header.index("Name"), header.index("Email")
    maximum = out_of[tests[0]]
    return [
        SeenRow(tests[0], _text(r[name]), _text(r[email]), float(r[total]) / maximum * 100)  # type: ignore[arg-type]
        for r in rows[1:]
    ]


def _moodle(file: UploadedFile, tests: tuple[int, ...], _: dict[int, float]) -> list[SeenRow]:
    rows = table(file, "Grades")
    header = [str(h) for h in rows[0]]
    lead = ["Surname", "First name", "Institution", "Department"]
    lead += ["ID number"] if "ID number" in header else []
    lead += ["Email address", "State", "Started on", "Completed", "Time taken"]
    assert header[: len(lead)] == lead, header
    grade = re.fullmatch(r"Grade/(\d+\.\d\d)", header[len(lead)])
    assert grade and all(re.fullmatch(r"Q\. \d+ /1\.00", h) for h in header[len(lead) + 1 :])
    assert rows[-1][0] == "Overall average", rows[-1]
    maximum, at, email = float(grade.group(1)), len(lead), lead.index("Email address")
    seen = []
    for row in rows[1:-1]:
        name = f"{row[1]} {row[0]}"
        if row[at] in ("-", "Not yet graded"):
            seen.append(SeenRow(tests[0], name, _text(row[email]), None, str(row[at])))
        else:
            percent = float(row[at]) / maximum * 100  # type: ignore[arg-type]
            seen.append(SeenRow(tests[0], name, _text(row[email]), percent))
    return seen


def _canvas(file: UploadedFile, tests: tuple[int, ...], _: dict[int, float]) -> list[SeenRow]:
    rows = table(file)
    header = rows[0]
    assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"], header
    first_computed = header.index("Current Points")
    assert header[first_computed:] == [
        "Current Points", "Final Points", "Current Score", "Unposted Current Score",
        "Final Score", "Unposted Final Score",
    ]  # fmt: skip
    assignments = [
        re.fullmatch(r"(?:Test|Quiz) (\d+) \(\d+\)", str(h)) for h in header[5:first_computed]
    ]
    assert [int(m.group(1)) for m in assignments if m] == list(tests), header
    assert rows[1][0] == "    Points Possible", rows[1]
    seen = []
    for row in rows[2:]:
        for column, test in enumerate(tests, start=5):
            cell, possible = str(row[column]), _number(rows[1][column])
            if cell in ("EX", "N/A"):
                seen.append(SeenRow(test, str(row[0]), _text(row[3]), None, cell))
            elif cell:
                seen.append(
                    SeenRow(test, str(row[0]), _text(row[3]), _number(cell) / possible * 100)
                )
    return seen


def _kahoot(file: UploadedFile, tests: tuple[int, ...], out_of: dict[int, float]) -> list[SeenRow]:
    assert sheet_names(file) == ["Overview", "Final Scores", "Kahoot! Summary"]
    played = next(row[1] for row in table(file, "Overview") if row and row[0] == "Played")
    questions, _, of = str(played).partition(" of ")
    assert questions == of, played  # every question was played
    rows = table(file, "Final Scores")
    assert rows[1][0] == "Final Scores" and tuple(rows[2]) == KAHOOT_HEADER, rows[:3]
    maximum = float(questions)
    return [SeenRow(tests[0], str(r[1]), None, float(r[3]) / maximum * 100) for r in rows[3:]]  # type: ignore[arg-type]


def _handmade(file: UploadedFile, tests: tuple[int, ...], _: dict[int, float]) -> list[SeenRow]:
    rows = table(file, "Sheet1")
    start = next(i for i, row in enumerate(rows) if len(row) > 1 and row[1] == "Participant Name")
    assert start >= 2 and rows[0][0] and all(not any(r) for r in rows[1:start]), rows[:start]
    header = rows[start]
    assert header[:3] == ["S/N", "Participant Name", "E-mail"], header
    scale = {"Score %": 100.0, "Percentage": 100.0, "Marks /20": 20.0, "Score (out of 25)": 25.0}
    maximum = scale[str(header[3])]
    seen = []
    for row in rows[start + 1 :]:
        if not any(row) or {row[0], row[1]} & {"Class average", "TOTAL"}:
            break
        value = row[3]
        if value == "ABS":
            seen.append(SeenRow(tests[0], _text(row[1]), _text(row[2]), None, "ABS"))
            continue
        if isinstance(value, str):
            percent = float(value.rstrip("%"))
        elif header[3] == "Percentage":  # an Excel percent cell holds the fraction
            percent = float(value) * 100  # type: ignore[arg-type]
        else:
            percent = float(value) / maximum * 100  # type: ignore[arg-type]
        seen.append(SeenRow(tests[0], _text(row[1]), _text(row[2]), percent))
    return seen


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def _number(text: object) -> float:
    return float(str(text).replace(",", "."))


_READERS: dict[str, Callable[[UploadedFile, tuple[int, ...], dict[int, float]], list[SeenRow]]] = {
    "surveyheart": _surveyheart,
    "google_forms": _google,
    "google_forms_csv": _google,
    "google_forms_es": _google,
    "microsoft_forms": _microsoft,
    "moodle": _moodle,
    "canvas": _canvas,
    "canvas_gradebook": _canvas,
    "kahoot": _kahoot,
    "handmade": _handmade,
}
