"""What the bot says about a file and a session, built from the parse summaries; and that
every sentence it says comes from bot/texts.py."""

from __future__ import annotations

import ast
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import texts
from bot.usecases.changes import Changes
from bot.usecases.uploads import (
    AlreadyHeld,
    NoRoom,
    NotSaved,
    TooBig,
    TooComplex,
    Unreadable,
    UploadRefused,
)
from compiler import LookAlike, LookAlikeSide
from compiler.model import ExportSummary, MaxSource, TestNumber
from storage import ChatSettings, PeopleQuestion, QuestionState, Removal, RosterInfo, Verdict
from tests.support import sample_reports

NOW = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)

SUMMARY = ExportSummary(
    file_name="Test 3.xlsx",
    test=TestNumber(3, "from the file name"),
    platform="SurveyHeart/Quizzory",
    score_column="Total Marks (17)",
    out_of=17.0,
    max_source=str(MaxSource.HEADER),
    participants=68,
    rows_read=70,
    rows_rejected=0,
    repeated_submissions=1,
    invalid_emails=1,
    no_scores=0,
    needs_maximum=False,
)


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({}, 'score "Total Marks (17)" out of 17, scaled to %'),
        ({"out_of": 100.0, "max_source": str(MaxSource.PERCENT)}, "already in %"),
        ({"out_of": None, "max_source": str(MaxSource.UNKNOWN), "needs_maximum": True},
         "needs its maximum"),
    ],
)  # fmt: skip
def test_the_acknowledgement_says_how_the_score_becomes_a_percentage(
    changes: dict[str, object], said: str
) -> None:
    text = texts.upload_understood(replace(SUMMARY, **changes))  # type: ignore[arg-type]
    assert text.startswith("Test 3 (from the file name, SurveyHeart/Quizzory): 68 participants")
    assert said in text
    assert "1 repeated submission" in text and "1 invalid e-mail kept by name" in text


def test_status_lists_tests_gaps_maxima_and_settings() -> None:
    unknown = replace(
        SUMMARY, test=TestNumber(4, "from the label"), needs_maximum=True, out_of=None
    )
    settings = ChatSettings(policy="average", duplicates="latest", pass_mark=60.0)
    text = texts.status([unknown, replace(SUMMARY, test=TestNumber(1, "x"))], settings)
    lines = text.splitlines()
    assert lines[0] == "2 tests in this chat:"
    assert lines[1].startswith("Test 1: Test 3.xlsx - 68 participants - 2 warnings")
    assert lines[2].endswith("needs its maximum (/compile asks for it) - 2 warnings")
    assert "Missing: test 2, test 3." in text
    assert lines[-1] == (
        "Settings: policy average, repeated submissions: keep latest, pass mark 60%, "
        "drop the lowest: nothing, letter grades: none."
    )
    graded = replace(settings, weights={3: 2.0, 1: 0.5}, drop_lowest=2, letters="uk")
    lines = texts.status([unknown], graded).splitlines()
    assert lines[-2].endswith(
        "drop the lowest: 2 results per person, letter grades: UK degree classes on 70/60/50/40."
    )
    assert lines[-1] == "Weights given by you: test 1 = 0.5, test 3 = 2 (/weights shows them all)."
    given = ChatSettings(out_of={4: 20.0})
    assert "Test 4: Test 3.xlsx - 68 participants - out of 20 (given by you)" in texts.status(
        [unknown], given
    )


@pytest.mark.parametrize(
    ("result", "said"),
    [
        (AlreadyHeld("a.xlsx", (2,)), "I already have a.xlsx: it is test 2. Nothing changed."),
        (TooBig("a.xlsx", 3 * 1024 * 1024, 2.5),
         "a.xlsx is 3.0 MB; I can take files up to 2.5 MB. Keep only the results sheet, "
         "or save it as .csv, and send it again."),
        (Unreadable("a.xlsx", "a.xlsx: no results."),
         "a.xlsx: no results.\nI kept nothing from this file."),
        (TooComplex("a.xlsx"),
         "a.xlsx: this file is too big or too complex for me to read. Open it, keep only the "
         "results sheet, save it as .xlsx and send it again. I kept nothing from this file."),
        (NoRoom("a.xlsx", "This chat already has 30 files."),
         "a.xlsx: This chat already has 30 files."),
        (NotSaved("a.xlsx"), f"a.xlsx: {texts.NOT_SAVED}"),
    ],
)  # fmt: skip
def test_each_way_a_file_is_not_taken_has_its_sentence(
    result: AlreadyHeld | UploadRefused, said: str
) -> None:
    assert texts.upload_not_taken(result) == said


# Calls that put text in front of a person, and the arguments that carry it.
SPEAKING = {"reply_text", "edit_message_text", "answer", "send_message", "edit_text"}
SPEAKING_KEYWORDS = {"text", "caption", "filename"}


