"""Everything the bot says, in one place: short, plain, and built from measured facts."""

from __future__ import annotations

from collections.abc import Sequence

from compiler import CompileReport, ExportSummary, MaxSource
from storage import ChatSettings

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "what this bot does"),
    ("help", "how to use it"),
    ("status", "the files I have and the settings"),
    ("compile", "merge the files into one workbook"),
    ("remove", "drop a test: /remove 3"),
    ("reset", "forget every file in this chat"),
    ("settings", "policy, repeated submissions, pass mark"),
    ("cancel", "drop a pending question"),
)

HELP = (
    "I merge quiz-result spreadsheets into one workbook you can trust.\n\n"
    "1. Send me the exported files (.xlsx, .xlsm, .xls, .ods, .csv) from SurveyHeart, "
    "Google Forms, Microsoft Forms, Moodle, Canvas, Kahoot or your own sheets. "
    'I number each test from its file name; write a caption like "Test 5" to choose.\n'
    "2. Send /compile: you get one workbook with a row per person, a column per test, "
    "the final average and PASS/FAIL, a summary, and every problem I found.\n\n"
    "Commands:\n" + "\n".join(f"/{name} - {what}" for name, what in COMMANDS)
)

NOTHING_UPLOADED = (
    "I have no files in this chat yet. Send me your quiz exports (one file per test), "
    "then /compile."
)
NOT_A_COMMAND = "Send me quiz-result files, or /help to see what I can do."
SLOW_DOWN = "You are sending messages faster than I can take them. Wait a minute, then go on."
APOLOGY = (
    "Sorry, something went wrong on my side while handling that. Nothing you sent before was "
    "lost. Try again in a moment; if it keeps happening, send /status."
)
NOT_SAVED = (
    "Sorry, I could not save that file (my storage is not working right now). It was not "
    "kept: send it again in a few minutes."
)


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


def upload_understood(summary: ExportSummary) -> str:
    """`Test 3 (from the file name): 68 participants, score "Total Marks (19)" scaled to %, ...`."""
    test = summary.test
    parts = [plural(summary.participants, "participant")]
    if summary.score_column:
        parts.append(f'score "{_shortened(summary.score_column)}" {_scale(summary)}')
    if summary.repeated_submissions:
        parts.append(plural(summary.repeated_submissions, "repeated submission"))
    if summary.invalid_emails:
        parts.append(plural(summary.invalid_emails, "invalid e-mail") + " kept by name")
    if summary.no_scores:
        parts.append(plural(summary.no_scores, "row") + " without a score")
    if summary.rows_rejected:
        parts.append(plural(summary.rows_rejected, "row") + " with no name or e-mail skipped")
    return f"Test {test.number} ({test.how}, {summary.platform}): " + ", ".join(parts) + "."


def _shortened(text: str, limit: int = 60) -> str:
    """A header as quoted in a message: a cell may hold 32,767 characters, a message 4,096."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def ask_maximum(test: int) -> str:
    return (
        f"Test {test}: out of how many marks? The file does not say. "
        "Send just the number (for example 20), or /cancel."
    )


def _scale(summary: ExportSummary) -> str:
    """How the score column becomes a percentage."""
    if summary.needs_maximum:
        return "needs its maximum"
    if summary.max_source == MaxSource.PERCENT:
        return "already in %"
    if summary.out_of:
        return f"out of {summary.out_of:g}, scaled to %"
    return "scaled to %"


def status(summaries: Sequence[ExportSummary], settings: ChatSettings) -> str:
    """The session at a glance: tests, their files, what is missing, settings in force."""
    out_of = settings.out_of
    if not summaries:
        return NOTHING_UPLOADED
    lines = [f"{plural(len(summaries), 'test')} in this chat:"]
    for s in sorted(summaries, key=lambda s: s.test.number):
        line = f"Test {s.test.number}: {s.file_name} - {plural(s.participants, 'participant')}"
        if s.needs_maximum and s.test.number not in out_of:
            line += " - needs its maximum (/compile asks for it)"
        elif s.test.number in out_of:
            line += f" - out of {out_of[s.test.number]:g} (given by you)"
        warnings = s.repeated_submissions + s.invalid_emails + s.rows_rejected
        if warnings:
            line += f" - {plural(warnings, 'warning')}"
        lines.append(line)
    numbers = sorted(s.test.number for s in summaries)
    missing = sorted(set(range(1, numbers[-1] + 1)) - set(numbers))
    if missing:
        lines.append("Missing: " + ", ".join(f"test {n}" for n in missing) + ".")
    lines.append(
        f"Settings: policy {settings.policy}, repeated submissions: keep {settings.duplicates}, "
        f"pass mark {settings.pass_mark:g}%."
    )
    return "\n".join(lines)


def compile_caption(report: CompileReport) -> str:
    """The caption under the workbook (Telegram allows 1024 characters)."""
    caption = (
        f"{plural(len(report.participants), 'participant')}, "
        f"{plural(len(report.tests), 'test')}: PASS {report.passed}, FAIL {report.failed}.\n"
        f"{plural(len(report.problems), 'issue')} listed in the Issues sheet"
        + (
            f", {plural(len(report.possible_same_person), 'pair')} possibly the same person"
            if report.possible_same_person
            else ""
        )
        + f".\nPolicy: {report.policy.name} ({report.policy.description}), "
        f"pass mark {report.policy.pass_mark:g}%, repeated submissions: keep {report.duplicates}."
    )
    return caption[:1024]
