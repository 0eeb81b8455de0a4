"""Test numbers: read from an explicit label or a file name, or handed out in upload order.

The rules, in the order they are tried on one piece of text (case never matters):

1. A keyword number: `test`, `tests`, `quiz`, `exam`, `assessment` followed by the digits, with
   any of ` `, `-`, `_`, `#`, `:`, `.` or `no.` between (`Test 5`, `test #5`, `Exam-1`,
   `test3_results`), or a `T` glued to the digits (`T5`, `T-5`). The first such number wins;
   dates and years elsewhere in the text are ignored.
2. Otherwise a bare number, when exactly one is left after setting aside years (1950-2099),
   days written next to a month name (`February 17`, `17 Feb`), numeric dates and times
   (`17-02-2026`, `10:30`) and a browser's download-copy suffix (`results (1).xlsx`).

Digits that run straight into a month name (`519 February`, `1231January`) hold the test number
and then the day, unless the month is already followed by its own day (`TEST 4FEBRUARY 17` is
test 4, `Test 12 March 3` is test 12). The split takes a two-digit day (01-31) when there are at
least three digits (`519` is test 5 on the 19th, not 51 on the 9th: people write the 19th with
two digits), then a one-digit day for three or more digits whose last two are no day (`545 Mar`
is 54 on the 5th). Two digits are never split (`12 March` stays 12: both readings are possible
and the number as written is the safer one). A four-digit year before a month is a year.

A test number is 1-999; anything else is no test number.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from itertools import count

from compiler.errors import quoted
from compiler.model import Problem, TestNumber

FROM_LABEL = "from the label"
FROM_FILE_NAME = "from the file name"
NEXT_FREE = "next free number (none in the name)"

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])"
)
_MONTH_AHEAD = re.compile(r"[\s,._\-]*" + _MONTH)
_DAY_AHEAD = re.compile(r"[\s,._\-]*(\d{1,2})(?!\d)")
_MONTH_BEHIND = re.compile(r"(?<![a-z])" + _MONTH + r"[\s,._\-]*$")
_KEYWORD_NUMBER = re.compile(
    r"(?<![a-z0-9])"
    r"(?:(?:tests?|quiz|exam|assessment)[\s_\-#:.]*(?:(?:no|nr|number)\.?[\s_\-#:.]*)?|t[\-_#]?)"
    r"(?P<digits>\d+)(?!\d)"
)
_BARE_NUMBER = re.compile(r"(?<![a-z0-9])\d+(?!\d)")
_COPY_SUFFIX = re.compile(r"\(\d+\)\s*$")
_EXTENSION = re.compile(r"\.[a-z][a-z0-9]{0,4}$")

_LOWEST, _HIGHEST = 1, 999


def number_from_label(label: str) -> int | None:
    """The test number an explicit label or caption gives (`Test 5`, `5`, `T5`), or None."""
    return _number_in_text(label.strip().casefold())


def number_from_file_name(name: str) -> int | None:
    """The test number a file name gives, or None; the extension is ignored.

    `Anatomy TEST 519 February,2026.xlsx` is 5, `TEST 4FEBRUARY 17, 2026.xlsx` is 4,
    `test3_results.csv` is 3, `results 7.xlsx` is 7, `results 2026.xlsx` is None.
    """
    text = name.strip().casefold()
    text = text.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return _number_in_text(_EXTENSION.sub("", text))


def assign_test_numbers(
    files: Sequence[tuple[str, str | None, int]],
) -> tuple[list[list[TestNumber]], list[Problem]]:
    """Number the tests of (file name, label, how many tests) given in upload order.

    A file's first test takes the label's number, then the file name's, else the lowest
    number nobody claimed; a gradebook's other tests take the lowest numbers left (see
    `number_items`: a gradebook's name gives it no number). Files that
    claim the same number all keep it, and a `test-number-conflict` Problem names each earlier
    file: the later upload is the one kept for that test (a corrected file replaces the earlier
    one), so the caller drops the earlier files and nothing is overwritten unannounced.
    """
    problems: list[Problem] = []
    claims = [
        _claim(name, label, problems) if tests == 1 else _claim_label(name, label, problems)
        for name, label, tests in files
    ]
    taken = {number for number, _ in claims if number is not None}
    firsts: list[TestNumber] = []
    next_free = _LOWEST
    for number, how in claims:
        if number is None:
            while next_free in taken:
                next_free += 1
            number = next_free
            taken.add(number)
        firsts.append(TestNumber(number=number, how=how))
    problems.extend(_conflicts([name for name, _, _ in files], firsts))
    numbers = []
    for first, (_, _, tests) in zip(firsts, files, strict=True):
        keys = [str(position) for position in range(tests)]
        items = number_items(first, keys, taken - {first.number})
        taken |= {item.number for item in items}
        numbers.append(items)
    return numbers, problems


def number_upload(
    name: str, label: str | None, taken: Collection[int]
) -> tuple[TestNumber, list[Problem]]:
    """Number one more upload in a session whose tests already hold the numbers `taken`.

    The label wins, then the file name, else the lowest number not taken. A number that is
    taken is returned as it is: the caller replaces that test's file and says so.
    """
    problems: list[Problem] = []
    number, how = _claim(name, label, problems)
    if number is None:
        number = next(n for n in count(_LOWEST) if n not in taken)
    return TestNumber(number=number, how=how), problems


def number_items(
    first: TestNumber,
    keys: Sequence[str],
    taken: Collection[int],
    known: Mapping[str, int] | None = None,
) -> list[TestNumber]:
    """The test numbers of a file's tests, one per key (the score column's header), in order.

    A file of one test is `first`. In a gradebook, an item the session already holds (its key
    in `known`, as when a corrected gradebook is sent again) keeps that item's number; the
    first new item is `first` (unless that came from the file name, which names a gradebook's
    course: `Grades-BIO_101.csv`), the others the lowest numbers neither `taken` nor used here.
    """
    if len(keys) == 1:
        return [first]
    known = known or {}
    used = set(taken) | set(known.values())
    if first.how == FROM_FILE_NAME:  # a gradebook's name names its course, not a test
        first = TestNumber(next(n for n in count(_LOWEST) if n not in used), NEXT_FREE)
    numbers: list[TestNumber] = []
    first_used = False
    for position, key in enumerate(keys, start=1):
        how = f"item {position} of {len(keys)} in the file"
        if key in known:
            numbers.append(TestNumber(known[key], f"{how}, the same item as before"))
        elif not first_used:
            first_used = True
            numbers.append(TestNumber(first.number, f"{how}, {first.how}"))
            used.add(first.number)
        else:
            number = next(n for n in count(max(first.number, _LOWEST)) if n not in used)
            used.add(number)
            numbers.append(TestNumber(number, f"{how}, next free number"))
    return numbers


def _claim_label(name: str, label: str | None, problems: list[Problem]) -> tuple[int | None, str]:
    """A gradebook's claim: its label only (its file name names a course, not a test)."""
    return _claim(name, label, problems, by_file_name=False)


