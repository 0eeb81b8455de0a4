"""A PNG of the results for people who would rather look than open a file.

One picture, legible on a phone: the class in one line, a histogram of final averages with
the pass mark drawn in, and the ten highest final averages. Pillow's built-in font is used
(`ImageFont.load_default(size=...)`), so no font file is needed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from compiler.model import CompileReport, ParticipantResult
from compiler.workbook_style import FAIL_TEXT, PASS_TEXT
from compiler.workbook_summary import BIN_COUNT, bin_labels, final_average_bins

WIDTH, HEIGHT = 1000, 1240
MARGIN = 40
TOP_ROWS = 10

BACKGROUND = (255, 255, 255)
INK = (33, 33, 33)
MUTED = (110, 110, 110)
GRID = (220, 220, 220)
BAR = (79, 129, 189)
PASS_MARK_LINE = (200, 30, 30)
PASS_INK = (0, 97, 0)
FAIL_INK = (156, 0, 6)
STRIPE = (242, 242, 242)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True, slots=True)
class ChartBox:
    """Where the histogram's plot area sits, in pixels."""

    left: int = 90
    right: int = WIDTH - MARGIN
    top: int = 190
    bottom: int = 560

    def x_of(self, percent: float) -> int:
        """The x pixel of a final average (0-100) on the histogram's axis."""
        clamped = min(100.0, max(0.0, percent))
        return round(self.left + clamped / 100.0 * (self.right - self.left))


CHART = ChartBox()
TABLE_TOP = 680
ROW_HEIGHT = 48


def render_results_png(report: CompileReport) -> bytes:
    """A 1000x1200 PNG: headline figures, a histogram of final averages, the top ten."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    _draw_headline(draw, report)
    _draw_histogram(draw, report)
    _draw_top_rows(draw, report)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _font(size: int) -> Font:
    return ImageFont.load_default(size=size)


def _printable(text: str) -> str:
    # A newline or control character in a name would break the one-line layout.
    return "".join(ch if ch.isprintable() else " " for ch in text[:300])


def _fit(draw: ImageDraw.ImageDraw, text: str, font: Font, width: int) -> str:
    """`text` cut (with `…`) to fit `width` pixels."""
    text = _printable(text)
    if draw.textlength(text, font=font) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if draw.textlength(text[:middle] + "…", font=font) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low] + "…"


def _draw_headline(draw: ImageDraw.ImageDraw, report: CompileReport) -> None:
    count = len(report.participants)
    rate = f" ({100.0 * report.passed / count:.0f}%)" if count else ""
    headline = f"{count} participants: {report.passed} passed{rate}, {report.failed} failed"
    draw.text((MARGIN, 30), _fit(draw, headline, _font(40), WIDTH - 2 * MARGIN), INK, _font(40))
    tests = ", ".join(str(t) for t in report.tests) or "none"
    policy = f"Policy: {report.policy.name}. Pass mark {report.policy.pass_mark:g}. Tests: {tests}"
    draw.text((MARGIN, 86), _fit(draw, policy, _font(26), WIDTH - 2 * MARGIN), MUTED, _font(26))
    draw.text((MARGIN, 140), "Final averages", INK, _font(30))


def _draw_histogram(draw: ImageDraw.ImageDraw, report: CompileReport) -> None:
    counts = final_average_bins([p.final_average for p in report.participants])
    step = -(-max(max(counts), 1) // 4)  # whole-number gridlines, four of them at most
    tallest = 4 * step
    height = CHART.bottom - CHART.top
    small = _font(22)
    for line in range(5):
        y = CHART.bottom - round(line / 4 * height)
        draw.line([(CHART.left, y), (CHART.right, y)], GRID, 1)
        draw.text((CHART.left - 10, y), str(line * step), MUTED, small, anchor="rm")
    slot = (CHART.right - CHART.left) / BIN_COUNT
    for index, (count, label) in enumerate(zip(counts, bin_labels(), strict=True)):
        x0 = round(CHART.left + index * slot + 4)
        x1 = round(CHART.left + (index + 1) * slot - 4)
        if count:
            y0 = CHART.bottom - round(count / tallest * height)
            draw.rectangle([(x0, y0), (x1, CHART.bottom)], BAR)
            draw.text(((x0 + x1) / 2, y0 - 6), str(count), INK, small, anchor="mb")
        draw.text(((x0 + x1) / 2, CHART.bottom + 10), label, MUTED, small, anchor="mt")
    draw.line([(CHART.left, CHART.bottom), (CHART.right, CHART.bottom)], INK, 2)
    _draw_pass_mark(draw, report.policy.pass_mark)


def _draw_pass_mark(draw: ImageDraw.ImageDraw, pass_mark: float) -> None:
    x = CHART.x_of(pass_mark)
    draw.line([(x, CHART.top - 10), (x, CHART.bottom)], PASS_MARK_LINE, 4)
    label = f"pass mark {pass_mark:g}"
    anchor = "rb" if x > WIDTH / 2 else "lb"
    offset = -8 if anchor == "rb" else 8
    draw.text((x + offset, CHART.top - 2), label, PASS_MARK_LINE, _font(22), anchor=anchor)


def top_participants(report: CompileReport, count: int = TOP_ROWS) -> list[ParticipantResult]:
    """The `count` highest final averages, ties by name (case-insensitive)."""
    ranked = sorted(report.participants, key=lambda p: (-p.final_average, p.name.casefold()))
    return ranked[:count]


def _draw_top_rows(draw: ImageDraw.ImageDraw, report: CompileReport) -> None:
    title = f"Top {TOP_ROWS} final averages"
    draw.text((MARGIN, TABLE_TOP - 60), title, INK, _font(30))
    font = _font(26)
    columns = (MARGIN + 10, MARGIN + 60, WIDTH - MARGIN - 300, WIDTH - MARGIN - 110)
    header_y = TABLE_TOP + ROW_HEIGHT // 2
    for x, text in zip(columns, ("#", "Name", "Final average", "Status"), strict=True):
        draw.text((x, header_y), text, MUTED, font, anchor="lm")
    name_width = columns[2] - columns[1] - 20
    for rank, person in enumerate(top_participants(report), start=1):
        top = TABLE_TOP + rank * ROW_HEIGHT
        if rank % 2:
            draw.rectangle([(MARGIN, top), (WIDTH - MARGIN, top + ROW_HEIGHT - 1)], STRIPE)
        y = top + ROW_HEIGHT // 2
        status, ink = (PASS_TEXT, PASS_INK) if person.passed else (FAIL_TEXT, FAIL_INK)
        draw.text((columns[0], y), str(rank), MUTED, font, anchor="lm")
        draw.text(
            (columns[1], y), _fit(draw, person.name, font, name_width), INK, font, anchor="lm"
        )
        draw.text((columns[2], y), f"{person.final_average:.1f}", INK, font, anchor="lm")
        draw.text((columns[3], y), status, ink, font, anchor="lm")
