"""What the bot says about a file and a session, built from the parse summaries."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot import texts
from compiler.model import ExportSummary, MaxSource, TestNumber
from storage import ChatSettings

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
    assert (
        lines[-1] == "Settings: policy average, repeated submissions: keep latest, pass mark 60%."
    )
    given = ChatSettings(out_of={4: 20.0})
    assert "Test 4: Test 3.xlsx - 68 participants - out of 20 (given by you)" in texts.status(
        [unknown], given
    )
