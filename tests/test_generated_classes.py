"""Self-tests of the class generator: real-looking files, the noise docs/formats.md lists, and a
truth that follows from the files alone."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from functools import cache

import pytest

from tests.support.classes import (
    LAYOUTS,
    GeneratedClass,
    make_class,
    make_surveyheart_benchmark,
    traits_of,
)
from tests.support.readback import (
    SeenRow,
    is_valid_email,
    owner_of,
    read_back,
    repair_email,
    table,
)
from tests.support.roster import normalise_name

PEOPLE, TESTS = 120, 5


@cache
def noisy(layout: str) -> GeneratedClass:
    return make_class(layout, PEOPLE, TESTS, seed=11)


@cache
def seen_rows(layout: str) -> list[SeenRow]:
    return read_back(noisy(layout))


def _by_owner(layout: str) -> dict[int | None, list[SeenRow]]:
    owners: dict[int | None, list[SeenRow]] = defaultdict(list)
    for row in seen_rows(layout):
        owners[owner_of(row, noisy(layout).people)].append(row)
    return owners


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_truth_is_what_the_files_say(layout: str) -> None:
    """Recompute every person's best percent per test from the files; it must equal the truth."""
    generated = noisy(layout)
    recomputed: dict[tuple[int, int], float | None] = dict.fromkeys(generated.truth)
    for person, rows in _by_owner(layout).items():
        if person is None:
            continue
        for row in rows:
            if row.percent is not None:
                best = recomputed[(person, row.test)]
                recomputed[(person, row.test)] = max(best or 0.0, row.percent)
    assert recomputed.keys() == generated.truth.keys()
    for cell, expected in generated.truth.items():
        got = recomputed[cell]
        assert (got is None) == (expected is None), cell
        assert got is None or expected is None or abs(got - expected) < 1e-6, (cell, got, expected)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_row_belongs_to_one_person_unless_anonymous(layout: str) -> None:
    orphans = _by_owner(layout).get(None, [])
    if traits_of(layout).anonymous:
        assert orphans and all(row.email == "anonymous" and row.name is None for row in orphans)
    else:
        assert orphans == []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_truth_is_a_percent_and_everyone_scored_somewhere(layout: str) -> None:
    generated = noisy(layout)
    assert len(generated.people) == PEOPLE
    assert {t for _, t in generated.truth} == set(range(1, TESTS + 1))
    for value in generated.truth.values():
        assert value is None or 0 <= value <= 100
    for person in range(PEOPLE):
        assert any(generated.truth[(person, t)] is not None for t in range(1, TESTS + 1)), person


@pytest.mark.parametrize("layout", LAYOUTS)
def test_about_a_third_miss_some_test(layout: str) -> None:
    generated = noisy(layout)
    missing = {p for (p, _), value in generated.truth.items() if value is None}
    assert 0.2 * PEOPLE <= len(missing) <= 0.55 * PEOPLE


@pytest.mark.parametrize("layout", LAYOUTS)
def test_repeated_submissions_carry_different_scores(layout: str) -> None:
    per_cell: dict[tuple[int, int], list[float]] = defaultdict(list)
    for person, rows in _by_owner(layout).items():
        for row in rows:
            if person is not None and row.percent is not None:
                per_cell[(person, row.test)].append(row.percent)
    repeated = {cell for cell, scores in per_cell.items() if len(set(scores)) > 1}
    if traits_of(layout).repeats:
        assert {test for _, test in repeated} == set(range(1, TESTS + 1))
    else:
        assert repeated == set()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_malformed_emails_of_every_kind(layout: str) -> None:
    emails = [row.email for row in seen_rows(layout) if row.email != "anonymous"]
    if not traits_of(layout).typed_emails:
        assert all(email is None or is_valid_email(email) for email in emails)
        return
    bad = [email or "" for email in emails if not is_valid_email(email)]
    assert any("@@" in e for e in bad) and any(e.startswith("MAILTO:") for e in bad)
    assert any(e and "@" not in e for e in bad), "a bare word"
    assert any(e == "" for e in bad), "a blank"
    assert any(e != e.lower() for e in bad) and any(e != e.strip() for e in bad)
    repairable = [e for e in bad if repair_email(e)]
    assert len(bad) - len(repairable) >= 2


@pytest.mark.parametrize("layout", LAYOUTS)
def test_one_email_with_several_spellings_of_a_name(layout: str) -> None:
    spellings: dict[int, set[str]] = defaultdict(set)
    for person, rows in _by_owner(layout).items():
        for row in rows:
            if person is not None and row.name and repair_email(row.email):
                spellings[person].add(row.name.casefold())
    varied = [p for p, names in spellings.items() if len(names) >= 2]
    if traits_of(layout).typed_names and traits_of(layout).email:
        assert len(varied) >= 0.05 * PEOPLE
        assert max(len(names) for names in spellings.values()) >= 3
    else:
        assert varied == []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_one_name_with_two_emails_never_in_the_same_test(layout: str) -> None:
    traits = traits_of(layout)
    addresses: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for person, rows in _by_owner(layout).items():
        for row in rows:
            email = repair_email(row.email)
            if person is not None and email:
                addresses[person][email].add(row.test)
    doubles = {p: tests for p, tests in addresses.items() if len(tests) == 2}
    assert all(len(tests) <= 2 for tests in addresses.values())
    if traits.email and not traits.roster:
        assert doubles
    else:
        assert doubles == {}
    for tests in doubles.values():
        first, second = tests.values()
        assert not first & second


