"""The report cards: a PDF read back with pypdf, a cover then one page per participant."""

from __future__ import annotations

import io
import logging
import unicodedata
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from compiler import render_report_cards
from compiler.cli import main
from compiler.grade.letters import LETTER_SCALES
from compiler.model import CompileReport, ParticipantResult
from compiler.write import pdf_pages
from compiler.write.card_content import Field, card_lines, cards, positions, test_fields
from compiler.write.cards import TableLayout, gridline_step
from compiler.write.pdf_pages import colour
from compiler.write.styles import BAD_FILL, GOOD_FILL, UNICODE_FONT, test_colour
from compiler.write.workbook import write_workbook
from tests.support.exports.files import csv_bytes, xlsx_bytes
from tests.support.exports.samples import google_rows, surveyheart_rows
from tests.support.sample_reports import ASSIGNMENT_POLICY, large_report, person, report

NAMES = {
    "Yoruba": "Adébáyọ̀ Ọlọ́runfẹ́mi Ṣàngó-Test",
    "Igbo": "Chiamaka Ụzọ Ịkenna-Test",
    "Hausa": "Ɓala Ɗanjuma Ƙwari-Test",
    "Russian": "Наталья Иванова-Тест",
    "Greek": "Ελένη Παπαδοπούλου-Test",
    "Arabic": "محمد عبد الله",
    "accented": "Zoë Ångström-Çelik Test",
}


def read(data: bytes) -> list[str]:
    """The text of each page, NFC-normalised (extraction may decompose accents)."""
    assert data.startswith(b"%PDF-")
    pages = PdfReader(io.BytesIO(data)).pages
    return [unicodedata.normalize("NFC", page.extract_text()) for page in pages]


def paints(data: bytes, page: int) -> bytes:
    """The drawing instructions of one page."""
    return PdfReader(io.BytesIO(data)).pages[page].get_contents().get_data()  # type: ignore[union-attr]


def fill_of(hex_colour: str) -> bytes:
    """The instruction that sets the fill to `hex_colour`, as the PDF writes it."""
    return colour(hex_colour).serialize().lower().encode()


def three_pupils() -> CompileReport:
    people = [
        person("Ada Obi-Test", {1: 78.5, 2: None, 3: 64.0}, 71.25, email="ada@example.test"),
        person("Bola Ade-Test", {1: 40.0, 2: 30.5, 3: None}, 35.25, email="bola@example.test"),
        person("Chidi Eze-Test", {1: 90.0, 2: 88.0, 3: 91.5}, 89.83),
    ]
    return report(people, (1, 2, 3))


def test_a_cover_then_one_page_per_participant() -> None:
    pages = read(render_report_cards(large_report(25, 3)))
    assert len(pages) == 1 + 25
    cover = pages[0]
    assert "Class results" in cover
    assert "Participants 25" in cover
    for label in ("Passed", "Failed", "Mean final average", "Median final average"):
        assert label in cover
    assert "Policy average" in cover
    assert "Pass mark 50\n" in cover  # as typed: any pass mark, 47.5 or 33.333
    assert "best: a person's highest score on a test counts" in cover
    assert "0-10" in cover and "90-100" in cover  # the Summary chart's ranges
    assert "pass mark 50" in cover


def test_a_page_holds_the_persons_tests_result_and_place() -> None:
    pages = read(render_report_cards(three_pupils()))
    ada, bola, chidi = pages[1:]
    assert "Ada Obi-Test" in ada and "ada@example.test" in ada
    for shown in ("Test 1 78.5", "Test 2 absent", "Test 3 64.0"):
        assert shown in ada
    assert "Final average (%) 71.25" in ada
    assert "Result PASS" in ada
    assert "Class mean (%) 65.44\n" in ada  # (71.25 + 35.25 + 89.83) / 3 = 65.443
    assert "Position in class 2 of 3" in ada
    assert "Result FAIL" in bola and "Position in class 3 of 3" in bola
    assert "Test 3 absent" in bola
    assert "Chidi Eze-Test" in chidi and "Position in class 1 of 3" in chidi
    assert "@" not in chidi  # no e-mail, no line for it


