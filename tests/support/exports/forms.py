"""Form-builder exports: SurveyHeart/Quizzory, Google Forms (xlsx, CSV, Spanish) and Microsoft
Forms, with the headers of docs/formats.md verbatim."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from compiler.model import UploadedFile
from tests.support.exports.files import (
    Cell,
    csv_bytes,
    file_name,
    number_text,
    percent_text,
    xlsx_bytes,
)
from tests.support.plan import Row, TestSheet

# True/False statements; the first five carry the words a careless header match trips on.
TRUE_FALSE_TRAPS = (
    "The total score of a reflex arc is the sum of its synapses",
    "The name of the largest artery is the aorta",
    "A high score on the Glasgow scale means deep coma",
    "Birth marks are always benign",
    "A raw score of 10 on the Apgar scale is the highest",
)
TRUE_FALSE_PLAIN = (
    "The femur is the longest bone of the body", "The heart has four chambers",
    "Red blood cells have a nucleus", "The liver produces bile",
    "Neurons divide throughout adult life", "The skin is the largest organ of the body",
    "Insulin is made in the pancreas", "The tibia is the shin bone",
    "The small intestine is shorter than the large intestine", "Platelets help blood to clot",
    "Tendons join muscle to bone", "The cornea has its own blood supply",
    "Haemoglobin carries oxygen", "The spinal cord ends at the sacrum",
    "The stapes is the smallest bone", "The appendix is on the left side",
)  # fmt: skip
CHOICE_QUESTIONS = (
    ("What is the total number of chambers in the heart?", ("Two", "Three", "Four")),
    ("Name the bone that protects the brain", ("Skull", "Femur", "Rib")),
    ("Your score on last week's practice quiz", ("Below 5", "5 to 8", "Above 8")),
    ("Which vessel carries blood to the lungs?", ("Pulmonary artery", "Aorta", "Vena cava")),
    ("Which organ makes insulin?", ("Pancreas", "Liver", "Spleen")),
    ("Where is the stapes found?", ("Middle ear", "Knee", "Wrist")),
    ("Which cells carry oxygen?", ("Red cells", "White cells", "Platelets")),
    ("Which joint is a hinge joint?", ("Elbow", "Hip", "Shoulder")),
    ("What is the total lung capacity of an adult?", ("About 6 litres", "About 2 litres")),
    ("Which part of the brain keeps balance?", ("Cerebellum", "Cortex", "Pons")),
)


def _answer(rng: random.Random, options: tuple[str, ...]) -> str:
    return options[rng.randrange(len(options))]


def write_surveyheart(rng: random.Random, sheet: TestSheet) -> UploadedFile:
    """SurveyHeart/Quizzory: sheet `Responses`, raw marks under `Total Marks (N)`, `Result` %."""
    marks = int(sheet.scale.maximum)
    statements = list(TRUE_FALSE_TRAPS) + rng.sample(
        TRUE_FALSE_PLAIN, marks - len(TRUE_FALSE_TRAPS)
    )
    rng.shuffle(statements)
    header: list[Cell] = [
        "S.NO", "Submitted Time", rng.choice(("Full names", "Full Names", "Name")), "Email",
        rng.choice(("Phone number", "Phone Number")), f"Total Marks ({marks})", "Result",
        *(f"{n}. {text}" for n, text in enumerate(statements, start=1)), "Answer Sheet Link",
    ]  # fmt: skip
    rows: list[list[Cell]] = [header]
    for number, row in enumerate(sheet.rows, start=1):
        assert row.points is not None
        phone = f"+1 555 01{rng.randrange(100):02d}" if rng.random() < 0.8 else None
        answers = [("True", "False")[rng.getrandbits(1)] for _ in statements]
        link = f"https://example.com/surveyheart/answers/{rng.getrandbits(48):012x}"
        rows.append([
            number, row.at.strftime("%d-%m-%Y %H:%M:%S"), row.name, row.email or None, phone,
            row.points, percent_text(sheet.scale.percent(row.points)), *answers, link,
        ])  # fmt: skip
    templates = (
        "Anatomy TEST {t}{dd} {month},{year}.xlsx", "TEST {t}{MONTH} {d}, {year}.xlsx",
        "Test {t}.xlsx", "Anatomy Test {t} ({d} {month}).xlsx",
    )  # fmt: skip
    name = file_name(rng, templates, sheet.test, sheet.day)
    return UploadedFile(name=name, data=xlsx_bytes([("Responses", rows)]))


@dataclass(frozen=True)
class _GoogleWords:
    """What a Google Forms export says in one language."""

    sheet: str
    header: tuple[str, str, str]  # timestamp, e-mail, score
    names: tuple[str, ...]  # name questions authors add
    date_format: str
    xlsx_names: tuple[str, ...]
    csv_names: tuple[str, ...] = ()


_GOOGLE = {
    "en": _GoogleWords(
        sheet="Form Responses 1",
        header=("Timestamp", "Email Address", "Score"),
        names=("Full name", "Name", "Your name"),
        date_format="m/d/yyyy h:mm:ss",
        xlsx_names=(
            "Quiz {t} (Responses).xlsx",
            "Test {t}.xlsx",
            "TEST {t}{MONTH} {d}, {year}.xlsx",
        ),
        csv_names=("quiz{t}_results.csv", "Quiz {t} (Responses) - Form Responses 1.csv"),
    ),
    "es": _GoogleWords(
        sheet="Respuestas de formulario 1",
        header=("Marca temporal", "Dirección de correo electrónico", "Puntuación"),
        names=("Nombre completo", "Nombre y apellidos"),
        date_format="d/m/yyyy h:mm:ss",
        xlsx_names=("Prueba {t} (respuestas).xlsx", "Test {t}.xlsx"),
    ),
}


def write_google_forms(
    rng: random.Random, sheet: TestSheet, *, language: str = "en", as_csv: bool = False
) -> UploadedFile:
    """Google Forms quiz: `Score` is text `8 / 10`; a name column only when the author added one."""
    words = _GOOGLE[language]
    questions = rng.sample(CHOICE_QUESTIONS, 6)
    name_header = None if sheet.nameless else rng.choice(words.names)
    header: list[Cell] = [*words.header, *([name_header] if name_header else [])]
    header += [text for text, _ in questions]
    rows: list[list[Cell]] = [header]
    out_of = number_text(sheet.scale.maximum)
    for row in sheet.rows:
        assert row.points is not None
        stamp: Cell = row.at
        if as_csv:
            stamp = f"{row.at.month}/{row.at.day}/{row.at.year} {row.at:%H:%M:%S}"
        cells: list[Cell] = [stamp, row.email or None, f"{number_text(row.points)} / {out_of}"]
        cells += [row.name] if name_header else []
        rows.append(cells + [_answer(rng, options) for _, options in questions])
    templates = words.csv_names if as_csv else words.xlsx_names
    name = file_name(rng, templates, sheet.test, sheet.day)
    if as_csv:
        return UploadedFile(name=name, data=csv_bytes(rows))
    data = xlsx_bytes([(words.sheet, rows)], date_format=words.date_format)
    return UploadedFile(name=name, data=data)


def write_microsoft_forms(rng: random.Random, sheet: TestSheet) -> UploadedFile:
    """Microsoft Forms quiz: raw `Total points`, no maximum anywhere; anonymous rows."""
    weights = _question_points(rng, int(sheet.scale.maximum))
    questions = rng.sample(CHOICE_QUESTIONS, len(weights))
    reordered = rng.random() < 0.5  # newer exports: Name before Email, plus Last modified time
    identity = ["Name", "Email", "Last modified time"] if reordered else ["Email", "Name"]
    header: list[Cell] = ["ID", "Start time", "Completion time", *identity, "Total points"]
    header += ["Quiz feedback", "Grade posted time"]
    for text, _ in questions:
        header += [text, f"Points - {text}", f"Feedback - {text}"]
    rows: list[list[Cell]] = [header]
    for number, row in enumerate(sheet.rows, start=1):
        assert row.points is not None
        shown = {"Name": row.name, "Email": row.email or None, "Last modified time": row.at}
        cells: list[Cell] = [number, row.at - timedelta(minutes=rng.randint(4, 30)), row.at]
        cells += [shown[column] for column in identity] + [row.points, None, None]
        for (_, options), got in zip(questions, _split_points(rng, row, weights), strict=True):
            cells += [_answer(rng, options), got, None]
        rows.append(cells)
    templates = ("Quiz {t}(1-%d).xlsx", "Test {t} Anatomy(1-%d).xlsx")
    name = file_name(rng, [t % len(sheet.rows) for t in templates], sheet.test, sheet.day)
    return UploadedFile(name=name, data=xlsx_bytes([("Sheet1", rows)], "m/d/yy hh:mm:ss"))


def _question_points(rng: random.Random, total: int) -> list[int]:
    """Weights of 1-3 points, one per question, adding up to `total` (at most 30)."""
    weights = [1] * min(len(CHOICE_QUESTIONS), max(5, total // 2))
    while sum(weights) < total:
        index = rng.randrange(len(weights))
        if weights[index] < 3:
            weights[index] += 1
    return weights


def _split_points(rng: random.Random, row: Row, weights: list[int]) -> list[int]:
    """Points per question that add up to the row's total."""
    assert row.points is not None
    left = int(row.points)
    got = [0] * len(weights)
    for index in rng.sample(range(len(weights)), len(weights)):
        got[index] = min(weights[index], left)
        left -= got[index]
    return got
