"""Who is who, over a real database and inline workers: the questions a compile raises, the
answers every later compile obeys, and the class roster a file becomes."""

from __future__ import annotations

from dataclasses import replace

from bot.usecases.backend import Backend
from bot.usecases.compiling import CompiledSession, CompilePlan, compile_chat, plan_compile
from bot.usecases.people import (
    MAX_ASKED,
    Questions,
    answer_question,
    answers,
    ask_about_look_alikes,
    chat_people,
    remove_roster,
    undo_answer,
)
from bot.usecases.session import reset_chat, session_status
from bot.usecases.uploads import RosterTaken, Unreadable, UploadResult, take_upload
from compiler import CompileReport, LookAlike, LookAlikeSide, UploadedFile
from storage import AnswerStatus, Verdict
from tests.bot.usecases.helpers import CHAT, TEACHER, Fetcher, incoming, refusing_writes, workers
from tests.support.look_alikes import (
    AMARA,
    AMARA_TYPO,
    KARI,
    KARI_TYPO,
    ROSTER,
    ROSTER_PEOPLE,
    TEST_1,
    TEST_2,
    TEST_2_WITHOUT_AMARA,
)


async def upload(
    backend: Backend, file: UploadedFile, update_id: int, caption: str | None = None
) -> UploadResult:
    return await take_upload(
        backend, incoming(file, update_id, caption=caption), Fetcher(file.data)
    )


async def compiled_report(backend: Backend) -> CompileReport:
    plan = await plan_compile(backend, CHAT)
    assert isinstance(plan, CompilePlan)
    compiled = await compile_chat(backend, CHAT, plan)
    assert isinstance(compiled, CompiledSession)
    return compiled.result.report


def names(report: CompileReport) -> list[str]:
    return sorted(p.name for p in report.participants)


async def asked_after_compile(backend: Backend) -> tuple[CompileReport, Questions]:
    report = await compiled_report(backend)
    return report, await ask_about_look_alikes(backend, CHAT, report)


def pair_names(questions: Questions) -> list[set[str]]:
    return [{q.pair.a.name, q.pair.b.name} for q in questions.asked]


async def test_a_compiles_look_alikes_are_asked_and_the_answers_obeyed_by_later_compiles(
    backend: Backend,
) -> None:
    await upload(backend, TEST_1, 1)
    await upload(backend, TEST_2, 2)
    report, questions = await asked_after_compile(backend)
    assert len(report.participants) == 5 and questions.more == 0
    assert sorted(map(sorted, pair_names(questions))) == [[AMARA_TYPO, AMARA], [KARI_TYPO, KARI]]
    amara, kari = sorted(questions.asked, key=lambda q: q.pair.a.name)

    first = await answer_question(backend, CHAT, amara.question_id, Verdict.SAME, TEACHER)
    assert (first.status, first.open_left) == (AnswerStatus.STORED, 1)
    last = await answer_question(backend, CHAT, kari.question_id, Verdict.DIFFERENT, TEACHER)
    assert (last.status, last.open_left) == (AnswerStatus.STORED, 0)
    people = await chat_people(backend, CHAT)
    assert {(d.a, d.b, d.same) for d in people.decisions} == {
        (*amara.pair.handles, True),
        (*kari.pair.handles, False),
    }

    report, questions = await asked_after_compile(backend)
    assert len(report.participants) == 4  # the two Amaras are one
    assert report.decisions_applied == 2
    assert questions == Questions((), 0)  # the different pair is not asked again


async def test_a_second_press_finds_the_first_answer_and_an_undone_one_is_asked_again(
    backend: Backend,
) -> None:
    await upload(backend, TEST_1, 1)
    await upload(backend, TEST_2, 2)
    _, questions = await asked_after_compile(backend)
    question = questions.asked[0]
    await answer_question(backend, CHAT, question.question_id, Verdict.DIFFERENT, TEACHER)

    again = await answer_question(backend, CHAT, question.question_id, Verdict.SAME, TEACHER)
    assert again.status is AnswerStatus.ALREADY_DECIDED
    assert again.question is not None and again.question.verdict is Verdict.DIFFERENT
    [kept] = await answers(backend, CHAT)
    assert await undo_answer(backend, CHAT, kept.id, TEACHER) is not None
    assert await undo_answer(backend, CHAT, kept.id, TEACHER) is None
    _, asked = await asked_after_compile(backend)
    assert {question.pair.a.name, question.pair.b.name} in pair_names(asked)


async def test_a_question_whose_pair_left_the_files_stores_no_answer(backend: Backend) -> None:
    await upload(backend, TEST_1, 1)
    await upload(backend, TEST_2, 2)
    _, questions = await asked_after_compile(backend)
    [amara] = [q for q in questions.asked if AMARA in {q.pair.a.name, q.pair.b.name}]
    await upload(backend, TEST_2_WITHOUT_AMARA, 3, caption="Test 2")  # replaces test 2
    _, now = await asked_after_compile(backend)
    assert pair_names(now) == [{KARI, KARI_TYPO}]

    late = await answer_question(backend, CHAT, amara.question_id, Verdict.SAME, TEACHER)
    assert late.status is AnswerStatus.GONE and await answers(backend, CHAT) == []


