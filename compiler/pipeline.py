"""The pipeline end to end: read -> understand -> identify -> grade -> write.

`inspect_file` is what the bot runs for each upload (in a worker process); `compile_numbered`
what `/compile` runs, `compile_files` what the command line runs. All are pure functions of
their arguments; `compiler/__init__.py` is the public surface that names them.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from compiler.errors import CompilerError, NothingToCompile, quoted
from compiler.grade.letters import letter_scale
from compiler.grade.policies import (
    DEFAULT_POLICY,
    POLICIES,
    check_grading,
    policy_named,
    test_stats,
)
from compiler.grade.results import Maxima, choose_submissions, grade_participants, test_maxima
from compiler.grade.weights import test_weights
from compiler.identify.identity import (
    Identities,
    normalize_email,
    normalize_name,
    resolve_identities,
)
from compiler.identify.roster import read_roster
from compiler.model import (
    CompileOptions,
    CompileReport,
    CompileResult,
    DuplicateRule,
    Export,
    ExportSummary,
    LetterScale,
    Limits,
    NumberedExport,
    NumberedFile,
    ParticipantResult,
    PolicyCount,
    Problem,
    Roster,
    RosterUse,
    SameOrNot,
    SourceInfo,
    TestNumber,
    TestWeight,
    UploadedFile,
)
from compiler.understand.intake import read_exports
from compiler.understand.numbering import assign_test_numbers, number_items
from compiler.write.workbook import write_workbook


def inspect_file(
    file: UploadedFile,
    first: TestNumber,
    taken: Collection[int] = (),
    known: Mapping[str, int] | None = None,
    limits: Limits | None = None,
) -> tuple[ExportSummary, ...]:
    """Parse one upload and say what was understood, one summary per test it brings, as the
    bot acknowledges it. The tests are numbered by `number_items` (`first`, the session's
    `taken` numbers, the `known` items of gradebooks it already holds)."""
    exports = read_exports(file, limits or Limits())
    numbers = number_items(first, [_key(e) for e in exports], taken, known)
    return tuple(summarize(e, n) for e, n in zip(exports, numbers, strict=True))


def _key(export: Export) -> str:
    return export.columns.score or ""


def summarize(export: Export, test: TestNumber) -> ExportSummary:
    """The short account of one parsed export: participants, score column, oddities."""
    people: set[str] = set()
    repeats = invalid = 0
    for sub in export.submissions:
        checked = normalize_email(sub.email)
        invalid += checked.problem is not None
        key = sub.person_id or checked.email or normalize_name(sub.name or "")
        if key in people:
            repeats += 1
        people.add(key)
    no_scores = sum(s.points is None for s in export.submissions)
    points = [s.points for s in export.submissions if s.points is not None]
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
        layout_name=export.layout_name,
        title=export.title,
        weight=export.weight,
        category=export.category,
        skipped=tuple((c.header, c.why) for c in export.skipped),
        category_weight=export.category_weight,
        highest_points=max(points) if export.needs_maximum and points else None,
    )


def read_files(
    files: Sequence[UploadedFile], limits: Limits | None = None
) -> tuple[list[NumberedExport], list[Problem]]:
    """Parse and number every file (a gradebook brings several tests); a later file claiming a
    taken number replaces the earlier."""
    if not files:
        raise NothingToCompile()
    with collector_paused():
        parsed = [read_exports(file, limits or Limits()) for file in files]
    counts = [(f.name, f.label, len(exports)) for f, exports in zip(files, parsed, strict=True)]
    numbers, problems = assign_test_numbers(counts)
    kept: dict[int, NumberedExport] = {}
    for exports, tests in zip(parsed, numbers, strict=True):
        for export, test in zip(exports, tests, strict=True):
            kept[test.number] = NumberedExport(test, export)
    return sorted(kept.values(), key=lambda n: n.test.number), problems


def read_numbered(
    files: Sequence[NumberedFile], limits: Limits | None = None
) -> list[NumberedExport]:
    """Parse files whose tests' numbers are already decided (the bot's session)."""
    if not files:
        raise NothingToCompile()
    parsed: list[NumberedExport] = []
    with collector_paused():
        for numbered in files:
            parsed.extend(
                _numbered_tests(numbered, read_exports(numbered.file, limits or Limits()))
            )
    return sorted(parsed, key=lambda n: n.test.number)


def _numbered_tests(numbered: NumberedFile, exports: Sequence[Export]) -> list[NumberedExport]:
    """The file's tests that the session numbered (a removed or replaced item is left out)."""
    if len(exports) == 1 and len(numbered.tests) == 1:
        return [NumberedExport(numbered.tests[0][1], exports[0])]
    by_key = {_key(export): export for export in exports}
    found = []
    for key, test in numbered.tests:
        export = by_key.get(key or "")
        if export is None:
            raise CompilerError(
                f"{numbered.file.name}: test {test.number} was its column {quoted(key)}, which "
                "the file no longer holds. Send the file again."
            )
        found.append(NumberedExport(test, export))
    return found