def _claim(
    name: str, label: str | None, problems: list[Problem], *, by_file_name: bool = True
) -> tuple[int | None, str]:
    """The number a file claims: its label's, else (`by_file_name`) its name's; else None."""
    if label is not None and label.strip():
        number = number_from_label(label)
        if number is not None:
            return number, FROM_LABEL
        instead = "the test number from the file name" if by_file_name else "the next free number"
        problems.append(
            Problem(
                kind="unreadable-test-label",
                found=f"the label {quoted(label)} holds no test number",
                action=f"took {instead} instead",
                file=name,
            )
        )
    if not by_file_name:
        return None, NEXT_FREE
    number = number_from_file_name(name)
    if number is not None:
        return number, FROM_FILE_NAME
    return None, NEXT_FREE


def _conflicts(names: list[str], numbers: list[TestNumber]) -> list[Problem]:
    last_holder: dict[int, int] = {}
    for index, test in enumerate(numbers):
        last_holder[test.number] = index
    problems = []
    for index, test in enumerate(numbers):
        keeper = last_holder[test.number]
        if keeper == index:
            continue
        problems.append(
            Problem(
                kind="test-number-conflict",
                found=f"{names[index]} and {names[keeper]} are both test {test.number}",
                action=(
                    f"kept the later upload, {names[keeper]}, for test {test.number}; "
                    f"{names[index]} is not used (label the files if both are needed)"
                ),
                file=names[index],
            )
        )
    return problems


def _number_in_text(text: str) -> int | None:
    for match in _KEYWORD_NUMBER.finditer(text):
        number = _test_part(match.group("digits"), text[match.end() :])
        if number is not None:
            return number
    return _single_bare_number(text)


def _test_part(digits: str, rest: str) -> int | None:
    """The test number in a run of digits, given the text that follows it."""
    if _is_year(digits):
        return None
    if _month_without_day_ahead(rest):
        split = _split_before_month(digits)
        if split is not None:
            return split
    return _in_range(digits)


def _split_before_month(digits: str) -> int | None:
    if len(digits) < 3:
        return None
    for day_width in (2, 1):
        head, day = digits[:-day_width], digits[-day_width:]
        if head.startswith("0") or not 1 <= int(day) <= 31:
            continue
        return _in_range(head)
    return None


def _single_bare_number(text: str) -> int | None:
    found: set[int] = set()
    copy_suffix = _COPY_SUFFIX.search(text)
    for match in _BARE_NUMBER.finditer(text):
        if copy_suffix is not None and match.start() >= copy_suffix.start():
            continue
        number = _bare_candidate(text, match.start(), match.end())
        if number is not None:
            found.add(number)
    return found.pop() if len(found) == 1 else None


def _bare_candidate(text: str, start: int, end: int) -> int | None:
    digits, before, rest = text[start:end], text[:start], text[end:]
    if _is_year(digits) or _in_numeric_date(text, start, end):
        return None
    if rest[:1].isalpha() and _MONTH_AHEAD.match(rest) is None:
        return None  # part of a word like `10b`
    if _month_without_day_ahead(rest):
        return _split_before_month(digits)  # `519 feb` holds test 5; `19 feb` is only a day
    if _MONTH_BEHIND.search(before) is not None and len(digits) <= 2:
        return None  # `february 17`: a day
    return _in_range(digits)


def _in_numeric_date(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    joiner = "-./:"
    return (len(before) == 2 and before[1] in joiner and before[0].isdigit()) or (
        len(after) == 2 and after[0] in joiner and after[1].isdigit()
    )


def _month_without_day_ahead(rest: str) -> bool:
    """True for `february,2026` or ` mar`: a month name comes next, and no day after it."""
    month = _MONTH_AHEAD.match(rest)
    if month is None:
        return False
    day = _DAY_AHEAD.match(rest[month.end() :])
    return day is None or not 1 <= int(day.group(1)) <= 31


def _is_year(digits: str) -> bool:
    return len(digits) == 4 and 1950 <= int(digits) <= 2099


def _in_range(digits: str) -> int | None:
    # A run of more digits than any test number has is none (and past 4,300 digits `int`
    # refuses to convert it at all).
    significant = digits.lstrip("0") or "0"
    if len(significant) > len(str(_HIGHEST)):
        return None
    number = int(significant)
    return number if _LOWEST <= number <= _HIGHEST else None
