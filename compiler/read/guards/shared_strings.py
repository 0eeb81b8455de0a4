"""How much text the shared-string cells of an xlsx make calamine build.

A worksheet cell `<c t="s"><v>5</v></c>` shows item 5 of `xl/sharedStrings.xml`, and calamine
gives each such cell its own copy. A table of plain items (`<si><t>text</t></si>`, as Excel and
export writers write it) is numbered one item per `<si>` by any reader, so each index's size is
known exactly. Any other table (rich text, phonetic runs, empty or nested items) is numbered
in ways that differ between calamine's versions, so no index is trusted: each item's text lies
within the top-level element it starts in, and the most-used indices are counted as if they were
the largest items there can be.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from collections.abc import Iterable

# Possessive quantifiers: a table that is not plain fails in one pass, never backtracking.
_PLAIN_ITEMS = re.compile(rb"(?:\s*+<si>\s*+<t(?:\s[^>]*+)?>[^<]*+</t>\s*+</si>)*+\s*+")
_PLAIN_TEXT = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>")
_FIRST = b"<si><t>"
_LAST = b"</t></si>"
_PRESERVED = b'<t xml:space="preserve">'


class SharedStrings:
    """The sizes (bytes, never less than the text) of a workbook's shared strings."""

    def __init__(self, exact: list[int] | None = None, bound: list[int] | None = None) -> None:
        self._exact = exact
        # Not exact: the size every item might have, largest first, one entry per item.
        self._bound = sorted(bound or (), reverse=True)
        self.longest = max(exact or self._bound or [0])

    def text_of(self, indices: Iterable[int]) -> int:
        """The text shared-string cells with these indices hold (an index past the table holds
        none: calamine refuses it)."""
        if self._exact is not None:
            sizes, count = self._exact, len(self._exact)
            return sum(sizes[index] for index in indices if index < count)
        uses = sorted(Counter(indices).values(), reverse=True)
        return sum(times * size for times, size in zip(uses, self._bound, strict=False))


def read_shared_strings(parts: Iterable[bytes]) -> SharedStrings:
    """The shared strings of a workbook from its candidate parts (one in any real file; with
    several, each index is counted at the largest). Raises ValueError (expat's ExpatError among
    them) for a table that is not well-formed XML, or declares a DOCTYPE."""
    measured = [_measure(part) for part in parts]
    if all(exact is not None for exact, _ in measured):
        return SharedStrings(exact=_largest_of_each([exact for exact, _ in measured if exact]))
    return SharedStrings(bound=[size for _, bound in measured for size in bound])


def _measure(xml: bytes) -> tuple[list[int] | None, list[int]]:
    """(exact sizes or None, a size for every item there might be)."""
    if xml.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        xml = xml.decode("utf-16").encode("utf-8")  # read below as UTF-8, whatever it declares
    body = _table_body(xml)
    exact = None if body is None else _bare_sizes(body)
    if exact is None and body is not None and _PLAIN_ITEMS.fullmatch(body):
        exact = list(map(len, _PLAIN_TEXT.findall(body)))
    if exact is None:
        return None, _top_level_bound(xml)
    return exact, exact


def _bare_sizes(body: bytes) -> list[int] | None:
    """The sizes of a plain table written as most writers write it, `<si><t>text</t></si>` (or
    `<t xml:space="preserve">`) over and over with nothing between, from one split; None for
    any other table."""
    bare = body.replace(_PRESERVED, b"<t>")
    if not (bare.startswith(_FIRST) and bare.endswith(_LAST)):
        return None
    texts = bare[len(_FIRST) : -len(_LAST)].split(_LAST + _FIRST)
    # The markup holds four `<` an item: any more are markup inside a text, and no plain table.
    if bare.count(b"<") != 4 * len(texts):
        return None
    return list(map(len, texts))


def _table_body(xml: bytes) -> bytes | None:
    """What lies between `<sst ...>` and `</sst>`, when they are there."""
    start = xml.find(b"<sst")
    opened = xml.find(b">", start) + 1
    end = xml.rfind(b"</sst>")
    if start < 0 or opened <= 0 or end < opened or xml[end + 6 :].strip():
        return None
    return xml[opened:end]


def _top_level_bound(xml: bytes) -> list[int]:
    """For each element under the table's root: its text size, once for every `<si>` in it
    (itself included). A reader's item starts at an `<si>` and, in well-formed XML, ends within
    the top-level element it started in."""
    bound: list[int] = []
    depth = 0
    text = items = total = items_at_root = 0

    def start(name: str, _attributes: dict[str, str]) -> None:
        nonlocal depth, text, items, items_at_root
        depth += 1
        if depth == 2:
            text = items = 0
        if name.rsplit(":", 1)[-1] == "si":
            if depth == 1:
                items_at_root += 1  # a table that is one `<si>`: it may hold all the text
            else:
                items += 1

    def end(_name: str) -> None:
        nonlocal depth
        if depth == 2:
            bound.extend([text] * items)
        depth -= 1

    def characters(content: str) -> None:
        nonlocal text, total
        size = len(content.encode("utf-8"))
        total += size
        if depth >= 2:
            text += size

    def doctype(*_: object) -> None:
        raise ValueError("a DOCTYPE in the shared strings")

    from xml.parsers import expat  # only for a table that is not plain: 0.4 ms saved at start

    parser = expat.ParserCreate("UTF-8")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = doctype
    parser.Parse(xml, True)
    return bound + [total] * items_at_root


def _largest_of_each(size_lists: list[list[int]]) -> list[int]:
    if len(size_lists) == 1:
        return size_lists[0]  # one table, as in any real file
    longest: list[int] = []
    for sizes in size_lists:
        for index, size in enumerate(sizes):
            if index < len(longest):
                longest[index] = max(longest[index], size)
            else:
                longest.append(size)
    return longest
