"""People across tests: e-mails, names, merges, look-alikes; no row ever dropped."""

from __future__ import annotations

import random
import time
from dataclasses import replace
from typing import cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.identify.identity import (
    Identities,
    display_name,
    normalize_email,
    normalize_name,
    resolve_identities,
)
from compiler.identify.lookalikes import find_lookalikes
from compiler.model import ColumnChoice, Export, MaxSource, Platform, Submission

Row = tuple[str | None, str | None]  # (name, e-mail cell)


def export(file_name: str, rows: list[Row]) -> Export:
    """An export whose rows sit on sheet rows 2, 3, ... with made-up scores."""
    return export_of([(name, email, None) for name, email in rows], file_name)


def export_of(
    rows: list[tuple[str | None, str | None, str | None]], file_name: str = "f.csv"
) -> Export:
    """An export of (name, e-mail, person id) rows on sheet rows 2, 3, ..."""
    submissions = tuple(
        Submission(row=i + 2, name=name, email=email, points=50.0, person_id=person_id)
        for i, (name, email, person_id) in enumerate(rows)
    )
    return Export(
        file_name=file_name,
        sha256="0" * 64,
        platform=Platform.GENERIC,
        sheet=None,
        header_row=1,
        columns=ColumnChoice(),
        out_of=100.0,
        max_source=MaxSource.GIVEN,
        submissions=submissions,
        rows_read=len(submissions),
        rows_rejected=0,
    )


def resolve(*tests: list[Row]) -> Identities:
    return resolve_identities(
        [(n, export(f"Test {n}.xlsx", rows)) for n, rows in enumerate(tests, 1)]
    )


def person_at(ids: Identities, test: int, row: int) -> str:
    return ids.people[ids.person_of[(test, row)]].name


def kinds(ids: Identities) -> list[str]:
    return [p.kind for p in ids.problems]


# --- e-mails ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "email"),
    [
        ("ada@@example.com", "ada@example.com"),
        ("mailto:ada@example.com", "ada@example.com"),
        ("MAILTO:Ada@Example.com", "ada@example.com"),
        ("ada @example.com", "ada@example.com"),
        ("ada@ example .com", "ada@example.com"),
        ("ada@example.com.", "ada@example.com"),
        ("ada@example.com,", "ada@example.com"),
        ("<ada@example.com>", "ada@example.com"),
        ("Ada Test <ada@example.com>", "ada@example.com"),
        ("ada@example..com", "ada@example.com"),
        ("ada＠example.com", "ada@example.com"),  # full-width @
        ("ada\u200b@example.com", "ada@example.com"),  # zero-width space
    ],
)
def test_email_repairs(raw: str, email: str) -> None:
    check = normalize_email(raw)
    assert check.email == email
    assert check.repaired
    assert check.problem is None


def test_trimming_and_lower_casing_is_not_a_repair() -> None:
    check = normalize_email("  Ada@Example.COM ")
    assert (check.email, check.repaired, check.problem) == ("ada@example.com", False, None)


@pytest.mark.parametrize(
    "raw", [None, "", "   ", "anonymous", "Anonymous", "-", "N/A", float("nan")]
)
def test_blank_or_anonymous_is_no_email_and_no_problem(raw: object) -> None:
    assert normalize_email(raw) == normalize_email(None)
    assert normalize_email(raw).email is None
    assert normalize_email(raw).problem is None


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("amaraokonkwo", "bare word"),
        ("ada@mail@example.com", "more than one @"),
        ("ada@examplecom", "no dot"),
        ("@example.com", "nothing before"),
        ("ada@", "nothing after"),
        ("ada,b@example.com", "','"),
        ("ada..b@example.com", "misplaced dot"),
        ("ada@example.c", ".c is not a domain ending"),
        ("ada@-example.com", "malformed"),
        ("ada@example.123", "not a domain ending"),
        (12345, "no @"),
    ],
)
def test_invalid_emails_say_why(raw: object, problem: str) -> None:
    check = normalize_email(raw)
    assert check.email is None
    assert check.problem is not None and problem in check.problem


