"""The compiler's public API: exports in, one workbook and its report out.

`inspect_file` is what the bot runs for each upload (in a worker process); `compile_files` is
what `/compile` and the command line run. Both are pure functions of their arguments.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from compiler.errors import MissingMaximum, NothingToCompile
from compiler.grade.policies import (
    Grader,
    ScoredSubmission,
    pick_submission,
    round_half_up,
    test_stats,
)
from compiler.identify.identity import (
    Identities,
    normalize_email,
    normalize_name,
    resolve_identities,
)
from compiler.model import (
    DUPLICATE_RULES,
    CompileOptions,
    CompileReport,
    CompileResult,
    Export,
    ExportSummary,
    Limits,
    MaxSource,
    ParticipantResult,
    Problem,
    SourceInfo,
    Submission,
    TestNumber,
    UploadedFile,
)
from compiler.understand.intake import read_export
from compiler.understand.numbering import assign_test_numbers
from compiler.write.workbook import write_workbook


@dataclass(frozen=True, slots=True)
class NumberedExport:
    """A parsed export and the test number it stands for."""

    test: TestNumber
    export: Export


def inspect_file(
    file: UploadedFile, test: TestNumber, limits: Limits | None = None
) -> ExportSummary:
    """Parse one upload and say what was understood, as the bot acknowledges it."""
    return summarize(read_export(file, limits or Limits()), test)


def summarize(export: Export, test: TestNumber) -> ExportSummary:
    """The short account of one parsed export: participants, score column, oddities."""
    people: set[str] = set()
    repeats = invalid = 0
    for sub in export.submissions:
        checked = normalize_email(sub.email)
        invalid += checked.problem is not None
        key = checked.email or normalize_name(sub.name or "")
        if key in people:
            repeats += 1
        people.add(key)
    no_scores = sum(s.points is None for s in export.submissions)
    return ExportSummary(
        file_name=export.file_name,
        test=test,
        platform=str(export.platform),
        score_column=export.columns.score,
        out_of=export.out_of,
        max_source=str(export.max_source),
        participants=len(people),
        rows_read=export.rows_read,
        rows_rejected=export.rows_rejected,
        repeated_submissions=repeats,
        invalid_emails=invalid,
        no_scores=no_scores,
        needs_maximum=export.needs_maximum,
        problems=tuple(p.found for p in export.problems),
    )


def read_files(
    files: Sequence[UploadedFile], limits: Limits | None = None
) -> tuple[list[NumberedExport], list[Problem]]:
    """Number and parse every file; a later file claiming a taken number replaces the earlier."""
    if not files:
        raise NothingToCompile()
    numbers, problems = assign_test_numbers([(f.name, f.label) for f in files])
    kept = {number.number: (number, file) for number, file in zip(numbers, files, strict=True)}
    return read_numbered(list(kept.values()), limits), problems


def read_numbered(
    files: Sequence[tuple[TestNumber, UploadedFile]], limits: Limits | None = None
) -> list[NumberedExport]:
    """Parse files whose test numbers are already decided (one file per number)."""
    if not files:
        raise NothingToCompile()
    with collector_paused():
        parsed = [
            NumberedExport(test, read_export(file, limits or Limits())) for test, file in files
        ]
    return sorted(parsed, key=lambda n: n.test.number)


def compile_numbered(
    files: Sequence[tuple[TestNumber, UploadedFile]],
    options: CompileOptions,
    limits: Limits | None = None,
) -> CompileResult:
    """Compile a session's files, numbered as the session decided them (the bot's compile)."""
    return compile_exports(read_numbered(files, limits), options)


def compile_files(
    files: Sequence[UploadedFile], options: CompileOptions, limits: Limits | None = None
) -> CompileResult:
    """Merge every export into one workbook, by the person's choice of policy and rules."""
    numbered, problems = read_files(files, limits)
    return compile_exports(numbered, options, problems)


def compile_exports(
    numbered: Sequence[NumberedExport], options: CompileOptions, problems: Sequence[Problem] = ()
) -> CompileResult:
    """Merge exports that are already parsed and numbered (see `compile_files`)."""
    with collector_paused():
        return _compile(numbered, options, problems)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a compile runs, then leave it as it was found.

    A compile makes a few hundred thousand small objects (cells, rows, submissions, people)
    and no reference cycles worth hunting; left running, the collector walks the growing heap
    again and again, a tenth of a large compile's time. Nothing is lost: anything cyclic made
    meanwhile is collected once it runs again.
    """
    was_running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_running:
            gc.enable()


def _compile(
    numbered: Sequence[NumberedExport], options: CompileOptions, problems: Sequence[Problem]
) -> CompileResult:
    maxima = _test_maxima(numbered, options)
    identities = resolve_identities([(n.test.number, n.export) for n in numbered])
    percents, choice_problems = _choose_submissions(numbered, identities, maxima, options)
    tests = tuple(n.test.number for n in numbered)
    participants = _participants(identities, percents, tests, options)
    report = CompileReport(
        policy=options.policy,
        duplicates=options.duplicates,
        tests=tests,
        participants=participants,
        test_stats=tuple(
            test_stats(t, [p.scores.get(t) for p in participants], options.policy.pass_mark)
            for t in tests
        ),
        sources=tuple(_source_info(n, maxima) for n in numbered),
        problems=(
            *problems,
            *(p for n in numbered for p in n.export.problems),
            *identities.problems,
            *choice_problems,
        ),
        possible_same_person=identities.possible_same_person,
    )
    return CompileResult(workbook=write_workbook(report), report=report)


def _test_maxima(
    numbered: Sequence[NumberedExport], options: CompileOptions
) -> dict[int, tuple[float | None, str]]:
    """Each test's maximum and where it came from; refuses when one is needed and unknown."""
    maxima: dict[int, tuple[float | None, str]] = {}
    unknown: list[int] = []
    for n in numbered:
        test, export = n.test.number, n.export
        if test in options.out_of:
            maxima[test] = (options.out_of[test], str(MaxSource.GIVEN))
        else:
            maxima[test] = (export.out_of, str(export.max_source))
            if export.needs_maximum:
                unknown.append(test)
    if unknown:
        raise MissingMaximum(unknown)
    return maxima


