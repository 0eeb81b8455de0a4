"""Properties of what the bot reads from people: the maximum they type, the test number in a
caption or a file name, and the data of a settings button. Whatever arrives, no exception, and
only values the bot can use."""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.handlers.questions import maximum_choices, parse_maximum, parse_pass_mark
from bot.handlers.session import (
    DROP_LOWEST,
    OTHER_PASS_MARK,
    PASS_MARKS,
    _settings_keyboard,
    settings_change,
)
from bot.usecases.grading import parse_weights
from compiler import LETTER_SCALES
from compiler.grade.policies import POLICIES
from compiler.model import DUPLICATE_RULES
from compiler.understand.numbering import number_from_file_name, number_from_label
from storage import NO_LETTERS, ChatSettings

ANY_TEXT = st.text(max_size=300) | st.text(alphabet="0123456789 .,:-/()", max_size=6_000)

# --- "out of how many marks?" ------------------------------------------------------------------


@given(ANY_TEXT)
def test_a_maximum_is_a_usable_number_or_none(text: str) -> None:
    maximum = parse_maximum(text)
    assert maximum is None or (math.isfinite(maximum) and 0 < maximum <= 100_000)


@pytest.mark.parametrize(
    ("highest", "offered"),
    [
        (17.0, [17.0, 20.0, 25.0, 30.0]),  # somebody may have had full marks
        (20.0, [20.0, 25.0, 30.0, 40.0]),
        (8.5, [10.0, 12.0, 15.0, 20.0]),  # a half mark is no maximum
        (100.0, [100.0]),
        (99.5, [100.0]),
        (140.0, []),  # above every round maximum: typed
        (0.0, []),
        (None, []),
    ],
)
def test_the_maxima_offered_start_at_the_highest_mark(
    highest: float | None, offered: list[float]
) -> None:
    assert maximum_choices(highest) == offered


@given(st.floats(min_value=0.01, max_value=100))
def test_every_maximum_offered_fits_the_highest_mark_and_its_button(highest: float) -> None:
    choices = maximum_choices(highest)
    assert choices and all(choice >= highest for choice in choices)
    assert all(parse_maximum(f"{choice:g}") == choice for choice in choices)
    assert all(len(f"max:999999:{choice:g}".encode()) <= 64 for choice in choices)


MAXIMA = st.decimals(min_value=Decimal("0.01"), max_value=100_000, places=2)


@given(
    MAXIMA,
    st.sampled_from(["{}", " {} ", "{} marks", "{} MARK", "out of {}", "Out Of {} points", "{}pt"]),
    st.booleans(),
)
def test_a_maximum_written_any_accepted_way_reads_as_written(
    value: Decimal, form: str, comma: bool
) -> None:
    written = f"{value.normalize():f}"
    if comma:
        written = written.replace(".", ",")
    if form == "{}pt":
        assert parse_maximum(form.format(written)) is None  # `pt` is no unit it knows
        return
    assert parse_maximum(form.format(written)) == pytest.approx(float(value))


# --- test numbers ------------------------------------------------------------------------------


@given(st.text(alphabet="0123456789", min_size=1, max_size=10_000), st.sampled_from(["", "Test "]))
def test_runs_of_thousands_of_digits_never_raise(digits: str, keyword: str) -> None:
    for number in (number_from_label(keyword + digits), number_from_file_name(keyword + digits)):
        assert number is None or 1 <= number <= 999


KEYWORDS = st.sampled_from(["Test", "test", "TEST", "Quiz", "exam", "Assessment", "T"])
SEPARATORS = st.sampled_from([" ", "", "-", "_", "#", ": ", " no. ", " #"])
BEFORE = st.sampled_from(["", "Anatomy ", "Biology results ", "week ", "(final) "])
AFTER = st.sampled_from(["", " results", " final", " (1)", "_v", " - February 17, 2026", " 2026"])


@given(st.integers(1, 999), KEYWORDS, SEPARATORS, BEFORE, AFTER)
def test_a_labelled_number_is_read_back_from_a_caption_and_a_file_name(
    number: int, keyword: str, separator: str, before: str, after: str
) -> None:
    if keyword == "T" and separator not in ("", "-", "_", "#"):
        separator = ""  # `T 5` is a letter and a number; `T5`, `T-5` are test 5
    label = f"{before}{keyword}{separator}{number}{after}"
    assert number_from_label(label) == number
    assert number_from_file_name(f"{label}.xlsx") == number
    assert number_from_file_name(f"C:\\Users\\teacher\\Downloads\\{label}.XLSX") == number


