"""A PNG of the results for people who would rather look than open a file.

One picture, legible on a phone: the class in one line, a histogram of final averages with
the pass mark drawn in, the letter grades given (when a scale was chosen), and the ten highest
final averages. Text is set in the DejaVu Sans the
package ships (styles.UNICODE_FONT); a font that cannot be loaded gives way to Pillow's
built-in `ImageFont.load_default(size=...)`.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from compiler.model import CompileReport, ParticipantResult
from compiler.write import styles
from compiler.write.figures import class_figures, letter_rows, number_text
from compiler.write.styles import (
    CHART_BAR_COLOUR,
    FAIL_TEXT,
    PASS_MARK_COLOUR,
    PASS_TEXT,
    rgb,
)
from compiler.write.summary_sheet import BIN_COUNT, bin_labels, final_average_bins

WIDTH = 1000
MARGIN = 40
TOP_ROWS = 10
TABLE_TOP = 700
ROW_HEIGHT = 48
HEIGHT = TABLE_TOP + (TOP_ROWS + 1) * ROW_HEIGHT + MARGIN
LETTER_BAND = 150  # the letter grades given, between the histogram and the table
LETTERS_TOP = 650
HEADROOM = 34  # room above the tallest bar for its count

BACKGROUND = (255, 255, 255)
INK = (33, 33, 33)
MUTED = (110, 110, 110)
GRID = (220, 220, 220)
BAR = rgb(CHART_BAR_COLOUR)
PASS_MARK_LINE = rgb(PASS_MARK_COLOUR)
PASS_INK = (0, 97, 0)
FAIL_INK = (156, 0, 6)
STRIPE = (242, 242, 242)

UNICODE_FONT = str(styles.UNICODE_FONT)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
Colour = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class ChartBox:
    """Where the histogram's plot area sits, in pixels."""

    left: int = 90
    right: int = WIDTH - MARGIN
    top: int = 220
    bottom: int = 580

    def x_of(self, percent: float) -> int:
        """The x pixel of a final average (0-100) on the histogram's axis."""
        clamped = min(100.0, max(0.0, percent))
        return round(self.left + clamped / 100.0 * (self.right - self.left))


CHART = ChartBox()


def render_results_png(report: CompileReport, *, font_name: str | None = UNICODE_FONT) -> bytes:
    """A PNG `WIDTH` pixels wide: the class in a line, a histogram, the letters, the top ten.

    `picture_height(report)` pixels high: `HEIGHT`, and `LETTER_BAND` more with letter grades.
    Text uses the TrueType font `font_name` (a path, or a name found in the system's font
    folders; the bundled DejaVu Sans covers accented and non-Latin names), else Pillow's
    built-in font with accents folded away (`é` -> `e`).
    """
    image = Image.new("RGB", (WIDTH, picture_height(report)), BACKGROUND)
    canvas = Canvas(ImageDraw.Draw(image), font_name)
    _draw_headline(canvas, report)
    _draw_histogram(canvas, report)
    table_top = TABLE_TOP
    if report.letters is not None:
        _draw_letters(canvas, report)
        table_top += LETTER_BAND
    _draw_top_rows(canvas, report, table_top)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def picture_height(report: CompileReport) -> int:
    """The picture's height in pixels: taller by `LETTER_BAND` when letters are given."""
    return HEIGHT + (LETTER_BAND if report.letters is not None else 0)


