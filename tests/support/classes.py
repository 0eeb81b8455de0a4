"""Generated classes: quiz exports in every layout of docs/formats.md, with the truth.

    generated = make_class("surveyheart", people=120, tests=5, seed=3)
    generated.files        # UploadedFile list, named like real exports
    generated.truth        # (person index, test) -> best percent, None when absent
    generated.out_of       # maxima the compile must be given (Microsoft Forms)

Everything comes from one seeded `random.Random`: the same arguments give the same bytes.
The rules that keep every noisy case decidable are in `tests.support.plan`; `undecidable=True`
adds the identity noise only a roster or a person can settle (`tests.support.undecidable`).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

from compiler.model import UploadedFile
from tests.support.exports.forms import (
    write_google_forms,
    write_microsoft_forms,
    write_surveyheart,
)
from tests.support.exports.lms import (
    CANVAS_NO_SCORE,
    MOODLE_NO_SCORE,
    write_canvas,
    write_canvas_gradebook,
    write_moodle,
)
from tests.support.exports.sheets import (
    HANDMADE_NO_SCORE,
    handmade_scales,
    write_handmade,
    write_kahoot,
)
from tests.support.plan import Scale, TestSheet, Traits, plan_class
from tests.support.roster import TruePerson

__all__ = [
    "LAYOUTS",
    "GeneratedClass",
    "TruePerson",
    "make_class",
    "make_surveyheart_benchmark",
    "traits_of",
]

Written = list[tuple[UploadedFile, tuple[int, ...]]]


@dataclass(frozen=True)
class GeneratedClass:
    """A class's exports and what a correct compile of them must say."""

    layout: str
    tests: int
    files: list[UploadedFile]
    people: list[TruePerson]
    truth: dict[tuple[int, int], float | None]  # (person index, test) -> percent 0-100 or None
    out_of: dict[int, float]  # test -> maximum, only where the files do not say it
    file_tests: dict[str, tuple[int, ...]]  # file name -> the test(s) it holds
    # person -> the undecidable noise they carry, in words (`undecidable=True` only)
    notes: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Layout:
    traits: Traits
    scales: Callable[[random.Random, int], list[Scale]]
    write: Callable[[random.Random, list[TestSheet]], Written]
    maximum_given: bool = False  # the maximum is not in the files: the compile is told it


def _per_test(writer: Callable[[random.Random, TestSheet], UploadedFile]) -> Callable[..., Written]:
    def write(rng: random.Random, sheets: list[TestSheet]) -> Written:
        return [(writer(rng, sheet), (sheet.test,)) for sheet in sheets]

    return write


def _one_file(
    writer: Callable[[random.Random, Sequence[TestSheet]], UploadedFile],
) -> Callable[..., Written]:
    def write(rng: random.Random, sheets: list[TestSheet]) -> Written:
        return [(writer(rng, sheets), tuple(sheet.test for sheet in sheets))]

    return write


def _distinct(low: int, high: int, step: float = 1, factor: int = 1) -> Callable[..., list[Scale]]:
    """A different maximum for each test (as long as the range lasts), drawn from low..high."""

    def scales(rng: random.Random, tests: int) -> list[Scale]:
        pool = rng.sample(range(low, high + 1), high - low + 1)
        return [Scale(pool[i % len(pool)] * factor, step) for i in range(tests)]

    return scales


def _among(*maxima: float, step: float) -> Callable[..., list[Scale]]:
    def scales(rng: random.Random, tests: int) -> list[Scale]:
        return [Scale(rng.choice(maxima), step) for _ in range(tests)]

    return scales


_GOOGLE = Traits(nameless_first_test=True)
_CANVAS = Traits(
    typed_names=False, typed_emails=False, repeats=False, roster=True, no_score=CANVAS_NO_SCORE
)
_LAYOUTS: dict[str, _Layout] = {
    "surveyheart": _Layout(Traits(), _distinct(15, 20), _per_test(write_surveyheart)),
    "google_forms": _Layout(_GOOGLE, _distinct(10, 25), _per_test(write_google_forms)),
    "google_forms_csv": _Layout(
        _GOOGLE, _distinct(10, 25), _per_test(partial(write_google_forms, as_csv=True))
    ),
    "google_forms_es": _Layout(
        _GOOGLE, _distinct(10, 25), _per_test(partial(write_google_forms, language="es"))
    ),
    "microsoft_forms": _Layout(
        Traits(anonymous=True),
        _distinct(10, 20),
        _per_test(write_microsoft_forms),
        maximum_given=True,
    ),
    "moodle": _Layout(
        Traits(no_score=MOODLE_NO_SCORE, attempts=True),
        _among(10, 20, 100, step=0.01),
        _per_test(write_moodle),
    ),
    "canvas": _Layout(_CANVAS, _among(10, 20, 25, 50, step=0.5), _per_test(write_canvas)),
    "canvas_gradebook": _Layout(
        _CANVAS, _among(10, 20, 25, 50, step=0.5), _one_file(write_canvas_gradebook)
    ),
    "kahoot": _Layout(
        Traits(email=False, typed_names=False, typed_emails=False, nicknames=True),
        _among(9, 10, 12, 15, step=1),
        _per_test(write_kahoot),
    ),
    "handmade": _Layout(
        Traits(no_score=HANDMADE_NO_SCORE), handmade_scales, _per_test(write_handmade)
    ),
}
LAYOUTS: tuple[str, ...] = tuple(_LAYOUTS)


def traits_of(layout: str) -> Traits:
    """What `layout`'s files can carry (and so which noise a noisy class of it holds)."""
    return _layout(layout).traits


def _layout(layout: str) -> _Layout:
    if layout not in _LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    return _LAYOUTS[layout]


def make_class(
    layout: str,
    people: int,
    tests: int,
    seed: int = 0,
    noise: bool = True,
    *,
    undecidable: bool = False,
) -> GeneratedClass:
    """A class of `people` invented people over `tests` tests, exported in `layout`.

    With `noise`, the files hold what real classes hold (docs/formats.md): misspelt names under one
    e-mail, one name under two e-mails, malformed e-mails, repeated submissions, absences,
    no-score cells, anonymous rows and near-miss namesakes, as far as the layout can carry them.
    With `undecidable` too, what no file settles: a misspelt name with no usable e-mail, a second
    e-mail under another spelling, different people one letter apart who never meet in a test
    (another class than the one without it, from the same seed).
    """
    if undecidable and not noise:
        raise ValueError("undecidable noise comes on top of the decidable noise: keep noise on")
    spec = _layout(layout)
    rng = random.Random(f"{layout}/{people}/{tests}/{seed}/{noise}" + "/undecidable" * undecidable)
    scales = spec.scales(rng, tests)
    plan = plan_class(
        rng, people, tests, spec.traits, lambda test: scales[test - 1], noise, undecidable
    )
    written = spec.write(rng, plan.sheets)
    maxima = {sheet.test: sheet.scale.maximum for sheet in plan.sheets}
    return GeneratedClass(
        layout=layout,
        tests=tests,
        files=[file for file, _ in written],
        people=plan.people,
        truth=plan.truth,
        out_of=maxima if spec.maximum_given else {},
        file_tests={file.name: held for file, held in written},
        notes=plan.notes,
    )


def make_surveyheart_benchmark(
    people: int = 3000, tests: int = 6, seed: int = 0
) -> list[UploadedFile]:
    """SurveyHeart exports of a big noisy class (about 25 columns each) for the speed benchmark."""
    return make_class("surveyheart", people, tests, seed).files