def compile_numbered(
    files: Sequence[NumberedFile],
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


@dataclass(frozen=True, slots=True)
class _Prepared:
    """What a compile and a comparison of policies share: everyone's percentage per test."""

    maxima: Maxima
    weights: tuple[TestWeight, ...]
    identities: Identities
    percents: list[dict[int, float | None]]
    problems: list[Problem]
    tests: tuple[int, ...]

    def graded(self, options: CompileOptions) -> tuple[ParticipantResult, ...]:
        weights = [w.weight for w in self.weights]
        return grade_participants(self.identities, self.percents, self.tests, options, weights)


def _prepare(numbered: Sequence[NumberedExport], options: CompileOptions) -> _Prepared:
    check_grading(options)
    maxima = test_maxima(numbered, options)
    weights = test_weights(numbered, options)
    identities = resolve_identities(
        [(n.test.number, n.export) for n in numbered], options.roster, options.decisions
    )
    percents, problems = choose_submissions(numbered, identities, maxima, options)
    tests = tuple(n.test.number for n in numbered)
    return _Prepared(maxima, weights, identities, percents, problems, tests)


def _compile(
    numbered: Sequence[NumberedExport], options: CompileOptions, problems: Sequence[Problem]
) -> CompileResult:
    prepared = _prepare(numbered, options)
    tests, identities = prepared.tests, prepared.identities
    participants = prepared.graded(options)
    report = CompileReport(
        policy=options.policy,
        duplicates=options.duplicates,
        tests=tests,
        participants=participants,
        test_stats=tuple(
            test_stats(t, [p.scores.get(t) for p in participants], options.policy.pass_mark)
            for t in tests
        ),
        sources=tuple(_source_info(n, prepared.maxima) for n in numbered),
        problems=(
            *problems,
            # A gradebook's tests share its rows: a row's problem is said once.
            *dict.fromkeys(p for n in numbered for p in n.export.problems),
            *identities.problems,
            *prepared.problems,
        ),
        possible_same_person=identities.possible_same_person,
        titles={n.test.number: n.export.title for n in numbered if n.export.title},
        weights=prepared.weights,
        drop_lowest=options.drop_lowest,
        letters=options.letters,
        roster=_roster_use(options.roster, participants),
        decisions_applied=identities.decisions_applied,
    )
    return CompileResult(workbook=write_workbook(report), report=report)


def _roster_use(
    roster: Roster | None, participants: Sequence[ParticipantResult]
) -> RosterUse | None:
    if roster is None:
        return None
    listed = [p for p in participants if not p.off_roster]
    return RosterUse(
        file_name=roster.file_name,
        people=len(roster.people),
        present=sum(any(score is not None for score in p.scores.values()) for p in listed),
        unmatched_people=len(participants) - len(listed),
    )


def compare_policies(
    numbered: Sequence[NumberedExport], options: CompileOptions
) -> list[PolicyCount]:
    """How many would pass and fail under each policy, for "compare before choosing".

    Every policy of `POLICIES`, in its order, graded with `options`' pass mark, weights and
    drop (the policy `options` holds stands for its own name, so custom bands are kept). The
    files are read once; the people, their percentages and the weights are worked out once.
    """
    if not numbered:
        raise NothingToCompile()
    with collector_paused():
        prepared = _prepare(numbered, options)
        counts = []
        for name, preset in POLICIES.items():
            policy = options.policy if name == options.policy.name else preset
            policy = replace(policy, pass_mark=options.policy.pass_mark)
            people = prepared.graded(replace(options, policy=policy, letters=None))
            passed = sum(p.passed for p in people)
            counts.append(PolicyCount(name, passed, len(people) - passed))
        return counts


def compare_numbered(
    files: Sequence[NumberedFile], options: CompileOptions, limits: Limits | None = None
) -> list[PolicyCount]:
    """`compare_policies` of a session's files, numbered as the session decided them (what the
    bot's worker runs for `/settings`)."""
    return compare_policies(read_numbered(files, limits), options)


def _source_info(n: NumberedExport, maxima: Maxima) -> SourceInfo:
    export = n.export
    out_of, source = maxima[n.test.number]
    return SourceInfo(
        file_name=export.file_name,
        test=n.test,
        platform=export.layout_name or str(export.platform),
        sheet=export.sheet,
        columns=export.columns,
        out_of=out_of,
        max_source=source,
        rows_read=export.rows_read,
        rows_kept=len(export.submissions),
        rows_rejected=export.rows_rejected,
        title=export.title,
        weight=export.weight,
        category=export.category,
        skipped=export.skipped,
    )


def compile_paths(
    paths: Sequence[str | os.PathLike[str]],
    *,
    policy: str = DEFAULT_POLICY,
    duplicates: DuplicateRule = "best",
    pass_mark: float | None = None,
    out_of: Mapping[int, float] | None = None,
    tests: Mapping[str, int] | None = None,
    limits: Limits | None = None,
    weights: Mapping[int, float] | None = None,
    drop_lowest: int = 0,
    letters: str | LetterScale | None = None,
    roster: str | os.PathLike[str] | None = None,
    same: Sequence[tuple[str, str]] = (),
    different: Sequence[tuple[str, str]] = (),
) -> CompileResult:
    """Compile export files named by path, as a notebook or a script would:

        result = compile_paths(["Test 1.xlsx", "quiz 2.csv"], policy="average")
        result.to_dataframe()          # the Results sheet as a pandas DataFrame
        result.save("results.xlsx")    # the workbook

    `policy` is a name of `POLICIES`; `out_of` gives a test's maximum when its file does not
    say it; `tests` numbers a file (by its name) yourself; `weights` weighs tests by number;
    `drop_lowest` leaves out each person's lowest results; `letters` names a letter scale of
    `LETTER_SCALES` or spells one (`"A=70,B=60,F=0"`); `roster` names a class list (one row
    per person on it, present or not); `same` and `different` settle look-alike pairs, each
    person named by e-mail, `id:` and a platform id, or name. Raises `CompilerError` with the
    reason when a file or a choice cannot be used.
    """
    chosen = policy_named(policy)
    if pass_mark is not None:
        chosen = replace(chosen, pass_mark=pass_mark)
    scale = letter_scale(letters) if isinstance(letters, str) else letters
    labels = {str(name): str(number) for name, number in (tests or {}).items()}
    uploads = []
    for path in map(Path, paths):
        label = labels.get(str(path)) or labels.get(path.name)
        uploads.append(UploadedFile(name=path.name, data=path.read_bytes(), label=label))
    options = CompileOptions(
        policy=chosen,
        duplicates=duplicates,
        out_of=dict(out_of or {}),
        weights=dict(weights or {}),
        drop_lowest=drop_lowest,
        letters=scale,
        roster=None if roster is None else read_roster(_uploaded(Path(roster)), limits),
        decisions=(
            *(SameOrNot(a, b, same=True) for a, b in same),
            *(SameOrNot(a, b, same=False) for a, b in different),
        ),
    )
    return compile_files(uploads, options, limits)


def _uploaded(path: Path) -> UploadedFile:
    return UploadedFile(name=path.name, data=path.read_bytes())