class Canvas:
    """The drawing surface of one picture and the fonts it uses, loaded once per size."""

    def __init__(self, draw: ImageDraw.ImageDraw, font_name: str | None) -> None:
        self.draw = draw
        self.font_name = font_name
        self.builtin = font_name is None
        self._fonts: dict[int, Font] = {}

    def font(self, size: int) -> Font:
        """The font at `size` pixels; falls back to the built-in font if `font_name` is absent."""
        if size not in self._fonts:
            self._fonts[size] = self._load(size)
        return self._fonts[size]

    def _load(self, size: int) -> Font:
        if not self.builtin and self.font_name is not None:
            try:
                return ImageFont.truetype(self.font_name, size)
            except OSError:
                self.builtin = True
        return ImageFont.load_default(size=size)

    def fit(self, text: str, size: int, width: int) -> str:
        """`text` made drawable on one line and cut (with `…`) to fit `width` pixels."""
        text = self._drawable(text)
        font = self.font(size)
        if self.draw.textlength(text, font=font) <= width:
            return text
        low, high = 0, len(text)
        while low < high:  # the longest prefix that fits with the ellipsis
            middle = (low + high + 1) // 2
            if self.draw.textlength(text[:middle] + "…", font=font) <= width:
                low = middle
            else:
                high = middle - 1
        return text[:low] + "…"

    def _drawable(self, text: str) -> str:
        # A newline or control character would break the one-line layout; the built-in font
        # has no accented letters, so "Björk" is better drawn as "Bjork" than with a box.
        text = "".join(ch if ch.isprintable() else " " for ch in text[:300])
        if self.builtin:
            decomposed = unicodedata.normalize("NFKD", text)
            text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        return text

    def text(
        self, xy: tuple[float, float], text: str, fill: Colour, size: int, anchor: str = "la"
    ) -> None:
        """Draw `text` (already fitted, or made by this module) at `xy`."""
        self.draw.text(xy, text, fill, self.font(size), anchor=anchor)


def _draw_headline(canvas: Canvas, report: CompileReport) -> None:
    count = len(report.participants)
    rate = next(f.value for f in class_figures(report) if f.label == "Pass rate (%)")
    shown_rate = f" ({rate:.1f}%)" if isinstance(rate, float) else ""
    headline = f"{count} participants: {report.passed} passed{shown_rate}, {report.failed} failed"
    canvas.text((MARGIN, 30), canvas.fit(headline, 40, WIDTH - 2 * MARGIN), INK, 40)
    canvas.text((MARGIN, 86), canvas.fit(grading_line(report), 26, WIDTH - 2 * MARGIN), MUTED, 26)
    canvas.text((MARGIN, 140), "Final averages", INK, 30)


def grading_line(report: CompileReport) -> str:
    """`Policy: classic. Pass mark 50. Weighted. Lowest 1 dropped. Tests: 1, 2, 3`."""
    parts = [f"Policy: {report.policy.name}", f"Pass mark {number_text(report.policy.pass_mark)}"]
    if report.weighted:
        parts.append("Weighted")
    if report.drop_lowest:
        parts.append(f"Lowest {report.drop_lowest} dropped")
    tests = ", ".join(str(t) for t in report.tests) or "none"
    return ". ".join([*parts, f"Tests: {tests}"])


