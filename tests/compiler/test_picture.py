"""The results picture: a real PNG of the promised size, drawn from the report's numbers."""

from __future__ import annotations

import io
from dataclasses import replace

from PIL import Image

from compiler import api, grading
from compiler.model import CompileOptions, CompileReport
from compiler.picture import HEIGHT, WIDTH, render_results_png, top_participants
from tests.support.classes import make_class


def _report(seed: int = 1, people: int = 40) -> CompileReport:
    generated = make_class("surveyheart", people=people, tests=3, seed=seed)
    options = CompileOptions(policy=grading.POLICIES["classic"])
    return api.compile_files(generated.files, options).report


def test_it_is_a_png_of_the_promised_size() -> None:
    image = Image.open(io.BytesIO(render_results_png(_report())))
    assert image.format == "PNG" and image.size == (WIDTH, HEIGHT)


def test_different_results_draw_different_pictures() -> None:
    report = _report()
    assert render_results_png(report) != render_results_png(_report(seed=2))
    moved_mark = replace(report, policy=replace(report.policy, pass_mark=80.0))
    assert render_results_png(report) != render_results_png(moved_mark)


def test_the_top_rows_are_the_highest_final_averages() -> None:
    report = _report(people=30)
    top = top_participants(report)
    assert len(top) == 10
    finals = sorted((p.final_average for p in report.participants), reverse=True)
    assert [p.final_average for p in top] == finals[:10]


def test_odd_names_do_not_break_the_drawing() -> None:
    report = _report(people=12)
    odd = ['=HYPERLINK("x")', "نور الهدى", "Zoë 🎓 Test", "A" * 5000, "tab\tand\nnewline\0"]
    people = tuple(
        replace(p, name=odd[i % len(odd)], final_average=99.0 - i)
        for i, p in enumerate(report.participants)
    )
    image = Image.open(io.BytesIO(render_results_png(replace(report, participants=people))))
    assert image.size == (WIDTH, HEIGHT)
