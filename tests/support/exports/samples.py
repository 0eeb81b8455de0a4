"""Hand-built sample sheets in the layouts of docs/formats.md, with invented people only.

Each `*_rows` function returns the rows of one sheet as a platform writes them (title lines,
header, data, footers); `kahoot_sheets` returns a whole report as (name, rows) sheets. The
writers of `tests.support.exports.files` turn them into file bytes.
"""

from __future__ import annotations

from datetime import datetime

from tests.support.exports.files import Cell

Rows = list[list[Cell]]

FIRST_NAMES = ("Amara", "Bodhi", "Chiara", "Dmitri", "Esi", "Farrukh", "Greta", "Hiroshi")
LAST_NAMES = ("Okonkwo-Test", "Lindqvist-Test", "Oyelaran-Test", "Varga-Test", "Nakamura-Test")


def person(index: int) -> tuple[str, str, str]:
    """(first name, last name, e-mail) of invented person number `index`."""
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[index // len(FIRST_NAMES) % len(LAST_NAMES)]
    email = f"{first.lower()}.{last.lower()}{index}@example.test"
    return first, last, email


SURVEYHEART_QUESTIONS = (
    "1. The total score of the heart's output is called cardiac output. True or false?",
    "2. Marks on the skin called striae are caused by stretching. True or false?",
    "3. What is your name? (the name of the bone in the thigh)",
)


def surveyheart_rows(count: int, *, max_marks: int = 17) -> Rows:
    """SurveyHeart quiz responses: text times, `Total Marks (N)`, `Result` as `76.5%`."""
    header: list[Cell] = [
        "S.NO",
        "Submitted Time",
        "Full names",
        "Email",
        "Phone number",
        f"Total Marks ({max_marks})",
        "Result",
        *SURVEYHEART_QUESTIONS,
        "Answer Sheet Link",
    ]
    rows: Rows = [header]
    for index in range(count):
        first, last, email = person(index)
        marks = index % (max_marks + 1)
        rows.append(
            [
                index + 1,
                f"{(index % 27) + 1:02d}-02-2026 10:{index % 60:02d}:05",
                f"{first} {last}",
                email,
                f"+100000{index:04d}",
                marks,
                f"{marks / max_marks * 100:.1f}%",
                "True",
                "False",
                "Femur",
                f"https://surveyheart.example.test/answers/{index}",
            ]
        )
    return rows


def google_rows(*, spanish: bool = False) -> Rows:
    """Google Forms quiz responses: `8 / 10` scores, no name column."""
    header: list[Cell] = (
        ["Marca temporal", "Dirección de correo electrónico", "Puntuación", "¿Qué es el fémur?"]
        if spanish
        else ["Timestamp", "Email Address", "Score", "What is the femur?"]
    )
    return [
        header,
        ["2/19/2026 10:04:05", person(0)[2], "8 / 10", "A bone"],
        ["2/19/2026 14:30:00", person(1)[2], "10 / 10", "A bone"],
        ["2/20/2026 9:01:59", person(2)[2], "3 / 10", "A muscle"],
    ]


def ms_forms_rows() -> Rows:
    """Microsoft Forms quiz: `Total points` without maximum, per-question points, anonymous."""
    return [
        [
            "ID",
            "Start time",
            "Completion time",
            "Email",
            "Name",
            "Total points",
            "Quiz feedback",
            "Grade posted time",
            "What is the femur?",
            "Points - What is the femur?",
            "Feedback - What is the femur?",
        ],
        [1, datetime(2026, 2, 19, 10, 0), datetime(2026, 2, 19, 10, 9), person(0)[2],
         "Amara Okonkwo-Test", 7, None, None, "A bone", 1, None],
        [2, datetime(2026, 2, 19, 10, 1), datetime(2026, 2, 19, 10, 12), "anonymous",
         "anonymous", 5, None, None, "A bone", 1, None],
        [3, datetime(2026, 2, 19, 10, 2), datetime(2026, 2, 19, 10, 15), person(2)[2],
         "Chiara Okonkwo-Test", 9, None, None, "A muscle", 0, None],
    ]  # fmt: skip


def moodle_rows() -> Rows:
    """Moodle quiz grades: split names, `Grade/10.00`, `-`, in-progress, `Overall average`."""
    header: list[Cell] = [
        "Surname", "First name", "Institution", "Department", "Email address", "State",
        "Started on", "Completed", "Time taken", "Grade/10.00", "Q. 1 /5.00", "Q. 2 /5.00",
    ]  # fmt: skip
    return [
        header,
        ["Okonkwo-Test", "Amara", "", "", person(0)[2], "Finished", "19 February 2026  10:00 AM",
         "19 February 2026  10:15 AM", "15 mins", 8.5, 4.5, 4.0],
        ["Lindqvist-Test", "Bodhi", "", "", person(1)[2], "Finished",
         "19 February 2026  10:00 AM", "19 February 2026  2:05 PM", "4 hours", "-", "-", "-"],
        ["Varga-Test", "Esi", "", "", person(4)[2], "In progress", "19 February 2026  10:00 AM",
         "-", "-", 3.0, 3.0, "-"],
        ["Nakamura-Test", "Greta", "", "", person(6)[2], "Finished",
         "19 February 2026  10:00 AM", "19 February 2026  10:30 AM", "30 mins",
         "Not yet graded", 5.0, "Requires grading"],
        ["Overall average", None, None, None, None, None, None, None, None, 8.5, 4.2, 4.0],
    ]  # fmt: skip


def canvas_rows(*, decimal_comma: bool = False) -> Rows:
    """Canvas gradebook: `Last, First`, a `    Points Possible` row, `EX`, `N/A`."""

    def number(value: float) -> str:
        text = f"{value:.2f}"
        return text.replace(".", ",") if decimal_comma else text

    return [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Quiz 1 (1234)",
         "Current Score", "Final Score"],
        ["    Points Possible", None, None, None, None, number(20), "(read only)", "(read only)"],
        ["Okonkwo-Test, Amara", "101", "S101", "amara01", "Anatomy A", number(17),
         number(85), number(85)],
        ["Lindqvist-Test, Bodhi", "102", "S102", "bodhi02", "Anatomy A", "EX", "EX", "EX"],
        ["Varga-Test, Esi", "103", "S103", "esi03", "Anatomy A", number(12.5),
         number(62.5), number(62.5)],
        ["Nakamura-Test, Greta", "104", "S104", "greta04", "Anatomy A", "N/A", "N/A", "N/A"],
        ["Student, Test", "105", None, None, "Anatomy A", number(20), number(100), number(100)],
    ]  # fmt: skip


