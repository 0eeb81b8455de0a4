"""The output workbook, read back with openpyxl: layout, values, colours, safety, limits."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from compiler.grade.letters import LETTER_SCALES
from compiler.model import CompileReport, Problem, SkippedColumn
from compiler.model import TestStats as StatsRow  # "Test*" names would be collected
from compiler.write.styles import EXCEL_MAX_TEXT, TRUNCATION_MARK, excel_text
from compiler.write.summary_sheet import final_average_bins
from compiler.write.workbook import (
    SAME_PERSON_ACTION,
    SHEET_NAMES,
    TEST_COLOURS,
    test_colour,
    write_workbook,
)
from tests.support.sample_reports import (
    ASSIGNMENT_POLICY,
    large_report,
    person,
    report,
    source,
)


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(sheet: Worksheet) -> list[list[object]]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def fill(sheet: Worksheet, ref: str) -> str:
    return str(sheet[ref].fill.fgColor.rgb)[-6:]


@pytest.fixture
def two_tests_report() -> CompileReport:
    return report(
        [
            person("zoe Brightwater-Test", {1: 80.0, 2: 90.0}, 85.0, email="zoe@example.test"),
            person("Amara Okonkwo-Test", {1: 40.0, 2: None}, 40.0, email=None),
            person("bram Ostrava-Test", {1: None, 2: 55.55}, 55.55, email="bram@example.test"),
        ],
        (1, 2),
    )


def test_sheets_come_in_the_agreed_order(two_tests_report: CompileReport) -> None:
    assert load(write_workbook(two_tests_report)).sheetnames == list(SHEET_NAMES)
    assert SHEET_NAMES == ("Results", "Summary", "Issues", "Sources")


def test_results_header_without_assignment(two_tests_report: CompileReport) -> None:
    sheet = load(write_workbook(two_tests_report))["Results"]
    assert rows(sheet)[0] == ["Name", "Email", "Test 1", "Test 2", "Final Average", "Status"]


def test_results_header_with_assignment_column() -> None:
    rep = report(
        [person("Ines Varga-Test", {3: 70.0}, 72.0, assignment=100.0, pass_mark=60.0)],
        (3,),
        policy=ASSIGNMENT_POLICY,
    )
    table = rows(load(write_workbook(rep))["Results"])
    assert table[0] == ["Name", "Email", "Test 3", "Assignment", "Final Average", "Status"]
    assert table[1] == ["Ines Varga-Test", None, 70.0, 100.0, 72.0, "PASS"]


def test_results_rows_sorted_by_name_with_blanks_for_absent(
    two_tests_report: CompileReport,
) -> None:
    sheet = load(write_workbook(two_tests_report))["Results"]
    assert rows(sheet)[1:] == [
        ["Amara Okonkwo-Test", None, 40.0, None, 40.0, "FAIL"],
        ["bram Ostrava-Test", "bram@example.test", None, 55.55, 55.55, "PASS"],
        ["zoe Brightwater-Test", "zoe@example.test", 80.0, 90.0, 85.0, "PASS"],
    ]
    assert sheet["D3"].number_format == "0.0"
    assert sheet["E2"].number_format == "0.00"  # final averages: two decimals, as graded


def test_sort_is_stable_for_names_equal_but_for_case() -> None:
    rep = report(
        [
            person("lena Kowal-Test", {1: 10.0}, 10.0, email="first@example.test"),
            person("Aaron Test", {1: 20.0}, 20.0),
            person("Lena Kowal-Test", {1: 30.0}, 30.0, email="second@example.test"),
        ],
        (1,),
    )
    emails = [r[1] for r in rows(load(write_workbook(rep))["Results"])[1:]]
    assert emails == [None, "first@example.test", "second@example.test"]


def test_test_colour_cycles_after_ten() -> None:
    assert test_colour(1) == "FFFFFF"
    assert test_colour(2) == "87CEEB"
    assert test_colour(5) == "FF0000"
    assert test_colour(10) == "00FFFF"
    assert test_colour(11) == "FFFFFF"
    assert test_colour(22) == "87CEEB"
    assert len(TEST_COLOURS) == 10


def test_test_columns_are_filled_by_test_number_not_position() -> None:
    numbers = (3, 7, 10, 11, 12)
    rep = report([person("Kofi Mensah-Test", dict.fromkeys(numbers, 50.0), 50.0)], numbers)
    sheet = load(write_workbook(rep))["Results"]
    expected = ["FFFF00", "F08080", "00FFFF", "FFFFFF", "87CEEB"]
    for letter, colour in zip("CDEFG", expected, strict=True):
        assert fill(sheet, f"{letter}1") == colour, letter
        assert fill(sheet, f"{letter}2") == colour, letter


def test_absent_score_keeps_its_test_colour(two_tests_report: CompileReport) -> None:
    sheet = load(write_workbook(two_tests_report))["Results"]
    assert sheet["D2"].value is None
    assert fill(sheet, "D2") == "87CEEB"


def test_results_header_frozen_and_filtered(two_tests_report: CompileReport) -> None:
    sheet = load(write_workbook(two_tests_report))["Results"]
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == "A1:F4"
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["C"].width


def test_conditional_formats_on_final_average_and_status(two_tests_report: CompileReport) -> None:
    sheet = load(write_workbook(two_tests_report))["Results"]
    rules = {
        (str(cf.sqref), rule.operator, tuple(rule.formula))
        for cf in sheet.conditional_formatting
        for rule in cf.rules
    }
    assert rules == {
        ("E2:E4", "lessThan", ("50.0",)),
        ("E2:E4", "greaterThanOrEqual", ("50.0",)),
        ("F2:F4", "equal", ('"PASS"',)),
        ("F2:F4", "equal", ('"FAIL"',)),
    }


def _summary_report() -> CompileReport:
    people = [
        person(f"Student {i:02d}-Test", {1: avg}, avg)
        for i, avg in enumerate([5.0, 12.0, 49.9, 50.0, 77.5, 99.0, 100.0])
    ]
    stats = (
        StatsRow(1, 7, 56.2, 50.0, 5.0, 100.0, 57.1),
        StatsRow(4, 0, None, None, None, None, None),
    )
    return report(people, (1, 4), test_stats=stats)


def test_summary_per_test_rows_equal_the_report() -> None:
    table = rows(load(write_workbook(_summary_report()))["Summary"])
    assert table[1][:7] == ["Test", "Count", "Mean", "Median", "Min", "Max", "Pass rate (%)"]
    assert table[2][:7] == ["Test 1", 7, 56.2, 50.0, 5.0, 100.0, 57.1]
    assert table[3][:7] == ["Test 4", 0, None, None, None, None, None]


def test_summary_class_figures_equal_the_report() -> None:
    rep = _summary_report()
    table = rows(load(write_workbook(rep))["Summary"])
    figures = {r[0]: r[1] for r in table if isinstance(r[0], str)}
    assert figures["Participants"] == 7
    assert figures["Passed"] == rep.passed == 4
    assert figures["Failed"] == rep.failed == 3
    assert figures["Pass rate (%)"] == 57.1  # 400 / 7 = 57.142..., as shown
    assert figures["Mean final average"] == 56.2  # 393.4 / 7
    assert figures["Median final average"] == 50.0
    assert figures["Policy"] == "average"
    assert figures["Policy description"] == rep.policy.description
    assert figures["Pass mark"] == 50.0
    assert str(figures["Duplicate submissions"]).startswith("best:")
    assert figures["Weights"] == "equal: every test weighs 1"
    assert figures["Dropped"] == "none"
    assert figures["Letter grades"] == "none"


def test_summary_figures_hold_what_they_show() -> None:
    # A real class's Summary once read `Mean final average 57.59400000000001`.
    people = [person(f"P{i} Test", {1: a}, a) for i, a in enumerate([57.59, 57.6, 57.593, 57.6])]
    book = load(write_workbook(report(people, (1,))))
    summary = book["Summary"]
    found = {row[0].value: row[1] for row in summary.iter_rows(max_col=2) if row[0].value}
    mean, median = found["Mean final average"], found["Median final average"]
    assert (mean.value, mean.number_format) == (57.6, "0.00")  # 57.59575 -> 57.60
    assert (median.value, median.number_format) == (57.6, "0.00")  # (57.593 + 57.6) / 2
    rate = found["Pass rate (%)"]
    assert (rate.value, rate.number_format) == (100.0, "0.0")
    for cell in (mean, median, rate):
        assert cell.value == round(cell.value, 2)


def test_summary_distribution_counts_and_chart() -> None:
    data = write_workbook(_summary_report())
    table = rows(load(data)["Summary"])
    start = next(i for i, r in enumerate(table) if r[0] == "Final average (%)") + 1
    distribution = [(r[0], r[1]) for r in table[start : start + 10]]
    assert distribution == [
        ("0-10", 1),
        ("10-20", 1),
        ("20-30", 0),
        ("30-40", 0),
        ("40-50", 1),
        ("50-60", 1),
        ("60-70", 0),
        ("70-80", 1),
        ("80-90", 0),
        ("90-100", 2),
    ]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
        sheet_rels = archive.read("xl/worksheets/_rels/sheet2.xml.rels").decode()
    assert "<c:barChart>" in chart
    assert f"Summary!$B${start + 1}:$B${start + 10}" in chart
    assert f"Summary!$A${start + 1}:$A${start + 10}" in chart
    assert "drawing" in sheet_rels


def test_final_average_bins_edges() -> None:
    assert final_average_bins([-3.0, 0.0, 9.99, 10.0, 89.9, 90.0, 100.0, 104.0]) == [
        3,
        1,
        0,
        0,
        0,
        0,
        0,
        0,
        1,
        3,
    ]


def test_issues_hold_problems_then_possible_pairs() -> None:
    problems = (
        Problem("invalid-email", "e-mail 'x@' is not valid", "kept by name", "t1.xlsx", 4, "Ana"),
        Problem("no-score", "no score", "left out", "t2.csv", None, None),
    )
    pairs = (("Ana Test", "Anna Test", "same e-mail domain, one letter apart"),)
    rep = report([], (), problems=problems, possible_same_person=pairs)
    sheet = load(write_workbook(rep))["Issues"]
    assert rows(sheet) == [
        ["File", "Row", "Person", "Found", "Action", "Kind"],
        ["t1.xlsx", 4, "Ana", "e-mail 'x@' is not valid", "kept by name", "invalid-email"],
        ["t2.csv", None, None, "no score", "left out", "no-score"],
        [
            None,
            None,
            "Ana Test / Anna Test",
            "possibly the same person: Ana Test / Anna Test (same e-mail domain, one letter apart)",
            SAME_PERSON_ACTION,
            "possibly-same-person",
        ],
    ]
    assert sheet.auto_filter.ref == "A1:F4"
    assert sheet.freeze_panes == "A2"


def test_issues_says_when_there_are_none() -> None:
    table = rows(load(write_workbook(report([], ())))["Issues"])
    assert len(table) == 2
    assert table[1][3] == "No problems were found in the files."


def test_sources_one_row_per_file() -> None:
    rep = report([], (1, 2), sources=(source("quiz 1.xlsx", 1), source("q2.csv", 2, out_of=None)))
    table = rows(load(write_workbook(rep))["Sources"])
    assert table[0][:3] == ["File", "Test", "Test number from"]
    assert table[1:] == [
        [
            "quiz 1.xlsx",
            1,
            "from the file name",
            "Google Forms",
            "Form Responses 1",
            "Full name",
            None,
            None,
            "Email Address",
            "Score",
            None,
            10,
            "the cell (like 8 / 10)",
            5,
            4,
            1,
            None,
            None,
            None,
            None,
            None,
        ],
        [
            "q2.csv",
            2,
            "from the file name",
            "Google Forms",
            "Form Responses 1",
            "Full name",
            None,
            None,
            "Email Address",
            "Score",
            None,
            None,
            "the cell (like 8 / 10)",
            5,
            4,
            1,
            None,
            None,
            None,
            None,
            None,
        ],
    ]


def test_sources_name_a_gradebook_item_and_the_columns_that_are_no_test() -> None:
    item = replace(
        source("gradebook.csv", 1),
        title="Quiz 1",
        weight=33.3,
        category="Quizzes",
        skipped=(SkippedColumn("Weighted Total", "a total Blackboard computes"),),
    )
    book = load(write_workbook(report([], (1,), sources=(item,))))
    table = rows(book["Sources"])
    assert table[1][-5:] == [
        "Quiz 1",
        33.3,
        "Quizzes",
        None,
        "Weighted Total: a total Blackboard computes",
    ]
    assert rows(book["Results"])[0][2] == "Test 1"  # the title comes from the report's titles


HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+1",
    "-2",
    "@SUM(A1)",
    "\t=1+1",
    "=1+1",
    "http://example.test/phish",
    "0042",
    "1e5",
]


def test_formula_looking_text_stays_text_everywhere() -> None:
    people = [person(text, {1: 60.0}, 60.0, email=f"{text}@example.test") for text in HOSTILE]
    problems = tuple(Problem("odd", text, text, file=text, person=text) for text in HOSTILE)
    sources = tuple(source(text, 1) for text in HOSTILE)
    pairs = tuple((text, text, text) for text in HOSTILE)
    rep = report(people, (1,), problems=problems, sources=sources, possible_same_person=pairs)
    data = write_workbook(rep)
    book = load(data)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    names = [r[0] for r in rows(book["Results"])[1:]]
    assert names == sorted(HOSTILE, key=str.casefold)
    emails = {r[1] for r in rows(book["Results"])[1:]}
    assert emails == {f"{text}@example.test" for text in HOSTILE}
    assert [r[0] for r in rows(book["Sources"])[1:]] == HOSTILE
    assert [r[3] for r in rows(book["Issues"])[1 : len(HOSTILE) + 1]] == HOSTILE
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert re.search(r"<f[ >]", archive.read(name).decode()) is None, name
                assert "<hyperlink" not in archive.read(name).decode(), name


def test_control_characters_are_escaped_not_written_raw() -> None:
    # A raw \x01 would make the XML invalid; Excel reads the _xHHHH_ escape back as \x01,
    # and a literal "_x0041_" is itself escaped so it is not read as "A".
    data = write_workbook(report([person("Odd\x01Name_x0041_-Test", {}, 0.0)], ()))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        strings = archive.read("xl/sharedStrings.xml").decode()
    assert "Odd_x0001_Name_x005F_x0041_-Test" in strings
    assert "\x01" not in strings
    assert load(data)["Results"]["A2"].value.endswith("Name_x0041_-Test")


def test_overlong_text_is_cut_to_excel_limit() -> None:
    long_name = "N" * 40_000
    long_found = "F" * 50_000
    rep = report(
        [person(long_name, {1: 1.0}, 1.0)],
        (1,),
        problems=(Problem("odd", long_found, "kept", file="f.xlsx"),),
    )
    book = load(write_workbook(rep))
    name = book["Results"]["A2"].value
    found = book["Issues"]["D2"].value
    for text, letter in ((name, "N"), (found, "F")):
        assert isinstance(text, str)
        assert len(text) == EXCEL_MAX_TEXT
        assert text == letter * (EXCEL_MAX_TEXT - 1) + TRUNCATION_MARK


def test_excel_text_counts_utf16_units_and_keeps_short_text() -> None:
    assert excel_text("Amara") == "Amara"
    exact = "x" * EXCEL_MAX_TEXT
    assert excel_text(exact) == exact
    emoji = "😀" * 20_000  # 40,000 UTF-16 units
    cut = excel_text(emoji)
    assert len(cut.encode("utf-16-le")) // 2 <= EXCEL_MAX_TEXT
    assert cut.endswith(TRUNCATION_MARK)
    assert set(cut[:-1]) == {"😀"}
    assert len(cut) == (EXCEL_MAX_TEXT - 1) // 2 + 1


def test_non_finite_numbers_are_left_blank() -> None:
    rep = report([person("Nia Test", {1: float("nan")}, float("inf"))], (1,))
    row = rows(load(write_workbook(rep))["Results"])[1]
    assert row[2] is None
    assert row[3] is None


def test_empty_report_still_makes_a_workbook() -> None:
    book = load(write_workbook(report([], ())))
    assert rows(book["Results"]) == [["Name", "Email", "Final Average", "Status"]]
    assert len(book["Results"].conditional_formatting) == 0


def test_three_thousand_people_six_tests_round_trip() -> None:
    rep = large_report(3_000, 6)
    table = rows(load(write_workbook(rep))["Results"])
    assert len(table) == 3_001
    first = min(rep.participants, key=lambda p: p.name.casefold())
    assert table[1][0] == first.name
    assert table[1][2:8] == [first.scores[t] for t in range(1, 7)]


# --- weights, dropped results, letters ----------------------------------------------------

NIGERIA = LETTER_SCALES["nigeria"]


def _graded_report() -> CompileReport:
    people = [
        person("Ada Obi-Test", {1: 90.0, 2: None, 3: 40.0}, 65.0, dropped=(2,), letters=NIGERIA),
        person("Bola Ade-Test", {1: 30.0, 2: 70.0, 3: 60.0}, 66.0, dropped=(1,), letters=NIGERIA),
        person("Chidi Eze-Test", {1: 20.0, 2: 30.0, 3: 35.0}, 32.5, dropped=(1,), letters=NIGERIA),
    ]
    return report(
        people, (1, 2, 3), weights={1: 1.0, 2: 2.0, 3: 0.0}, drop_lowest=1, letters=NIGERIA
    )


def test_results_have_a_grade_column_between_the_average_and_the_status() -> None:
    sheet = load(write_workbook(_graded_report()))["Results"]
    table = rows(sheet)
    assert table[0] == [
        "Name",
        "Email",
        "Test 1",
        "Test 2",
        "Test 3",
        "Final Average",
        "Grade",
        "Status",
    ]
    assert [r[5:] for r in table[1:]] == [
        [65.0, "B", "PASS"],
        [66.0, "B", "PASS"],
        [32.5, "F", "FAIL"],
    ]
    rules = {
        (str(cf.sqref), rule.operator) for cf in sheet.conditional_formatting for rule in cf.rules
    }
    assert ("F2:F4", "lessThan") in rules and ("H2:H4", "equal") in rules
    assert sheet.auto_filter.ref == "A1:H4"


def test_dropped_results_are_hatched_and_crossed_out_in_their_colour() -> None:
    sheet = load(write_workbook(_graded_report()))["Results"]
    dropped, kept, dropped_blank = sheet["C3"], sheet["D3"], sheet["D2"]  # Bola's 1, 2; Ada's 2
    assert dropped.value == 30.0 and dropped_blank.value is None
    for cell in (dropped, dropped_blank):
        assert cell.font.strike
        assert cell.fill.patternType == "lightDown"
    assert cell.fill.bgColor.rgb[-6:] == test_colour(2)  # the test's colour under the hatch
    assert not kept.font.strike and kept.fill.patternType == "solid"
    assert fill(sheet, "D3") == test_colour(2)


def test_summary_says_how_the_workbook_was_graded() -> None:
    table = rows(load(write_workbook(_graded_report()))["Summary"])
    figures = {r[0]: r[1] for r in table if isinstance(r[0], str)}
    assert figures["Weights"] == "Test 1: 1; Test 2: 2; Test 3: 0 (does not count)"
    assert str(figures["Final average"]).startswith("the weighted mean of the tests taken")
    assert str(figures["Dropped"]).startswith("each person's lowest result among the tests")
    assert "crossed out in the Results sheet" in str(figures["Dropped"])
    assert figures["Letter grades"] == (
        "Nigerian university A-F on 70/60/50/45/40 (nigeria): "
        "A from 70, B from 60, C from 50, D from 45, E from 40, F from 0"
    )
    assert str(figures["Rounding"]).startswith("scores to 1 decimal, final averages to 2")
    header = next(
        i
        for i, r in enumerate(table)
        if r[:4] == ["Grade", "From (%)", "Participants", "Share (%)"]
    )
    letters = [r[:4] for r in table[header + 1 : header + 7]]
    assert letters == [
        ["A", 70, 0, 0.0], ["B", 60, 2, 66.7], ["C", 50, 0, 0.0], ["D", 45, 0, 0.0],
        ["E", 40, 0, 0.0], ["F", 0, 1, 33.3],
    ]  # fmt: skip


def test_summary_per_test_rows_give_each_tests_weight_and_where_from() -> None:
    table = rows(load(write_workbook(_graded_report()))["Summary"])
    assert table[1][7:9] == ["Weight", "Weight from"]


def test_an_odd_pass_mark_is_shown_as_typed() -> None:
    policy = replace(ASSIGNMENT_POLICY, pass_mark=47.5)
    book = load(
        write_workbook(report([person("Ines Varga-Test", {1: 50.0}, 50.0)], (1,), policy=policy))
    )
    found = {r[0].value: r[1] for r in book["Summary"].iter_rows(max_col=2) if r[0].value}
    assert (found["Pass mark"].value, found["Pass mark"].number_format) == (47.5, "General")
    rules = {
        tuple(rule.formula) for cf in book["Results"].conditional_formatting for rule in cf.rules
    }
    assert ("47.5",) in rules
