"""Letter grades: the presets, a teacher's own scale, and where the boundaries fall."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler import LETTER_SCALES, CompilerError, letter_scale
from compiler.grade.letters import letter_counts
from compiler.model import LetterGrade


def test_the_presets() -> None:
    assert set(LETTER_SCALES) == {"a-f", "nigeria", "uk"}
    assert LETTER_SCALES["a-f"].spec == "A=90,B=80,C=70,D=60,F=0"
    assert LETTER_SCALES["nigeria"].spec == "A=70,B=60,C=50,D=45,E=40,F=0"
    assert LETTER_SCALES["uk"].spec == "First=70,2:1=60,2:2=50,Third=40,Fail=0"
    assert letter_scale(" Nigeria ") is LETTER_SCALES["nigeria"]


@pytest.mark.parametrize(
    ("final", "letter"),
    [(100.0, "A"), (70.0, "A"), (69.99, "B"), (60.0, "B"), (45.0, "D"), (44.99, "E"),
     (40.0, "E"), (39.99, "F"), (0.0, "F")],
)  # fmt: skip
def test_a_final_average_as_shown_takes_the_first_letter_it_reaches(
    final: float, letter: str
) -> None:
    assert LETTER_SCALES["nigeria"].letter_of(final) == letter


def test_uk_degree_classes() -> None:
    uk = LETTER_SCALES["uk"]
    assert [uk.letter_of(f) for f in (72.0, 65.5, 50.0, 42.0, 39.0)] == [
        "First", "2:1", "2:2", "Third", "Fail",
    ]  # fmt: skip


def test_a_teachers_own_scale_in_any_order() -> None:
    scale = letter_scale("F=0, A = 75, B=62.5,C=50")
    assert scale.name == "custom"
    assert scale.grades == (
        LetterGrade("A", 75.0),
        LetterGrade("B", 62.5),
        LetterGrade("C", 50.0),
        LetterGrade("F", 0.0),
    )
    assert scale.spec == "A=75,B=62.5,C=50,F=0"
    assert letter_scale(scale.spec) == scale  # what storage keeps reads back the same
    assert scale.letter_of(62.49) == "C"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lenient", "no letter scale called 'lenient': choose one of a-f, nigeria, uk"),
        ("A=70,B=60", "lowest letter must start at 0"),
        ("A=70,A=60,F=0", "names each letter once"),
        ("A=70,B=70,F=0", "start at the same mark"),
        ("A=seventy,F=0", "A=seventy: the mark must be a number from 0 to 100"),
        ("A=170,F=0", "the mark must be a number from 0 to 100"),
        ("A=nan,F=0", "the mark must be a number from 0 to 100"),
        ("=70,F=0", "LETTER=MARK"),
        (",".join(f"L{i}={i}" for i in range(21)), "1 to 20 letters"),
    ],
)
def test_a_scale_that_cannot_be_used_says_what_to_write(text: str, message: str) -> None:
    with pytest.raises(CompilerError, match=message):
        letter_scale(text)


marks = st.lists(st.integers(0, 1000).map(lambda t: t / 10), min_size=1, max_size=8, unique=True)


@given(marks, st.integers(0, 10_000).map(lambda t: t / 100))
def test_every_final_average_has_the_letter_of_the_highest_minimum_it_reaches(
    minimums: list[float], final: float
) -> None:
    spec = ",".join(f"L{i}={m:g}" for i, m in enumerate(minimums)) + ",Z=0"
    if 0.0 in minimums:
        spec = ",".join(f"L{i}={m:g}" for i, m in enumerate(minimums))
    scale = letter_scale(spec)
    reached = [g for g in scale.grades if final >= g.minimum]
    assert scale.letter_of(final) == max(reached, key=lambda g: g.minimum).letter


def test_letter_counts_follow_the_scale() -> None:
    counts = letter_counts(LETTER_SCALES["a-f"], ["B", "A", None, "B", "F"])
    assert counts == [("A", 1), ("B", 2), ("C", 0), ("D", 0), ("F", 1)]
