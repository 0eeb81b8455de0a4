"""What runs inside the worker processes: top-level functions of picklable arguments."""

from __future__ import annotations

from collections.abc import Sequence

from compiler import (
    CompileOptions,
    CompileResult,
    Limits,
    NumberedFile,
    PolicyCount,
    compare_numbered,
    compile_numbered,
    render_report_cards,
    render_results_png,
)


def compile_session(
    files: Sequence[NumberedFile], options: CompileOptions, limits: Limits
) -> tuple[CompileResult, bytes | None]:
    """Compile a chat's files and draw the picture of its results."""
    result = compile_numbered(files, options, limits)
    picture = render_results_png(result.report) if result.report.participants else None
    return result, picture


def cards_session(
    files: Sequence[NumberedFile], options: CompileOptions, limits: Limits
) -> tuple[bytes, int]:
    """Compile a chat's files and print a report card per participant: (PDF, pages)."""
    report = compile_numbered(files, options, limits).report
    return render_report_cards(report), len(report.participants) + 1


def compare_session(
    files: Sequence[NumberedFile], options: CompileOptions, limits: Limits
) -> list[PolicyCount]:
    """How many of a chat's participants pass under each policy, with its grading."""
    return compare_numbered(files, options, limits)
