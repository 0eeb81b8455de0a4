"""Each platform's export described as data: how to recognise it, where its scores are, which
columns are graded items and which are computed, who its people are.

A new platform is a new `PlatformLayout` here, not a new branch through the pipeline: `layout`
reads these descriptions, `intake` follows what the chosen one says. Headers are compared in
their normalised form (whitespace collapsed, case folded, byte-order marks removed); item
patterns are matched on that form too, and the title is cut from the header as written.
docs/formats.md says where each layout was seen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from compiler.model import Platform, Table

Recogniser = Callable[[frozenset[str], Sequence[str]], bool]


@dataclass(frozen=True, slots=True)
class ItemHeader:
    """How a gradebook names the column of a graded item, each item a test of its own.

    `pattern` is matched whole on the normalised header; its named groups say what the header
    states: `title` (required), and optionally `max`, `weight`, `category`, `category_weight`,
    and `kind` (a display kind such as `percentage`: `percent_kinds` hold percents).
    """

    pattern: re.Pattern[str]
    percent_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class PlatformLayout:
    """One platform's export layout."""

    platform: Platform
    name: str  # as a teacher reads it: "Moodle grader export"
    recognised_by: Recogniser
    # One-test exports: the score column's header patterns, best first; True: it holds percents.
    scores: tuple[tuple[re.Pattern[str], bool], ...] = ()
    # Gradebooks: the graded items' header, and the columns that are never tests.
    items: ItemHeader | None = None
    computed: tuple[tuple[re.Pattern[str], str], ...] = ()  # (header, why it is no test)
    person_ids: tuple[str, ...] = ()  # the platform's own person id, best first
    logins: tuple[str, ...] = ()  # account names: neither e-mails nor names
    maximum_column: str | None = None  # a column stating each row's maximum
    header_states_maximum: bool = True  # False: `Quiz 1 (1234)` is an id, not a maximum
    names_are_last_first: bool = False  # `Last, First` in the name column
    test_students: re.Pattern[str] | None = None  # a name or id of the course's test student
    maximum_elsewhere: Callable[[Sequence[Table]], float | None] | None = None
    # Counts of graded answers (Kahoot): a row where all are 0 answered nothing, so no score.
    answered: tuple[str, ...] = ()


def _has(*names: str) -> Recogniser:
    return lambda present, headers: all(name in present for name in names)


def _any_header(pattern: str) -> Callable[[Sequence[str]], bool]:
    compiled = re.compile(pattern)
    return lambda headers: any(compiled.fullmatch(h) for h in headers)


_TOTAL_MARKS = re.compile(r"total marks\s*\(\s*[\d.,]+\s*\)")
_MOODLE_GRADE = re.compile(r"(grade|calificación|note|bewertung|nota|voto)\s*/\s*[\d.,]+")
_GOOGLE_SCORE = re.compile(r"score|puntuación|puntaje|pontuação|punktzahl|punteggio|note")
_GOOGLE_TIMESTAMPS = frozenset(
    {"timestamp", "marca temporal", "carimbo de data/hora", "horodateur", "zeitstempel"}
    | {"informazioni cronologiche"}
)
_BLACKBOARD_ITEM = _any_header(r".+\[total pts: .+\](?: \|\s*\d+)?")
_D2L_ITEM = _any_header(r".+ (?:points|symbol|formula|text) grade(?: <.*>)?")
_MOODLE_ITEM = _any_header(r".+ \((?:real|percentage|letter)\)")
_CANVAS_ITEM = _any_header(r".+ \(\d+\)")


def _surveyheart(present: frozenset[str], headers: Sequence[str]) -> bool:
    return "submitted time" in present and (
        any(_TOTAL_MARKS.fullmatch(h) for h in headers)
        or bool(present & {"result", "answer sheet link", "s.no"})
    )


def _kahoot(present: frozenset[str], headers: Sequence[str]) -> bool:
    return "player" in present and any(h.startswith("total score") for h in headers)


def _moodle_quiz(present: frozenset[str], headers: Sequence[str]) -> bool:
    return (
        bool(present & {"surname", "last name"})
        and "first name" in present
        and (any(_MOODLE_GRADE.fullmatch(h) for h in headers) or "started on" in present)
    )


def _moodle_worksheet(present: frozenset[str], headers: Sequence[str]) -> bool:
    return "identifier" in present and "maximum grade" in present and "grade" in present


