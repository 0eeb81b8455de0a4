"""A chat's grading: the weights a teacher gives its tests, the results dropped, the letter
scale, a typed pass mark; and how many would pass under each policy before choosing."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass

from bot.jobs import compare_session
from bot.usecases.backend import Backend
from bot.usecases.compiling import CompilePlan, CompileRefused, TooBigToCompile, run_session_job
from bot.usecases.people import chat_people
from bot.usecases.session import session_summaries
from compiler import (
    LETTER_SCALES,
    CompilerError,
    LetterScale,
    PolicyCount,
    TestWeight,
    letter_scale,
    summary_weights,
)
from storage import NO_LETTERS, ChatSettings

log = logging.getLogger(__name__)
MAX_WEIGHT = 1_000_000.0  # the compiler's own limit
MAX_TEST = 999


@dataclass(frozen=True, slots=True)
class Weights:
    """Each test of the session's weight and where it came from; the weights given for tests
    the session does not hold (kept for when their file comes)."""

    tests: tuple[TestWeight, ...]
    waiting: Mapping[int, float]


@dataclass(frozen=True, slots=True)
class WeightsRefused:
    """The weights were not kept; `reason` is the compiler's sentence for the person."""

    reason: str


def parse_weights(args: list[str]) -> dict[int, float] | None:
    """`["1=1", "2=0.5", "3=2"]` -> {1: 1.0, 2: 0.5, 3: 2.0}; None for anything else (a test
    number outside 1-999, a weight not a number from 0 to a million, a test named twice)."""
    weights: dict[int, float] = {}
    for arg in args:
        test, sep, weight = arg.partition("=")
        test, weight = test.strip(), weight.strip().replace(",", ".")
        if not sep or not test.isascii() or not test.isdecimal() or len(test) > 3:
            return None
        try:
            value = float(weight)
        except ValueError:
            return None
        number = int(test)
        if not 1 <= number <= MAX_TEST or number in weights:
            return None
        if not math.isfinite(value) or not 0 <= value <= MAX_WEIGHT:
            return None
        weights[number] = value + 0.0
    return weights or None


async def show_weights(backend: Backend, chat_id: int) -> Weights | WeightsRefused:
    """The weights in force for the session's tests."""
    settings = await backend.db.chats.get_settings(chat_id)
    return await _weights(backend, chat_id, settings.weights)


async def set_weights(
    backend: Backend, chat_id: int, actor_id: int | None, weights: Mapping[int, float]
) -> Weights | WeightsRefused:
    """Keep the weights given (others stay), unless every test of the session would weigh 0."""
    settings = await backend.db.chats.get_settings(chat_id)
    shown = await _weights(backend, chat_id, {**settings.weights, **weights})
    if isinstance(shown, Weights):
        await backend.db.chats.update_settings(chat_id, actor_id, weights=dict(weights))
    return shown


async def clear_weights(
    backend: Backend, chat_id: int, actor_id: int | None
) -> Weights | WeightsRefused:
    """Forget every weight given: the files' own weights, else 1, apply again."""
    await backend.db.chats.update_settings(chat_id, actor_id, clear_weights=True)
    return await _weights(backend, chat_id, {})


async def _weights(
    backend: Backend, chat_id: int, given: Mapping[int, float]
) -> Weights | WeightsRefused:
    summaries = await session_summaries(backend, chat_id)
    try:
        tests = summary_weights(summaries, given)
    except CompilerError as exc:
        return WeightsRefused(str(exc))
    held = {s.test.number for s in summaries}
    return Weights(tests, {t: w for t, w in sorted(given.items()) if t not in held})


async def compare_policies_now(
    backend: Backend, chat_id: int, settings: ChatSettings
) -> list[PolicyCount] | None:
    """How many pass under each policy with the chat's grading, for its current files; None
    when the session is empty, a maximum is missing, or the files cannot be compiled now."""
    summaries = await session_summaries(backend, chat_id)
    if not summaries:
        return None
    if any(s.needs_maximum and s.test.number not in settings.out_of for s in summaries):
        return None
    rows = sum(s.rows_read for s in summaries)
    plan = CompilePlan(settings, len(summaries), rows, await chat_people(backend, chat_id))
    stored = await backend.db.uploads.load_files(chat_id)
    done = await run_session_job(backend, compare_session, stored, plan)
    if isinstance(done, CompileRefused | TooBigToCompile):
        log.info("compare chat=%s not done: %s", chat_id, type(done).__name__)
        return None
    return done


@dataclass(frozen=True, slots=True)
class LettersRefused:
    """The scale was not kept; `reason` says what to write instead."""

    reason: str


async def set_letters(
    backend: Backend, chat_id: int, actor_id: int | None, text: str
) -> LetterScale | LettersRefused | None:
    """Keep the chat's letter scale: a preset's name, a scale of one's own (`A=70,...,F=0`),
    or `none`; the scale kept (None for none), or why it was not."""
    if text.strip().lower() == "none":
        await backend.db.chats.update_settings(chat_id, actor_id, letters=NO_LETTERS)
        return None
    try:
        scale = letter_scale(text)
    except CompilerError as exc:
        return LettersRefused(str(exc))
    kept = scale.spec if scale.name not in LETTER_SCALES else scale.name
    await backend.db.chats.update_settings(chat_id, actor_id, letters=kept)
    return scale