@given(st.one_of(st.text(), st.integers(), st.floats(), st.none(), st.booleans()))
def test_normalize_email_never_raises_and_is_consistent(raw: object) -> None:
    check = normalize_email(raw)
    assert not (check.email is not None and check.problem is not None)
    if check.email is not None:
        assert check.email == check.email.strip().lower()
        assert check.email.count("@") == 1
        assert normalize_email(check.email).email == check.email  # idempotent


# --- names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Amara Okonkwo-Test", "amara  okonkwo test"),
        ("Dr. Amara Okonkwo", "AMARA OKONKWO"),
        ("Rad. Amara Okonkwo", "Amara Okonkwo Mrs."),
        ("José Núñez-Test", "jose nunez test"),
        ("Seán O'Brien-Test", "sean obrien test"),
        ("Amara\u00a0Okonkwo", "Amara Okonkwo"),
    ],
)
def test_normalize_name_folds_spellings_together(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


def test_normalize_name_keeps_what_tells_people_apart() -> None:
    assert normalize_name("Amara Okonkwo") != normalize_name("Amara Okonkow")
    assert normalize_name("Amara Okonkwo") != normalize_name("Amara N Okonkwo")
    assert normalize_name("Dr") == "dr"  # a lone title is a name, not nothing


def test_display_name_most_frequent_spelling_in_proper_case() -> None:
    spellings = [
        "amara okonkwo-test",
        "Dr. Amara Okonkwo-Test",
        "AMARA OKONKWO-TEST",
        "Amara N. Okonkwo-Test",
    ]
    assert display_name(spellings) == "Amara Okonkwo-Test"


@pytest.mark.parametrize(
    ("spellings", "shown"),
    [
        (["seán o'brien-test"], "Seán O'Brien-Test"),
        (["BOLA MCDONALD-TEST"], "Bola McDonald-Test"),
        (["bola DeSouza-Test"], "Bola DeSouza-Test"),  # careful capitals are kept
        (["Mr. Chidi Eze-Test", "chidi eze-test", "Chidi Ezee-Test"], "Chidi Eze-Test"),
        (["Chidi Ezee-Test", "Chidi Eze-Test"], "Chidi Ezee-Test"),  # a tie: first seen
        (["  ", ""], ""),
    ],
)
def test_display_name_cases(spellings: list[str], shown: str) -> None:
    assert display_name(spellings) == shown


# --- resolving people ---------------------------------------------------------------------


def test_email_is_the_key_whatever_the_name_spelling() -> None:
    ids = resolve(
        [("Amara Okonkwo-Test", "AMARA@example.com"), ("Bola Ade-Test", "bola@example.com")],
        [("Dr. amara okonkwo-test", " amara@example.com")],
        [
            ("Amara N. Okonkwo-Test", "amara@@example.com"),
            ("Amara Okonkwo-Test extra", "amara@example.com"),
        ],
    )
    assert len(ids.people) == 2
    amara = ids.person_of[(1, 2)]
    assert ids.person_of[(2, 2)] == ids.person_of[(3, 2)] == ids.person_of[(3, 3)] == amara
    assert ids.people[amara].name == "Amara Okonkwo-Test"
    assert ids.people[amara].email == "amara@example.com"
    assert kinds(ids) == ["repaired-email"]
    assert ids.possible_same_person == ()


def test_invalid_email_row_is_kept_reported_and_matched_by_name() -> None:
    ids = resolve(
        [("Amara Okonkwo-Test", "amara@example.com")],
        [("amara okonkwo-test", "amara at example")],
    )
    assert len(ids.people) == 1
    assert ids.person_of[(2, 2)] == ids.person_of[(1, 2)]
    (problem,) = ids.problems
    assert problem.kind == "invalid-email"
    assert (problem.file, problem.row, problem.person) == ("Test 2.xlsx", 2, "amara okonkwo-test")
    assert "amara at example" in problem.found


def test_invalid_email_without_a_matching_name_is_its_own_person() -> None:
    ids = resolve([("Amara Okonkwo-Test", "amara@example.com"), ("Bola Ade-Test", "bolaade")])
    assert len(ids.people) == 2
    bola = ids.people[ids.person_of[(1, 3)]]
    assert (bola.name, bola.email, bola.emails) == ("Bola Ade-Test", None, ())
    assert kinds(ids) == ["invalid-email"]


def test_rows_without_email_join_people_known_by_name_only() -> None:
    ids = resolve([("Kemi Obi-Test", None)], [("KEMI OBI-TEST", "anonymous")])
    assert len(ids.people) == 1
    assert ids.person_of[(1, 2)] == ids.person_of[(2, 2)]
    assert ids.problems == ()


def test_no_email_row_with_a_name_several_people_share_stays_apart() -> None:
    ids = resolve(
        [("Tunde Bello-Test", "tunde.a@example.com"), ("Tunde Bello-Test", "tunde.b@example.com")],
        [("Tunde Bello-Test", "")],
    )
    assert len(ids.people) == 3  # two by e-mail (they share test 1), one row on its own
    assert len({ids.person_of[(1, 2)], ids.person_of[(1, 3)], ids.person_of[(2, 2)]}) == 3
    assert kinds(ids) == ["ambiguous-name"]
    assert ids.problems[0].row == 2 and ids.problems[0].file == "Test 2.xlsx"
    same_name = [p.why for p in ids.possible_same_person if p.why.startswith("the same name")]
    # The row without an e-mail could be either; the two who sat test 1 under two e-mails are
    # two people, so that pair is not put to a human.
    assert len(same_name) == 2
    assert all("only one has an e-mail" in why for why in same_name)


def test_same_name_two_emails_never_in_the_same_test_is_one_person() -> None:
    ids = resolve(
        [("Ngozi Eze-Test", "ngozi@school.example")],
        [("ngozi eze-test", "ngozi.eze@home.example")],
        [("Ngozi Eze-Test", "ngozi@school.example")],
    )
    assert len(ids.people) == 1
    person = ids.people[0]
    assert person.email == "ngozi@school.example"  # the most used
    assert person.emails == ("ngozi@school.example", "ngozi.eze@home.example")
    assert kinds(ids) == ["merged-emails"]
    assert "ngozi.eze@home.example" in ids.problems[0].found


def test_same_name_two_emails_in_one_test_are_two_people_listed_for_a_human() -> None:
    ids = resolve(
        [("Ngozi Eze-Test", "ngozi.a@example.com"), ("Ngozi Eze-Test", "ngozi.b@example.com")],
        [("Ngozi Eze-Test", "ngozi.c@example.com")],
    )
    assert len(ids.people) == 3  # c could be a or b: no merge
    assert "merged-emails" not in kinds(ids)
    assert all(p.why.startswith("the same name") for p in ids.possible_same_person)
    # c could be a or b; a and b sat test 1 under two e-mails: two people, not asked about.
    assert len(ids.possible_same_person) == 2
    assert all("ngozi.c@example.com" in p.why for p in ids.possible_same_person)


def test_near_misses_are_listed_never_merged() -> None:
    ids = resolve(
        [
            ("Amara Okonkwo-Test", "amara@example.com"),
            ("Chidi Eze-Test", "chidi@example.com"),
            ("Femi Ade-Test", "femi@example.com"),
        ],
        [
            ("Amara Okonkow-Test", "amara2@example.com"),  # one letter
            ("Chidi Nnamdi Eze-Test", "chidi2@example.com"),  # a middle name
            ("Ade-Test Femi", None),  # reordered, no e-mail
        ],
    )
    assert len(ids.people) == 6
    pairs = {(p.a.name, p.b.name): p.why for p in ids.possible_same_person}
    assert pairs.keys() == {
        ("Amara Okonkwo-Test", "Amara Okonkow-Test"),
        ("Chidi Eze-Test", "Chidi Nnamdi Eze-Test"),
        ("Femi Ade-Test", "Ade-Test Femi"),
    }
    why = pairs[("Amara Okonkwo-Test", "Amara Okonkow-Test")]
    assert why.startswith("names one letter apart")
    assert "amara@example.com and amara2@example.com" in why and "never in the same test" in why
    assert pairs[("Chidi Eze-Test", "Chidi Nnamdi Eze-Test")].startswith(
        "one name has an extra word"
    )
    assert "only one has an e-mail" in pairs[("Femi Ade-Test", "Ade-Test Femi")]


def test_duplicate_submission_maps_both_rows_to_one_person() -> None:
    ids = resolve(
        [("Amara Okonkwo-Test", "amara@example.com"), ("Amara Okonkwo-Test", "amara@example.com")]
    )
    assert len(ids.people) == 1
    assert ids.person_of == {(1, 2): 0, (1, 3): 0}


def test_row_with_neither_name_nor_email_is_kept() -> None:
    ids = resolve([(None, None), ("", "anonymous"), ("Amara Okonkwo-Test", None)])
    assert len(ids.people) == 3
    assert person_at(ids, 1, 2) == "Unnamed (test 1, row 2)"
    assert person_at(ids, 1, 3) == "Unnamed (test 1, row 3)"


def test_email_without_a_name_shows_the_email() -> None:
    ids = resolve([(None, "kemi@example.com")])
    assert ids.people[0].name == "kemi@example.com"


def test_one_email_with_unrelated_names_is_reported() -> None:
    ids = resolve(
        [("Amara Okonkwo-Test", "family@example.com")],
        [
            ("Chidi Okonkwo-Test", "family@example.com"),
            ("Amara Okonkow-Test", "family@example.com"),
        ],
    )
    assert len(ids.people) == 1  # the e-mail decides, but siblings may share it: say so
    assert kinds(ids) == ["different-names-one-email"]
    assert "Chidi Okonkwo-Test" in ids.problems[0].found


@pytest.mark.parametrize(
    "other_spelling",
    [
        "AmaraOkonkwo-Test",  # a lost space
        "Amra Okonkwo-Test",  # a typo
        "Amara Nneka Okonkwo-Test",  # a middle name
        "A. Okonkwo-Test",  # an initial
        "Okonkwo-Test Amara",  # reordered
        "Amra Okonkow-Test",  # a typo in two words
        "Amara Okonkwo-Test Class",  # a trailing word
    ],
)
def test_spellings_of_one_name_are_not_unrelated_names(other_spelling: str) -> None:
    ids = resolve(
        [("Amara Okonkwo-Test", "amara@example.com")], [(other_spelling, "amara@example.com")]
    )
    assert ids.problems == ()


def test_people_come_in_order_of_first_appearance() -> None:
    ids = resolve(
        [("Bola Ade-Test", None)], [("Amara Okonkwo-Test", None), ("Bola Ade-Test", None)]
    )
    assert [p.name for p in ids.people] == ["Bola Ade-Test", "Amara Okonkwo-Test"]


def test_repeated_test_numbers_are_refused() -> None:
    test = export("Test 1.xlsx", [("Amara Okonkwo-Test", None)])
    with pytest.raises(ValueError, match="once"):
        resolve_identities([(1, test), (1, test)])


names = st.sampled_from(
    ["Amara Okonkwo", "amara okonkwo", "Dr. Amara Okonkwo", "Amara Okonkow", "Bola Ade", "", None]
)
emails = st.sampled_from(
    ["amara@example.com", "AMARA@@example.com", "bola@example.com", "bad", "anonymous", "", None]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.tuples(names, emails), max_size=6), min_size=1, max_size=4))