def test_pages_come_in_the_results_sheets_order() -> None:
    rep = large_report(30, 2, seed=3)
    people = [person(f"{name} Test", {1: 50.0}, 50.0) for name in ("bea", "Al", "ćiro", "Zed")]
    rep = report([*rep.participants, *people], (1, 2))
    sheet = openpyxl.load_workbook(io.BytesIO(write_workbook(rep)))["Results"]
    in_sheet = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [card.name for card in cards(rep)] == in_sheet
    pages = read(render_report_cards(rep))
    assert [page.splitlines()[1] for page in pages[1:]] == in_sheet


def test_ties_share_a_place() -> None:
    assert positions([70.0, 90.0, 80.0, 80.0, float("nan")]) == [4, 1, 2, 2, None]
    people = [person(f"P{i} Test", {1: a}, a) for i, a in enumerate([90.0, 80.0, 80.0, 70.0])]
    pages = read(render_report_cards(report(people, (1,))))
    places = [page.split("Position in class ")[1].splitlines()[0] for page in pages[1:]]
    assert places == ["1 of 4", "2 of 4", "2 of 4", "4 of 4"]


def test_names_in_any_script_print_as_written(caplog: pytest.LogCaptureFixture) -> None:
    people = [
        person(name, {1: 60.0}, 60.0, email=f"{script.lower()}@example.test")
        for script, name in NAMES.items()
    ]
    with caplog.at_level(logging.DEBUG):
        pages = read(render_report_cards(report(people, (1,))))
    text = "\n".join(pages)
    for name in NAMES.values():
        assert unicodedata.normalize("NFC", name) in text
    assert "?" not in text  # no letter the font lacks
    # fpdf2 would warn of missing glyphs naming the letters; fontTools lists every glyph kept.
    assert [r for r in caplog.records if r.levelno >= logging.INFO] == []
    logged = caplog.text
    for p in people:
        assert p.name not in logged and str(p.email) not in logged
        assert {ch for ch in p.name if not ch.isascii()} & set(logged) == set()


def glyphs_drawn(data: bytes, page: int) -> set[str]:
    """The names of the glyphs in the fonts a page embeds (fpdf2 embeds the glyphs used)."""
    names: set[str] = set()
    for font in PdfReader(io.BytesIO(data)).pages[page]["/Resources"]["/Font"].values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        file = descendant["/FontDescriptor"].get_object()["/FontFile2"].get_object()
        names |= set(TTFont(io.BytesIO(file.get_data())).getGlyphOrder())
    return names


MEEM, MEEM_INITIAL = "uni0645", "uniFEE3"  # م alone, and joined to the letter after it


def test_arabic_names_are_shaped() -> None:
    data = render_report_cards(report([person(NAMES["Arabic"], {1: 60.0}, 60.0)], (1,)))
    assert NAMES["Arabic"] in read(data)[1]
    assert MEEM_INITIAL in glyphs_drawn(data, 1)  # joined letters: HarfBuzz shaped the name


def test_without_uharfbuzz_arabic_letters_still_render(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_pages, "_shaping_available", lambda pdf: False)
    data = render_report_cards(report([person(NAMES["Arabic"], {1: 60.0}, 60.0)], (1,)))
    name_line = read(data)[1].splitlines()[1]
    assert "?" not in name_line
    assert {ch for ch in NAMES["Arabic"] if ch != " "} <= set(name_line)
    drawn = glyphs_drawn(data, 1)
    assert MEEM in drawn and MEEM_INITIAL not in drawn  # each letter alone, but there


def test_a_letter_the_font_lacks_prints_as_a_question_mark() -> None:
    data = render_report_cards(report([person("李明 Li-Test", {1: 60.0}, 60.0)], (1,)))
    assert "?? Li-Test" in read(data)[1]


def test_odd_names_stay_on_one_line_and_within_the_page() -> None:
    odd = person("=1+1\nLine\x01two " + "Ж" * 5_000, {1: 50.0}, 50.0, email="x" * 400 + "@e.test")
    page = read(render_report_cards(report([odd], (1,))))[1]
    name_line = page.splitlines()[1]
    assert name_line.startswith("=1+1 Line two ЖЖЖ")
    assert name_line.endswith("…")
    assert len(name_line) < 80
    assert page.splitlines()[2].endswith("…")


