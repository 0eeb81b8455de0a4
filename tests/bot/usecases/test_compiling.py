"""`plan_compile`, `compile_chat` and `record_compile` over a real database and inline workers."""

from __future__ import annotations

import hashlib
import io

from openpyxl import load_workbook

from bot.usecases.backend import Backend
from bot.usecases.compiling import (
    PROGRESS_ROWS,
    CompiledSession,
    CompilePlan,
    CompileRefused,
    EmptySession,
    MaximumMissing,
    TooBigToCompile,
    chat_options,
    compile_chat,
    plan_compile,
    record_compile,
)
from bot.usecases.session import give_maximum
from bot.usecases.uploads import take_upload
from bot.workers import WorkerLimitExceeded
from compiler import LETTER_SCALES, MissingMaximum, UploadedFile
from storage import ChatSettings
from tests.bot.usecases.helpers import CHAT, TEACHER, Fetcher, incoming, refusing_writes, workers
from tests.support.classes import make_class


async def upload_all(backend: Backend, files: list[UploadedFile]) -> None:
    for update_id, file in enumerate(files, start=1):
        await take_upload(backend, incoming(file, update_id), Fetcher(file.data))


async def ready_plan(backend: Backend) -> CompilePlan:
    plan = await plan_compile(backend, CHAT)
    assert isinstance(plan, CompilePlan)
    return plan


async def test_an_empty_session_has_nothing_to_compile(backend: Backend) -> None:
    assert await plan_compile(backend, CHAT) == EmptySession()


async def test_a_test_without_its_maximum_is_asked_for_first_the_lowest(backend: Backend) -> None:
    await upload_all(backend, make_class("microsoft_forms", people=6, tests=2, seed=4).files)
    missing = await plan_compile(backend, CHAT)
    assert isinstance(missing, MaximumMissing) and missing.test == 1
    assert missing.summary.score_column == "Total points"  # the question names it
    await give_maximum(backend, CHAT, TEACHER, 1, 10.0)
    missing = await plan_compile(backend, CHAT)
    assert isinstance(missing, MaximumMissing) and missing.test == 2
    await give_maximum(backend, CHAT, TEACHER, 2, 12.0)
    plan = await ready_plan(backend)
    assert plan.tests == 2 and plan.settings.out_of == {1: 10.0, 2: 12.0}


async def test_a_session_compiles_in_a_worker_and_the_compile_is_recorded(
    backend: Backend,
) -> None:
    generated = make_class("google_forms", people=15, tests=3, seed=9)
    await upload_all(backend, generated.files)
    plan = await ready_plan(backend)
    assert (plan.tests, plan.settings) == (3, ChatSettings())
    compiled = await compile_chat(backend, CHAT, plan)
    assert isinstance(compiled, CompiledSession)
    assert workers(backend).jobs[-1] == "compile_session"
    report = compiled.result.report
    assert len(report.tests) == 3 and report.participants
    assert compiled.picture is not None and compiled.picture.startswith(b"\x89PNG")
    assert "Results" in load_workbook(io.BytesIO(compiled.result.workbook)).sheetnames
    stored = await backend.db.uploads.active(CHAT)
    assert compiled.upload_ids == tuple(u.id for u in stored)

    await record_compile(backend, CHAT, TEACHER, compiled)
    (record,) = await backend.db.compiles.recent(CHAT)
    assert record.upload_ids == compiled.upload_ids and record.actor_id == TEACHER
    assert record.participants == len(report.participants)
    assert record.output_sha256 == hashlib.sha256(compiled.result.workbook).hexdigest()


async def test_a_record_the_database_refuses_is_only_missed(backend: Backend) -> None:
    await upload_all(backend, make_class("surveyheart", people=5, tests=1, seed=2).files)
    compiled = await compile_chat(backend, CHAT, await ready_plan(backend))
    assert isinstance(compiled, CompiledSession)
    async with refusing_writes(backend.db):
        await record_compile(backend, CHAT, TEACHER, compiled)  # no exception: the workbook went
    assert await backend.db.compiles.recent(CHAT) == []


async def test_a_compile_the_compiler_refuses_carries_its_reason(backend: Backend) -> None:
    await upload_all(backend, make_class("surveyheart", people=5, tests=1, seed=2).files)
    plan = await ready_plan(backend)
    workers(backend).fail_with = MissingMaximum([1])
    refused = await compile_chat(backend, CHAT, plan)
    assert refused == CompileRefused(str(MissingMaximum([1])))
    workers(backend).fail_with = WorkerLimitExceeded("time")
    assert await compile_chat(backend, CHAT, plan) == TooBigToCompile()


def test_only_a_compile_of_many_rows_is_announced() -> None:
    assert not CompilePlan(ChatSettings(), 2, PROGRESS_ROWS).worth_announcing
    assert CompilePlan(ChatSettings(), 2, PROGRESS_ROWS + 1).worth_announcing


def test_a_chats_settings_become_the_compilers_options_unknown_names_falling_back() -> None:
    chosen = chat_options(
        ChatSettings(policy="average", duplicates="latest", pass_mark=60.0, out_of={2: 15.0})
    )
    assert (chosen.policy.name, chosen.policy.pass_mark) == ("average", 60.0)
    assert (chosen.duplicates, chosen.out_of) == ("latest", {2: 15.0})
    fallback = chat_options(ChatSettings(policy="gone", duplicates="gone"))
    assert (fallback.policy.name, fallback.duplicates) == ("classic", "best")


def test_a_chats_grading_reaches_the_compiler() -> None:
    chosen = chat_options(ChatSettings(weights={3: 2.0}, drop_lowest=1, letters="A=70,B=50,F=0"))
    assert (chosen.weights, chosen.drop_lowest) == ({3: 2.0}, 1)
    assert chosen.letters is not None and chosen.letters.spec == "A=70,B=50,F=0"
    assert chat_options(ChatSettings(letters="nigeria")).letters == LETTER_SCALES["nigeria"]
    assert chat_options(ChatSettings(letters="no such scale")).letters is None
    assert chat_options(ChatSettings()).letters is None
