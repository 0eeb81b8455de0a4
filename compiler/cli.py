"""`python -m compiler`: merge export files into one workbook (and, if asked, the report cards)
from the command line."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from compiler.errors import CompilerError
from compiler.grade.letters import LETTER_SCALES, letter_scale
from compiler.grade.policies import DEFAULT_POLICY, MAX_DROP_LOWEST, POLICIES
from compiler.grade.weights import MAX_WEIGHT
from compiler.identify.roster import read_roster
from compiler.model import (
    DUPLICATE_RULES,
    CompileOptions,
    CompileReport,
    LetterScale,
    LookAlikeSide,
    NumberedExport,
    SameOrNot,
    SourceInfo,
    UploadedFile,
)
from compiler.pipeline import compile_exports, read_files
from compiler.write.figures import dropped_text, letters_given_text, number_text, weights_text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m compiler",
        description="Merge quiz-result exports into one colour-coded workbook.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="exports to merge")
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="OUT.xlsx")
    parser.add_argument(
        "--cards",
        type=Path,
        default=None,
        metavar="OUT.pdf",
        help="also write the report cards: a cover for the class, then a page per participant",
    )
    parser.add_argument(
        "--duplicates",
        choices=DUPLICATE_RULES,
        default="best",
        help="which of a person's repeated submissions to keep (default: best)",
    )
    parser.add_argument(
        "--policy",
        choices=sorted(POLICIES),
        default=DEFAULT_POLICY,
        help=f"how tests combine into the final average (default: {DEFAULT_POLICY})",
    )
    parser.add_argument(
        "--pass-mark",
        type=float,
        default=None,
        metavar="PERCENT",
        help="the final average that passes, any number from 0 to 100 (default: 50)",
    )
    parser.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="TEST=W",
        help="what test TEST weighs in the final average (repeatable; default: the weight its "
        "file states, else 1; 0: the test does not count)",
    )
    parser.add_argument(
        "--drop-lowest",
        type=int,
        default=0,
        metavar="N",
        help="leave each person's N lowest results out of the final average (default: 0)",
    )
    parser.add_argument(
        "--letters",
        default=None,
        metavar="SCALE",
        help=f"give letter grades: a scale's name ({', '.join(LETTER_SCALES)}) or your own, "
        'like "A=70,B=60,C=50,D=45,E=40,F=0"',
    )
    parser.add_argument(
        "--out-of",
        action="append",
        default=[],
        metavar="TEST=MAX",
        help="the maximum score of a test whose file does not say it (repeatable)",
    )
    parser.add_argument(
        "--test",
        action="append",
        default=[],
        metavar="FILE=N",
        help="number a file's test yourself (repeatable)",
    )
    parser.add_argument(
        "--roster",
        type=Path,
        default=None,
        metavar="ROSTER",
        help="the class list (names, and e-mails or ids if you have them): one row per person "
        "on it, present or not; rows matching nobody on it are listed and shown below",
    )
    parser.add_argument(
        "--same",
        nargs=2,
        action="append",
        default=[],
        metavar=("A", "B"),
        help="A and B are one person (each an e-mail, id:PLATFORM-ID, or a name as spelt; "
        "repeatable)",
    )
    parser.add_argument(
        "--different",
        nargs=2,
        action="append",
        default=[],
        metavar=("A", "B"),
        help="A and B are two people: do not list them as possibly the same (repeatable)",
    )
    return parser


def _pairs(values: Sequence[str], what: str, parser: argparse.ArgumentParser) -> dict[str, str]:
    pairs = {}
    for value in values:
        key, sep, val = value.rpartition("=")
        if not sep or not key or not val:
            parser.error(f"{what} takes KEY=VALUE, got {value!r}")
        pairs[key] = val
    return pairs


def _options(args: argparse.Namespace, parser: argparse.ArgumentParser) -> CompileOptions:
    policy = POLICIES[args.policy]
    if args.pass_mark is not None:
        if not 0 <= args.pass_mark <= 100:
            parser.error("--pass-mark must be between 0 and 100")
        policy = replace(policy, pass_mark=args.pass_mark)
    out_of: dict[int, float] = {}
    for test, maximum in _pairs(args.out_of, "--out-of", parser).items():
        try:
            out_of[int(test)] = float(maximum)
        except ValueError:
            parser.error(f"--out-of takes TEST=MAX with numbers, got {test}={maximum}")
        if out_of[int(test)] <= 0:
            parser.error(f"--out-of {test}: the maximum must be above 0")
    if not 0 <= args.drop_lowest <= MAX_DROP_LOWEST:
        parser.error(f"--drop-lowest must be a whole number from 0 to {MAX_DROP_LOWEST:,}")
    return CompileOptions(
        policy=policy,
        duplicates=args.duplicates,
        out_of=out_of,
        weights=_weights(args, parser),
        drop_lowest=args.drop_lowest,
        letters=_letters(args, parser),
        decisions=(
            *(SameOrNot(a, b, same=True) for a, b in args.same),
            *(SameOrNot(a, b, same=False) for a, b in args.different),
        ),
    )


def _weights(args: argparse.Namespace, parser: argparse.ArgumentParser) -> dict[int, float]:
    weights: dict[int, float] = {}
    for test, weight in _pairs(args.weight, "--weight", parser).items():
        try:
            number, value = int(test), float(weight)
        except ValueError:
            parser.error(f"--weight takes TEST=W with numbers, got {test}={weight}")
        if not 0 <= value <= MAX_WEIGHT:  # NaN fails this too
            parser.error(f"--weight {test}: the weight must be from 0 to {MAX_WEIGHT:,.0f}")
        weights[number] = value
    return weights


def _letters(args: argparse.Namespace, parser: argparse.ArgumentParser) -> LetterScale | None:
    if args.letters is None:
        return None
    try:
        return letter_scale(args.letters)
    except CompilerError as exc:
        parser.error(f"--letters: {exc}")


def _unknown_weights(options: CompileOptions, numbered: Sequence[NumberedExport]) -> str | None:
    """The error of a --weight naming a test that none of the files is, or None."""
    tests = {n.test.number for n in numbered}
    unknown = sorted(set(options.weights) - tests)
    if not unknown:
        return None
    named = ", ".join(str(t) for t in unknown)
    present = ", ".join(str(t) for t in sorted(tests))
    return f"--weight names test {named}, but the files are tests {present}."


def _uploads(args: argparse.Namespace, parser: argparse.ArgumentParser) -> list[UploadedFile]:
    labels = _pairs(args.test, "--test", parser)
    uploads = []
    for path in args.files:
        label = labels.pop(str(path), None) or labels.pop(path.name, None)
        uploads.append(replace(_read_path(path, parser), label=label))
    if labels:
        parser.error(f"--test names a file that is not among FILE: {', '.join(labels)}")
    return uploads


def _read_path(path: Path, parser: argparse.ArgumentParser) -> UploadedFile:
    try:
        return UploadedFile(name=path.name, data=path.read_bytes())
    except OSError as exc:
        parser.exit(1, f"{path}: cannot read it ({exc.strerror}).\n")


def format_report(
    report: CompileReport,
    output: Path | None = None,
    cards: Path | None = None,
    decisions: int = 0,
) -> str:
    """The short printed account of a compile."""
    lines = []
    for source in report.sources:
        lines.extend(_source_lines(source))
    kinds = Counter(p.kind for p in report.problems)
    policy = report.policy
    lines += [
        "",
        f"{len(report.participants)} participants, {len(report.tests)} tests; "
        f"PASS {report.passed}, FAIL {report.failed} "
        f"(policy {policy.name}, pass mark {number_text(policy.pass_mark)}, "
        f"repeated submissions: {report.duplicates}).",
        f"Problems: {len(report.problems)}"
        + (" (" + ", ".join(f"{n} {k}" for k, n in kinds.most_common()) + ")" if kinds else ""),
    ]
    lines += _grading_lines(report)
    lines += _identity_lines(report, decisions)
    if cards is not None:
        lines.append(f"Wrote {cards}: a cover and {len(report.participants)} report cards.")
    if output is not None:
        lines.append(f"Wrote {output}.")
    return "\n".join(lines)


def _grading_lines(report: CompileReport) -> list[str]:
    """The weights, the results dropped and the letters given, each when chosen."""
    lines = []
    if report.weighted:
        lines.append(f"Weights: {weights_text(report)}.")
    if report.drop_lowest:
        lines.append(f"Dropped: {dropped_text(report)}.")
    if report.letters is not None:
        lines.append(f"Letter grades ({report.letters.name}): {letters_given_text(report)}.")
    return lines


_PAIRS_SHOWN = 10


def _identity_lines(report: CompileReport, decisions: int) -> list[str]:
    """The roster's use, the answers given, and the pairs still open with how to settle them."""
    lines = []
    if report.roster is not None:
        roster = report.roster
        lines.append(
            f"Roster {roster.file_name}: {roster.people} people, {roster.present} with results"
            + (
                f"; {roster.unmatched_people} not on it, shown below them (see the Issues sheet)"
                if roster.unmatched_people
                else ""
            )
            + "."
        )
    if decisions:
        lines.append(
            f"Your answers: {report.decisions_applied} of {decisions} met a pair in these files."
        )
    pairs = report.possible_same_person
    if pairs:
        lines.append(
            f"Possibly the same person, not merged: {len(pairs)} "
            f"pair{'s' if len(pairs) > 1 else ''}, most likely first "
            "(settle each with --same A B or --different A B):"
        )
        for pair in pairs[:_PAIRS_SHOWN]:
            a, b = shlex.quote(pair.a.handle), shlex.quote(pair.b.handle)
            lines.append(f"  {_side_text(pair.a)} / {_side_text(pair.b)}: {pair.reason}")
            lines.append(f"    --same {a} {b}   or   --different {a} {b}")
        if len(pairs) > _PAIRS_SHOWN:
            lines.append(f"  ... and {len(pairs) - _PAIRS_SHOWN} more in the Issues sheet.")
    return lines


