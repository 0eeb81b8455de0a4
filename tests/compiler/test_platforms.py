"""Real layouts: every corpus file (tests/fixtures/platforms, see SOURCES.md there) reads to the
reading stated by hand beside it, or is refused naming the column, and gradebooks give one
test per graded item with the maximum their headers state."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler import CompileOptions, UploadedFile, compile_files, policy_named
from compiler.errors import NoResultsFound
from compiler.model import MaxSource
from compiler.understand.intake import read_exports
from tests.support.platform_corpus import CORPUS, corpus_files, judge

FILES = corpus_files()


def upload(relative: str) -> UploadedFile:
    path = CORPUS / relative
    return UploadedFile(name=path.name, data=path.read_bytes())


def test_the_corpus_covers_every_platform() -> None:
    folders = {path.parent.name for path in FILES}
    assert folders == {
        "blackboard", "canvas", "d2l", "google_forms", "handmade", "kahoot",
        "microsoft_forms", "moodle", "surveyheart",
    }  # fmt: skip


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_real_layout_reads_as_stated_or_is_refused_naming_the_column(path: Path) -> None:
    verdict = judge(path)
    assert verdict.outcome in ("right", "refused rightly"), verdict.why
    assert verdict.cells_right == verdict.cells


def test_a_blackboard_gradebook_is_one_test_per_item_with_its_stated_maximum() -> None:
    exports = read_exports(upload("blackboard/gc_BIO101-2026S_fullgc_2026-03-02-10-15-00.csv"))
    assert [(e.title, e.out_of, str(e.max_source)) for e in exports] == [
        ("Quiz 1", 10.0, str(MaxSource.HEADER)),
        ("Quiz 2", 15.0, str(MaxSource.HEADER)),
        ("Practical 1", 100.0, str(MaxSource.PERCENT)),
        ("Midterm", 40.0, str(MaxSource.HEADER)),
    ]
    skipped = {c.header.split(" [")[0]: c.why for c in exports[0].skipped}
    assert skipped["Weighted Total"] == "a running total"
    assert skipped["Total"] == "a running total"
    assert "no one has a score" in skipped["Absences"]
    assert "'Signed'" in skipped["Lab Safety Form"]
    assert skipped["Overall Grade"] == "a running total"
    assert exports[0].layout_name == "Blackboard Grade Center"


def test_d2l_items_keep_their_weight_and_category() -> None:
    name = "d2l/BIO 110 - Spring 2026_GradesExport_2026-03-04-16-55.csv"
    exports = read_exports(upload(name))
    assert [(e.title, e.out_of, e.weight, e.category, e.category_weight) for e in exports] == [
        ("Quiz 1", 5.0, 33.333333333, "Quizzes", 20.0),
        ("Quiz 2", 10.0, 66.666666667, "Quizzes", 20.0),
        ("Lab Practical", 25.0, 100.0, "Labs", 30.0),
        ("Midterm Exam", 50.0, 100.0, "Exams", 50.0),
    ]
    # The Demo Student is left out, and ids tell people apart.
    assert all(
        s.person_id and s.person_id.startswith("D2L/Brightspace ") for s in exports[0].submissions
    )
    assert not any("demo" in (s.name or "").casefold() for s in exports[0].submissions)


def test_a_file_with_no_scores_yet_is_refused_naming_the_column_and_why() -> None:
    with pytest.raises(NoResultsFound) as refused:
        read_exports(upload("moodle/Grades-BIO101-Essay 1-4822.csv"))
    message = str(refused.value)
    assert "Grades-BIO101-Essay 1-4822.csv" in message
    assert "'Grade': no one has a score in it" in message
    assert "once they are entered" in message


def test_a_letters_only_export_is_refused_saying_it_holds_no_points() -> None:
    with pytest.raises(NoResultsFound) as refused:
        read_exports(upload("d2l/CHEM 100 - Spring 2026_GradesExport_2026-02-20-11-05.csv"))
    assert "'Lab Practical Scheme Symbol': a grade-scheme symbol, not points" in str(refused.value)


def test_kahoot_is_correct_answers_out_of_the_questions_played() -> None:
    (export,) = read_exports(upload("kahoot/World Capitals Marathon.xlsx"))
    assert (export.columns.score, export.out_of) == ("Correct Answers", 4.0)
    assert export.max_source is MaxSource.QUESTIONS_PLAYED
    assert not export.needs_maximum


def test_a_gradebook_compiles_with_titled_columns_and_its_skipped_columns_listed() -> None:
    files = [upload("canvas/2026-03-02T1015_Grades-BIO_101_A.csv")]
    result = compile_files(files, CompileOptions(policy=policy_named("average")))
    header = result.report.results_header()
    assert header[2:6] == [
        "Test 1 · Quiz 1",
        "Test 2 · Quiz 2",
        "Test 3 · Reading Response 1",
        "Test 4 · Midterm Exam",
    ]
    assert len(result.report.participants) == 6  # the Test Student left out
    skipped = result.report.sources[0].skipped
    assert any(c.header == "Lab Notebook Check (120447)" for c in skipped)
    assert any(c.header == "Final Score" for c in skipped)