def kahoot_sheets() -> list[tuple[str, Rows]]:
    """A Kahoot report: an overview, the final scores under two title rows, a question sheet."""
    overview: Rows = [
        ["Anatomy quiz"],
        ["Played on", "19 Feb 2026, 10:05"],
        ["Played with", "3 players"],
        ["Played", "5 of 5"],
    ]
    final: Rows = [
        ["Anatomy quiz"],
        ["Final Scores"],
        ["Rank", "Player", "Total Score (points)", "Correct Answers", "Incorrect Answers"],
        [1, "Amara Okonkwo-Test", 4200, 5, 0],
        [2, "bodhi_the_brave", 3100, 4, 1],
        [3, "Esi V", 900, 1, 4],
    ]
    question: Rows = [
        ["Question", "What is the femur?"],
        ["Player", "Answer", "Score", "Correct"],
        ["Amara Okonkwo-Test", "A bone", 1000, "True"],
    ]
    return [("Overview", overview), ("Final Scores", final), ("1 Quiz", question)]


def handmade_rows() -> Rows:
    """A hand-made sheet: a title and blank rows above the header, a totals row below."""
    return [
        ["Anatomy test 5 results"],
        [],
        [None, None, None],
        ["Participant Name", "E-mail", "Marks /20", "Score %"],
        ["Amara Okonkwo-Test", person(0)[2], 17, "85%"],
        ["Bodhi Lindqvist-Test", person(1)[2], 12, "60%"],
        ["Chiara Okonkwo-Test", "chiara@@example.test", 20, "100%"],
        [None, None, None, None],
        ["Total", None, 49, None],
    ]