def _moodle_grader(present: frozenset[str], headers: Sequence[str]) -> bool:
    return "first name" in present and "last name" in present and _MOODLE_ITEM(headers)


def _canvas(present: frozenset[str], headers: Sequence[str]) -> bool:
    people = "student" in present or {"lastname", "firstname"} <= present
    return people and (
        bool(present & {"sis user id", "sis login id", "final score", "current score"})
        or ("id" in present and "section" in present and _CANVAS_ITEM(headers))
    )


def _blackboard(present: frozenset[str], headers: Sequence[str]) -> bool:
    return {"last name", "first name", "username"} <= present and _BLACKBOARD_ITEM(headers)


def _d2l(present: frozenset[str], headers: Sequence[str]) -> bool:
    return "orgdefinedid" in present or ("end-of-line indicator" in present and _D2L_ITEM(headers))


_MS_STARTS = frozenset({"start time", "heure de début", "hora de inicio", "startzeit"})
_MS_ENDS = frozenset(
    {"completion time", "heure de fin", "hora de finalización", "fertigstellungszeit"}
)
_MS_TOTALS = frozenset(
    {"total points", "puntos totales", "points totaux", "pontos totais", "gesamtpunktzahl"}
)


def _microsoft_forms(present: frozenset[str], headers: Sequence[str]) -> bool:
    return bool(present & _MS_ENDS) and bool(present & (_MS_STARTS | _MS_TOTALS))


def _google_forms(present: frozenset[str], headers: Sequence[str]) -> bool:
    return bool(present & _GOOGLE_TIMESTAMPS) and any(_GOOGLE_SCORE.fullmatch(h) for h in headers)


_KAHOOT_PLAYED = re.compile(r"\s*(\d+)\s+of\s+(\d+)\s*", re.IGNORECASE)


def kahoot_questions_played(tables: Sequence[Table]) -> float | None:
    """The questions a Kahoot game played, from its Overview sheet's `Played | 9 of 30`."""
    for table in tables:
        for row in table.rows[:30]:
            cells = [cell for cell in row if cell not in (None, "")]
            if (
                len(cells) >= 2
                and str(cells[0]).strip().casefold() == "played"
                and (match := _KAHOOT_PLAYED.fullmatch(str(cells[1])))
            ):
                played = int(match[1])
                return float(played) if played > 0 else None
    return None


def _pattern(text: str) -> re.Pattern[str]:
    # Case-insensitive: item patterns also cut titles from headers as written.
    return re.compile(text, re.IGNORECASE)