def _side_text(side: LookAlikeSide) -> str:
    email = ", ".join(side.emails) or "no e-mail"
    tests = ", ".join(map(str, side.tests))
    return f"{side.name} ({email}; test{'s' if len(side.tests) > 1 else ''} {tests})"


def _source_lines(source: SourceInfo) -> list[str]:
    cols = source.columns
    name = cols.name or " + ".join(c for c in (cols.first_name, cols.last_name) if c) or "none"
    out_of = "unknown" if source.out_of is None else f"{source.out_of:g}"
    title = f" · {source.title}" if source.title else ""
    skipped = (
        [f"  not tests: {'; '.join(f'{c.header} ({c.why})' for c in source.skipped)}"]
        if source.skipped
        else []
    )
    return [
        f"Test {source.test.number}{title}: {source.file_name} ({source.test.how})",
        f"  {source.platform}"
        + (f", sheet {source.sheet!r}" if source.sheet else "")
        + f"; name {name!r}, e-mail {cols.email or 'none'!r}, score {cols.score!r}"
        f" out of {out_of} ({source.max_source})",
        f"  rows read {source.rows_read}, kept {source.rows_kept}, rejected {source.rows_rejected}",
        *skipped,
    ]


def _write_atomically(path: Path, data: bytes) -> None:
    """Write the whole workbook or nothing: a temporary file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    options = _options(args, parser)
    if args.cards is not None and args.cards.resolve() == args.output.resolve():
        parser.error("--cards and -o name the same file")
    uploads = _uploads(args, parser)
    try:
        if args.roster is not None:
            options = replace(options, roster=read_roster(_read_path(args.roster, parser)))
        numbered, problems = read_files(uploads)
        unknown = _unknown_weights(options, numbered)
        if unknown is not None:
            raise CompilerError(unknown)
        result = compile_exports(numbered, options, problems)
    except CompilerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 1
    cards = None if args.cards is None else _report_cards(result.report)
    _write_atomically(args.output, result.workbook)
    if cards is not None:
        _write_atomically(args.cards, cards)
    print(format_report(result.report, args.output, args.cards, len(options.decisions)))
    return 0


def _report_cards(report: CompileReport) -> bytes:
    # fpdf2 is loaded only when the cards are asked for: a plain compile starts faster.
    from compiler.write.cards import render_report_cards

    return render_report_cards(report)