def literal_speech(path: Path) -> list[str]:
    """Where a module hands a person text written in place rather than taken from `texts`."""
    found: list[int] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else None
        if isinstance(node.func, ast.Name):
            name = node.func.id
        if name in SPEAKING or name == "InlineKeyboardButton":
            said = node.args[:1] if name == "InlineKeyboardButton" else node.args
            said += [k.value for k in node.keywords if k.arg in SPEAKING_KEYWORDS]
            for arg in said:
                if any(
                    isinstance(part, ast.JoinedStr)
                    or (isinstance(part, ast.Constant) and isinstance(part.value, str))
                    for part in ast.walk(arg)
                ):
                    found.append(node.lineno)
    return [f"{path.name}:{line}" for line in sorted(found)]


def test_every_sentence_the_bot_says_comes_from_texts() -> None:
    bot = Path(__file__).resolve().parents[2] / "bot"
    modules = [p for p in bot.rglob("*.py") if p.name != "texts.py"]
    assert len(modules) > 10
    assert [where for path in modules for where in literal_speech(path)] == []


def test_the_speech_check_sees_literals(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        "async def f(message, n):\n"
        "    await message.reply_text(f'{n} files')\n"
        "    await message.reply_text(texts.SAVED, reply_markup=None)\n"
        "    InlineKeyboardButton('Yes', callback_data='reset:yes')\n"
        "    await bot.send_message(1, 'hello' + texts.SAVED)\n"
    )
    assert literal_speech(probe) == ["probe.py:2", "probe.py:4", "probe.py:5"]


def test_a_gradebook_column_is_named_without_its_notation() -> None:
    assert texts._column_name("Total [Total Pts: up to 85 Score] |51759") == "Total"
    assert texts._column_name("Quiz 1 Points Grade <Numeric MaxPoints:5>") == "Quiz 1 Points Grade"
    assert texts._column_name("Course total (Real)") == "Course total"
    assert texts._column_name("[CO~1] Outcome") == "[CO~1] Outcome"


def test_what_changed_names_three_then_counts() -> None:
    changes = Changes(
        added=1,
        gone=2,
        now_passing=("Ada",),
        now_failing=("Bo", "Cy", "Di", "Ed", "Fe"),
        tests_added=(),
        tests_replaced=(2, 4),
        tests_removed=(5,),
        settings=("drop_lowest", "letters"),
    )
    assert texts.what_changed(changes) == (
        "Since the last compile: 1 person added; 2 people gone; now PASS: Ada; "
        "now FAIL: Bo, Cy, Di and 2 more; tests 2 and 4 replaced; test 5 removed; "
        "settings changed: drop, letter scale."
    )
    nothing = Changes(0, 0, (), (), (), (), (), ())
    assert texts.what_changed(nothing) == "Since the last compile: nothing moved."


def test_a_look_alike_question_shows_both_people_their_e_mails_and_tests() -> None:
    spellings = ("Amara Okonkwa-Test", "AMARA  OKONKWA-TEST\n")
    pair = LookAlike(
        LookAlikeSide("Amara Okonkwo-Test", "Amara Okonkwo-Test", spellings[:0], (), (1,)),
        LookAlikeSide("amara@example.org", spellings[0], spellings, ("amara@example.org",), (2, 3)),
        "names one letter apart",
        "names one letter apart; only one has an e-mail; never in the same test",
    )
    compiled = replace(sample_reports.report([], (1, 2, 3)), titles={2: "Quiz 1"})
    text = texts.look_alike_question(pair, 2, 3, compiled)
    assert text.splitlines() == [
        "Same person? (2 of 3)",
        "1) Amara Okonkwo-Test",
        "   no e-mail; Test 1",
        "2) Amara Okonkwa-Test (also written AMARA OKONKWA-TEST)",
        "   amara@example.org; Test 2 · Quiz 1 and Test 3",
        "Why I ask: names one letter apart; only one has an e-mail; never in the same test.",
    ]
    question = PeopleQuestion(
        7, 1, "a", "b", "A", "B", QuestionState.DECIDED, Verdict.SAME, NOW, NOW
    )
    answered = texts.question_answered(text, question)
    assert answered == text + "\n\n✔ Same person"
    assert texts.question_answered(answered, question) == answered  # never piles up
    assert texts.question_gone(answered, None).startswith(text + "\n\nI no longer have")


def test_status_and_reset_name_the_roster_and_the_answers() -> None:
    roster = RosterInfo(1, "Class 9B.xlsx", 31, 29, NOW, None)
    assert texts.status([], ChatSettings(), roster, 3).splitlines()[1:] == [
        "Roster: Class 9B.xlsx, 31 people (29 with an e-mail or id) (/remove roster drops it).",
        "Your answers about people: 3 in force (/people lists them).",
    ]
    assert texts.status([SUMMARY], ChatSettings()).count("Roster") == 0
    assert texts.reset_done(Removal(2, 10, decisions=3, roster=True)) == (
        "Done: 2 files, the roster and 3 answers about people deleted. "
        "Send new files to start again."
    )
    assert (
        texts.reset_done(Removal(1, 10)) == "Done: 1 file deleted. Send new files to start again."
    )