# Ordered: the first whose recogniser accepts a header row names the export.
PLATFORM_LAYOUTS: tuple[PlatformLayout, ...] = (
    PlatformLayout(
        Platform.SURVEYHEART,
        "SurveyHeart/Quizzory",
        _surveyheart,
        scores=(
            (_pattern(r"total marks\s*\(\s*[\d.,]+\s*\)"), False),
            (_pattern(r"total marks"), False),
            (_pattern(r"result"), False),
        ),
    ),
    PlatformLayout(
        Platform.KAHOOT,
        "Kahoot report",
        _kahoot,
        scores=((_pattern(r"correct answers"), False),),
        computed=(
            (
                _pattern(r"total score.*"),
                "game points, which reward speed: kept for reference; the grade is the correct "
                "answers out of the questions played",
            ),
        ),
        maximum_elsewhere=kahoot_questions_played,
        answered=("correct answers", "incorrect answers"),
    ),
    PlatformLayout(
        Platform.MOODLE,
        "Moodle assignment worksheet",
        _moodle_worksheet,
        scores=((_pattern(r"grade"), False),),
        person_ids=("identifier",),
        maximum_column="maximum grade",
    ),
    PlatformLayout(
        Platform.MOODLE,
        "Moodle quiz report",
        _moodle_quiz,
        scores=((_MOODLE_GRADE, False),),
        person_ids=("id number",),
    ),
    PlatformLayout(
        Platform.MOODLE,
        "Moodle grader export",
        _moodle_grader,
        items=ItemHeader(
            _pattern(r"(?P<title>.+) \((?P<kind>real|percentage)\)"),
            percent_kinds=frozenset({"percentage"}),
        ),
        computed=(
            (_pattern(r".*\btotal \(.*\)"), "a total Moodle computes"),
            (_pattern(r".+ \(letter\)"), "a letter grade, not points"),
        ),
        person_ids=("id number",),
    ),
    PlatformLayout(
        Platform.CANVAS,
        "Canvas gradebook",
        _canvas,
        scores=(
            (_pattern(r"final score"), True),
            (_pattern(r"current score"), True),
            (_pattern(r"unposted final score"), True),
            (_pattern(r"unposted current score"), True),
        ),
        items=ItemHeader(_pattern(r"(?P<title>.+) \((?P<id>\d+)\)")),
        computed=(
            (
                _pattern(r"(?:.+ )?(?:unposted )?(?:current|final) (?:score|points|grade)"),
                "a total Canvas computes",
            ),
        ),
        person_ids=("id", "sis user id"),
        logins=("sis login id", "root account", "integration id"),
        header_states_maximum=False,
        names_are_last_first=True,
        test_students=_pattern(r"test student|student, test"),
    ),
    PlatformLayout(
        Platform.BLACKBOARD,
        "Blackboard Grade Center",
        _blackboard,
        items=ItemHeader(
            _pattern(
                r"(?P<title>.+?) \[total pts: (?P<max>\d+(?:\.\d+)?) "
                r"(?P<kind>score|percentage|text)\](?: \|\s*\d+)?"
            ),
            percent_kinds=frozenset({"percentage"}),
        ),
        computed=(
            (_pattern(r".+\[total pts: up to .*\](?: \|\s*\d+)?"), "a running total"),
            (
                _pattern(r"(?:weighted total|total|grade total)(?: \[.*\])?(?: \|\s*\d+)?"),
                "a total Blackboard computes",
            ),
            (
                _pattern(r".+\[total pts: .* (?:letter|complete/incomplete)\](?: \|\s*\d+)?"),
                "shown as a letter or complete/incomplete, not points",
            ),
        ),
        person_ids=("username", "student id"),
        logins=("username",),
        test_students=_pattern(r".*_previewuser"),
    ),
    PlatformLayout(
        Platform.D2L,
        "D2L/Brightspace grades export",
        _d2l,
        items=ItemHeader(
            _pattern(
                r"(?P<title>.+?) points grade"
                r"(?: <numeric maxpoints:(?P<max>\d+(?:\.\d+)?)"
                r"(?: weight:(?P<weight>\d+(?:\.\d+)?))?"
                r"(?: category:(?P<category>[^>]*?))?"
                r"(?: categoryweight:(?P<category_weight>\d+(?:\.\d+)?))?>)?"
            )
        ),
        computed=(
            (_pattern(r".+ scheme symbol"), "a grade-scheme symbol, not points"),
            (
                _pattern(r".+ (?:subtotal|final grade) (?:numerator|denominator)"),
                "a subtotal or final grade D2L computes",
            ),
            (_pattern(r".+ <calculated>"), "an outcome D2L computes"),
            (_pattern(r".+ formula grade(?: <.*>)?"), "a formula item D2L computes"),
            (
                _pattern(r".+ (?:grade symbol|symbol grade|text grade)(?: <.*>)?"),
                "a select-box or text item, not points",
            ),
        ),
        person_ids=("orgdefinedid", "username"),
        logins=("username",),
        test_students=_pattern(r"student, demo|demo student|#?demo\..*"),
    ),
    PlatformLayout(
        Platform.MICROSOFT_FORMS,
        "Microsoft Forms",
        _microsoft_forms,
        scores=(
            (
                _pattern(
                    r"total points|puntos totales|points totaux|pontos totais|gesamtpunktzahl"
                ),
                False,
            ),
        ),
    ),
    PlatformLayout(
        Platform.GOOGLE_FORMS,
        "Google Forms",
        _google_forms,
        scores=((_GOOGLE_SCORE, False),),
    ),
)
GENERIC_LAYOUT = PlatformLayout(Platform.GENERIC, "hand-made sheet", lambda present, headers: True)


def recognise_layout(headers: Sequence[str]) -> PlatformLayout:
    """The platform layout whose signature `headers` (normalised) carry; hand-made otherwise."""
    present = frozenset(headers)
    for layout in PLATFORM_LAYOUTS:
        if layout.recognised_by(present, headers):
            return layout
    return GENERIC_LAYOUT