def test_never_drops_a_row(tests: list[list[Row]]) -> None:
    ids = resolve(*tests)
    expected = {(n, i + 2) for n, rows in enumerate(tests, 1) for i in range(len(rows))}
    assert set(ids.person_of) == expected
    assert set(ids.person_of.values()) == set(range(len(ids.people)))  # nobody without a row
    for test, row in expected:  # same usable e-mail -> same person
        email = normalize_email(tests[test - 1][row - 2][1]).email
        if email is not None:
            assert email in ids.people[ids.person_of[(test, row)]].emails


# --- look-alikes at scale -----------------------------------------------------------------


def test_lookalike_blocks_too_big_are_chained_not_squared() -> None:
    pairs = find_lookalikes([["kemi obi"]] * 100, max_group=25)
    assert len(pairs) == 99
    assert all(b == a + 1 for a, b, _ in pairs)


def _class(rng: random.Random, size: int) -> list[tuple[str, str]]:
    syllables = ["ka", "mo", "ra", "li", "ne", "so", "ta", "bu", "di", "fe", "go", "ze", "wa", "yo"]

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()

    names: set[str] = set()
    while len(names) < size:
        names.add(f"{word()} {word()}-Test")
    return [(name, f"p{i}@school.example") for i, name in enumerate(sorted(names))]


