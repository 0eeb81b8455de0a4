"""Report cards: one PDF with a cover page for the class and a page per participant.

What a page says is made in `card_content.py`; this module only lays it out, in the
workbook's colours (each test in its colour, PASS and FAIL as Excel's good and bad styles, the
Summary chart's bars and pass mark). Text is set in DejaVu Sans, shipped in `fonts/`: it covers
Latin with any accents (Yoruba, Igbo and Hausa letters included), Cyrillic, Greek and Arabic.
See `pdf_pages.py` for how names are drawn and why the drawing is fast.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fpdf.drawing_primitives import DeviceRGB

from compiler.model import CompileReport
from compiler.write.card_content import Card, Cover, Field, TestLine, Tone, cards, cover
from compiler.write.pdf_pages import INK, MUTED, PT, RULE, FontPath, Pages, colour
from compiler.write.styles import (
    BAD_FILL,
    BAD_FONT,
    CHART_BAR_COLOUR,
    GOOD_FILL,
    GOOD_FONT,
    PASS_MARK_COLOUR,
    TEST_COLOURS,
    UNICODE_BOLD_FONT,
    UNICODE_FONT,
    test_colour,
)

PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0  # A4, in millimetres as everything here
MARGIN = 18.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
PAD = 2.0  # between a cell's border and its text

GRID = colour("DCDCDC")
HEADER_FILL = colour("D9D9D9")  # the workbook's header cells
BAR = colour(CHART_BAR_COLOUR)
PASS_MARK = colour(PASS_MARK_COLOUR)
TEST_FILLS = {hex_colour: colour(hex_colour) for hex_colour in TEST_COLOURS}
TONES: dict[Tone, tuple[DeviceRGB, DeviceRGB | None]] = {  # tone -> (ink, fill)
    "plain": (INK, None),
    "muted": (MUTED, None),
    "pass": (colour(GOOD_FONT), colour(GOOD_FILL)),
    "fail": (colour(BAD_FONT), colour(BAD_FILL)),
}


def render_report_cards(
    report: CompileReport,
    *,
    font_path: FontPath = UNICODE_FONT,
    bold_font_path: FontPath | None = UNICODE_BOLD_FONT,
) -> bytes:
    """The PDF of `report`'s report cards: a cover for the class, then a page per participant.

    Participants come in the Results sheet's order. `font_path` is a TrueType font for all
    text (the bundled DejaVu Sans by default); `bold_font_path` its bold face, or None to set
    headings in the regular face. Nothing but the font files is read, nothing is logged.
    """
    pages = Pages(font_path, bold_font_path, title="Report cards")
    draw_cover(pages, cover(report), len(report.participants))
    header = f"Policy: {report.policy.name} · pass mark {report.policy.pass_mark:g}"
    layouts: dict[tuple[int, tuple[str, ...]], TableLayout] = {}
    for card in cards(report):
        key = (len(card.lines), column_labels(card.lines))
        if key not in layouts:
            layouts[key] = TableLayout.fitting(*key)
        draw_card(pages, card, layouts[key], header)
    return pages.output()


def column_labels(lines: Iterable[TestLine]) -> tuple[str, ...]:
    """The labels of a card table's columns after the first, from its first line."""
    for line in lines:
        return tuple(field.label for field in line.fields)
    return ()


