"""The identity figures of `benchmarks.accuracy`: classes with the noise no file settles,
compiled with their roster, and without one while a truthful teacher answers every question.

`measure_identity` takes the compile as a function (`compile_for_identity` is the real one), so
that the tests can hand it compiles that are wrong on purpose.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from compiler.errors import CompilerError
from compiler.model import CompileOptions, LookAlike, SameOrNot
from tests.support.accuracy import AccuracyResult, score_workbook
from tests.support.classes import LAYOUTS, GeneratedClass, make_class
from tests.support.oracle import TruthOracle
from tests.support.roster_file import ClassRoster, write_roster

MAX_ROUNDS = 5


@dataclass(frozen=True)
class Compiled:
    """What the identity figures read of one compile: its workbook and its questions."""

    workbook: bytes
    questions: tuple[LookAlike, ...]


CompileIdentity = Callable[[GeneratedClass, ClassRoster | None, tuple[SameOrNot, ...]], Compiled]


def compile_for_identity(
    generated: GeneratedClass, roster: ClassRoster | None, decisions: tuple[SameOrNot, ...]
) -> Compiled:
    """The real compile (classic policy, best attempt) with the roster file read by the
    compiler and the answers given so far."""
    from compiler import pipeline as api
    from compiler import read_roster
    from compiler.grade import policies as grading

    options = CompileOptions(
        policy=grading.POLICIES["classic"],
        out_of=dict(generated.out_of),
        roster=None if roster is None else read_roster(roster.file),
        decisions=decisions,
    )
    result = api.compile_files(generated.files, options)
    return Compiled(result.workbook, result.report.possible_same_person)


People = frozenset[int]


@dataclass(frozen=True)
class Asked:
    """One question of one round: the true people on each side, the truthful answer (None:
    the truth cannot say), and whether it had been answered in an earlier round."""

    round: int
    question: LookAlike
    owners: tuple[People, People]
    answer: bool | None
    again: bool


@dataclass(frozen=True)
class AnswerRounds:
    """Compiles without a roster, each with every answer given so far, until nothing is asked."""

    first: AccuracyResult  # the first compile, before any answer
    last: AccuracyResult  # the last compile: the one that asked nothing, or the last allowed
    asked: tuple[Asked, ...]
    rounds: int  # compiles made
    settled: bool  # the last compile asked nothing

    @property
    def first_questions(self) -> list[Asked]:
        return [asked for asked in self.asked if asked.round == 1]

    @property
    def first_true(self) -> int:
        """Questions of the first compile whose two sides are one person."""
        return sum(asked.answer is True for asked in self.first_questions)

    @property
    def again(self) -> int:
        return sum(asked.again for asked in self.asked)

    @property
    def unanswered(self) -> int:
        return sum(asked.answer is None for asked in self.asked)


@dataclass(frozen=True)
class IdentityRun:
    """One layout's identity figures, or why there are none."""

    layout: str
    people: int
    roster_size: int
    left_out: int  # people of the class the roster does not list
    with_roster: AccuracyResult | None
    roster_questions: int  # questions the compile with the roster still asked
    rounds: AnswerRounds | None
    seconds: float
    notes: dict[int, str] = field(default_factory=dict)  # person -> their undecidable noise
    error: str | None = None


def answer_rounds(
    compile_identity: CompileIdentity, generated: GeneratedClass, max_rounds: int = MAX_ROUNDS
) -> AnswerRounds:
    """Compile without a roster, answer every question truthfully, compile again with every
    answer so far; stop when nothing is asked or after `max_rounds` compiles."""
    oracle = TruthOracle(generated.people)
    decisions: list[SameOrNot] = []
    answered_pairs: set[tuple[str, str]] = set()
    answered_people: set[frozenset[People]] = set()
    asked: list[Asked] = []
    first: AccuracyResult | None = None
    for number in range(1, max_rounds + 1):
        compiled = compile_identity(generated, None, tuple(decisions))
        scored = score_workbook(compiled.workbook, generated)
        first = first or scored
        if not compiled.questions:
            return AnswerRounds(first, scored, tuple(asked), number, settled=True)
        for question in compiled.questions:
            owners = (oracle.owners(question.a), oracle.owners(question.b))
            again = question.handles in answered_pairs or frozenset(owners) in answered_people
            answer = oracle.answer(question)
            asked.append(Asked(number, question, owners, answer, again))
            if answer is None or question.handles in answered_pairs:
                continue
            decisions.append(SameOrNot(question.a.handle, question.b.handle, same=answer))
            answered_pairs.add(question.handles)
            answered_people.add(frozenset(owners))
    assert first is not None
    return AnswerRounds(first, scored, tuple(asked), max_rounds, settled=False)


