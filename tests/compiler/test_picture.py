"""The results picture: a valid PNG of a fixed size whose pixels follow the report."""

from __future__ import annotations

import io
from dataclasses import replace

from PIL import Image, ImageChops, ImageDraw

from compiler.grade.letters import LETTER_SCALES
from compiler.model import CompileReport
from compiler.write.picture import (
    BACKGROUND,
    BAR,
    CHART,
    HEIGHT,
    LETTER_BAND,
    LETTERS_TOP,
    MARGIN,
    PASS_MARK_LINE,
    STRIPE,
    WIDTH,
    Canvas,
    grading_line,
    picture_height,
    render_results_png,
    top_participants,
)
from tests.support.sample_reports import ASSIGNMENT_POLICY, large_report, person, report

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def image_of(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGB")


def class_at(averages: list[float]) -> CompileReport:
    people = [person(f"Pupil {i:02d}-Test", {1: a}, a) for i, a in enumerate(averages)]
    return report(people, (1,))


def slot_centre(index: int) -> int:
    slot = (CHART.right - CHART.left) / 10
    return round(CHART.left + (index + 0.5) * slot)


def test_is_a_png_of_the_promised_size() -> None:
    data = render_results_png(large_report(40, 3))
    assert data.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (WIDTH, HEIGHT)
    assert WIDTH == 1000


def test_different_reports_give_different_pictures() -> None:
    first = render_results_png(class_at([20.0, 30.0]))
    second = render_results_png(class_at([80.0, 95.0]))
    assert first != second
    assert ImageChops.difference(image_of(first), image_of(second)).getbbox() is not None


def test_bars_stand_in_the_ranges_of_the_averages() -> None:
    just_above_axis = CHART.bottom - 5
    high = image_of(render_results_png(class_at([95.0, 99.0, 100.0])))
    assert high.getpixel((slot_centre(9), just_above_axis)) == BAR
    assert high.getpixel((slot_centre(0), just_above_axis)) == BACKGROUND
    low = image_of(render_results_png(class_at([3.0])))
    assert low.getpixel((slot_centre(0), just_above_axis)) == BAR
    assert low.getpixel((slot_centre(9), just_above_axis)) == BACKGROUND


def test_pass_mark_line_is_drawn_at_the_pass_mark() -> None:
    middle = (CHART.top + CHART.bottom) // 2
    at_fifty = image_of(render_results_png(class_at([10.0])))
    assert at_fifty.getpixel((CHART.x_of(50.0), middle)) == PASS_MARK_LINE
    people = [person("Ines Varga-Test", {1: 10.0}, 10.0, pass_mark=60.0)]
    at_sixty = image_of(render_results_png(report(people, (1,), policy=ASSIGNMENT_POLICY)))
    assert at_sixty.getpixel((CHART.x_of(60.0), middle)) == PASS_MARK_LINE
    assert at_sixty.getpixel((CHART.x_of(50.0), middle)) != PASS_MARK_LINE


def test_missing_font_falls_back_to_the_builtin_one() -> None:
    rep = class_at([40.0, 70.0])
    builtin = render_results_png(rep, font_name=None)
    missing = render_results_png(rep, font_name="no-such-font-anywhere.ttf")
    assert image_of(missing).size == (WIDTH, HEIGHT)
    assert image_of(builtin).tobytes() == image_of(missing).tobytes()


def test_top_participants_are_the_highest_averages_ties_by_name() -> None:
    people = [person(f"P{i:02d}", {}, float(i % 7)) for i in range(30)]
    people.append(person("a-first", {}, 6.0))
    top = top_participants(report(people, ()))
    assert len(top) == 10
    assert [p.final_average for p in top] == [6.0] * 5 + [5.0] * 4 + [4.0]
    assert top[0].name == "a-first"
    assert [p.name for p in top[1:5]] == ["P06", "P13", "P20", "P27"]


def test_names_are_made_one_line_and_cut_to_width() -> None:
    canvas = Canvas(ImageDraw.Draw(Image.new("RGB", (10, 10))), font_name=None)
    fitted = canvas.fit("Line one\nLine\x01two " + "x" * 40_000, 26, 400)
    assert "\n" not in fitted
    assert "\x01" not in fitted
    assert fitted.startswith("Line one Line two")
    assert fitted.endswith("…")
    assert canvas.draw.textlength(fitted, font=canvas.font(26)) <= 400
    assert canvas.fit("Björk Test", 26, 400) == "Bjork Test"


def test_odd_and_empty_reports_still_render() -> None:
    odd = report([person("=1+1\n" + "Ж" * 5_000, {1: 50.0}, 50.0)], (1,))
    for rep in (odd, report([], ())):
        assert image_of(render_results_png(rep)).size == (WIDTH, HEIGHT)


def test_letter_grades_add_a_band_of_boxes_and_a_column() -> None:
    uk = LETTER_SCALES["uk"]
    people = [
        person(f"Pupil {i:02d}-Test", {1: a}, a, letters=uk) for i, a in enumerate([75.0, 55.0])
    ]
    plain = render_results_png(report(people, (1,)))
    graded = report(people, (1,), letters=uk)
    image = image_of(render_results_png(graded))
    assert image_of(plain).size == (WIDTH, HEIGHT)
    assert image.size == (WIDTH, picture_height(graded)) == (WIDTH, HEIGHT + LETTER_BAND)
    assert image.getpixel((MARGIN + 4, LETTERS_TOP + 50)) == STRIPE  # the first letter's box


def test_the_grading_line_says_what_was_chosen() -> None:
    rep = report([], (1, 2), weights={1: 2.0}, drop_lowest=1)
    rep = replace(rep, policy=replace(rep.policy, pass_mark=47.5))
    assert grading_line(rep) == (
        "Policy: average. Pass mark 47.5. Weighted. Lowest 1 dropped. Tests: 1, 2"
    )
