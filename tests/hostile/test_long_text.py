"""Cell text built to be slow or hungry: each stays linear and small, and still reads right.

Found by feeding 32,767-character cells (Excel's longest) through the intake and the compile:
a header of `(1(1(1...` took minutes, a time cell of letters seconds, a long name a gigabyte.
"""

from __future__ import annotations

import time
import tracemalloc

import pytest

from compiler.errors import NoResultsFound, quoted
from compiler.identify.identity import resolve_identities
from compiler.identify.lookalikes import ONE_LETTER, find_lookalikes
from compiler.identify.names import display_name, normalize_name
from compiler.model import UploadedFile
from compiler.understand.headers import is_known_header, without_stated_maximum
from compiler.understand.intake import read_export
from compiler.understand.layout import find_header_row
from compiler.understand.numbering import number_from_file_name, number_from_label
from compiler.understand.scores import header_maximum
from compiler.understand.times import parse_time
from tests.support.exports.files import csv_bytes, ods_bytes

LONGEST_CELL = 32_767


def seconds(action: object) -> float:
    assert callable(action)
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


@pytest.mark.parametrize("unit", ["(1", "(", "x (", "score ("])
def test_a_header_of_unclosed_brackets_is_read_in_linear_time(unit: str) -> None:
    header = unit * (LONGEST_CELL // len(unit))
    # Quadratic (and worse) before: 8,000 characters of `(1` took 14 s, 32,767 would take minutes.
    assert seconds(lambda: is_known_header(header)) < 0.5
    rows: list[list[object]] = [[header, header + "!", "Name", "Score"], ["Amara", 8]]
    assert seconds(lambda: find_header_row(rows)) < 0.5


@pytest.mark.parametrize(
    ("header", "bare"),
    [
        ("total marks (17)", "total marks"),
        ("score (out of 20)", "score"),
        ("grade/10.00", "grade"),
        ("score (a (20)", "score (a"),  # the bracket holding the number goes, not the outer one
        ("score (max)", "score (max)"),
    ],
)
def test_stated_maximum_still_comes_off(header: str, bare: str) -> None:
    assert without_stated_maximum(header) == bare


@pytest.mark.parametrize("unit", ["a", "Ab", "e", "feb "])
def test_a_long_word_in_a_time_cell_is_no_time_and_quick(unit: str) -> None:
    text = unit * (LONGEST_CELL // len(unit))
    assert seconds(lambda: parse_time(text)) < 0.2
    assert parse_time(text) is None


def test_a_month_name_inside_a_word_is_still_no_month() -> None:
    assert parse_time("Submitted February 19, 2026 10:15 AM") is not None
    assert parse_time("xFebruary 19, 2026") is None


@pytest.mark.parametrize(
    "text", ["1" * 9_000, "Test " + "0" * 5_000 + "7", "quiz " + "9" * 5_000 + " feb"]
)
def test_thousands_of_digits_are_no_test_number_and_never_raise(text: str) -> None:
    # `int()` refuses more than 4,300 digits with a ValueError.
    expected = 7 if text.endswith("7") else None
    assert number_from_label(text) == expected
    assert number_from_file_name(text + ".xlsx") == expected


def test_longest_names_compare_in_little_memory() -> None:
    long_a = normalize_name("Amara " + "Okonkwo" * 4_680)
    long_b = long_a[:-1] + "x"
    tracemalloc.start()
    try:
        pairs = find_lookalikes([{long_a}, {long_b}, {"amara okonkwo"}, {"amara okonkwa"}])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Every one-character deletion of a 32,767-character key was a gigabyte.
    assert peak < 5_000_000
    assert pairs == [(2, 3, ONE_LETTER)]  # ordinary names are still compared for typos


@pytest.mark.parametrize(
    ("spelling", "shown"),
    [
        ("👩🏽\u200d🏫 greta nakamura-test", "👩🏽\u200d🏫 Greta Nakamura-Test"),  # one emoji
        ("علی\u200cرضا", "علی\u200cرضا"),  # the non-joiner shapes the Persian name
        ("Esi\x00Varga-Test", "Esi Varga-Test"),  # a NUL shows as nothing, words stay apart
        ("\u200d Amara\u200b Okonkwo\u00ad-Test", "Amara Okonkwo-Test"),
        ("\u202eTset-akav\u202c Bodhi", "\u202eTset-akav\u202c Bodhi"),  # kept as written
    ],
)
def test_shown_names_keep_joiners_and_drop_control_characters(spelling: str, shown: str) -> None:
    assert display_name([spelling]) == shown


def test_messages_and_issues_quote_a_long_cell_shortly() -> None:
    long = "x" * LONGEST_CELL
    rows: list[list[object]] = [
        ["Name", "Email", "Score /10"],
        ["Amara Okonkwo-Test", long + " at example", long],
        ["Esi Varga-Test", "esi@example.test", 7],
        ["Bodhi Lindqvist-Test", "bodhi@example.test", 9],
    ]
    export = read_export(UploadedFile("long.csv", csv_bytes(rows)))
    identities = resolve_identities([(1, export)])
    found = [p.found for p in (*export.problems, *identities.problems)]
    assert any("the score cell says 'xxx" in text for text in found)
    assert any("the e-mail 'xxx" in text for text in found)
    assert max(map(len, found)) < 200
    # Sheet names are unlimited in OpenDocument.
    ods = ods_bytes([(long, [["Name", "Score"], [None, None], ["Total", 3]])])
    with pytest.raises(NoResultsFound) as error:
        read_export(UploadedFile("long.ods", ods))
    assert len(str(error.value)) < 300


def test_quoted_keeps_short_text_whole() -> None:
    assert quoted("Total Marks (17)") == "'Total Marks (17)'"
    assert quoted("x" * 100, limit=10) == "'xxxxxxxxx…'"


def test_a_header_maximum_of_hundreds_of_digits_is_no_maximum() -> None:
    # float() of 5,000 digits is infinity: every score became 0% without a word.
    assert header_maximum("Total Marks (" + "1" * 5_000 + ")") is None
    assert header_maximum("Total Marks (17)") == 17