@given(st.text(max_size=80).filter(lambda t: "/" not in t and "\\" not in t))
def test_folders_and_letter_case_do_not_change_a_file_names_number(name: str) -> None:
    assert number_from_file_name(f"exports/2026/{name}") == number_from_file_name(name)
    assert number_from_file_name(name.upper()) == number_from_file_name(name.lower())


# --- settings buttons --------------------------------------------------------------------------


@given(st.text(max_size=200) | st.builds("set:{}:{}".format, st.text(max_size=20), ANY_TEXT))
@settings(max_examples=300)
def test_any_button_data_gives_a_valid_change_or_none(data: str) -> None:
    change = settings_change(data)
    assert len(change) <= 1
    assert change.get("policy", "classic") in POLICIES
    assert change.get("duplicates", "best") in DUPLICATE_RULES
    assert change.get("pass_mark", 50.0) in PASS_MARKS
    assert change.get("drop_lowest", 0) in DROP_LOWEST
    assert change.get("letters", "uk") in (NO_LETTERS, *LETTER_SCALES)


@given(
    st.sampled_from(sorted(POLICIES)),
    st.sampled_from(DUPLICATE_RULES),
    st.sampled_from([*PASS_MARKS, 45.5]),
    st.sampled_from(DROP_LOWEST),
    st.sampled_from([None, *LETTER_SCALES]),
)
def test_every_button_offered_asks_for_the_choice_it_shows(
    policy: str, duplicates: str, pass_mark: float, drop: int, letters: str | None
) -> None:
    chat = ChatSettings(policy, duplicates, float(pass_mark), drop_lowest=drop, letters=letters)
    buttons = [b for row in _settings_keyboard(chat).inline_keyboard for b in row]
    for button in buttons:
        assert isinstance(button.callback_data, str)
        if button.callback_data == OTHER_PASS_MARK:
            assert settings_change(button.callback_data) == {}
            assert button.text.startswith("✓ ") == (pass_mark not in PASS_MARKS)
            continue
        change = settings_change(button.callback_data)
        ((key, value),) = change.items()
        if key == "letters":
            value = value or None
        # Pressed, the button's choice is the one ticked in the redrawn keyboard.
        chosen = replace(chat, **{key: value})
        redrawn = [b for row in _settings_keyboard(chosen).inline_keyboard for b in row]
        ticked = {b.callback_data for b in redrawn if b.text.startswith("✓ ")}
        assert button.callback_data in ticked
        assert button.text.startswith("✓ ") == (getattr(chat, key) == value)


@pytest.mark.parametrize("data", ["set:", "set:policy", "set:pass:²", "set:pass:٥٠٠٠٠", "set::"])
def test_data_no_button_offers_is_no_change(data: str) -> None:
    # `set:policy` made the old split raise ValueError; `²` is a digit int() refuses.
    assert settings_change(data) == {}


# --- /weights ----------------------------------------------------------------------------------


@given(st.lists(ANY_TEXT, max_size=6))
def test_any_weights_typed_give_usable_weights_or_none(args: list[str]) -> None:
    weights = parse_weights(args)
    assert weights is None or (
        weights
        and all(1 <= t <= 999 for t in weights)
        and all(math.isfinite(w) and 0 <= w <= 1_000_000 for w in weights.values())
    )


@pytest.mark.parametrize(
    ("args", "weights"),
    [
        (["1=1", "2=1", "3=2"], {1: 1.0, 2: 1.0, 3: 2.0}),
        (["4=0,5"], {4: 0.5}),
        (["2=0"], {2: 0.0}),
        (["1=1", "1=2"], None),  # a test named twice
        (["0=1"], None),
        (["1000=1"], None),
        (["1=-1"], None),
        (["1=nan"], None),
        (["1"], None),
        (["x=1"], None),
        (["١=1"], None),  # a digit int() would take, not one a teacher types
        ([], None),
    ],
)
def test_weights_read_as_typed(args: list[str], weights: dict[int, float] | None) -> None:
    assert parse_weights(args) == weights


@given(ANY_TEXT)
def test_a_typed_pass_mark_is_from_0_to_100_or_none(text: str) -> None:
    mark = parse_pass_mark(text)
    assert mark is None or 0 <= mark <= 100


@pytest.mark.parametrize(
    ("text", "mark"),
    [("45", 45.0), (" 47.5 % ", 47.5), ("0", 0.0), ("100", 100.0), ("55,5", 55.5)],
)
def test_a_pass_mark_reads_as_typed(text: str, mark: float) -> None:
    assert parse_pass_mark(text) == mark


@pytest.mark.parametrize("text", ["101", "-5", "fifty", "", "5000", "50.123"])
def test_a_pass_mark_out_of_reach_is_none(text: str) -> None:
    assert parse_pass_mark(text) is None