@pytest.mark.parametrize("layout", LAYOUTS)
def test_near_miss_namesakes_are_different_people_in_the_same_tests(layout: str) -> None:
    generated = noisy(layout)
    names = [normalise_name(p.name) for p in generated.people]
    pairs = [
        (a, b)
        for a in range(len(names))
        for b in range(a + 1, len(names))
        if _one_edit_apart(names[a], names[b])
    ]
    assert len(pairs) >= 2
    for a, b in pairs[:2]:
        taken_a = {t for t in range(1, TESTS + 1) if generated.truth[(a, t)] is not None}
        taken_b = {t for t in range(1, TESTS + 1) if generated.truth[(b, t)] is not None}
        assert taken_a & taken_b
        assert (
            generated.people[a].emails != generated.people[b].emails
            or not generated.people[a].emails
        )


def _one_edit_apart(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


@pytest.mark.parametrize("layout", [la for la in LAYOUTS if traits_of(la).no_score])
def test_no_score_cells_are_absent_from_the_truth(layout: str) -> None:
    markers = [row for row in seen_rows(layout) if row.marker]
    assert {row.marker for row in markers} <= set(traits_of(layout).no_score)
    assert len(markers) >= TESTS
    generated = noisy(layout)
    owners = _by_owner(layout)
    alone = [
        (p, row.test)
        for p, rows in owners.items()
        for row in rows
        if p is not None
        and row.marker
        and not any(r.test == row.test and r.percent is not None for r in rows)
    ]
    assert alone and all(generated.truth[cell] is None for cell in alone)


def test_kahoot_players_have_no_email_and_some_nicknames() -> None:
    generated = noisy("kahoot")
    assert all(row.email is None for row in seen_rows("kahoot"))
    assert sum("-Test" not in person.name for person in generated.people) >= 0.1 * PEOPLE
    assert generated.out_of == {}  # the report says how many questions were played


def test_google_forms_first_test_has_no_name_column() -> None:
    generated = noisy("google_forms")
    first = next(f for f in generated.files if generated.file_tests[f.name] == (1,))
    later = next(f for f in generated.files if generated.file_tests[f.name] == (2,))
    assert table(first, "Form Responses 1")[0][3] not in ("Full name", "Name", "Your name")
    assert table(later, "Form Responses 1")[0][3] in ("Full name", "Name", "Your name")


def test_canvas_variants_bom_semicolons_and_decimal_commas() -> None:
    files = [f for seed in range(4) for f in make_class("canvas", 30, 3, seed=seed).files]
    assert any(f.data.startswith(b"\xef\xbb\xbf") for f in files)
    assert any(not f.data.startswith(b"\xef\xbb\xbf") for f in files)
    european = [f for f in files if f.data.split(b"\r\n")[0].count(b";") > 3]
    assert european and any(re.search(rb";\d+,\d;", f.data) for f in european)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_file_names_look_real_and_carry_their_tests(layout: str) -> None:
    generated = noisy(layout)
    assert len({f.name for f in generated.files}) == len(generated.files)
    assert sorted(t for held in generated.file_tests.values() for t in held) == list(
        range(1, TESTS + 1)
    )
    for file in generated.files:
        assert re.search(r"\.(xlsx|csv)$", file.name) and file.label is None
        if layout != "canvas_gradebook":
            (test,) = generated.file_tests[file.name]
            assert str(test) in file.name


def test_surveyheart_names_include_the_glued_test_and_day_trap() -> None:
    names = [f.name for seed in range(6) for f in make_class("surveyheart", 10, 5, seed=seed).files]
    assert any(re.fullmatch(r"Anatomy TEST \d{3} [A-Z][a-z]+,2026\.xlsx", n) for n in names)
    assert any(re.fullmatch(r"TEST \d[A-Z]+ \d+, 2026\.xlsx", n) for n in names)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_clean_class_has_no_noise(layout: str) -> None:
    generated = make_class(layout, 40, 3, seed=2, noise=False)
    assert all(value is not None for value in generated.truth.values())
    rows = read_back(generated)
    assert len(rows) == 40 * 3
    assert all(row.email is None or is_valid_email(row.email) for row in rows)
    for row in rows:
        person = owner_of(row, generated.people)
        assert person is not None
        assert row.name is None or normalise_name(row.name) == normalise_name(
            generated.people[person].name
        )


@pytest.mark.parametrize("layout", LAYOUTS)
def test_same_seed_same_bytes_other_seed_other_class(layout: str) -> None:
    first = make_class(layout, 30, 3, seed=5)
    again = make_class(layout, 30, 3, seed=5)
    other = make_class(layout, 30, 3, seed=6)
    assert [(f.name, f.data) for f in first.files] == [(f.name, f.data) for f in again.files]
    assert first.truth == again.truth and first.people == again.people
    assert first.people != other.people


def test_all_layouts_of_a_class_of_120_generate_in_under_two_seconds() -> None:
    started = time.perf_counter()
    for layout in LAYOUTS:
        make_class(layout, PEOPLE, TESTS, seed=99)
    assert time.perf_counter() - started < 2.0


def test_benchmark_exports_are_surveyheart_with_about_25_columns() -> None:
    files = make_surveyheart_benchmark(people=200, tests=2, seed=1)
    assert len(files) == 2
    for file in files:
        rows = table(file, "Responses")
        assert 23 <= len(rows[0]) <= 28
        assert 0.8 * 200 <= len(rows) - 1 <= 200 + 2  # absences, and a repeat or two


def test_moodle_unfinished_attempts_sit_beside_scored_ones() -> None:
    generated = noisy("moodle")
    beside = [
        (person, row.test)
        for person, rows in _by_owner("moodle").items()
        for row in rows
        if person is not None
        and row.marker == "-"
        and any(r.test == row.test and r.percent for r in rows)
    ]
    assert len(beside) >= TESTS
    assert all(generated.truth[cell] is not None for cell in beside)