def measure_identity(
    compile_identity: CompileIdentity,
    layouts: Sequence[str] = LAYOUTS,
    people: int = 120,
    tests: int = 5,
    seed: int = 0,
    max_rounds: int = MAX_ROUNDS,
    last_first: bool = False,
) -> list[IdentityRun]:
    """Each layout's class with undecidable noise, compiled with its roster (its lone name
    column as `Surname, Given` with `last_first`), then answered round by round without it;
    a compile error is recorded, not raised."""
    runs = []
    for layout in layouts:
        generated = make_class(layout, people, tests, seed=seed, undecidable=True)
        roster = write_roster(generated, seed=seed, last_first=last_first)
        runs.append(_measure_one(compile_identity, generated, roster, max_rounds))
    return runs


def _measure_one(
    compile_identity: CompileIdentity,
    generated: GeneratedClass,
    roster: ClassRoster,
    max_rounds: int,
) -> IdentityRun:
    started = time.perf_counter()
    with_roster, questions, rounds, error = None, 0, None, None
    try:
        compiled = compile_identity(generated, roster, ())
        with_roster = score_workbook(compiled.workbook, generated, roster)
        questions = len(compiled.questions)
        rounds = answer_rounds(compile_identity, generated, max_rounds)
    except CompilerError as failure:
        error = failure.message
    return IdentityRun(
        layout=generated.layout,
        people=len(generated.people),
        roster_size=roster.size,
        left_out=len(roster.left_out),
        with_roster=with_roster,
        roster_questions=questions,
        rounds=rounds,
        seconds=time.perf_counter() - started,
        notes=generated.notes,
        error=error,
    )


_HEAD = (
    f"{'':<25}{'with the roster':<44}| {'without: every question answered truthfully'}",
    f"{'layout':<18}{'people':>7}{'roster':>7}{'rows':>6}{'off':>5}{'above':>6}{'right/cells':>12}"
    f"{'share':>8} |{'rows1':>6}{'asked':>6}{'true':>6}{'rows':>6}{'right/cells':>12}"
    f"{'share':>8}{'again':>6}{'rounds':>7}",
)


@dataclass
class _Totals:
    people: int = 0
    roster: int = 0
    rows: int = 0
    off: int = 0
    above: int = 0
    cells: int = 0
    right: int = 0
    rows_first: int = 0
    asked: int = 0
    true: int = 0
    rows_last: int = 0
    cells_last: int = 0
    right_last: int = 0
    again: int = 0
    rounds: int = 0


def format_identity_table(runs: Sequence[IdentityRun], show: int = 0) -> str:
    """The runs as a fixed-width table, a total row, and up to `show` problems of each."""
    lines = list(_HEAD)
    totals = _Totals()
    for run in runs:
        if run.with_roster is None or run.rounds is None:
            lines.append(f"{run.layout:<18}{run.people:>7}  compile failed: {run.error}")
            continue
        lines.append(_row(run, totals))
        lines += [f"    {line}" for line in _problems(run)[:show]]
    lines.append(_total_row(totals))
    unanswered = sum(run.rounds.unanswered for run in runs if run.rounds)
    if unanswered:
        lines.append(f"{unanswered} questions the truth could not answer (see --show)")
    return "\n".join(lines)


def _share(right: int, cells: int) -> str:
    return f"{right / cells:>8.2%}" if cells else f"{'-':>8}"


