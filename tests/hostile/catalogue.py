"""Every hostile file, and what must come of it.

A refused file gets an error of the given type whose message starts with the file's name, says
what is wrong (`says`) and what to do. A legitimate but odd file is read and compiled with its
odd text intact: `people` are names its Results sheet must show, exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from compiler.errors import CorruptFile, ExportError, FileTooLarge, UnsupportedFormat
from compiler.model import UploadedFile
from tests.hostile import biff, broken, odd

XLS_PEOPLE = ("Farrukh Nakamura-Test", "Greta Oyelaran-Test", "Hiroshi Varga-Test")


@dataclass(frozen=True)
class Hostile:
    """One hostile or odd file, and what must come of it."""

    name: str
    build: Callable[[], bytes]
    refused: type[ExportError] | None  # None: legitimate, read and compiled
    says: str = ""  # words of the refusal
    people: tuple[str, ...] = ()  # legitimate files: names the Results sheet shows

    def upload(self) -> UploadedFile:
        return UploadedFile(self.name, self.build())


HOSTILE: tuple[Hostile, ...] = (
    Hostile("cut off.xlsx", broken.truncated, CorruptFile, "damaged or incomplete"),
    Hostile("random.xlsx", broken.random_bytes, UnsupportedFormat, "named .xlsx but its contents"),
    Hostile("page.xlsx", broken.web_page, UnsupportedFormat, "web page (HTML)"),
    Hostile("photo.xlsx", broken.png_picture, UnsupportedFormat, "a PNG image"),
    Hostile(
        "no content types.xlsx",
        broken.without_content_types,
        CorruptFile,
        "parts of it are missing",
    ),
    Hostile("laughs.xlsx", broken.entity_bomb, CorruptFile, "XML entity declarations"),
    Hostile("laughs.ods", broken.entity_bomb_ods, CorruptFile, "XML entity declarations"),
    Hostile("honest bomb.xlsx", broken.zip_bomb_honest, FileTooLarge, "would expand to 1024.0 MB"),
    Hostile("lying bomb.xlsx", broken.zip_bomb_lying, CorruptFile, "damaged"),
    Hostile("ratio bomb.xlsx", broken.zip_bomb_ratio, FileTooLarge, "times when opened"),
    Hostile(
        "shared strings bomb.xlsx",
        broken.shared_strings_bomb,
        FileTooLarge,
        "repeats the same text in so many cells",
    ),
    Hostile(
        "repeated text.ods",
        broken.repeated_text_ods,
        FileTooLarge,
        "repeats the same text in so many cells",
    ),
    Hostile(
        "spaces.ods", broken.spaces_ods, FileTooLarge, "repeats the same text in so many cells"
    ),
    Hostile(
        "forty sheets.xlsx",
        broken.many_sparse_sheets,
        FileTooLarge,
        "sheets together span more than 5,000,000 cells",
    ),
    Hostile("locked.xlsx", broken.password_protected, CorruptFile, "password-protected"),
    Hostile(
        "far sheets.xls",
        lambda: biff.far_sheets(10),
        FileTooLarge,
        "spans 65,536 rows by 256 columns",
    ),
    Hostile("wide.xlsx", odd.all_columns, FileTooLarge, "more than 1,000 columns"),
    Hostile("wide.csv", odd.all_columns_csv, FileTooLarge, "more than 1,000 columns"),
    Hostile("long.xlsx", odd.million_rows, FileTooLarge, "more than 100,000 rows"),
    Hostile("long.csv", odd.million_rows_csv, FileTooLarge, "more than 100,000 rows"),
    Hostile("japanese.csv", odd.shift_jis_csv, UnsupportedFormat, "character encoding"),
    Hostile("russian.csv", odd.koi8_csv, UnsupportedFormat, "character encoding"),
    Hostile(
        "claims a million rows.xlsx",
        odd.declared_million_rows,
        None,
        people=broken.ORDINARY_PEOPLE,
    ),
    Hostile("macros.xlsm", odd.macro_workbook, None, people=odd.MACRO_PEOPLE),
    Hostile("legacy.xls", lambda: biff.class_workbook(XLS_PEOPLE), None, people=XLS_PEOPLE),
    Hostile(
        "longest cells.xlsx",
        odd.longest_cells,
        None,
        people=(odd.LONG_NAME, "Esi Varga-Test", "Bodhi Lindqvist-Test"),
    ),
    Hostile("nul.csv", odd.nul_bytes_csv, None, people=odd.NUL_PEOPLE),
    Hostile("nul.xlsx", odd.nul_bytes_xlsx, None, people=odd.NUL_PEOPLE),
    Hostile(
        "نتائج الاختبار 3 📊.xlsx",
        odd.rtl_and_emoji,
        None,
        people=(*odd.RTL_EMOJI_PEOPLE, *odd.FORMULA_LIKE_SHOWN),
    ),
)

REFUSED = tuple(h for h in HOSTILE if h.refused is not None)
LEGITIMATE = tuple(h for h in HOSTILE if h.refused is None)
