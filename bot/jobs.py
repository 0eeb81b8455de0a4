"""What runs inside the worker processes: top-level functions of picklable arguments."""

from __future__ import annotations

from collections.abc import Sequence

from compiler import (
    CompileOptions,
    CompileResult,
    Limits,
    NumberedFile,
    TestNumber,
    UploadedFile,
    compile_numbered,
    render_results_png,
)


def compile_session(
    files: Sequence[tuple[TestNumber, UploadedFile]], options: CompileOptions, limits: Limits
) -> tuple[CompileResult, bytes | None]:
    """Compile a chat's files and draw the picture of its results."""
    numbered = [NumberedFile(file, ((None, test),)) for test, file in files]
    result = compile_numbered(numbered, options, limits)
    picture = render_results_png(result.report) if result.report.participants else None
    return result, picture
