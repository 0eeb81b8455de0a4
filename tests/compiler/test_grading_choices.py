"""Weights, dropped results and letters through the whole compile, against the reference; and
"compare before choosing": how many pass under each policy."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler import (
    LETTER_SCALES,
    POLICIES,
    CompileOptions,
    NumberedFile,
    PolicyCount,
    TestNumber,
    UploadedFile,
    compare_numbered,
    compare_policies,
    compile_files,
)
from compiler.model import Policy
from compiler.pipeline import read_files
from tests.support.grading_reference import reference_final

OUT_OF = 20

Marks = list[list[int | None]]  # per person, per test: marks out of 20, None when absent


def _csv(column: list[int | None]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Name", "Email", f"Score (out of {OUT_OF})"])
    for person, marks in enumerate(column):
        if marks is not None:
            writer.writerow([f"Person {person:02d}-Test", f"p{person}@example.test", marks])
    return out.getvalue().encode("utf-8")


def files_of(marks: Marks, tests: int) -> list[UploadedFile]:
    return [
        UploadedFile(f"Test {t + 1}.csv", _csv([person[t] for person in marks]))
        for t in range(tests)
    ]


@st.composite
def classes(draw: st.DrawFn) -> tuple[Marks, list[float], int]:
    tests = draw(st.integers(1, 4))
    mark = st.none() | st.integers(0, OUT_OF) | st.sampled_from([10, 14])  # ties are common
    marks = draw(st.lists(st.lists(mark, min_size=tests, max_size=tests), min_size=1, max_size=14))
    for test in range(tests):  # a file without a result is refused: each test has one
        if all(person[test] is None for person in marks):
            marks[draw(st.integers(0, len(marks) - 1))][test] = draw(st.integers(0, OUT_OF))
    weights = draw(
        st.lists(st.sampled_from([0.0, 1.0, 1.0, 2.0, 2.5, 33.333]), min_size=tests, max_size=tests)
    )
    if not any(weights):
        weights[0] = 1.0
    return marks, weights, draw(st.integers(0, 3))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(classes(), st.sampled_from(list(POLICIES.values())), st.sampled_from([40.0, 47.5, 50.0]))
def test_every_final_average_equals_the_reference(
    drawn: tuple[Marks, list[float], int], policy: Policy, pass_mark: float
) -> None:
    marks, weights, drop = drawn
    tests = len(weights)
    options = CompileOptions(
        policy=replace(policy, pass_mark=pass_mark),
        weights={t + 1: w for t, w in enumerate(weights)},
        drop_lowest=drop,
        letters=LETTER_SCALES["nigeria"],
    )
    report = compile_files(files_of(marks, tests), options).report
    by_email = {p.email: p for p in report.participants}
    for person, row in enumerate(marks):
        if all(m is None for m in row):
            assert f"p{person}@example.test" not in by_email  # in no file, in no row
            continue
        got = by_email[f"p{person}@example.test"]
        scores = [None if m is None else m * 100 / OUT_OF for m in row]
        expected, dropped = reference_final(scores, weights, policy, drop)
        assert got.final_average == float(expected)
        assert set(got.dropped) == {t + 1 for t in dropped}
        assert got.passed == (expected >= pass_mark)
        assert got.letter == LETTER_SCALES["nigeria"].letter_of(float(expected))
    counts = compare_policies(read_files(files_of(marks, tests))[0], options)
    chosen = next(c for c in counts if c.policy == policy.name)
    assert (chosen.passed, chosen.failed) == (report.passed, report.failed)


def test_compare_policies_counts_each_policy_as_a_compile_would() -> None:
    marks: Marks = [[20, None, 10], [8, 8, None], [None, None, 20], [12, 11, 9]]
    files = files_of(marks, 3)
    options = CompileOptions(policy=replace(POLICIES["strict"], pass_mark=45.0), drop_lowest=1)
    counts = compare_policies(read_files(files)[0], options)
    assert [c.policy for c in counts] == list(POLICIES)
    for count in counts:
        policy = replace(POLICIES[count.policy], pass_mark=45.0)
        report = compile_files(files, replace(options, policy=policy)).report
        assert count == PolicyCount(count.policy, report.passed, report.failed)
    assert counts[0] == ("classic", counts[0].passed, counts[0].failed)  # a plain tuple too


def test_compare_numbered_reads_a_sessions_files() -> None:
    marks: Marks = [[20, None], [8, 8], [None, 20]]
    numbered = [
        NumberedFile(file, ((None, TestNumber(n, "from the label")),))
        for n, file in enumerate(files_of(marks, 2), start=1)
    ]
    options = CompileOptions(policy=POLICIES["average"], weights={2: 3.0})
    # average: 100 | (40 + 3 x 40) / 4 = 40 | 100 -> 2 pass; strict: 100 x 1/4 = 25, 40, 75
    assert compare_numbered(numbered, options) == [
        PolicyCount("classic", 2, 1),
        PolicyCount("average", 2, 1),
        PolicyCount("strict", 1, 2),
    ]