def look_alike(number: int) -> LookAlike:
    def side(name: str) -> LookAlikeSide:
        return LookAlikeSide(name, name, (name,), (), (1,))

    return LookAlike(side(f"Pupil {number} A"), side(f"Pupil {number} B"), "reason", "why")


async def test_at_most_ten_are_asked_most_likely_first_and_the_rest_counted(
    backend: Backend,
) -> None:
    report = await compiled_report_of_pairs(backend, 13)
    questions = await ask_about_look_alikes(backend, CHAT, report)
    assert len(questions.asked) == MAX_ASKED and questions.more == 3
    assert [q.pair for q in questions.asked] == list(report.possible_same_person[:MAX_ASKED])
    assert len({q.question_id for q in questions.asked}) == MAX_ASKED


async def compiled_report_of_pairs(backend: Backend, count: int) -> CompileReport:
    await upload(backend, TEST_1, 1)
    report = await compiled_report(backend)
    return replace(report, possible_same_person=tuple(look_alike(n) for n in range(count)))


async def test_a_database_refusing_writes_asks_nothing(backend: Backend) -> None:
    report = await compiled_report_of_pairs(backend, 2)
    async with refusing_writes(backend.db):
        assert await ask_about_look_alikes(backend, CHAT, report) == Questions((), 0)


async def test_a_file_captioned_roster_becomes_the_roster_and_the_compile_has_its_people(
    backend: Backend,
) -> None:
    await upload(backend, TEST_1, 1)
    await upload(backend, TEST_2, 2)
    taken = await upload(backend, ROSTER, 3, caption="  Roster ")
    assert taken == RosterTaken(ROSTER.name, 4, 1, replaced=None, detected=False)
    assert workers(backend).jobs[-1] == "read_roster"
    assert len(await backend.db.uploads.active(CHAT)) == 2  # not a test

    report = await compiled_report(backend)
    assert names(report) == sorted(ROSTER_PEOPLE)  # one row per roster person
    assert report.roster is not None and (report.roster.people, report.roster.present) == (4, 3)
    status = await session_status(backend, CHAT)
    assert status.roster is not None and status.roster.file_name == ROSTER.name

    again = await upload(backend, ROSTER, 4, caption="roster")
    assert isinstance(again, RosterTaken) and again.replaced == ROSTER.name
    removed = await remove_roster(backend, CHAT, TEACHER)
    assert removed is not None and await remove_roster(backend, CHAT, TEACHER) is None
    assert len((await compiled_report(backend)).participants) == 5


async def test_a_file_without_a_score_column_is_kept_as_the_roster_unless_captioned_a_test(
    backend: Backend,
) -> None:
    detected = await upload(backend, ROSTER, 1)
    assert detected == RosterTaken(ROSTER.name, 4, 1, replaced=None, detected=True)
    assert workers(backend).jobs == ["inspect_file", "read_roster"]

    refused = await upload(backend, replace(ROSTER, name="Quiz 4.csv"), 2, caption="Test 4")
    assert isinstance(refused, Unreadable) and "no column looks like a score" in refused.reason
    assert await backend.db.uploads.active(CHAT) == []


async def test_a_roster_naming_nobody_is_refused_with_the_compilers_reason(
    backend: Backend,
) -> None:
    scored = await upload(backend, TEST_1, 1, caption="roster")  # its scores are ignored
    assert isinstance(scored, RosterTaken) and scored.people == 3
    nobody = UploadedFile("notes.csv", b"Colour,Size\r\nred,3\r\nblue,4\r\n")
    result = await upload(backend, nobody, 2, caption="roster")
    assert isinstance(result, Unreadable) and result.reason.startswith("notes.csv: ")
    assert (await session_status(backend, CHAT)).roster is not None  # the earlier one stays


async def test_reset_takes_the_roster_and_the_answers(backend: Backend) -> None:
    await upload(backend, TEST_1, 1)
    await upload(backend, TEST_2, 2)
    await upload(backend, ROSTER, 3, caption="roster")
    report = await compiled_report(backend)
    questions = await ask_about_look_alikes(
        backend, CHAT, replace(report, possible_same_person=(look_alike(1),))
    )
    await answer_question(backend, CHAT, questions.asked[0].question_id, Verdict.SAME, TEACHER)

    removal = await reset_chat(backend, CHAT, TEACHER)

    assert (removal.uploads, removal.decisions, removal.roster) == (2, 1, True)
    status = await session_status(backend, CHAT)
    assert (status.roster, status.answers) == (None, 0)