def test_every_test_in_its_workbook_colour_and_pass_fail_in_theirs() -> None:
    data = render_report_cards(three_pupils())
    ada, bola = paints(data, 1), paints(data, 2)
    for number in (1, 2, 3):
        assert fill_of(test_colour(number)) in ada
    assert fill_of(GOOD_FILL) in ada and fill_of(BAD_FILL) not in ada
    assert fill_of(BAD_FILL) in bola and fill_of(GOOD_FILL) not in bola


def test_many_tests_still_fit_one_page_each() -> None:
    rep = large_report(3, 45)
    pages = read(render_report_cards(rep))
    assert len(pages) == 4
    for number in (1, 23, 45):
        assert f"Test {number} " in pages[1]
    layout = TableLayout.fitting(45, ("Score (%)",))
    assert layout.blocks > 1 and layout.bottom <= TableLayout.BOTTOM


def test_the_classic_policy_shows_the_assignment_mark() -> None:
    pupil = person("Ada Obi-Test", {1: 70.0}, 77.5, assignment=85.0, pass_mark=60.0)
    page = read(render_report_cards(report([pupil], (1,), policy=ASSIGNMENT_POLICY)))[1]
    assert "Assignment 85.0" in page
    assert "pass mark 60" in page


def test_a_line_is_made_of_fields_so_a_column_is_one_more_field() -> None:
    pupil: ParticipantResult = person("Ada Obi-Test", {1: 78.5, 2: None}, 78.5)
    assert test_fields(pupil, 1) == (Field("Score (%)", "78.5"),)
    assert test_fields(pupil, 2) == (Field("Score (%)", "absent", "muted"),)
    card = next(cards(report([pupil], (1, 2))))
    assert [line.label for line in card.lines] == ["Test 1", "Test 2"]
    assert [f.label for f in card.figures] == [
        "Final average (%)",
        "Result",
        "Class mean (%)",
        "Position in class",
    ]


def test_the_charts_gridlines_fall_on_round_numbers() -> None:
    steps = {tallest: gridline_step(tallest) for tallest in (0, 1, 4, 5, 9, 30, 898, 2_600)}
    assert steps == {0: 1, 1: 1, 4: 1, 5: 2, 9: 3, 30: 10, 898: 250, 2_600: 1_000}


def test_an_empty_class_is_a_cover_alone() -> None:
    pages = read(render_report_cards(report([], ())))
    assert len(pages) == 1
    assert "Participants 0" in pages[0]


@pytest.fixture
def exports(tmp_path: Path) -> list[Path]:
    quiz1, quiz2 = tmp_path / "Quiz 1.xlsx", tmp_path / "Quiz 2.csv"
    quiz1.write_bytes(xlsx_bytes([("Responses", surveyheart_rows(6))]))
    quiz2.write_bytes(csv_bytes(google_rows()))
    return [quiz1, quiz2]


