"""A thin drawing surface over fpdf2 for pages drawn by the thousand (the report cards).

Two things matter here. Speed: fixed texts go through `FPDF.text` (no line breaking, no
shaping), and font and colour changes reach FPDF only when they change. People's text: a name
or an e-mail is made one line, characters the font lacks become `?` (fpdf2 would drop them
and log them), and right-to-left text is shaped by HarfBuzz when uharfbuzz is installed,
else at least put in right-to-left order, letter by letter. Nothing of it reaches a log.
"""

from __future__ import annotations

import logging
import os
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fpdf import FPDF
from fpdf.bidi import BidiParagraph
from fpdf.drawing_primitives import DeviceRGB
from fpdf.errors import FPDFException
from fpdf.fonts import TTFFont

from compiler.write.styles import rgb

FontPath = str | os.PathLike[str]

PT = 0.3528  # millimetres in a typographic point
LINE_WIDTH = 0.2  # of borders and rules
MAX_TEXT = 300  # characters of a person's text looked at; a line holds far fewer
MISSING_GLYPH = "?"
ELLIPSIS = "…"
RTL_CLASSES = frozenset({"R", "AL", "AN"})  # bidirectional classes of right-to-left text


def colour(hex_colour: str) -> DeviceRGB:
    """`"#87CEEB"` or `"87CEEB"` as a PDF colour."""
    r, g, b = rgb(hex_colour)
    return DeviceRGB(r / 255, g / 255, b / 255)


INK = colour("212121")
MUTED = colour("6E6E6E")
RULE = colour("969696")