def _percent(sub: Submission, test_max: float | None) -> float | None:
    """A submission's score as a percentage, or None for "no score"."""
    if sub.points is None:
        return None
    out_of = sub.out_of or test_max
    if not out_of:
        return None
    return sub.points / out_of * 100.0


def _choose_submissions(
    numbered: Sequence[NumberedExport],
    identities: Identities,
    maxima: dict[int, tuple[float | None, str]],
    options: CompileOptions,
) -> tuple[list[dict[int, float | None]], list[Problem]]:
    """Each person's percentage per test taken, following the repeated-submission rule."""
    if options.duplicates not in DUPLICATE_RULES and any(n.export.submissions for n in numbered):
        raise ValueError(f"unknown duplicate rule {options.duplicates!r}")
    percents: list[dict[int, float | None]] = [{} for _ in identities.people]
    problems: list[Problem] = []
    for n in numbered:
        test, test_max = n.test.number, maxima[n.test.number][0]
        first, repeats = _submissions_by_person(n, identities.person_of)
        for person, sub in first.items():
            subs = repeats.get(person)
            if subs is None:  # nearly everyone: nothing to choose
                percents[person][test] = _percent(sub, test_max)
                continue
            scored = [ScoredSubmission(s, _percent(s, test_max)) for s in subs]
            chosen, dropped = pick_submission(scored, options.duplicates)
            percents[person][test] = chosen.percent
            name = identities.people[person].name
            for other in dropped:
                problems.append(
                    Problem(
                        kind="repeated-submission",
                        found=(
                            f"another submission for test {test} "
                            f"({_shown(other.percent)}, row {other.submission.row})"
                        ),
                        action=(
                            f"kept the {options.duplicates} one ({_shown(chosen.percent)}, "
                            f"row {chosen.submission.row})"
                        ),
                        file=n.export.file_name,
                        row=other.submission.row,
                        person=name,
                    )
                )
    return percents, problems


def _submissions_by_person(
    n: NumberedExport, person_of: dict[tuple[int, int], int]
) -> tuple[dict[int, Submission], dict[int, list[Submission]]]:
    """One test's first submission of each person, in reading order, and every submission of
    those who sent several."""
    test, subs = n.test.number, n.export.submissions
    first: dict[int, Submission] = {}
    repeats: dict[int, list[Submission]] = {}
    for person, sub in zip([person_of[test, sub.row] for sub in subs], subs, strict=True):
        earlier = first.setdefault(person, sub)
        if earlier is not sub:
            repeats.setdefault(person, [earlier]).append(sub)
    return first, repeats


def _shown(percent: float | None) -> str:
    return "no score" if percent is None else f"{percent:.1f}%"


def _participants(
    identities: Identities,
    percents: list[dict[int, float | None]],
    tests: tuple[int, ...],
    options: CompileOptions,
) -> tuple[ParticipantResult, ...]:
    grader = Grader(options.policy)
    # Grade the one-decimal figures the workbook shows, so that a reader's sums agree.
    shown_of = _OneDecimal()
    results = []
    for person, taken in zip(identities.people, percents, strict=True):
        shown = [None if (p := taken.get(test)) is None else shown_of[p] for test in tests]
        g = grader.grade(shown)
        results.append(
            ParticipantResult(
                name=person.name,
                email=person.email,
                scores=dict(zip(tests, shown, strict=True)),
                assignment=g.assignment,
                final_average=g.final_average,
                passed=g.passed,
            )
        )
    results.sort(key=lambda p: (p.name.casefold(), p.email or ""))
    return tuple(results)


class _OneDecimal(dict[float, float]):
    """Each percentage to one decimal, worked out once: percentages repeat (a test out of 17
    has 18). Zeros are worked out each time, as -0.0 and 0.0 are one key."""

    def __missing__(self, percent: float) -> float:
        rounded = round_half_up(percent, 1)
        if percent:
            self[percent] = rounded
        return rounded


def _source_info(n: NumberedExport, maxima: dict[int, tuple[float | None, str]]) -> SourceInfo:
    export = n.export
    out_of, source = maxima[n.test.number]
    return SourceInfo(
        file_name=export.file_name,
        test=n.test,
        platform=str(export.platform),
        sheet=export.sheet,
        columns=export.columns,
        out_of=out_of,
        max_source=source,
        rows_read=export.rows_read,
        rows_kept=len(export.submissions),
        rows_rejected=export.rows_rejected,
    )
