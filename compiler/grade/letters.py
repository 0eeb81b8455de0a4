"""Letter grades: the preset scales, and reading a teacher's own (`A=70,B=60,...,F=0`).

A final average earns the first letter, highest first, whose minimum it reaches; it is compared
as shown (two decimals), like the pass mark. Every scale starts its lowest letter at 0, so every
final average has a letter.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from compiler.errors import CompilerError
from compiler.model import LetterGrade, LetterScale

CUSTOM = "custom"
MAX_LETTERS = 20
MAX_LETTER_LENGTH = 12


def _preset(name: str, description: str, steps: Sequence[tuple[str, float]]) -> LetterScale:
    return LetterScale(name, description, tuple(LetterGrade(*step) for step in steps))


LETTER_SCALES: Mapping[str, LetterScale] = MappingProxyType(
    {
        scale.name: scale
        for scale in (
            _preset(
                "a-f",
                "A-F on 90/80/70/60",
                [("A", 90), ("B", 80), ("C", 70), ("D", 60), ("F", 0)],
            ),
            _preset(
                "nigeria",
                "Nigerian university A-F on 70/60/50/45/40",
                [("A", 70), ("B", 60), ("C", 50), ("D", 45), ("E", 40), ("F", 0)],
            ),
            _preset(
                "uk",
                "UK degree classes on 70/60/50/40",
                [("First", 70), ("2:1", 60), ("2:2", 50), ("Third", 40), ("Fail", 0)],
            ),
        )
    }
)


def letter_scale(text: str) -> LetterScale:
    """The scale `text` names (a preset, any case) or spells (`A=70,B=60,C=50,F=0`).

    Raises CompilerError saying what to write instead when `text` is neither.
    """
    wanted = text.strip()
    preset = LETTER_SCALES.get(wanted.lower())
    if preset is not None:
        return preset
    if "=" not in wanted:
        names = ", ".join(LETTER_SCALES)
        raise CompilerError(
            f"There is no letter scale called {wanted!r}: choose one of {names}, "
            'or write your own like "A=70,B=60,C=50,D=45,E=40,F=0".'
        )
    grades = _custom_grades(wanted)
    shown = ", ".join(f"{g.letter} from {g.minimum:g}" for g in grades)
    return LetterScale(CUSTOM, f"your own: {shown}", grades)


def _custom_grades(text: str) -> tuple[LetterGrade, ...]:
    grades = [_custom_grade(part) for part in text.split(",") if part.strip()]
    if not grades or len(grades) > MAX_LETTERS:
        raise CompilerError(f"A letter scale takes 1 to {MAX_LETTERS} letters, like A=70,F=0.")
    letters = [g.letter for g in grades]
    if len(set(letters)) != len(letters):
        raise CompilerError(f"A letter scale names each letter once: {text!r} repeats one.")
    minimums = [g.minimum for g in grades]
    if len(set(minimums)) != len(minimums):
        raise CompilerError(f"Two letters of {text!r} start at the same mark: give each its own.")
    grades.sort(key=lambda g: g.minimum, reverse=True)
    if grades[-1].minimum != 0:
        raise CompilerError(
            f"The lowest letter must start at 0, so that every final average has one: "
            f"add one such as F=0 to {text!r}."
        )
    return tuple(grades)


def _custom_grade(part: str) -> LetterGrade:
    letter, _, minimum = (piece.strip() for piece in part.partition("="))
    if not letter or not minimum:
        raise CompilerError(f"Write each letter as LETTER=MARK, like B=60, not {part.strip()!r}.")
    if len(letter) > MAX_LETTER_LENGTH:
        raise CompilerError(f"A letter is at most {MAX_LETTER_LENGTH} characters: {letter!r}.")
    not_a_mark = CompilerError(f"{letter}={minimum}: the mark must be a number from 0 to 100.")
    try:
        value = float(minimum)
    except ValueError:
        raise not_a_mark from None
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise not_a_mark
    return LetterGrade(letter, value + 0.0)  # -0 is 0


def letter_counts(scale: LetterScale, letters: Sequence[str | None]) -> list[tuple[str, int]]:
    """How many of `letters` are each of the scale's letters, in the scale's order."""
    counts = dict.fromkeys(scale.letters, 0)
    for letter in letters:
        if letter in counts:
            counts[letter] += 1
    return list(counts.items())