class Pages:
    """An A4 document in millimetres, in one TrueType family, with the few steps pages need.

    FPDF keeps its font and colours from page to page; so does this, and it tells FPDF only of
    a change. Shapes are best drawn before texts: a PDF paints text in the fill colour, and
    `text` sets it to the ink once rather than around every text.
    """

    def __init__(self, font_path: FontPath, bold_font_path: FontPath | None, title: str) -> None:
        pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        pdf.set_auto_page_break(False)
        pdf.set_title(title)
        pdf.set_creator("Results Compiler")
        pdf.add_font("face", "", os.fspath(font_path))
        pdf.add_font("face", "B", os.fspath(bold_font_path or font_path))
        pdf.set_line_width(LINE_WIDTH)
        self.pdf = pdf
        self.faces = {style: _truetype(pdf, "face" + style) for style in ("", "B")}
        self.glyphs = {style: frozenset(map(chr, face.cmap)) for style, face in self.faces.items()}
        self.shaping = _shaping_available(pdf)
        self._font: tuple[str, float] = ("", 0.0)
        self._ink: DeviceRGB = INK
        self._fill: DeviceRGB | None = None
        self._stroke: DeviceRGB | None = None
        self._widths: dict[tuple[str, float, str], float] = {}
        pdf.set_text_color(INK)

    def output(self) -> bytes:
        """The PDF's bytes; nothing can be drawn after."""
        with _quiet(logging.getLogger("fontTools")):
            return bytes(self.pdf.output())

    def add_page(self) -> None:
        self.pdf.add_page()

    def font(self, size: float, bold: bool = False, ink: DeviceRGB = INK) -> None:
        """Set the face, the size in points and the colour of the texts that follow."""
        face = ("B" if bold else "", size)
        if face != self._font:
            self.pdf.set_font("face", *face)
            self._font = face
        self.ink(ink)

    def ink(self, ink: DeviceRGB) -> None:
        """Set the colour of the texts that follow."""
        if ink is not self._ink:
            self.pdf.set_text_color(ink)
            self._ink = ink

    def width(self, text: str) -> float:
        """The width of `text` unshaped in the current font, in millimetres."""
        key = (*self._font, text)
        if key not in self._widths:
            style, size = self._font
            points = self.faces[style].get_text_width(text, size, None)[1]
            self._widths[key] = points / self.pdf.k
        return self._widths[key]

    def text(self, x: float, baseline: float, text: str, align: str = "L") -> None:
        """Draw `text` (one made by the program, not a person's) from (L), to (R) or around (C)
        `x`."""
        if align != "L":
            shift = self.width(text)
            x -= shift if align == "R" else shift / 2
        self._fill_with_ink()
        self.pdf.text(x, baseline, text)

    def _fill_with_ink(self) -> None:
        if self._fill is not self._ink:
            self.pdf.set_fill_color(self._ink)
            self._fill = self._ink

    def rect(
        self, x: float, y: float, w: float, h: float, fill: DeviceRGB | None, border: bool = True
    ) -> None:
        """A rectangle: its fill if any, and a thin grey border if `border`."""
        if fill is not None and fill is not self._fill:
            self.pdf.set_fill_color(fill)
            self._fill = fill
        if border:
            self._set_stroke(RULE, LINE_WIDTH)
        style = ("D" if border else "") + ("F" if fill is not None else "")
        self.pdf.rect(x, y, w, h, style=style)

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        stroke: DeviceRGB,
        width: float = LINE_WIDTH,
    ) -> None:
        self._set_stroke(stroke, width)
        self.pdf.line(x1, y1, x2, y2)

    def _set_stroke(self, stroke: DeviceRGB, width: float) -> None:
        if stroke is not self._stroke:
            self.pdf.set_draw_color(stroke)
            self._stroke = stroke
        if width != self.pdf.line_width:
            self.pdf.set_line_width(width)

    def user_text(self, x: float, baseline: float, text: str, width: float) -> None:
        """Draw a person's text (a name, an e-mail) on one line within `width` millimetres.

        Control characters become spaces, characters the font lacks become `?`, a text too
        long is cut with `…`; the bold face gives way to the regular one for letters only the
        regular has (DejaVu Sans Bold lacks some Arabic).
        """
        style, size = self._font
        text = "".join(ch if ch.isprintable() else " " for ch in text[:MAX_TEXT])
        if style == "B" and (set(text) - self.glyphs["B"]) & self.glyphs[""]:
            self.font(size, bold=False, ink=self._ink)
        glyphs = self.glyphs[self._font[0]]
        text = "".join(ch if ch in glyphs or ch == " " else MISSING_GLYPH for ch in text)
        self._fill_with_ink()
        if not any(unicodedata.bidirectional(ch) in RTL_CLASSES for ch in text):
            self.pdf.text(x, baseline, self._fit(text, width, self.width))
        elif self.shaping:
            self._shaped(x, baseline, text, width)
        else:
            visual = BidiParagraph(text).get_reordered_string()
            self.pdf.text(x, baseline, self._fit(visual, width, self.width))

    @staticmethod
    def _fit(text: str, width: float, measure: Callable[[str], float]) -> str:
        """`text` cut (with `…`) to fit `width` as `measure` measures it."""
        if measure(text) <= width:
            return text
        low, high = 0, len(text)
        while low < high:  # the longest prefix that fits with the ellipsis
            middle = (low + high + 1) // 2
            if measure(text[:middle].rstrip() + ELLIPSIS) <= width:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip() + ELLIPSIS

    def _shaped(self, x: float, baseline: float, text: str, width: float) -> None:
        pdf = self.pdf
        pdf.set_text_shaping(True)
        try:
            fitted = self._fit(text, width, pdf.get_string_width)  # measured shaped
            height = self._font[1] * PT
            # FPDF.cell puts its text's baseline 0.5 h + 0.3 size below the cell's top.
            pdf.set_xy(x - pdf.c_margin, baseline - 0.8 * height)
            pdf.cell(width + 2 * pdf.c_margin, height, fitted)
        finally:
            pdf.set_text_shaping(False)


@contextmanager
def _quiet(logger: logging.Logger) -> Iterator[None]:
    """`logger` held at WARNING for a while: fontTools, subsetting the fonts as the PDF is
    written, logs at INFO the names of the glyphs kept, that is the letters of people's names."""
    level = logger.level
    logger.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        logger.setLevel(level)


def _truetype(pdf: FPDF, key: str) -> TTFFont:
    font = pdf.fonts[key]
    if not isinstance(font, TTFFont):
        raise TypeError(f"{key} is not a TrueType font")
    return font


def _shaping_available(pdf: FPDF) -> bool:
    try:
        pdf.set_text_shaping(True)  # raises when uharfbuzz cannot be imported
    except FPDFException:
        return False
    pdf.set_text_shaping(False)
    return True