def _draw_histogram(canvas: Canvas, report: CompileReport) -> None:
    counts = final_average_bins([p.final_average for p in report.participants])
    step = max(1, -(-max(counts) // 4))  # four whole-number gridlines above zero
    tallest = 4 * step
    height = CHART.bottom - CHART.top - HEADROOM
    draw = canvas.draw
    for line in range(5):
        y = CHART.bottom - round(line / 4 * height)
        draw.line([(CHART.left, y), (CHART.right, y)], GRID, 1)
        canvas.text((CHART.left - 10, y), str(line * step), MUTED, 22, anchor="rm")
    slot = (CHART.right - CHART.left) / BIN_COUNT
    for index, (count, label) in enumerate(zip(counts, bin_labels(), strict=True)):
        x0 = round(CHART.left + index * slot + 4)
        x1 = round(CHART.left + (index + 1) * slot - 4)
        if count:
            y0 = CHART.bottom - round(count / tallest * height)
            draw.rectangle([(x0, y0), (x1, CHART.bottom)], BAR)
            canvas.text(((x0 + x1) / 2, y0 - 6), str(count), INK, 22, anchor="mb")
        canvas.text(((x0 + x1) / 2, CHART.bottom + 10), label, MUTED, 22, anchor="mt")
    draw.line([(CHART.left, CHART.bottom), (CHART.right, CHART.bottom)], INK, 2)
    _draw_pass_mark(canvas, report.policy.pass_mark)


def _draw_pass_mark(canvas: Canvas, pass_mark: float) -> None:
    x = CHART.x_of(pass_mark)
    canvas.draw.line([(x, CHART.top - 6), (x, CHART.bottom)], PASS_MARK_LINE, 4)
    label = f"pass mark {pass_mark:g}"
    anchor = "rb" if x > WIDTH / 2 else "lb"
    offset = -8 if anchor == "rb" else 8
    canvas.text((x + offset, CHART.top - 8), label, PASS_MARK_LINE, 22, anchor=anchor)


def top_participants(report: CompileReport, count: int = TOP_ROWS) -> list[ParticipantResult]:
    """The `count` highest final averages, ties by name (case-insensitive)."""
    ranked = sorted(report.participants, key=lambda p: (-p.final_average, p.name.casefold()))
    return ranked[:count]


def _draw_letters(canvas: Canvas, report: CompileReport) -> None:
    """The letters given, a box each: the letter, how many, their share of the class."""
    rows = letter_rows(report)
    canvas.text((MARGIN, LETTERS_TOP), "Letter grades", INK, 30)
    top, height, gap = LETTERS_TOP + 46, 84, 8
    width = (WIDTH - 2 * MARGIN - gap * (len(rows) - 1)) / max(1, len(rows))
    for index, (letter, _, count, share) in enumerate(rows):
        x0 = round(MARGIN + index * (width + gap))
        x1 = round(x0 + width)
        canvas.draw.rectangle([(x0, top), (x1, top + height)], STRIPE)
        middle = (x0 + x1) / 2
        canvas.text((middle, top + 24), canvas.fit(letter, 28, x1 - x0 - 8), INK, 28, "mm")
        shown = f"{count:,}" + ("" if share is None else f" ({share:.1f}%)")
        canvas.text((middle, top + 62), canvas.fit(shown, 22, x1 - x0 - 8), MUTED, 22, "mm")


def _draw_top_rows(canvas: Canvas, report: CompileReport, table_top: int = TABLE_TOP) -> None:
    canvas.text((MARGIN, table_top - 54), f"Top {TOP_ROWS} final averages", INK, 30)
    with_letters = report.letters is not None
    columns = (MARGIN + 10, MARGIN + 60, WIDTH - MARGIN - 300, WIDTH - MARGIN - 110)
    if with_letters:
        columns = (MARGIN + 10, MARGIN + 60, WIDTH - MARGIN - 400, WIDTH - MARGIN - 110)
    header_y = table_top + ROW_HEIGHT // 2
    for x, text in zip(columns, ("#", "Name", "Final average", "Status"), strict=True):
        canvas.text((x, header_y), text, MUTED, 26, anchor="lm")
    if with_letters:
        canvas.text((WIDTH - MARGIN - 215, header_y), "Grade", MUTED, 26, anchor="lm")
    name_width = columns[2] - columns[1] - 20
    for rank, person in enumerate(top_participants(report), start=1):
        top = table_top + rank * ROW_HEIGHT
        if rank % 2:
            box = [(MARGIN, top), (WIDTH - MARGIN, top + ROW_HEIGHT - 1)]
            canvas.draw.rectangle(box, STRIPE)
        y = top + ROW_HEIGHT // 2
        status, ink = (PASS_TEXT, PASS_INK) if person.passed else (FAIL_TEXT, FAIL_INK)
        canvas.text((columns[0], y), str(rank), MUTED, 26, anchor="lm")
        canvas.text((columns[1], y), canvas.fit(person.name, 26, name_width), INK, 26, "lm")
        canvas.text((columns[2], y), f"{person.final_average:.2f}", INK, 26, anchor="lm")
        if with_letters:
            letter = canvas.fit(person.letter or "", 26, 95)
            canvas.text((WIDTH - MARGIN - 215, y), letter, INK, 26, anchor="lm")
        canvas.text((columns[3], y), status, ink, 26, anchor="lm")