@dataclass(frozen=True, slots=True)
class TableLayout:
    """Where a card's table goes: its lines split into side-by-side blocks when they are many.

    The same for every card of a report, so worked out once.
    """

    blocks: int
    fields: int  # columns after the label
    per_block: int  # lines in each block (the last may hold fewer)
    row_height: float
    label_width: float
    field_width: float
    font_size: float

    TOP = 52.0
    BOTTOM = PAGE_HEIGHT - MARGIN - 50.0  # the figures need the room below
    GAP = 6.0
    LABEL_WIDTH, FIELD_WIDTH = 70.0, 36.0
    ROW_HEIGHT, MIN_ROW_HEIGHT = 8.0, 5.0

    @classmethod
    def fitting(cls, lines: int, labels: tuple[str, ...]) -> TableLayout:
        """The largest rows that fit `lines` lines, a header row above each block."""
        room = cls.BOTTOM - cls.TOP
        blocks = 1
        while room / (-(-lines // blocks) + 1) < cls.MIN_ROW_HEIGHT:
            blocks += 1
        per_block = max(1, -(-lines // blocks))
        row_height = min(cls.ROW_HEIGHT, room / (per_block + 1))
        block_width = (CONTENT_WIDTH - cls.GAP * (blocks - 1)) / blocks
        fields = max(1, len(labels))
        field_width = min(cls.FIELD_WIDTH, block_width / 2 / fields)
        label_width = min(cls.LABEL_WIDTH, block_width - field_width * fields)
        font_size = max(6.5, min(11.0, row_height / PT * 0.5))
        return cls(blocks, fields, per_block, row_height, label_width, field_width, font_size)

    @property
    def block_width(self) -> float:
        return self.label_width + self.field_width * self.fields

    @property
    def bottom(self) -> float:
        """The foot of the table's longest block."""
        return self.TOP + (self.per_block + 1) * self.row_height

    def blocks_of(self, lines: tuple[TestLine, ...]) -> list[tuple[float, tuple[TestLine, ...]]]:
        """(left edge, lines) of each block; the first even when there are no lines."""
        step = self.block_width + self.GAP
        chunks = [lines[i : i + self.per_block] for i in range(0, len(lines), self.per_block)]
        return [(MARGIN + index * step, chunk) for index, chunk in enumerate(chunks or [()])]

    def value_right_edges(self, left: float) -> list[float]:
        """Where each field's text ends (numbers are right-aligned) in a block at `left`."""
        first = left + self.label_width
        return [first + (column + 1) * self.field_width - PAD for column in range(self.fields)]


def draw_card(pages: Pages, card: Card, layout: TableLayout, header: str) -> None:
    """One participant's page: who, the table of tests, the figures under it.

    Shapes first, then the texts in reading order (see `Pages`), so that a reader's copy of a
    line reads "Test 1 78.5".
    """
    pages.add_page()
    blocks = layout.blocks_of(card.lines)
    figures_top = layout.bottom + 10
    pages.line(MARGIN, MARGIN + 3, PAGE_WIDTH - MARGIN, MARGIN + 3, RULE)
    for left, lines in blocks:
        _draw_block_shapes(pages, lines, layout, left)
    _draw_figure_shapes(pages, card.figures, figures_top)
    pages.font(9, ink=MUTED)
    pages.text(MARGIN, MARGIN, "Report card")
    pages.text(PAGE_WIDTH - MARGIN, MARGIN, header, align="R")
    pages.font(20, bold=True)
    pages.user_text(MARGIN, MARGIN + 16, card.name, CONTENT_WIDTH)
    if card.email:
        pages.font(11, ink=MUTED)
        pages.user_text(MARGIN, MARGIN + 24, card.email, CONTENT_WIDTH)
    labels = column_labels(card.lines)
    for left, lines in blocks:
        _draw_block_texts(pages, lines, labels, layout, left)
    _draw_figure_texts(pages, card.figures, figures_top)


def _draw_block_shapes(
    pages: Pages, lines: tuple[TestLine, ...], layout: TableLayout, left: float
) -> None:
    h, top = layout.row_height, TableLayout.TOP
    pages.rect(left, top, layout.block_width, h, HEADER_FILL)
    for row, line in enumerate(lines, start=1):
        fill = None if line.colour_of is None else TEST_FILLS[test_colour(line.colour_of)]
        pages.rect(left, top + row * h, layout.block_width, h, fill)
    bottom = top + (len(lines) + 1) * h
    for column in range(layout.fields):
        x = left + layout.label_width + column * layout.field_width
        pages.line(x, top, x, bottom, RULE)


def _draw_block_texts(
    pages: Pages,
    lines: tuple[TestLine, ...],
    labels: tuple[str, ...],
    layout: TableLayout,
    left: float,
) -> None:
    h, top = layout.row_height, TableLayout.TOP
    baseline = top + h / 2 + 0.35 * layout.font_size * PT
    edges = layout.value_right_edges(left)
    pages.font(layout.font_size, bold=True)
    pages.text(left + PAD, baseline, "Test")
    for edge, label in zip(edges, labels, strict=False):
        pages.text(edge, baseline, label, align="R")
    pages.font(layout.font_size)
    for row, line in enumerate(lines, start=1):  # in reading order: a label, then its fields
        pages.ink(INK)
        pages.text(left + PAD, baseline + row * h, line.label)
        for edge, field in zip(edges, line.fields, strict=False):
            pages.ink(TONES[field.tone][0])
            pages.text(edge, baseline + row * h, field.value, align="R")


FIGURE_LABEL_WIDTH, FIGURE_VALUE_WIDTH, FIGURE_HEIGHT, FIGURE_SIZE = 60.0, 50.0, 9.0, 11.0


def _draw_figure_shapes(pages: Pages, figures: tuple[Field, ...], top: float) -> None:
    for index, figure in enumerate(figures):
        fill = TONES[figure.tone][1]
        if fill is not None:
            y = top + index * FIGURE_HEIGHT + 1
            box = (MARGIN + FIGURE_LABEL_WIDTH, y, FIGURE_VALUE_WIDTH, FIGURE_HEIGHT - 2)
            pages.rect(*box, fill, border=False)


def _draw_figure_texts(pages: Pages, figures: tuple[Field, ...], top: float) -> None:
    baseline = top + FIGURE_HEIGHT / 2 + 0.35 * FIGURE_SIZE * PT
    for index, figure in enumerate(figures):
        y = baseline + index * FIGURE_HEIGHT
        pages.font(FIGURE_SIZE, bold=True)
        pages.text(MARGIN, y, figure.label)
        ink, fill = TONES[figure.tone]
        pages.font(FIGURE_SIZE, bold=fill is not None, ink=ink)
        pages.text(MARGIN + FIGURE_LABEL_WIDTH + 3, y, figure.value)


def draw_cover(pages: Pages, page: Cover, participants: int) -> None:
    """The class's page: a title, the Summary sheet's figures, the distribution chart."""
    pages.add_page()
    pages.font(22, bold=True)
    pages.text(MARGIN, MARGIN + 8, "Class results")
    tests = ", ".join(str(t) for t in page.tests) or "none"
    pages.font(11, ink=MUTED)
    line = f"Report cards of {participants:,} participants · tests {tests}"
    pages.user_text(MARGIN, MARGIN + 16, line, CONTENT_WIDTH)
    # The class's figures in two columns, the chart, then how it was graded in the room left.
    half = -(-len(page.figures) // 2)
    column = CONTENT_WIDTH / 2
    top, style = MARGIN + 26, FIGURE_STYLES[0]
    left = _draw_cover_figures(pages, page.figures[:half], top, style, MARGIN, column)
    right = _draw_cover_figures(pages, page.figures[half:], top, style, MARGIN + column, column)
    box = ChartBox(top=max(left, right) + 22, height=COVER_CHART_HEIGHT)
    _draw_chart(pages, page, box)
    if page.grading:
        top = box.bottom + 18
        style = _fitting_style(pages, page.grading, PAGE_HEIGHT - MARGIN - top)
        _draw_cover_figures(pages, page.grading, top, style)


@dataclass(frozen=True, slots=True)
class FigureStyle:
    """How the cover's figures are set: font size (pt), line and smallest row height (mm)."""

    size: float
    line_height: float
    row_height: float

    @property
    def baseline(self) -> float:
        """Where a row's first baseline sits below its top."""
        return self.row_height * 2 / 3


# The largest that fits the room is used: how a class was graded can take many lines (a weight
# per test, a letter scale), and the cover is one page.
FIGURE_STYLES = (
    FigureStyle(10.5, 5.5, 7.5),
    FigureStyle(9.5, 5.0, 6.8),
    FigureStyle(8.5, 4.4, 6.0),
    FigureStyle(7.5, 3.9, 5.3),
    FigureStyle(6.5, 3.4, 4.6),
)
FIGURE_LABEL_WIDTH_COVER = 50.0
COVER_CHART_HEIGHT = 72.0
COVER_VALUE_LIMIT = 400  # characters of one figure on the cover; the Summary sheet has all


def _fitting_style(pages: Pages, figures: tuple[Field, ...], room: float) -> FigureStyle:
    for style in FIGURE_STYLES:
        if _figures_height(pages, figures, style) <= room:
            return style
    return FIGURE_STYLES[-1]


def _figures_height(pages: Pages, figures: tuple[Field, ...], style: FigureStyle) -> float:
    pages.font(style.size)
    width = CONTENT_WIDTH - FIGURE_LABEL_WIDTH_COVER
    height = 0.0
    for figure in figures:
        lines = pages.pdf.multi_cell(
            width, style.line_height, _cut(figure.value), padding=0, dry_run=True, output="LINES"
        )
        count = len(lines) if isinstance(lines, list) else 1  # output="LINES": the lines alone
        height += max(style.row_height, count * style.line_height + 2)
    return height


def _cut(value: str) -> str:
    if len(value) <= COVER_VALUE_LIMIT:
        return value
    return value[: COVER_VALUE_LIMIT - 1] + "…"


def _draw_cover_figures(
    pages: Pages,
    figures: tuple[Field, ...],
    top: float,
    style: FigureStyle,
    left: float = MARGIN,
    width: float = CONTENT_WIDTH,
) -> float:
    """The figures, a value too long for its line wrapped; returns where they end."""
    label_width, size, line_height = FIGURE_LABEL_WIDTH_COVER, style.size, style.line_height
    pdf = pages.pdf
    y = top
    for figure in figures:
        baseline = y + style.baseline
        pages.font(size, bold=True)
        pages.text(left, baseline, figure.label)
        pages.font(size, ink=TONES[figure.tone][0])
        # multi_cell puts its first baseline 0.5 line + 0.3 size below its top: on the label's.
        pdf.set_xy(left + label_width, baseline - line_height / 2 - 0.3 * size * PT)
        value = _cut(figure.value)
        pdf.multi_cell(width - label_width, line_height, value, align="L", padding=0)
        y = max(y + style.row_height, pdf.get_y() + 2)
    return y


@dataclass(frozen=True, slots=True)
class ChartBox:
    """Where the cover's histogram is drawn."""

    top: float
    left: float = MARGIN + 14
    right: float = PAGE_WIDTH - MARGIN
    height: float = 80.0
    headroom: float = 8.0  # above the tallest bar, for its count

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def x_of(self, percent: float) -> float:
        """The x of a final average (0-100) on the chart's axis."""
        return self.left + min(100.0, max(0.0, percent)) / 100.0 * (self.right - self.left)


def gridline_step(tallest: int) -> int:
    """The step between the chart's four gridlines above zero: 1, 2, 3 or 5 times a power of ten
    (or 25 times one), the smallest whose four steps reach `tallest`."""
    power = 1
    while True:
        for factor in (1, 2, 2.5, 3, 5):
            step = factor * power
            if step == int(step) and 4 * step >= tallest:
                return int(step)
        power *= 10


def _draw_chart(pages: Pages, page: Cover, box: ChartBox) -> None:
    """The histogram of final averages, in the Summary chart's ranges and colour."""
    counts = [count for _, count in page.bins]
    step = gridline_step(max(counts, default=0))
    plot = box.height - box.headroom
    slot = (box.right - box.left) / max(1, len(page.bins))
    bars = [
        (box.left + i * slot + 1.2, box.left + (i + 1) * slot - 1.2) for i in range(len(counts))
    ]
    for line in range(5):
        y = box.bottom - line / 4 * plot
        pages.line(box.left, y, box.right, y, GRID)
    tops = [box.bottom - count / (4 * step) * plot for count in counts]
    for (x0, x1), count, top in zip(bars, counts, tops, strict=True):
        if count:
            pages.rect(x0, top, x1 - x0, box.bottom - top, BAR, border=False)
    pages.line(box.left, box.bottom, box.right, box.bottom, INK)
    pages.font(14, bold=True)
    pages.text(MARGIN, box.top - 12, "Final averages")
    pages.font(8)
    for (x0, x1), count, top in zip(bars, counts, tops, strict=True):
        if count:
            pages.text((x0 + x1) / 2, top - 1.2, f"{count:,}", align="C")
    pages.font(8, ink=MUTED)
    for line in range(5):
        pages.text(box.left - 2, box.bottom - line / 4 * plot + 1, f"{line * step:,}", align="R")
    for (x0, x1), (label, _) in zip(bars, page.bins, strict=True):
        pages.text((x0 + x1) / 2, box.bottom + 4, label, align="C")
    pages.font(9, ink=MUTED)
    pages.text((box.left + box.right) / 2, box.bottom + 10, "Final average (%)", align="C")
    _draw_pass_mark(pages, box, page.pass_mark)


def _draw_pass_mark(pages: Pages, box: ChartBox, pass_mark: float) -> None:
    x = box.x_of(pass_mark)
    pages.line(x, box.top - 2, x, box.bottom, PASS_MARK, width=0.8)
    pages.font(9, ink=PASS_MARK)
    right_side = x > (box.left + box.right) / 2
    label = f"pass mark {pass_mark:g}"
    pages.text(x - 1.5 if right_side else x + 1.5, box.top, label, align="R" if right_side else "L")
