"""Results Compiler: quiz-result exports in, one merged workbook and its report out.

The pipeline reads as the folders do: `read/` (bytes -> tables, with the guards that check a
file before a library opens it), `understand/` (tables -> an `Export`: layout, scores, times),
`identify/` (which rows are the same person), `grade/` (maxima, repeated submissions,
policies, weights, letter grades, statistics), `write/` (the workbook, the picture, the report
cards); `pipeline.py` runs them in order. This module is the one public surface: the bot, the
command line and a notebook import from here only.

    from compiler import compile_paths
    result = compile_paths(["Test 1.xlsx", "Test 2.csv"], policy="average")
    result.to_dataframe()
    result.save("results.xlsx")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from compiler.errors import (
    CompilerError,
    ExportError,
    MissingMaximum,
    NoScoreColumn,
    NothingToCompile,
)
from compiler.grade.letters import LETTER_SCALES, letter_scale
from compiler.grade.policies import DEFAULT_POLICY, POLICIES, policy_named
from compiler.grade.weights import summary_weights
from compiler.identify.roster import read_roster
from compiler.model import (
    DUPLICATE_RULES,
    CompileOptions,
    CompileReport,
    CompileResult,
    DuplicateRule,
    ExportSummary,
    LetterGrade,
    LetterScale,
    Limits,
    LookAlike,
    LookAlikeSide,
    MaxSource,
    NumberedExport,
    NumberedFile,
    Policy,
    PolicyCount,
    Roster,
    RosterPerson,
    RosterUse,
    SameOrNot,
    TestNumber,
    TestWeight,
    UploadedFile,
    summary_from_dict,
)
from compiler.pipeline import (
    compare_numbered,
    compare_policies,
    compile_files,
    compile_numbered,
    compile_paths,
    inspect_file,
    read_numbered,
)
from compiler.understand.numbering import number_upload
from compiler.write.figures import Figure, class_figures, figure_text, grading_figures

if TYPE_CHECKING:
    from compiler.write.cards import render_report_cards
    from compiler.write.picture import render_results_png

__all__ = [
    "DEFAULT_POLICY",
    "DUPLICATE_RULES",
    "LETTER_SCALES",
    "POLICIES",
    "CompileOptions",
    "CompileReport",
    "CompileResult",
    "CompilerError",
    "DuplicateRule",
    "ExportError",
    "ExportSummary",
    "Figure",
    "LetterGrade",
    "LetterScale",
    "Limits",
    "LookAlike",
    "LookAlikeSide",
    "MaxSource",
    "MissingMaximum",
    "NoScoreColumn",
    "NothingToCompile",
    "NumberedExport",
    "NumberedFile",
    "Policy",
    "PolicyCount",
    "Roster",
    "RosterPerson",
    "RosterUse",
    "SameOrNot",
    "TestNumber",
    "TestWeight",
    "UploadedFile",
    "class_figures",
    "compare_numbered",
    "compare_policies",
    "compile_files",
    "compile_numbered",
    "compile_paths",
    "figure_text",
    "grading_figures",
    "inspect_file",
    "letter_scale",
    "number_upload",
    "policy_named",
    "read_numbered",
    "read_roster",
    "render_report_cards",
    "render_results_png",
    "summary_from_dict",
    "summary_weights",
]


def __getattr__(name: str) -> object:
    # The picture needs Pillow and the report cards fpdf2, which a command-line compile never
    # loads: each is imported on first use.
    if name == "render_results_png":
        from compiler.write.picture import render_results_png

        return render_results_png
    if name == "render_report_cards":
        from compiler.write.cards import render_report_cards

        return render_report_cards
    raise AttributeError(f"module 'compiler' has no attribute {name!r}")
