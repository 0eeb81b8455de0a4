"""From people to results: one percentage per person and test, graded as shown."""

from __future__ import annotations

from typing import Any, cast

import pytest

from compiler import pipeline as api
from compiler.grade import policies as grading
from compiler.grade import results
from compiler.identify.identity import resolve_identities
from compiler.model import (
    ColumnChoice,
    CompileOptions,
    Export,
    MaxSource,
    Platform,
    Submission,
    TestNumber,
)

OPTIONS = CompileOptions(policy=grading.CLASSIC)


def numbered(test: int, rows: list[tuple[str, float | None]]) -> api.NumberedExport:
    """An export out of 10 whose rows (from row 2) are (e-mail, points)."""
    submissions = tuple(
        Submission(row=row, name=None, email=email, points=points)
        for row, (email, points) in enumerate(rows, start=2)
    )
    export = Export(
        file_name=f"Test {test}.xlsx",
        sha256="",
        platform=Platform.GENERIC,
        sheet=None,
        header_row=1,
        columns=ColumnChoice(),
        out_of=10.0,
        max_source=MaxSource.HEADER,
        submissions=submissions,
        rows_read=len(rows),
        rows_rejected=0,
    )
    return api.NumberedExport(TestNumber(test, "given"), export)


def choose(
    exports: list[api.NumberedExport], options: CompileOptions = OPTIONS
) -> tuple[list[dict[int, float | None]], list[str]]:
    identities = resolve_identities([(n.test.number, n.export) for n in exports])
    maxima = results.test_maxima(exports, options)
    percents, problems = results.choose_submissions(exports, identities, maxima, options)
    return percents, [f"{p.row}: {p.found} / {p.action}" for p in problems]


def test_one_submission_each_is_taken_as_it_is() -> None:
    percents, problems = choose(
        [numbered(1, [("a@x.org", 7.0), ("b@x.org", None)]), numbered(2, [("b@x.org", 5.0)])]
    )
    assert percents == [{1: 70.0}, {1: None, 2: 50.0}]
    assert problems == []


def test_repeats_are_chosen_and_reported_in_order_of_first_appearance() -> None:
    _, problems = choose(
        [
            numbered(
                1,
                [("b@x.org", 4.0), ("a@x.org", 6.0), ("a@x.org", 9.0), ("b@x.org", 5.0)],
            )
        ]
    )
    assert problems == [
        "2: another submission for test 1 (40.0%, row 2) / kept the best one (50.0%, row 5)",
        "3: another submission for test 1 (60.0%, row 3) / kept the best one (90.0%, row 4)",
    ]


def test_an_unknown_repeat_rule_is_refused_even_without_repeats() -> None:
    options = CompileOptions(policy=grading.CLASSIC, duplicates=cast(Any, "middle"))
    with pytest.raises(ValueError, match="unknown duplicate rule 'middle'"):
        choose([numbered(1, [("a@x.org", 7.0)])], options)


def test_scores_are_shown_and_graded_to_one_decimal_keeping_the_sign_of_zero() -> None:
    exports = [numbered(1, [("a@x.org", 7.0), ("b@x.org", 0.0), ("c@x.org", 6.666)])]
    identities = resolve_identities([(1, exports[0].export)])
    percents: list[dict[int, float | None]] = [{1: 0.0}, {1: -0.0}, {1: 66.66}]
    graded = results.grade_participants(identities, percents, (1,), OPTIONS)
    shown = [cast(float, r.scores[1]) for r in graded]
    assert [repr(s) for s in shown] == ["0.0", "-0.0", "66.7"]
    assert [r.final_average for r in graded] == [
        grading.grade({1: s}, [1], grading.CLASSIC).final_average for s in shown
    ]