def test_three_thousand_people_in_six_tests_resolve_quickly() -> None:
    rng = random.Random(3)
    people = _class(rng, 3000)
    tests = [[p for p in people if rng.random() < 0.67] for _ in range(6)]
    started = time.perf_counter()
    ids = resolve(*tests)
    elapsed = time.perf_counter() - started
    assert len(ids.people) == len({p for test in tests for p in test})  # all who took one
    assert ids.problems == ()
    assert len(ids.person_of) == sum(len(t) for t in tests)
    assert elapsed < 5.0, f"resolve_identities took {elapsed:.2f}s"


def test_three_emails_of_one_name_in_three_tests_are_one_person() -> None:
    ids = resolve(
        [("Ngozi Eze-Test", "n1@example.com")],
        [("Ngozi Eze-Test", "n2@example.com")],
        [("Ngozi Eze-Test", "n3@example.com")],
    )
    assert len(ids.people) == 1
    assert ids.people[0].emails == ("n1@example.com", "n2@example.com", "n3@example.com")
    assert kinds(ids) == ["merged-emails"]


def test_a_row_without_email_before_the_emailed_one_still_joins_it() -> None:
    ids = resolve([("Kemi Obi-Test", None)], [("Kemi Obi-Test", "kemi@example.com")])
    assert len(ids.people) == 1
    assert ids.people[0].email == "kemi@example.com"
    assert ids.person_of[(1, 2)] == ids.person_of[(2, 2)] == 0


