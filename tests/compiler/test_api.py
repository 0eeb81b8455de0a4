"""The public API's housekeeping: the cycle collector is paused for a compile, then restored."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from compiler import pipeline as api
from compiler.errors import NoResultsFound
from compiler.grade import policies as grading
from compiler.model import CompileOptions, UploadedFile
from tests.support.classes import make_class
from tests.support.exports.files import csv_bytes

OPTIONS = CompileOptions(policy=grading.POLICIES["classic"])


@pytest.fixture
def collector_running() -> Iterator[None]:
    was_running = gc.isenabled()
    gc.enable()
    yield
    if not was_running:
        gc.disable()


@pytest.mark.usefixtures("collector_running")
def test_the_collector_is_paused_inside_and_running_after() -> None:
    with api.collector_paused():
        assert not gc.isenabled()
        with api.collector_paused():  # nested: the inner one leaves it paused
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_running")
def test_a_compile_leaves_the_collector_running() -> None:
    generated = make_class("surveyheart", people=20, tests=2, seed=1)
    result = api.compile_files(generated.files, OPTIONS)
    assert len(result.report.participants) >= 18
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_running")
def test_a_refused_compile_leaves_the_collector_running() -> None:
    ungraded = csv_bytes([["Name", "Email", "Score"], ["Esi V", "esi@example.test", ""]])
    with pytest.raises(NoResultsFound, match="'Score': no one has a score"):
        api.compile_files([UploadedFile("ungraded.csv", ungraded)], OPTIONS)
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    was_running = gc.isenabled()
    gc.disable()
    try:
        with api.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        if was_running:
            gc.enable()