def test_the_command_line_writes_the_cards_beside_the_workbook(
    exports: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, pdf = tmp_path / "results.xlsx", tmp_path / "made" / "cards.pdf"
    assert main([*map(str, exports), "-o", str(out), "--cards", str(pdf)]) == 0
    names = [row[0] for row in openpyxl.load_workbook(out)["Results"].iter_rows(min_row=2)]
    pages = read(pdf.read_bytes())
    assert len(pages) == 1 + len(names)
    assert [page.splitlines()[1] for page in pages[1:]] == [name.value for name in names]
    printed = capsys.readouterr().out
    assert f"Wrote {pdf}: a cover and {len(names)} report cards." in printed
    assert printed.rstrip().endswith(f"Wrote {out}.")
    assert sorted(p.name for p in pdf.parent.iterdir()) == ["cards.pdf"]  # no temporary left


def test_the_command_line_writes_no_cards_when_the_compile_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello there\nnothing here\n")
    assert (
        main([str(notes), "-o", str(tmp_path / "r.xlsx"), "--cards", str(tmp_path / "c.pdf")]) == 1
    )
    assert capsys.readouterr().err.rstrip().endswith("Nothing was written.")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_the_cards_and_the_workbook_cannot_be_one_file(
    exports: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "r.xlsx")
    with pytest.raises(SystemExit) as exit_:
        main([*map(str, exports), "-o", out, "--cards", out])
    assert exit_.value.code == 2
    assert "--cards and -o name the same file" in capsys.readouterr().err
    assert not Path(out).exists()


def test_any_truetype_font_will_do_and_a_missing_one_is_said() -> None:
    one_face = render_report_cards(three_pupils(), font_path=UNICODE_FONT, bold_font_path=None)
    assert "Ada Obi-Test" in read(one_face)[1]
    with pytest.raises(FileNotFoundError):
        render_report_cards(three_pupils(), font_path="no-such-font.ttf")


def test_a_gradebook_item_shows_its_title_on_the_cards() -> None:
    rep = replace(three_pupils(), titles={1: "Quiz 1"})
    labels = [line.label for line in card_lines(rep, rep.participants[0])]
    assert labels[0] == "Test 1 · Quiz 1"
    assert "Test 1 · Quiz 1" in read(render_report_cards(rep))[1]


def test_weights_dropped_results_and_letters_show_on_the_cards() -> None:
    nigeria = LETTER_SCALES["nigeria"]
    people = [
        person("Ada Obi-Test", {1: 90.0, 2: None, 3: 40.0}, 90.0, dropped=(2,), letters=nigeria),
        person("Bola Ade-Test", {1: 30.0, 2: 70.0, 3: 60.0}, 65.0, dropped=(1,), letters=nigeria),
    ]
    rep = report(people, (1, 2, 3), weights={2: 2.0, 3: 0.0}, drop_lowest=1, letters=nigeria)
    ada = next(cards(rep))
    assert [f.label for f in ada.lines[0].fields] == ["Score (%)", "Weight", "Note"]
    assert [[f.value for f in line.fields] for line in ada.lines] == [
        ["90.0", "1", ""],
        ["absent", "2", "dropped"],
        ["40.0", "0", "not counted"],
    ]
    assert [f.label for f in ada.figures][:3] == ["Final average (%)", "Grade", "Result"]
    pages = read(render_report_cards(rep))
    assert "Test 2 absent 2 dropped" in pages[1]
    assert "Grade A" in pages[1] and "Grade B" in pages[2]
    assert "Letters given A 1 (50.0%) · B 1 (50.0%)" in pages[0]
    assert "Test 2: 2; Test 3: 0 (does not count)" in pages[0].replace("\n", " ")


def test_the_assignment_line_weighs_the_mean_weight_of_the_tests_that_count() -> None:
    pupil = person("Ada Obi-Test", {1: 70.0, 2: 50.0}, 77.5, assignment=85.0, pass_mark=60.0)
    rep = report([pupil], (1, 2), policy=ASSIGNMENT_POLICY, weights={1: 1.0, 2: 3.0})
    assignment = card_lines(rep, pupil)[-1]
    assert [f.value for f in assignment.fields] == ["85.0", "2"]


def test_without_weights_drops_or_letters_a_line_is_the_score_alone() -> None:
    line = card_lines(three_pupils(), three_pupils().participants[0])[0]
    assert [f.label for f in line.fields] == ["Score (%)"]


def test_the_cover_holds_how_a_class_was_graded_on_one_page_however_long() -> None:
    tests = tuple(range(1, 41))
    nigeria = LETTER_SCALES["nigeria"]
    pupil = person("Ada Obi-Test", dict.fromkeys(tests, 70.0), 70.0, letters=nigeria)
    rep = report([pupil], tests, weights={t: t / 3 for t in tests}, drop_lowest=2, letters=nigeria)
    rep = replace(rep, titles={t: f"Long gradebook item title number {t}" for t in tests})
    page = PdfReader(io.BytesIO(render_report_cards(rep))).pages[0]
    lowest: list[float] = []
    page.extract_text(
        visitor_text=lambda text, cm, tm, *_: lowest.append(tm[5]) if text.strip() else None
    )
    assert min(lowest) >= 18 / 25.4 * 72 - 1  # every line above the bottom margin (points)
    assert "Letters given" in page.extract_text()