# --- rows that share a spelling -----------------------------------------------------------


def test_rows_alone_take_their_place_among_people_by_first_row() -> None:
    # The same blank spelling on rows 2 and 4 is two people, with Bola (row 3) between them.
    ids = resolve([(None, None), ("Bola Ade-Test", "bola@example.com"), (None, None)])
    assert [p.name for p in ids.people] == [
        "Unnamed (test 1, row 2)",
        "Bola Ade-Test",
        "Unnamed (test 1, row 4)",
    ]
    assert ids.person_of == {(1, 2): 0, (1, 3): 1, (1, 4): 2}


def test_a_name_shared_by_two_emails_leaves_each_plain_row_alone_in_row_order() -> None:
    ids = resolve(
        [("Kemi Obi-Test", "k1@example.com"), ("Kemi Obi-Test", "k2@example.com")],
        [("Kemi Obi-Test", None), ("kemi obi-test", None), ("Kemi Obi-Test", None)],
    )
    ambiguous = [(p.file, p.row) for p in ids.problems if p.kind == "ambiguous-name"]
    assert ambiguous == [("Test 2.xlsx", 2), ("Test 2.xlsx", 3), ("Test 2.xlsx", 4)]
    assert len({ids.person_of[(2, row)] for row in (2, 3, 4)} | {ids.person_of[(1, 2)]}) == 4
    assert [ids.person_of[(2, row)] for row in (2, 3, 4)] == [2, 3, 4]


