"""Shared-string sizes line up with the items calamine reads, however the table is written: a
misaligned size would let a cell point at a long string while the budget counts a short one."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineError, CalamineWorkbook

from compiler.errors import FileTooLarge
from compiler.model import Limits, UploadedFile
from compiler.read.guards.shared_strings import (
    _PLAIN_ITEMS,
    _PLAIN_TEXT,
    _bare_sizes,
    read_shared_strings,
)
from compiler.read.guards.zip_archive import repack_zip
from tests.hostile.broken import ordinary_export, sheet_xml
from tests.hostile.zips import parts_of, zip_of

HEAD = b'<?xml version="1.0" encoding="UTF-8"?>'
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
LONG = "L" * 500

TABLES = {
    "plain": "<si><t>ab</t></si><si><t xml:space='preserve'> c </t></si>",
    "an item without text": "<si></si><si><t>ab</t></si><si/><si><t>" + LONG + "</t></si>",
    "an empty text first": "<si><t/><t>" + LONG + "</t></si><si><t>ab</t></si>",
    "rich runs": "<si><r><t>ab</t></r><r><rPr><b/></rPr><t>cd</t></r></si><si><t>e</t></si>",
    "phonetic": "<si><t>漢字</t><rPh><t>かんじ</t></rPh></si><si><r><t>a</t></r>"
    "<rPh><t>xyz</t></rPh></si>",
    "a si inside a text": "<si><t>aa<t>bb</t><si><t>"
    + LONG
    + "</t></si></t></si><si><t>z</t></si>",
    "a si inside a rich item": "<si><r><t>a</t></r><si><t>" + LONG + "</t></si><t>b</t></si>",
    "entities": "<si><t>&lt;&amp;&gt;</t></si><si><t>&#x1F642;</t></si>",
}


def table(items: str, *, prefix: str = "") -> bytes:
    tag = f"{prefix}:" if prefix else ""
    namespace = NS.replace(b"xmlns=", f"xmlns:{prefix}=".encode()) if prefix else NS
    body = items.replace("<si", f"<{tag}si").replace("</si", f"</{tag}si")
    for name in ("t", "r", "rPh", "rPr", "b"):
        body = body.replace(f"<{name}>", f"<{tag}{name}>").replace(f"</{name}>", f"</{tag}{name}>")
        body = body.replace(f"<{name} ", f"<{tag}{name} ").replace(f"<{name}/", f"<{tag}{name}/")
    return (
        HEAD + f"<{tag}sst ".encode() + namespace + b">" + body.encode() + f"</{tag}sst>".encode()
    )


def workbook(strings: bytes, cells: bytes) -> bytes:
    parts = parts_of(ordinary_export())
    parts["xl/sharedStrings.xml"] = strings
    parts["xl/worksheets/sheet1.xml"] = sheet_xml(cells)
    return zip_of(parts)


def calamine_text(strings: bytes, index: int) -> str | None:
    """What calamine shows in a cell pointing at item `index`; None when it refuses the index."""
    cells = b'<row r="1"><c r="A1" t="s"><v>%d</v></c></row>' % index
    data = repack_zip(UploadedFile("t.xlsx", workbook(strings, cells)), Limits())
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
            return str(book.get_sheet_by_name("Responses").to_python()[0][0])
    except CalamineError:
        return None


@pytest.mark.parametrize("prefix", ["", "x"])
@pytest.mark.parametrize("name", sorted(TABLES))
def test_cells_are_never_counted_at_less_than_calamine_gives_them(name: str, prefix: str) -> None:
    strings = table(TABLES[name], prefix=prefix)
    counted = read_shared_strings([strings])
    for index in range(6):
        shown = calamine_text(strings, index)
        if shown is not None:
            # Fifty cells at this index, however calamine numbers the items.
            assert counted.text_of([index] * 50) >= 50 * len(shown.encode())


def test_plain_tables_are_counted_exactly() -> None:
    strings = table(TABLES["plain"])
    counted = read_shared_strings([strings])
    assert counted.text_of([0, 1, 1, 7]) == 2 + 3 + 3  # index 7 is past the table
    assert [calamine_text(strings, i) for i in (0, 1)] == ["ab", " c "]


def test_odd_tables_count_the_most_used_index_as_the_longest_item() -> None:
    counted = read_shared_strings([table(TABLES["an item without text"])])
    assert counted.longest == 500
    assert counted.text_of([0] * 10 + [3]) == 10 * 500 + 2


def test_a_utf16_table_is_measured() -> None:
    strings = table(TABLES["plain"]).decode().replace('"UTF-8"', '"UTF-16"')
    counted = read_shared_strings([b"\xff\xfe" + strings.encode("utf-16-le")])
    assert counted.text_of([0, 1]) == 5


@pytest.mark.parametrize("name", sorted(name for name, items in TABLES.items() if LONG in items))
def test_a_long_string_repeated_behind_an_odd_item_is_refused(name: str) -> None:
    strings = table(TABLES[name])
    index = max(range(6), key=lambda i: len(calamine_text(strings, i) or ""))
    assert len(calamine_text(strings, index) or "") >= 500
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>' % (r, r, index) for r in range(1, 301)
    )
    upload = UploadedFile("odd.xlsx", workbook(strings, rows))
    with pytest.raises(FileTooLarge, match="repeats the same text"):
        repack_zip(upload, Limits(max_uncompressed_bytes=100_000))


ITEM_TEXTS = st.text(st.characters(exclude_characters="<&\r", exclude_categories=["Cs"]))
ODDITIES = [
    "",  # none: the table is bare, as most writers write it
    "\n",  # whitespace between items
    '<t xml:space="preserve" x="1">',  # another attribute
    "<r><t>run</t></r>",  # rich text
    "<t/>",  # an empty text written short
    "<si/>",  # an empty item written short
    "<t>a<b/></t>",  # markup inside a text
]


@given(
    st.lists(st.tuples(ITEM_TEXTS, st.booleans()), max_size=12),
    st.sampled_from(ODDITIES),
    st.integers(0, 12),
)
@settings(max_examples=300, deadline=None)
def test_sizes_from_one_split_agree_with_reading_item_by_item(
    items: list[tuple[str, bool]], oddity: str, where: int
) -> None:
    written = [
        ('<si><t xml:space="preserve">' if preserved else "<si><t>") + escape(text) + "</t></si>"
        for text, preserved in items
    ]
    if oddity.startswith("<si"):
        written.insert(min(where, len(written)), oddity)
    elif oddity.startswith("<") and written:
        spot = min(where, len(written) - 1)
        written[spot] = written[spot].replace("<t>", oddity, 1).replace("<t ", oddity + "<t ", 1)
    body = (oddity if oddity == "\n" else "").join(written).encode()
    split = _bare_sizes(body)
    item_by_item = (
        list(map(len, _PLAIN_TEXT.findall(body))) if _PLAIN_ITEMS.fullmatch(body) else None
    )
    if split is not None:
        assert split == item_by_item
    if oddity == "" and items:
        assert split == [len(escape(text).encode()) for text, _ in items]
    else:
        assert split is None or body.count(b"<") == 4 * len(split)
