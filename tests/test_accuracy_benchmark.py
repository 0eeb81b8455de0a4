"""The accuracy benchmark's own plumbing, driven by injected compiles that are wrong on
purpose, so the scorer is shown to catch them; and its identity figures on small classes with
the real compiler, which must be right: one row per roster person, every cell right, and
without a roster every question asked once."""

from __future__ import annotations

import pytest

from benchmarks.accuracy import format_table, measure
from benchmarks.identity import (
    MAX_ROUNDS,
    Compiled,
    IdentityRun,
    compile_for_identity,
    format_identity_table,
    measure_identity,
)
from compiler.errors import NothingToCompile
from compiler.model import LookAlike, LookAlikeSide, SameOrNot
from tests.support.accuracy import truth_workbook
from tests.support.classes import GeneratedClass
from tests.support.roster_file import ClassRoster


def test_a_perfect_compile_measures_full_marks() -> None:
    runs = measure(truth_workbook, layouts=("moodle", "kahoot"), people=20, tests=2, seed=3)
    assert [run.layout for run in runs] == ["moodle", "kahoot"]
    assert all(run.accuracy and run.accuracy.share == 1.0 for run in runs)
    table = format_table(runs)
    assert "moodle" in table and "kahoot" in table
    assert table.splitlines()[-1].split()[1:] == ["80", "80", "100.00%"]


def test_a_failing_compile_is_reported_and_the_rest_still_run() -> None:
    def refuse_kahoot(generated: GeneratedClass) -> bytes:
        if generated.layout == "kahoot":
            raise NothingToCompile()
        return truth_workbook(generated, lambda rows: rows[1:])

    runs = measure(refuse_kahoot, layouts=("kahoot", "handmade"), people=10, tests=2)
    table = format_table(runs, show=1)
    assert runs[0].accuracy is None and "compile failed: There are no result files" in table
    assert runs[1].accuracy and runs[1].accuracy.right == 20 - 2
    assert "person not found" in table


# The identity figures: classes with the noise no file settles, with a roster and without.

IDENTITY_LAYOUTS = ("surveyheart", "kahoot")


@pytest.fixture(scope="module")
def identity_runs() -> list[IdentityRun]:
    return measure_identity(compile_for_identity, IDENTITY_LAYOUTS, people=30, tests=3, seed=2)


def test_with_a_roster_one_row_per_person_on_it_and_every_cell_right(
    identity_runs: list[IdentityRun],
) -> None:
    for run in identity_runs:
        accuracy = run.with_roster
        assert accuracy is not None and accuracy.roster is not None, run.error
        assert accuracy.roster.rows == run.roster_size, accuracy.describe()
        assert accuracy.roster.off_roster == run.left_out == 1, accuracy.describe()
        assert accuracy.rows == run.roster_size + run.left_out, accuracy.describe()
        assert accuracy.share == 1.0 and accuracy.extra_rows == 0, accuracy.describe()


def test_off_roster_rows_come_below_the_roster_rows(identity_runs: list[IdentityRun]) -> None:
    placed = [run.with_roster.roster for run in identity_runs if run.with_roster]
    assert [rows.above if rows else None for rows in placed] == [0, 0]


def test_without_a_roster_every_answer_once_then_every_cell_right(
    identity_runs: list[IdentityRun],
) -> None:
    for run in identity_runs:
        rounds = run.rounds
        assert rounds is not None, run.error
        assert rounds.first.rows > run.people and rounds.first.share < 1.0  # split people
        assert rounds.first_true and len(rounds.first_questions) > rounds.first_true
        assert rounds.again == 0 and rounds.unanswered == 0
        assert rounds.settled and rounds.rounds <= MAX_ROUNDS
        assert rounds.last.rows == run.people, rounds.last.describe()
        assert rounds.last.share == 1.0, rounds.last.describe()
    table = format_identity_table(identity_runs)
    assert [line.split()[0] for line in table.splitlines()[2:]] == [*IDENTITY_LAYOUTS, "all"]


def _question(generated: GeneratedClass, a: int, b: int) -> LookAlike:
    def side(person: int) -> LookAlikeSide:
        true = generated.people[person]
        return LookAlikeSide(true.name, true.name, (true.name,), true.emails, (1,))

    return LookAlike(side(a), side(b), "names one letter apart", "")


def _namesakes(generated: GeneratedClass) -> tuple[int, int]:
    return next(
        (person, int(note.split()[-1]))
        for person, note in sorted(generated.notes.items())
        if note.startswith("false namesake")
    )


def test_a_question_asked_again_after_its_answer_is_counted() -> None:
    def ask_forever(
        generated: GeneratedClass, roster: ClassRoster | None, decisions: tuple[SameOrNot, ...]
    ) -> Compiled:
        workbook = truth_workbook(generated, roster=roster)
        return Compiled(workbook, (_question(generated, *_namesakes(generated)),))

    (run,) = measure_identity(ask_forever, ("handmade",), people=20, tests=2, max_rounds=3)
    assert run.rounds is not None and not run.rounds.settled
    assert run.rounds.again == 2 and run.rounds.rounds == 3
    assert [asked.answer for asked in run.rounds.asked] == [False, False, False]
    table = format_identity_table([run], show=5)
    assert "asked again after being answered" in table and "3+" in table


def test_a_wrong_merge_after_answering_and_a_missing_roster_row_are_counted() -> None:
    def merge_two(
        generated: GeneratedClass, roster: ClassRoster | None, decisions: tuple[SameOrNot, ...]
    ) -> Compiled:
        a, b = _namesakes(generated)
        drop = {b} if decisions or roster else set()
        workbook = truth_workbook(
            generated,
            lambda rows: [row for i, row in enumerate(rows) if i not in drop],
            roster=roster,
        )
        questions = () if decisions else (_question(generated, a, b),)
        return Compiled(workbook, questions)

    (run,) = measure_identity(merge_two, ("surveyheart",), people=20, tests=2)
    assert run.with_roster and run.with_roster.roster and run.rounds
    assert run.with_roster.roster.rows == run.roster_size - 1
    assert run.rounds.settled and run.rounds.last.share < 1.0
    assert "person not found" in format_identity_table([run], show=5)