def _fraction(right: int, cells: int) -> str:
    return f"{right}/{cells}"


def _row(run: IdentityRun, totals: _Totals) -> str:
    roster, rounds = run.with_roster, run.rounds
    assert roster is not None and roster.roster is not None and rounds is not None
    kept = roster.roster
    first = len(rounds.first_questions)
    true = f"{rounds.first_true / first:.0%}" if first else "-"
    rounds_text = f"{rounds.rounds}" if rounds.settled else f"{rounds.rounds}+"
    for name, value in (
        ("people", run.people), ("roster", kept.people), ("rows", roster.rows),
        ("off", kept.off_roster), ("above", kept.above), ("cells", roster.cells),
        ("right", roster.right), ("rows_first", rounds.first.rows), ("asked", first),
        ("true", rounds.first_true), ("rows_last", rounds.last.rows),
        ("cells_last", rounds.last.cells), ("right_last", rounds.last.right),
        ("again", rounds.again),
    ):  # fmt: skip
        setattr(totals, name, getattr(totals, name) + value)
    totals.rounds = max(totals.rounds, rounds.rounds)
    return (
        f"{run.layout:<18}{run.people:>7}{kept.people:>7}{roster.rows:>6}{kept.off_roster:>5}"
        f"{kept.above:>6}{_fraction(roster.right, roster.cells):>12}"
        f"{_share(roster.right, roster.cells)} |{rounds.first.rows:>6}{first:>6}{true:>6}"
        f"{rounds.last.rows:>6}{_fraction(rounds.last.right, rounds.last.cells):>12}"
        f"{_share(rounds.last.right, rounds.last.cells)}{rounds.again:>6}{rounds_text:>7}"
    )


def _total_row(t: _Totals) -> str:
    true = f"{t.true / t.asked:.0%}" if t.asked else "-"
    return (
        f"{'all':<18}{t.people:>7}{t.roster:>7}{t.rows:>6}{t.off:>5}{t.above:>6}"
        f"{_fraction(t.right, t.cells):>12}{_share(t.right, t.cells)} |{t.rows_first:>6}"
        f"{t.asked:>6}{true:>6}{t.rows_last:>6}{_fraction(t.right_last, t.cells_last):>12}"
        f"{_share(t.right_last, t.cells_last)}{t.again:>6}{t.rounds:>7}"
    )


def _problems(run: IdentityRun) -> list[str]:
    """What went wrong in one layout, by person index and the noise each carries."""
    roster, rounds = run.with_roster, run.rounds
    assert roster is not None and rounds is not None
    kept = roster.roster
    assert kept is not None
    found = [
        f"with the roster: {line.strip()}"
        for line in roster.describe().splitlines()[1:]
        if not line.strip().startswith("roster:")
    ]
    if kept.rows != kept.people or kept.above or kept.off_roster != run.left_out:
        found.append(
            f"with the roster: {kept.rows} rows for {kept.people} people on it, "
            f"{kept.off_roster} off it ({run.left_out} left off), {kept.above} of those above it"
        )
    if roster.extra_rows:
        found.append(f"with the roster: {roster.extra_rows} rows match nobody")
    if run.roster_questions:
        found.append(f"with the roster: {run.roster_questions} questions still asked")
    for asked in rounds.asked:
        if asked.again or asked.answer is None:
            trouble = "asked again after being answered" if asked.again else "truth cannot say"
            found.append(f"round {asked.round}: {_question(asked, run.notes)}: {trouble}")
    if not rounds.settled:
        found.append(f"still asking after {rounds.rounds} compiles")
    found += [
        f"after answering: {line.strip()}" for line in rounds.last.describe().splitlines()[1:]
    ]
    return found


def _question(asked: Asked, notes: dict[int, str]) -> str:
    sides = []
    for people in asked.owners:
        who = ", ".join(
            f"person {p}" + (f" ({notes[p]})" if p in notes else "") for p in sorted(people)
        )
        sides.append(who or "nobody")
    return f"{asked.question.reason}: {' / '.join(sides)}"