def test_a_repeated_malformed_email_is_reported_on_each_of_its_rows() -> None:
    ids = resolve([("Ada Test", "ada@@example.com")], [("Ada Test", "ada@@example.com")])
    repaired = [(p.file, p.row) for p in ids.problems if p.kind == "repaired-email"]
    assert repaired == [("Test 1.xlsx", 2), ("Test 2.xlsx", 2)]
    assert len(ids.people) == 1


def test_email_cells_that_are_equal_numbers_are_read_each_as_written() -> None:
    # 1 == 1.0 == True == 1+0j, yet each cell is quoted as it was written.
    cells: list[object] = [1, 1.0, True, 1 + 0j]
    test = export("Test 1.xlsx", [("Ada Test", None)] * 4)
    rows = tuple(
        replace(sub, email=cast(str, cell))
        for sub, cell in zip(test.submissions, cells, strict=True)
    )
    ids = resolve_identities([(1, replace(test, submissions=rows))])
    assert [p.found for p in ids.problems] == [
        "the e-mail '1' is not a usable address: no @ in it (a bare word)",
        "the e-mail '1.0' is not a usable address: no @ in it (a bare word)",
        "the e-mail 'True' is not a usable address: no @ in it (a bare word)",
        "the e-mail '(1+0j)' is not a usable address: no @ in it (a bare word)",
    ]


def test_two_platform_ids_are_two_people_even_with_one_email() -> None:
    # Moodle's assignment worksheet: two people who share an address, told apart by Identifier.
    tests = [
        (1, export_of([("Ada Obi-Test", "family@example.com", "Moodle Participant 1"),
                       ("Ben Obi-Test", "family@example.com", "Moodle Participant 2")])),
        (2, export_of([("Ada Obi-Test", "family@example.com", None)])),
    ]  # fmt: skip
    ids = resolve_identities(tests)
    assert len(ids.people) == 2
    assert ids.person_of[(1, 2)] != ids.person_of[(1, 3)]
    # Test 2's shared address cannot say which of the two it is; the name can.
    assert ids.person_of[(2, 2)] == ids.person_of[(1, 2)]


def test_an_email_seen_with_one_id_joins_rows_without_the_id() -> None:
    tests = [
        (1, export_of([("Ada Obi-Test", "ada@example.com", "Canvas 48213")])),
        (2, export_of([("Ada Obi", "ADA@example.com", None)])),
    ]
    ids = resolve_identities(tests)
    assert len(ids.people) == 1


def test_names_told_apart_by_their_numbers_are_never_look_alikes() -> None:
    ids = resolve(
        [(f"Person {n}", f"p{n}@example.com") for n in range(1, 8)],
        [(f"sample.name{n}", None) for n in range(1, 30)],
    )
    assert ids.possible_same_person == ()


def test_one_email_with_a_different_name_in_each_file_is_reported_with_the_tests() -> None:
    ids = resolve(
        [("Person 1", "shared@example.com")],
        [("Person 2", "shared@example.com")],
        [("Person 3", "shared@example.com")],
    )
    assert len(ids.people) == 1
    (report,) = [p for p in ids.problems if p.kind == "different-names-one-email"]
    assert report.found == (
        "one e-mail (shared@example.com) is used with unrelated names: "
        "Person 1 (test 1), Person 2 (test 2), Person 3 (test 3)"
    )


def test_one_platform_id_with_two_emails_is_reported_as_one_id() -> None:
    tests = [
        (1, export_of([("Ada Obi-Test", "ada@school.example", "Canvas 48213")])),
        (2, export_of([("Ada Obi-Test", "ada@home.example", "Canvas 48213")])),
    ]
    ids = resolve_identities(tests)
    assert len(ids.people) == 1
    (merged,) = [p for p in ids.problems if p.kind == "merged-emails"]
    assert merged.found == (
        "one person id (Canvas 48213) with 2 e-mails (ada@school.example, ada@home.example)"
    )
