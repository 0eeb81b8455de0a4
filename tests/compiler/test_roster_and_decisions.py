"""Identity the teacher settles: a class roster as the authority, and answers to "same person?"."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler import (
    NoScoreColumn,
    Roster,
    RosterPerson,
    SameOrNot,
    UploadedFile,
    compile_paths,
    grading_figures,
    inspect_file,
    read_roster,
)
from compiler.cli import main
from compiler.errors import NoResultsFound
from compiler.identify.identity import Identities, resolve_identities
from compiler.model import TestNumber
from tests.compiler.test_identity import export, export_of
from tests.support.exports.files import csv_bytes, xlsx_bytes

Row = tuple[str | None, str | None]


def resolve(
    *tests: list[Row], roster: Roster | None = None, decisions: tuple[SameOrNot, ...] = ()
) -> Identities:
    return resolve_identities(
        [(n, export(f"Test {n}.xlsx", rows)) for n, rows in enumerate(tests, 1)],
        roster,
        decisions,
    )


def roster_of(*people: tuple[str, str | None]) -> Roster:
    return Roster("class.csv", tuple(RosterPerson(name, email) for name, email in people))


def names(ids: Identities) -> list[str]:
    return [person.name for person in ids.people]


def person_at(ids: Identities, test: int, row: int) -> str:
    return ids.people[ids.person_of[(test, row)]].name


def kinds(ids: Identities) -> list[str]:
    return [problem.kind for problem in ids.problems]


# --- reading a roster -------------------------------------------------------------------


def test_a_roster_of_names_and_emails_is_read_in_its_order() -> None:
    data = csv_bytes(
        [
            ["Name", "Email"],
            ["amara okonkwo-test", "Amara.Okonkwo@Example.org"],
            ["Beno Thorn-Test", ""],
            ["Beno Thorn-Test (again)", "amara.okonkwo@example.org"],  # the same e-mail: once
        ]
    )
    roster = read_roster(UploadedFile("class.csv", data))
    assert roster == Roster(
        "class.csv",
        (
            RosterPerson("Amara Okonkwo-Test", "amara.okonkwo@example.org"),
            RosterPerson("Beno Thorn-Test", None),
        ),
    )


def test_a_roster_with_first_and_last_names_in_a_workbook() -> None:
    rows = [["First name", "Last name", "Email address"], ["Kari", "Valen-Test", "kv@school.test"]]
    roster = read_roster(UploadedFile("class.xlsx", xlsx_bytes([("Class", rows)])))
    assert roster.people == (RosterPerson("Kari Valen-Test", "kv@school.test"),)


def test_a_lone_name_column_is_a_roster_and_namesakes_stay_two() -> None:
    data = csv_bytes([["Name"], ["Lumo Prav-Test"], ["Zed Wex-Test"], ["Zed Wex-Test"]])
    roster = read_roster(UploadedFile("names.csv", data))
    assert [p.name for p in roster.people] == ["Lumo Prav-Test", "Zed Wex-Test", "Zed Wex-Test"]


def test_a_file_that_names_nobody_is_refused_saying_what_a_roster_needs() -> None:
    data = csv_bytes([["Colour", "Size"], ["red", "4"]])
    with pytest.raises(NoResultsFound) as caught:
        read_roster(UploadedFile("colours.csv", data))
    assert caught.value.message.startswith("colours.csv: no column holds the people's names")
    assert "Name" in caught.value.message and "Email address" in caught.value.message


def test_a_canvas_gradebook_read_as_a_roster_gives_its_person_ids() -> None:
    rows = [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Quiz 1 (12345)"],
        ["    Points Possible", "", "", "", "", "10"],
        ["Okonkwo-Test, Amara", "48213", "", "amara@example.org", "A", "7"],
        ["Student, Test", "99999", "", "", "A", "0"],
    ]
    roster = read_roster(UploadedFile("grades.csv", csv_bytes(rows)))
    assert [(p.name, p.person_id) for p in roster.people] == [
        ("Amara Okonkwo-Test", "Canvas 48213")
    ]


def test_inspect_tells_a_table_with_no_score_column_from_one_with_letter_grades() -> None:
    roster = csv_bytes([["Name", "Email"], ["Amara Okonkwo-Test", "amara@example.org"]])
    with pytest.raises(NoScoreColumn):
        inspect_file(UploadedFile("class.csv", roster), TestNumber(1, "next free number"))
    letters = csv_bytes(
        [["Name", "Email", "Letter grade"], ["Amara Okonkwo-Test", "a@b.org", "B+"]]
    )
    with pytest.raises(NoResultsFound) as caught:
        inspect_file(UploadedFile("letters.csv", letters), TestNumber(1, "next free number"))
    assert not isinstance(caught.value, NoScoreColumn)


# --- the roster as the authority ------------------------------------------------------------


def test_every_row_is_placed_on_the_roster_by_email_then_name_with_tolerance() -> None:
    roster = roster_of(
        ("Amara Okonkwo-Test", "amara@example.org"),
        ("Kari Ngozi Valen-Test", None),
        ("Beno Thorn-Test", "beno@example.org"),
        ("Lumo Prav-Test", None),  # takes no test: still a row
    )
    ids = resolve(
        [
            ("A. Okonkwo", "amara@example.org"),  # the e-mail decides, whatever the name
            ("Kari Valen-Test", None),  # a middle name dropped
            ("Dr. Beno Thorn-Test", "beno.t@example.com"),  # another e-mail, a title
        ],
        [
            ("Karri Ngozi Valen-Test", ""),  # one letter apart
            ("Thorn-Test Beno", None),  # reordered
            ("Amara Okonkwo-Test Jnr", None),  # a word more
        ],
        roster=roster,
    )
    assert names(ids) == [p.name for p in roster.people]  # one person each, no one else
    assert person_at(ids, 1, 2) == person_at(ids, 2, 4) == "Amara Okonkwo-Test"
    assert person_at(ids, 1, 3) == person_at(ids, 2, 2) == "Kari Ngozi Valen-Test"
    assert person_at(ids, 1, 4) == person_at(ids, 2, 3) == "Beno Thorn-Test"
    assert not any(person.off_roster for person in ids.people)
    assert ids.possible_same_person == ()
    matched = [p.found for p in ids.problems if p.kind == "roster-match"]
    assert any("'Karri Ngozi Valen-Test' is not on the roster as spelt" in f for f in matched)


def test_a_row_as_close_to_two_roster_people_matches_neither_and_is_shown_below() -> None:
    roster = roster_of(("Amara Okonkwo-Test", None), ("Amira Okonkwo-Test", None))
    ids = resolve([("Amura Okonkwo-Test", None), ("Amira Okonkwo-Test", None)], roster=roster)
    assert names(ids) == ["Amara Okonkwo-Test", "Amira Okonkwo-Test", "Amura Okonkwo-Test"]
    assert [p.off_roster for p in ids.people] == [False, False, True]
    assert "roster-ambiguous" in kinds(ids) and "not-on-roster" in kinds(ids)
    # The stray row may be either roster person: asked about, never the two roster people.
    pairs = {(p.a.name, p.b.name) for p in ids.possible_same_person}
    assert pairs == {
        ("Amara Okonkwo-Test", "Amura Okonkwo-Test"),
        ("Amira Okonkwo-Test", "Amura Okonkwo-Test"),
    }


def test_rows_of_an_email_follow_the_roster_person_its_other_rows_matched() -> None:
    roster = roster_of(("Amara Okonkwo-Test", None))
    ids = resolve(
        [("Amara Okonkwo-Test", "amara@example.org")],
        [("Zed", "amara@example.org")],  # a nickname under the same e-mail
        roster=roster,
    )
    assert names(ids) == ["Amara Okonkwo-Test"]
    assert ids.people[0].email == "amara@example.org"


def test_a_person_id_on_the_roster_wins_over_a_name() -> None:
    roster = Roster(
        "class.csv",
        (
            RosterPerson("Amara Okonkwo-Test", person_id="Canvas 1"),
            RosterPerson("Beno Thorn-Test", person_id="Canvas 2"),
        ),
    )
    test = export_of([("Amara Okonkwo-Test", None, "Canvas 2")], "grades.csv")
    ids = resolve_identities([(1, test)], roster)
    assert person_at(ids, 1, 2) == "Beno Thorn-Test"


def test_a_compile_with_a_roster_has_one_row_per_roster_person_and_strays_below(
    tmp_path: Path,
) -> None:
    (tmp_path / "Test 1.csv").write_bytes(
        csv_bytes(
            [
                ["Name", "Email", "Score"],
                ["Zed Wex-Test", "", "3/10"],
                ["Amara Okonkwo-Test", "amara@example.org", "8/10"],
                ["Karri Valen-Test", "", "7/10"],
            ]
        )
    )
    (tmp_path / "class.csv").write_bytes(
        csv_bytes([["Name", "Email"], ["Kari Valen-Test", ""], ["Lumo Prav-Test", ""]])
    )
    result = compile_paths([tmp_path / "Test 1.csv"], roster=tmp_path / "class.csv")
    frame = result.to_dataframe()
    assert list(frame["Name"]) == [
        "Kari Valen-Test",
        "Lumo Prav-Test",
        "Amara Okonkwo-Test",  # not on the roster: below its people, still there
        "Zed Wex-Test",
    ]
    assert list(frame["Test 1"].fillna(-1)) == [70.0, -1, 80.0, 30.0]
    use = result.report.roster
    assert use is not None
    assert (use.people, use.present, use.unmatched_people) == (2, 1, 2)
    assert [p.off_roster for p in result.report.participants] == [False, False, True, True]
    strays = [p.found for p in result.report.problems if p.kind == "not-on-roster"]
    assert strays == [
        "Zed Wex-Test took test 1 but is not on the roster 'class.csv'",
        "Amara Okonkwo-Test (amara@example.org) took test 1 but is not on the roster 'class.csv'",
    ]


# --- the teacher's answers ----------------------------------------------------------------


def test_answering_same_merges_the_pair_and_it_is_not_asked_again() -> None:
    tests = ([("Kari Valen-Test", None)], [("Karri Valen-Test", None)])
    before = resolve(*tests)
    assert len(before.people) == 2
    (pair,) = before.possible_same_person
    answer = SameOrNot(pair.a.handle, pair.b.handle, same=True)
    after = resolve(*tests, decisions=(answer,))
    assert len(after.people) == 1 and after.possible_same_person == ()
    assert after.person_of[(1, 2)] == after.person_of[(2, 2)]
    assert after.decisions_applied == 1
    assert "merged-by-you" in kinds(after)


def test_answering_different_keeps_them_apart_and_stops_the_question() -> None:
    tests = ([("Kari Valen-Test", None)], [("Karri Valen-Test", None)])
    (pair,) = resolve(*tests).possible_same_person
    after = resolve(*tests, decisions=(SameOrNot(pair.b.handle, pair.a.handle, same=False),))
    assert len(after.people) == 2 and after.possible_same_person == ()


def test_answers_name_people_by_email_id_or_name_in_any_spelling() -> None:
    tests = (
        [("Amara Okonkwo-Test", "amara@example.org"), ("Beno Thorn-Test", None)],
        [("Amara Okonkwo", "a.okonkwo@example.com"), ("DR. BENO THORN-TEST", None)],
    )
    answers = (SameOrNot(" AMARA@example.org ", "a.okonkwo@example.com", same=True),)
    ids = resolve(*tests, decisions=answers)
    assert names(ids).count("Amara Okonkwo-Test") == 1 and len(ids.people) == 2
    assert "merged-by-you" in kinds(ids) and "merged-emails" not in kinds(ids)  # said once, why
    ids = resolve(*tests, decisions=(SameOrNot("nobody@example.org", "beno thorn test", True),))
    assert ids.decisions_applied == 0  # an answer about people not in these files waits


def test_a_stated_same_between_two_roster_people_is_refused_as_the_roster_says() -> None:
    roster = roster_of(("Amara Okonkwo-Test", None), ("Beno Thorn-Test", None))
    ids = resolve(
        [("Amara Okonkwo-Test", None), ("Beno Thorn-Test", None)],
        roster=roster,
        decisions=(SameOrNot("Amara Okonkwo-Test", "Beno Thorn-Test", same=True),),
    )
    assert len(ids.people) == 2
    assert "decision-not-applied" in kinds(ids)


def test_look_alikes_come_most_likely_first() -> None:
    ids = resolve(
        [
            ("Chidi Eze-Test", "chidi@example.org"),
            ("Chidi Ezi-Test", "chidi.e@example.com"),  # two e-mails, one letter apart
            ("Femi Ade-Test", None),
        ],
        [("Femi Adu-Test", None), ("Chidi Ezi-Test", "chidi.e@example.com")],
    )
    shown = [(p.a.name, p.b.name) for p in ids.possible_same_person]
    # No e-mail and never together first; two e-mails who sat test 1 together are not asked.
    assert shown == [("Femi Ade-Test", "Femi Adu-Test")]
    side = ids.possible_same_person[0].b
    assert (side.names, side.emails, side.tests) == (("Femi Adu-Test",), (), (2,))


# --- the command line -------------------------------------------------------------------


@pytest.fixture
def noisy_class(tmp_path: Path) -> list[Path]:
    first, second = tmp_path / "Test 1.csv", tmp_path / "Test 2.csv"
    first.write_bytes(csv_bytes([["Name", "Email", "Score"], ["Kari Valen-Test", "", "7/10"]]))
    second.write_bytes(csv_bytes([["Name", "Email", "Score"], ["Karri Valen-Test", "", "4/10"]]))
    return [first, second]


def test_the_command_line_prints_each_open_pair_with_how_to_settle_it(
    noisy_class: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*map(str, noisy_class), "-o", str(tmp_path / "r.xlsx")]) == 0
    printed = capsys.readouterr().out
    assert "2 participants" in printed
    assert "Possibly the same person, not merged: 1 pair, most likely first" in printed
    assert "--same 'Kari Valen-Test' 'Karri Valen-Test'" in printed
    args = [*map(str, noisy_class), "-o", str(tmp_path / "r.xlsx")]
    assert main([*args, "--same", "Kari Valen-Test", "Karri Valen-Test"]) == 0
    printed = capsys.readouterr().out
    assert "1 participants" in printed and "Your answers: 1 of 1 met a pair" in printed
    assert main([*args, "--different", "Kari Valen-Test", "Karri Valen-Test"]) == 0
    printed = capsys.readouterr().out
    assert "2 participants" in printed and "Possibly the same person" not in printed


def test_the_command_line_takes_a_roster_and_refuses_an_unreadable_one(
    noisy_class: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "class.csv"
    roster.write_bytes(csv_bytes([["Name"], ["Kari Valen-Test"], ["Lumo Prav-Test"]]))
    out = tmp_path / "r.xlsx"
    assert main([*map(str, noisy_class), "-o", str(out), "--roster", str(roster)]) == 0
    printed = capsys.readouterr().out
    assert "2 participants" in printed
    assert "Roster class.csv: 2 people, 1 with results." in printed
    roster.write_bytes(b"\x00\x01 not a table")
    out.unlink()
    assert main([*map(str, noisy_class), "-o", str(out), "--roster", str(roster)]) == 1
    assert "class.csv" in capsys.readouterr().err and not out.exists()


def test_the_summary_says_who_has_a_row_when_a_roster_or_answers_decided_it(
    noisy_class: list[Path], tmp_path: Path
) -> None:
    def people_figure(**choices: object) -> object:
        result = compile_paths(noisy_class, **choices)  # type: ignore[arg-type]
        found = [f.value for f in grading_figures(result.report) if f.label == "People"]
        return found[0] if found else None

    assert people_figure() is None
    same = people_figure(same=[("Kari Valen-Test", "Karri Valen-Test")])
    assert same == "one row per person the files name; 1 of your answers about who is who applied"
    roster = tmp_path / "class.csv"
    roster.write_bytes(csv_bytes([["Name"], ["Lumo Prav-Test"]]))
    assert people_figure(roster=roster) == (
        "one row per person on the roster class.csv (1), then 2 not on it"
    )


def test_a_class_list_written_surname_comma_given_is_read_given_first() -> None:
    data = csv_bytes([["Name", "Email"], ["Okonkwo-Test, Amara", ""], ["Valen-Test, Kari", ""]])
    roster = read_roster(UploadedFile("class.csv", data))
    assert [p.name for p in roster.people] == ["Amara Okonkwo-Test", "Kari Valen-Test"]
    ids = resolve([("Amra Okonkwo-Test", None), ("Kari Valen-Test Jnr", None)], roster=roster)
    assert names(ids) == ["Amara Okonkwo-Test", "Kari Valen-Test"]  # a typo, a word more


def test_typos_match_the_same_whether_compared_one_by_one_or_through_the_index() -> None:
    # Past the first rows needing it, the one-letter tier files the roster once: both ways
    # must find the same people (and a typo of nobody, nobody).
    given = ["Amara", "Beno", "Kari", "Lumo", "Zeda", "Ilona", "Oruwe", "Davo"]
    family = ["Okonkwo", "Thornby", "Valenko", "Pravett", "Wexard", "Nariell", "Tambton"]
    people = [f"{g} {f}-Test" for g in given for f in family]  # 56 people
    roster = roster_of(*((name, None) for name in people))
    typos = [name.replace("-Test", "-Tset") for name in people]  # two letters swapped
    ids = resolve([(typo, None) for typo in typos] + [("Qqqqq Zzzzz-Test", None)], roster=roster)
    assert [person_at(ids, 1, row) for row in range(2, 2 + len(typos))] == people
    assert ids.people[-1].off_roster and len(ids.people) == len(people) + 1


def test_a_score_column_holding_no_points_is_named_with_what_it_holds() -> None:
    data = csv_bytes([["Name", "Score"], ["Amara Okonkwo-Test", "B+"], ["Kari Valen-Test", ""]])
    with pytest.raises(NoResultsFound) as caught:
        inspect_file(UploadedFile("quiz.csv", data), TestNumber(1, "next free number"))
    assert not isinstance(caught.value, NoScoreColumn)  # a test read wrong, never a roster
    assert caught.value.message == (
        "quiz.csv: no column holds scores in points or percent (the column 'Score' holds 'B+'). "
        "Export the scores as points (or percentages), then send the file again."
    )
