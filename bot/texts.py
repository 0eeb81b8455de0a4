"""Everything the bot says, in one place: short, plain, and built from measured facts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from bot.usecases.changes import Changes
from bot.usecases.compiling import CompileRefused, TooBigToCompile, chat_letters
from bot.usecases.grading import Weights, WeightsRefused
from bot.usecases.people import Questions
from bot.usecases.uploads import (
    AlreadyHeld,
    NoRoom,
    NotSaved,
    RosterTaken,
    TooBig,
    TooComplex,
    Unreadable,
    UploadRefused,
    UploadTaken,
)
from compiler import (
    POLICIES,
    CompileReport,
    ExportSummary,
    LetterScale,
    LookAlike,
    LookAlikeSide,
    MaxSource,
    PolicyCount,
)
from storage import (
    AddStatus,
    AnswerOutcome,
    AnswerStatus,
    BroadcastProgress,
    ChatSettings,
    DeliveryState,
    PeopleQuestion,
    Removal,
    RosterInfo,
    Stats,
    Verdict,
)

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "what this bot does"),
    ("help", "how to use it"),
    ("status", "the files I have and the settings"),
    ("compile", "merge the files into one workbook"),
    ("cards", "a printable report card per participant (PDF)"),
    ("remove", "drop a test: /remove 3, or the roster: /remove roster"),
    ("people", "your answers to 'same person?', to undo one"),
    ("reset", "forget every file in this chat"),
    ("settings", "policy, repeated submissions, pass mark, drop, letters"),
    ("letters", "the letter scale: a preset or your own"),
    ("weights", "what each test counts: /weights 1=1 2=1 3=2"),
    ("cancel", "drop a pending question"),
)

HELP = (
    "I merge quiz-result spreadsheets into one workbook you can trust.\n\n"
    "1. Send me the exported files (.xlsx, .xlsm, .xls, .ods, .csv) from SurveyHeart, "
    "Google Forms, Microsoft Forms, Kahoot, Moodle, Canvas, Blackboard, D2L/Brightspace or "
    "your own sheets. A gradebook brings one test per graded item. "
    'I number each test from its file name; write a caption like "Test 5" to choose.\n'
    "2. Send /compile: you get one workbook with a row per person, a column per test, "
    "the final average and PASS/FAIL, a summary, and every problem I found; /cards gives "
    "a printable report card per person.\n"
    '3. Optional: send your class list with the caption "roster": every workbook then has '
    "one row per person on it. When two names in the files may be one person, I ask you "
    "with buttons, and keep your answer.\n\n"
    "Commands:\n" + "\n".join(f"/{name} - {what}" for name, what in COMMANDS)
)

NOTHING_UPLOADED = (
    "I have no files in this chat yet. Send me your quiz exports (one file per test), "
    "then /compile."
)
NOT_A_COMMAND = "Send me quiz-result files, or /help to see what I can do."
UNKNOWN_COMMAND = "I don't know that command. " + NOT_A_COMMAND
SLOW_DOWN = "You are sending messages faster than I can take them. Wait a minute, then go on."
APOLOGY = (
    "Sorry, something went wrong on my side while handling that. Nothing you sent before was "
    "lost. Try again in a moment; if it keeps happening, send /status."
)
NOT_SAVED = (
    "Sorry, I could not save that file (my storage is not working right now). It was not "
    "kept: send it again in a few minutes."
)


KEPT_NOTHING = "I kept nothing from this file."


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


# --- a file arrives -----------------------------------------------------------------------------


def file_stored(taken: UploadTaken) -> str:
    """The answer to a stored file: what was understood, and what it replaced. A file of
    several tests (a gradebook) gets one line per test and the columns that are no test."""
    first = taken.tests[0]
    outcome = first.outcome
    if outcome.status is AddStatus.ALREADY_STORED:
        return already_held(taken.file_name, outcome.upload.test_numbers)
    several = len(taken.tests) > 1
    text = _tests_understood(taken) if several else upload_understood(first.summary)
    if outcome.status is AddStatus.REPLACED and outcome.replaced is not None:
        tests = _listed([f"test {n}" for n in outcome.replaced_tests])
        text += f"\nThis replaces the earlier file for {tests} ({outcome.replaced.file_name})."
    return text


def _tests_understood(taken: UploadTaken) -> str:
    """`gradebook.csv (Canvas gradebook): 4 tests.` then a line per test, then the skipped."""
    summaries = [stored.summary for stored in taken.tests]
    first = summaries[0]
    lines = [
        f"{taken.file_name} ({first.layout_name or first.platform}): "
        f"{plural(len(summaries), 'test')}, one per graded item:"
    ]
    for summary in summaries:
        lines.append(
            f"{summary.label}: {plural(summary.participants, 'participant')}, {_scale(summary)}"
        )
    if first.skipped:
        shown = [_shortened(_column_name(header), 40) for header, _ in first.skipped[:6]]
        more = f" and {len(first.skipped) - 6} more" if len(first.skipped) > 6 else ""
        lines.append(f"Not tests: {', '.join(shown)}{more} (totals, letters, empty items).")
    return "\n".join(lines)


def _column_name(header: str) -> str:
    """A column's name without the notation a gradebook appends: `Total [Total Pts: 85 Score]
    |51759` is `Total`, `Course total (Real)` is `Course total`."""
    name = re.sub(r"\s*[\[<(|].*$", "", header)
    return name or header


def _listed(items: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def upload_not_taken(result: AlreadyHeld | UploadRefused) -> str:
    """Why a file was not stored (or had been already), and what to do about it."""
    match result:
        case AlreadyHeld(name, tests):
            return already_held(name, tests)
        case TooBig(name, size, limit_mb):
            return (
                f"{name} is {size / 1024 / 1024:.1f} MB; I can take files up to "
                f"{limit_mb:g} MB. Keep only the results sheet, or save it as .csv, "
                "and send it again."
            )
        case Unreadable(_, reason):
            return f"{reason}\n{KEPT_NOTHING}"
        case TooComplex(name):
            return (
                f"{name}: this file is too big or too complex for me to read. "
                "Open it, keep only the results sheet, save it as .xlsx and send it again. "
                + KEPT_NOTHING
            )
        case NoRoom(name, reason):
            return f"{name}: {reason}"
        case NotSaved(name):
            return f"{name}: {NOT_SAVED}"


def already_held(name: str, tests: Sequence[int]) -> str:
    held = _listed([str(n) for n in tests])
    return (
        f"I already have {name}: it is test{'s' if len(tests) > 1 else ''} {held}. Nothing changed."
    )


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
    platform = summary.layout_name or summary.platform
    return f"{summary.label} ({test.how}, {platform}): " + ", ".join(parts) + "."


def _shortened(text: str, limit: int = 60) -> str:
    """A header as quoted in a message: a cell may hold 32,767 characters, a message 4,096."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def ask_maximum(test: ExportSummary, buttons: bool = False) -> str:
    """The question for a test whose file does not state its maximum, naming the column (and
    its highest mark, when known)."""
    column = (
        f' (its column "{_shortened(test.score_column)}" holds raw marks'
        + (f", {test.highest_points:g} the highest" if test.highest_points is not None else "")
        + ")"
        if test.score_column
        else ""
    )
    how = "Tap it below, or send the number" if buttons else "Send just the number"
    return (
        f"{test.label}: out of how many marks? The file does not say{column}. "
        f"{how} (for example 20), or /cancel."
    )


def maximum_button(maximum: float) -> str:
    return f"out of {maximum:g}"


MAXIMUM_NO_LONGER_ASKED = (
    "That question is no longer open: /compile asks again for any maximum still missing."
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


def status(
    summaries: Sequence[ExportSummary],
    settings: ChatSettings,
    roster: RosterInfo | None = None,
    answers: int = 0,
) -> str:
    """The session at a glance: tests, their files, what is missing, settings in force, the
    roster and how many answers about people stand."""
    people = _people_status(roster, answers)
    if not summaries:
        return "\n".join([NOTHING_UPLOADED, *people])
    out_of = settings.out_of
    lines = [f"{plural(len(summaries), 'test')} in this chat:"]
    for s in sorted(summaries, key=lambda s: s.test.number):
        line = f"{s.label}: {s.file_name} - {plural(s.participants, 'participant')}"
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
        f"pass mark {settings.pass_mark:g}%, drop the lowest: {drop_lowest(settings.drop_lowest)}, "
        f"letter grades: {letters(settings)}."
    )
    if settings.weights:
        given = ", ".join(f"test {t} = {w:g}" for t, w in sorted(settings.weights.items()))
        lines.append(f"Weights given by you: {given} (/weights shows them all).")
    return "\n".join(lines + people)


def _people_status(roster: RosterInfo | None, answers: int) -> list[str]:
    """/status's lines about the roster and the answers about people (none when neither)."""
    lines = []
    if roster is not None:
        lines.append(
            f"Roster: {roster.file_name}, {_roster_people(roster.people, roster.with_contact)} "
            "(/remove roster drops it)."
        )
    if answers:
        lines.append(f"Your answers about people: {answers} in force (/people lists them).")
    return lines


def _roster_people(people: int, with_contact: int) -> str:
    """`31 people (29 with an e-mail or id)`."""
    return f"{plural(people, 'person', 'people')} ({with_contact} with an e-mail or id)"


def compile_caption(report: CompileReport, changes: Changes | None = None) -> str:
    """The caption under the workbook (Telegram allows 1024 characters), with what moved since
    the chat's last compile after the first."""
    moved = "" if changes is None else "\n" + what_changed(changes)
    caption = (
        f"{plural(len(report.participants), 'participant')}, "
        f"{plural(len(report.tests), 'test')}: PASS {report.passed}, FAIL {report.failed}.\n"
        + _roster_used(report)
        + f"{plural(len(report.problems), 'issue')} listed in the Issues sheet"
        + (
            f", {plural(len(report.possible_same_person), 'pair')} possibly the same person"
            if report.possible_same_person
            else ""
        )
        + f".\nPolicy: {report.policy.name} ({report.policy.description}), "
        f"pass mark {report.policy.pass_mark:g}%, repeated submissions: keep {report.duplicates}."
    )
    return (caption[: 1024 - len(moved)] + moved)[:1024]


def _roster_used(report: CompileReport) -> str:
    """`Roster Class 9B.xlsx: 29 of 31 people in the files; 2 people not on it.` and the
    answers applied; empty without either."""
    parts = []
    if report.roster is not None:
        used = report.roster
        off = (
            f"; {plural(used.unmatched_people, 'person', 'people')} not on it, below them"
            if used.unmatched_people
            else ""
        )
        parts.append(f"Roster {used.file_name}: {used.present} of {used.people} in the files{off}.")
    if report.decisions_applied:
        parts.append(f"{plural(report.decisions_applied, 'answer')} about people applied.")
    return "".join(part + "\n" for part in parts)


SETTING_NAMES = {
    "policy": "policy",
    "duplicates": "repeated submissions",
    "pass_mark": "pass mark",
    "out_of": "maxima",
    "weights": "weights",
    "drop_lowest": "drop",
    "letters": "letter scale",
}
NAMES_SHOWN = 3


def what_changed(changes: Changes) -> str:
    """`Since the last compile: 2 people added, now PASS: Ada, Bo and 3 more; ...`."""
    if changes.none:
        return "Since the last compile: nothing moved."
    parts = []
    if changes.added:
        parts.append(f"{plural(changes.added, 'person', 'people')} added")
    if changes.gone:
        parts.append(f"{plural(changes.gone, 'person', 'people')} gone")
    if changes.now_passing:
        parts.append("now PASS: " + _some_names(changes.now_passing))
    if changes.now_failing:
        parts.append("now FAIL: " + _some_names(changes.now_failing))
    for tests, what in (
        (changes.tests_added, "added"),
        (changes.tests_replaced, "replaced"),
        (changes.tests_removed, "removed"),
    ):
        if tests:
            parts.append(
                f"test{'s' if len(tests) > 1 else ''} {_listed([str(t) for t in tests])} {what}"
            )
    if changes.settings:
        parts.append(
            "settings changed: " + ", ".join(SETTING_NAMES.get(s, s) for s in changes.settings)
        )
    return "Since the last compile: " + "; ".join(parts) + "."


def _some_names(names: Sequence[str]) -> str:
    shown = [_shortened(name, 40) for name in names[:NAMES_SHOWN]]
    more = len(names) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


COMPILE_TOO_BIG = (
    "These files are too big or too complex to compile in one go. "
    "Remove the largest test (/remove N) and try again, or /status to check them."
)


CARDS_BUTTON = "Report cards (PDF)"


def making_cards(rows: int) -> str:
    """Said before printing the report cards of a large class."""
    return f"Printing the report cards ({rows:,} rows read). This takes a few seconds."


def cards_name(started: datetime) -> str:
    return f"Report cards {started:%Y-%m-%d}.pdf"


def cards_caption(pages: int) -> str:
    return (
        "Report cards: a cover for the class and a page per participant "
        f"({plural(pages, 'page')}), ready to print or forward."
    )


def compiling(tests: int, rows: int) -> str:
    """Said before a compile that takes a few seconds."""
    return f"Compiling {plural(tests, 'test')} ({rows:,} rows). This takes a few seconds."


def compile_not_done(failure: CompileRefused | TooBigToCompile) -> str:
    if isinstance(failure, CompileRefused):
        return failure.reason
    return COMPILE_TOO_BIG


def workbook_name(started: datetime) -> str:
    return f"Results {started:%Y-%m-%d}.xlsx"


# --- who is who: the roster, and "same person?" ------------------------------------------------


def roster_kept(taken: RosterTaken) -> str:
    """The answer to a file kept as the class roster."""
    people = _roster_people(taken.people, taken.with_contact)
    if taken.detected:
        text = (
            f"{taken.file_name} has no score column, so I kept it as the class roster: "
            f"{people}. Send /remove roster if it was meant to be a test."
        )
    else:
        text = f"{taken.file_name} is this chat's class roster now: {people}."
    text += " Every /compile has one row per person on it."
    if taken.replaced is not None:
        text += f" It replaces the earlier roster ({taken.replaced})."
    return text


def roster_removed(roster: RosterInfo | None) -> str:
    if roster is None:
        return 'This chat has no roster. Send your class list with the caption "roster".'
    return (
        f"The roster {roster.file_name} is gone from this chat: compiles list the people "
        "in the files again."
    )


SAME_BUTTON = "Same person"
DIFFERENT_BUTTON = "Different people"
COMPILE_AGAIN_BUTTON = "Compile again"
VERDICTS = {Verdict.SAME: "Same person", Verdict.DIFFERENT: "Different people"}
ANSWER_MARK = "\n\n✔ "  # what starts the answer under a question, once it is answered
EMAILS_SHOWN = 3


def look_alikes_intro(questions: Questions) -> str:
    """Said before the questions that follow a compile."""
    count = len(questions.asked)
    pairs = "a pair of names" if count == 1 else f"{count} pairs of names"
    text = (
        f"In these files, {pairs} may be the same person. Tap an answer under each: I keep "
        "it for every later compile in this chat (/people lists your answers and undoes them)."
    )
    if questions.more:
        text += f"\n{questions.more} more after these; answer these and compile again."
    return text


def look_alike_question(pair: LookAlike, number: int, of: int, report: CompileReport) -> str:
    """One question: both people with every spelling, their e-mails and the tests they took."""
    return "\n".join(
        [
            f"Same person? ({number} of {of})",
            *_side(1, pair.a, report),
            *_side(2, pair.b, report),
            f"Why I ask: {pair.why}.",
        ]
    )


def _side(number: int, side: LookAlikeSide, report: CompileReport) -> list[str]:
    others = [_one_line(name, 40) for name in side.names if name != side.name]
    also = f" (also written {', '.join(others[:3])})" if others else ""
    emails = ", ".join(_one_line(e) for e in side.emails[:EMAILS_SHOWN]) or "no e-mail"
    if len(side.emails) > EMAILS_SHOWN:
        emails += f" and {len(side.emails) - EMAILS_SHOWN} more"
    tests = _listed([report.test_label(t) for t in side.tests]) if side.tests else "no test"
    return [f"{number}) {_one_line(side.name)}{also}", f"   {emails}; {tests}"]


def _one_line(text: str, limit: int = 60) -> str:
    """Text from a file on one line, shortened: a question holds no blank line."""
    return _shortened(" ".join(text.split()), limit)


def question_answered(shown: str | None, question: PeopleQuestion) -> str:
    """The question as it was shown, with the answer that stands under it (no buttons)."""
    verdict = VERDICTS[question.verdict] if question.verdict else ""
    return _question_shown(shown, question) + ANSWER_MARK + verdict


def question_gone(shown: str | None, question: PeopleQuestion | None) -> str:
    """The question whose pair left the files (or that the chat no longer holds)."""
    if question is None:
        return (
            _question_shown(shown, None)
            + "\n\nI no longer have this question (the chat was reset, or its answer undone). "
            "Nothing was stored; /compile asks again about any pair still in the files."
        )
    return (
        _question_shown(shown, question)
        + "\n\nThese two are no longer in the files as they were when I asked, so I stored "
        "nothing. /compile asks again if they come back."
    )


def _question_shown(shown: str | None, question: PeopleQuestion | None) -> str:
    """The question without what was said under it (a question holds no blank line)."""
    if shown:
        return shown.split("\n\n")[0]
    if question is not None:
        return f"{question.label_a}\n{question.label_b}"
    return "Same person?"


def answer_toast(outcome: AnswerOutcome) -> str:
    """The short note Telegram shows on the button pressed."""
    verdict = outcome.question.verdict if outcome.question else None
    match outcome.status:
        case AnswerStatus.STORED if verdict:
            return f"Kept: {VERDICTS[verdict].lower()}."
        case AnswerStatus.ALREADY_DECIDED if verdict:
            return f"Already answered: {VERDICTS[verdict].lower()}. /people can undo it."
        case _:
            return "Nothing stored: that question is closed."


ALL_ANSWERED = "Every question so far is answered. Compile again to apply your answers."


def people_list(decided: Sequence[PeopleQuestion], shown: int) -> str:
    """/people: the answers in force, numbered as their undo buttons are."""
    if not decided:
        return (
            "No answers about people in this chat yet. When a compile finds names that may be "
            "the same person, I ask you with buttons."
        )
    lines = [f"Your answers about people in this chat ({len(decided)}), used by every compile:"]
    for number, question in enumerate(decided[:shown], start=1):
        sign = "=" if question.verdict is Verdict.SAME else "≠"
        verdict = VERDICTS[question.verdict] if question.verdict else ""
        lines.append(
            f"{number}. {_shortened(question.label_a)} {sign} {_shortened(question.label_b)}: "
            f"{verdict.lower()}"
        )
    if len(decided) > shown:
        lines.append(f"and {len(decided) - shown} more (undo some to see them).")
    lines.append(
        "Tap Undo N to forget an answer: I ask about that pair again at the next /compile."
    )
    return "\n".join(lines)


def undo_button(number: int) -> str:
    return f"Undo {number}"


UNDONE = "Undone: I ask about that pair again at the next /compile."
NOT_UNDONE = "That answer no longer stands."


# --- grading -----------------------------------------------------------------------------------

WEIGHTS_USAGE = (
    "Write each test's weight as TEST=WEIGHT, for example: /weights 1=1 2=1 3=2 "
    "(test 3 counts twice as much; 0 leaves a test out). "
    "/weights alone shows them, /weights clear forgets the ones you gave."
)


def weights(shown: Weights | WeightsRefused, saved: bool = False, cleared: bool = False) -> str:
    """Each test's weight and where it came from (the teacher, the file, the default)."""
    if isinstance(shown, WeightsRefused):
        return shown.reason + (" Nothing changed." if saved else "")
    lines = ["Weights saved." if saved else "Weights cleared." if cleared else "Weights:"]
    if not shown.tests:
        lines.append("No tests in this chat yet: each test weighs 1 unless you say otherwise.")
    for test in shown.tests:
        lines.append(f"Test {test.test}: {test.weight:g} ({test.source})")
    for number, weight in shown.waiting.items():
        lines.append(f"Test {number}: {weight:g} (given by you, for when its file comes)")
    lines.append("Change them with /weights 1=1 2=2, or /weights clear.")
    return "\n".join(lines)


# --- the session --------------------------------------------------------------------------------

REMOVE_USAGE = "Say which test to drop, for example: /remove 3 (or /remove roster)."
RESET_QUESTION = (
    "Delete every file in this chat for good, with the class roster and your answers about "
    "people, and put the settings back to their defaults "
    "(policy, pass mark, drop, letters, weights, maxima)?"
)
RESET_YES = "Yes, delete every file"
RESET_NO = "No, keep them"
NOTHING_DELETED = "Nothing was deleted."
NO_QUESTION = "There was no question pending."
QUESTION_DROPPED = "All right, I dropped the question."
CHOICE_GONE = "That choice is no longer offered."
SAVED = "Saved."


def no_such_test(test: str) -> str:
    return f"There is no test {test} in this chat. /status lists them."


def test_removed(test: str) -> str:
    return f"Test {test} is gone from this chat."


def reset_done(removal: Removal) -> str:
    """`Done: 2 files, the roster and 3 answers about people deleted.`"""
    deleted = [plural(removal.uploads, "file")]
    if removal.roster:
        deleted.append("the roster")
    if removal.decisions:
        deleted.append(plural(removal.decisions, "answer") + " about people")
    return f"Done: {_listed(deleted)} deleted. Send new files to start again."


def maximum_not_understood(test: int) -> str:
    return f"I need just a number above 0: out of how many marks is test {test}? Or /cancel."


def maximum_kept(test: int, maximum: float) -> str:
    return f"Test {test} is out of {maximum:g}. Send more files, or /compile when you are ready."


def settings(chat: ChatSettings, counts: Sequence[PolicyCount] | None = None) -> str:
    """The settings in force, each policy described, the chosen one ticked; with `counts`, how
    many of the current files' participants pass under each policy, by the other settings."""
    lines = ["Settings for this chat:"]
    passing = {count.policy: count for count in counts or ()}
    for name, policy in POLICIES.items():
        mark = "✓" if name == chat.policy else " "
        count = passing.get(name)
        figures = f" (PASS {count.passed}, FAIL {count.failed})" if count else ""
        lines.append(f"{mark} {name}: {policy.description}{figures}")
    lines.append(f"Repeated submissions: keep the {chat.duplicates} one.")
    lines.append(f"Pass mark: {chat.pass_mark:g}%.")
    lines.append(f"Drop the lowest: {drop_lowest(chat.drop_lowest)}.")
    lines.append(f"Letter grades: {letters(chat)}.")
    if passing:
        lines.append(
            "PASS and FAIL are counted on the files here, with this pass mark, drop and weights."
        )
    return "\n".join(lines)


def drop_lowest(count: int) -> str:
    return "nothing" if count == 0 else f"{plural(count, 'result')} per person"


def letters(chat: ChatSettings) -> str:
    scale = chat_letters(chat)
    return "none" if scale is None else f"{scale.description}"


LETTERS_USAGE = (
    "Choose a scale with /letters a-f, /letters nigeria or /letters uk, write your own like "
    "/letters A=70,B=60,C=50,D=45,E=40,F=0 (the lowest starts at 0), or /letters none."
)


def letters_shown(chat: ChatSettings) -> str:
    return f"Letter grades: {letters(chat)}.\n{LETTERS_USAGE}"


def letters_kept(scale: LetterScale | None) -> str:
    if scale is None:
        return "No letter grades from now on."
    return f"Letter grades from now on: {scale.description}. /compile to see them."


def drop_button(count: int) -> str:
    return "drop none" if count == 0 else f"drop lowest {count}"


NO_LETTERS_BUTTON = "no letters"


def letters_button(name: str) -> str:
    return {"a-f": "A-F", "nigeria": "Nigeria A-F", "uk": "UK classes"}.get(name, name)


def other_pass_mark_button(mark: float | None) -> str:
    return "other…" if mark is None else f"pass {mark:g}"


ASK_PASS_MARK = "Which pass mark? Send a number from 0 to 100 (for example 45), or /cancel."  # noqa: S105
PASS_MARK_NOT_UNDERSTOOD = "I need just a number from 0 to 100 for the pass mark, or /cancel."  # noqa: S105


def pass_mark_kept(mark: float) -> str:
    return f"The pass mark is {mark:g}% now. /settings shows every setting."


def choice_button(label: str, chosen: bool) -> str:
    return ("✓ " if chosen else "") + label


def duplicates_button(rule: str) -> str:
    return f"keep {rule}"


def pass_mark_button(mark: int) -> str:
    return f"pass {mark}"


# --- admins -------------------------------------------------------------------------------------

ADMINS_ONLY = "Only the bot's admins can do that."
ADMINS_ONLY_HERE = "Only the bot's admins can do that, and only in a private chat with me."
BROADCAST_USAGE = (
    "Write /broadcast followed by the message, or reply /broadcast to the message to send "
    "(its formatting is kept). /broadcast cancel stops one under way."
)
CANCEL = "Cancel"
NOTHING_SENT = "Nothing was sent."
NO_BROADCAST_RUNNING = "No broadcast is under way."


def broadcast_goes_to(recipients: int) -> str:
    return f"This goes to {recipients} chats:"


def send_to(recipients: int) -> str:
    return f"Send to {recipients} chats"


def broadcast_stopped(left: int) -> str:
    return f"Stopped: {plural(left, 'chat')} will not get it."


def broadcast_progress(progress: BroadcastProgress, eta: float | None) -> str:
    """The admin's progress message while a broadcast goes out."""
    left = progress.count(DeliveryState.PENDING) + progress.count(DeliveryState.SENDING)
    line = (
        f"Broadcast {progress.broadcast.id} to {progress.total} chats: "
        f"sent {progress.count(DeliveryState.SENT)}, "
        f"blocked {progress.count(DeliveryState.BLOCKED)}, "
        f"failed {progress.count(DeliveryState.FAILED)}, left {left}"
    )
    return line + (f", about {eta:.0f} s to go." if eta else ".")


def broadcast_ended(progress: BroadcastProgress, seconds: float, stopped: bool) -> str:
    """The progress message's last state: finished, or paused by a restart."""
    head = "paused by a restart; it resumes when I start again" if stopped else "finished"
    return (
        f"Broadcast {progress.broadcast.id} {head}: sent {progress.count(DeliveryState.SENT)}, "
        f"blocked {progress.count(DeliveryState.BLOCKED)}, "
        f"failed {progress.count(DeliveryState.FAILED)} of {progress.total} "
        f"in {seconds:.1f} s."
    )


def stats(s: Stats, uptime_seconds: float, version: str) -> str:
    """The figures of /stats, one line per subject."""
    median = (
        f"{s.median_compile_seconds_7d:.1f} s" if s.median_compile_seconds_7d is not None else "-"
    )
    lines = [
        f"Chats: {s.chats_total} (active in 7 days {s.chats_active_7d}, blocked {s.chats_blocked})",
        f"Sessions with files: {s.sessions_with_files}",
        f"Uploads: {s.uploads_active} in sessions, {s.uploads_replaced} replaced; "
        f"{s.bytes_stored / 1024 / 1024:.1f} MB stored",
        f"Compiles: {s.compiles_24h} in 24 hours, {s.compiles_7d} in 7 days (median {median})",
        f"Database: {s.database_bytes / 1024 / 1024:.1f} MB, integrity {s.integrity}",
        f"Uptime: {_duration(uptime_seconds)}, version {version}",
    ]
    last = s.last_broadcast
    if last is None:
        lines.append("Last broadcast: none")
    else:
        state = "finished" if last.broadcast.finished_at else "under way"
        lines.append(
            f"Last broadcast: {last.broadcast.created_at:%Y-%m-%d %H:%M} UTC, {state}: "
            f"sent {last.count(DeliveryState.SENT)}, blocked {last.count(DeliveryState.BLOCKED)}, "
            f"failed {last.count(DeliveryState.FAILED)} of {last.total}"
        )
    return "\n".join(lines)


def _duration(seconds: float) -> str:
    days, rest = divmod(int(seconds), 86_400)
    hours, rest = divmod(rest, 3_600)
    return (f"{days} d " if days else "") + f"{hours} h {rest // 60} min"
