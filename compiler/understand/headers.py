"""The header vocabulary of the exports in docs/formats.md (each platform's own is in
`platforms.py`).

Every header is compared in its normalised form: whitespace collapsed, case folded, byte-order
marks removed. Lists are ordered: an earlier name wins over a later one.
"""

from __future__ import annotations

import re

NAME_HEADERS = (
    "full names",
    "full name",
    "name",
    "names",
    "student name",
    "student's name",
    "participant name",
    "name of participant",
    "your name",
    "name and surname",
    "participant",
    "student",
    "player",
    "nickname",
    "learner",
    "respondent",
    "nombre completo",
    "nombre y apellidos",
    "nombre",
    "nome completo",
    "nome",
    "nom complet",
    "nom",
    "vollständiger name",
)
FIRST_NAME_HEADERS = (
    "first name",
    "firstname",
    "first names",
    "given name",
    "given names",
    "other names",
    "other name",
    "forenames",
    "prénom",
)
LAST_NAME_HEADERS = ("surname", "last name", "lastname", "family name", "apellidos", "apellido")
EMAIL_HEADERS = (
    "email address",
    "email",
    "e-mail",
    "e-mail address",
    "email id",
    "mail",
    "dirección de correo electrónico",
    "correo electrónico",
    "correo",
    "endereço de e-mail",
    "adresse e-mail",
    "adresse électronique",
    "e-mail-adresse",
    "indirizzo email",
    "adresse de messagerie",
)
TIME_HEADERS = (
    "submitted time",
    "timestamp",
    "marca temporal",
    "carimbo de data/hora",
    "horodateur",
    "zeitstempel",
    "informazioni cronologiche",
    "completion time",
    "hora de finalización",
    "heure de fin",
    "fertigstellungszeit",
    "completed",
    "submitted at",
    "submission time",
    "submitted on",
    "submitted",
    "date submitted",
    "end time",
    "finished",
    "date",
    "fecha",
)
STATE_HEADERS = ("state", "estado", "état")
IN_PROGRESS_STATES = frozenset({"in progress", "en curso", "en progreso", "en cours"})
# Score headers of any sheet, once a stated maximum (`(17)`, `/20`) is taken off.
SCORE_HEADERS = (
    "score",
    "total score",
    "final score",
    "total marks",
    "marks",
    "mark",
    "total mark",
    "marks obtained",
    "score obtained",
    "points",
    "total points",
    "total score (points)",
    "grade",
    "final grade",
    "result",
    "results",
    "score %",
    "percentage",
    "percent",
    "%",
    "puntuación",
    "puntaje",
    "calificación",
    "nota",
    "pontuação",
    "punktzahl",
    "punteggio",
    "note",
    "total",
)
SCORE_WORDS = re.compile(
    r"\b(score|marks?|points|grade|result|percentage|percent|puntuación|nota|calificación)\b|%"
)

# Sheets that hold the results when a workbook has several.
RESULT_SHEETS = (
    "final scores",
    "responses",
    "form responses",
    "respuestas de formulario",
    "respostas ao formulário",
    "réponses au formulaire",
    "formularantworten",
    "grades",
)
# Rows below the data that summarise it rather than belong to a person.
FOOTER_LABELS = frozenset(
    {
        "overall average",
        "average",
        "averages",
        "class average",
        "total",
        "totals",
        "grand total",
        "sum",
        "mean",
        "median",
        "count",
        "max",
        "min",
        "maximum",
        "minimum",
        "std dev",
        "standard deviation",
        "promedio",
        "media",
        "promedio general",
    }
)
CANVAS_META_ROWS = frozenset({"points possible", "manual posting", "muted"})
_OTHER_KNOWN = frozenset(
    {
        "s.no",
        "sno",
        "s. no",
        "phone number",
        "answer sheet link",
        "id",
        "start time",
        "quiz feedback",
        "grade posted time",
        "institution",
        "department",
        "id number",
        "started on",
        "time taken",
        "sis user id",
        "sis login id",
        "section",
        "current score",
        "rank",
        "correct answers",
        "incorrect answers",
        "player identifier",
        "identifier",
        "maximum grade",
        "status",
        "orgdefinedid",
        "username",
        "student id",
        "last access",
        "availability",
        "end-of-line indicator",
        "sections",
    }
)
KNOWN_HEADERS = (
    frozenset(
        NAME_HEADERS
        + FIRST_NAME_HEADERS
        + LAST_NAME_HEADERS
        + EMAIL_HEADERS
        + TIME_HEADERS
        + STATE_HEADERS
        + SCORE_HEADERS
    )
    | _OTHER_KNOWN
)

_QUESTION = re.compile(r"\s*(?:q\.?\s*\d|\d+\s*[.):-])")
# A stated maximum in brackets holds a digit and no other bracket: `[^()]` keeps each try
# within the text up to the next bracket, so a header of thousands of `(` stays linear.
_STATED_MAXIMUM = re.compile(r"\([^()\d]*\d[^()]*\)|/\s*[\d.,]+\s*$|\bout of\s+[\d.,]+")


def normalise_header(value: object) -> str:
    """A header as compared: whitespace collapsed, case folded, byte-order marks removed."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return " ".join(text.replace("\ufeff", "").split()).casefold()


def _cannot_start_a_row_label() -> frozenset[str]:
    """ASCII characters no footer or Canvas row label can start with. Normalising drops only
    whitespace and byte-order marks and case-folds the rest, so a cell starting with any other
    ASCII character starts its label with that character case-folded: a data row's
    `03-02-2026 ...` or `Ekine ...` need not be normalised to learn it is no label."""
    starts = {label[0] for label in FOOTER_LABELS | CANVAS_META_ROWS}
    ascii_characters = map(chr, range(128))
    return frozenset(c for c in ascii_characters if not c.isspace() and c.casefold() not in starts)


NOT_ROW_LABEL_STARTS = _cannot_start_a_row_label()


def is_question(header: str) -> bool:
    """True for a quiz question's column: numbered (`12. The total score of ...`, `Q. 1 /1.00`),
    long, a question, or Microsoft Forms' per-question `Points - <Q>` / `Feedback - <Q>`."""
    return (
        bool(_QUESTION.match(header))
        or len(header) > 40
        or header.endswith("?")
        or header.startswith(("points - ", "feedback - ", "puntos - "))
    )


def without_stated_maximum(header: str) -> str:
    """`total marks (17)` -> `total marks`, `grade/10.00` -> `grade`, `score (out of 20)` ->
    `score`; `%` and words are kept."""
    return " ".join(_STATED_MAXIMUM.sub(" ", header).split()).strip(" :-")


def is_known_header(header: str) -> bool:
    """True for a header some export in docs/formats.md uses (a header row is made of these)."""
    return header in KNOWN_HEADERS or without_stated_maximum(header) in KNOWN_HEADERS
