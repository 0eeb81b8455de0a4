"""Kahoot reports and hand-made sheets: no fixed layout to lean on, titles and totals around
the table."""

from __future__ import annotations

import random

from compiler.model import UploadedFile
from tests.support.exports.files import (
    MONTHS,
    Cell,
    Formatted,
    file_name,
    percent_text,
    xlsx_bytes,
)
from tests.support.plan import Row, Scale, TestSheet

HANDMADE_NO_SCORE = ("ABS",)
KAHOOT_HEADER = ("Rank", "Player", "Total Score (points)", "Correct Answers", "Incorrect Answers")


def write_kahoot(rng: random.Random, sheet: TestSheet) -> UploadedFile:
    """Kahoot report: `Overview` (`Played | 9 of 9`), then `Final Scores` (two title rows);
    the mark is the correct answers out of the questions played, the points reward speed."""
    questions = int(sheet.scale.maximum)
    title = f"Test {sheet.test} - Anatomy"
    played_on = f"{sheet.day.day} {MONTHS[sheet.day.month - 1][:3]} {sheet.day.year}, 10:05"
    overview: list[list[Cell]] = [
        [title], ["Played on", played_on], ["Hosted by", "anatomy_teacher"],
        ["Played with", f"{len(sheet.rows)} players"], ["Played", f"{questions} of {questions}"],
    ]  # fmt: skip
    final: list[list[Cell]] = [[title], ["Final Scores"], list(KAHOOT_HEADER)]
    ranked = sorted(sheet.rows, key=lambda row: -(row.points or 0.0))
    for rank, row in enumerate(ranked, start=1):
        assert row.points is not None
        correct = int(row.points)
        points = correct * rng.randint(600, 1000)  # faster answers earn more
        final.append([rank, row.name, points, correct, questions - correct])
    summary: list[list[Cell]] = [[title], ["Kahoot Summary"], ["Question", "Correct %", "Time (s)"]]
    summary += [[f"Q{q}", rng.randint(30, 95), rng.randint(5, 20)] for q in range(1, questions + 1)]
    templates = ("Kahoot - Test {t} - {d} {mon} {year}.xlsx", "Test {t} Kahoot results.xlsx")
    name = file_name(rng, templates, sheet.test, sheet.day)
    tabs = [("Overview", overview), ("Final Scores", final), ("Kahoot! Summary", summary)]
    return UploadedFile(name=name, data=xlsx_bytes(tabs))


def handmade_scales(rng: random.Random, tests: int) -> list[Scale]:
    """Percent columns twice as often as raw marks out of 20 or 25."""
    kinds = [Scale(100, 0.5), Scale(100, 0.5), Scale(20, 0.5), Scale(25, 1)]
    rng.shuffle(kinds)
    return [kinds[i % len(kinds)] for i in range(tests)]


def _score_column(rng: random.Random, scale: Scale) -> tuple[str, str]:
    """(header, how cells are written): `number`, `percent-text` or `percent-format`."""
    if scale.maximum == 100:
        return rng.choice(
            (
                ("Score %", "number"),
                ("Percentage", "percent-text"),
                ("Percentage", "percent-format"),
            )
        )
    if scale.maximum == 20:
        return ("Marks /20", "number")
    return (f"Score (out of {scale.maximum:g})", "number")


def _score_cell(row: Row, kind: str) -> Cell:
    if row.points is None:
        return row.no_score
    match kind:
        case "percent-text":
            return percent_text(row.points)
        case "percent-format":  # Excel shows 85.5% for the stored 0.855
            return Formatted(round(row.points / 100, 6), "0.0%")
    return row.points


def write_handmade(rng: random.Random, sheet: TestSheet) -> UploadedFile:
    """A teacher's own sheet: title, blank rows, a header, the marks, then totals rows."""
    header, kind = _score_column(rng, sheet.scale)
    month = MONTHS[sheet.day.month - 1]
    title = rng.choice(
        (
            f"PHYSIOLOGY TEST {sheet.test} RESULTS",
            f"Anatomy class - Test {sheet.test} ({sheet.day.day} {month})",
        )
    )
    rows: list[list[Cell]] = [[title]]
    rows += [[] for _ in range(rng.randint(1, 3))]
    rows.append(["S/N", "Participant Name", "E-mail", header])
    scored: list[float] = []
    for number, row in enumerate(sheet.rows, start=1):
        rows.append([number, row.name, row.email or None, _score_cell(row, kind)])
        scored += [row.points] if row.points is not None else []
    average = Row(None, None, None, round(sum(scored) / max(1, len(scored)), 2), sheet.rows[0].at)
    if rng.random() < 0.5:
        rows.append([])
    label_column = rng.choice((0, 1))
    for label, cell in (("Class average", _score_cell(average, kind)), ("TOTAL", len(scored))):
        footer: list[Cell] = [None, None, None, cell]
        footer[label_column] = label
        rows.append(footer)
    templates = (
        "Test {t}.xlsx",
        "Physiology test {t} marks.xlsx",
        "TEST {t}{MONTH} {d}, {year}.xlsx",
    )
    name = file_name(rng, templates, sheet.test, sheet.day)
    return UploadedFile(name=name, data=xlsx_bytes([("Sheet1", rows)]))
