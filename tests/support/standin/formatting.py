"""What Telegram does with `parse_mode`: reject malformed markup, keep the visible text.

A bot that puts a teacher's file name or a student's name into an HTML message without
escaping it gets `400 Bad Request: can't parse entities` from Telegram; the stand-in answers
the same so such bugs show up in tests. The checks follow the Bot API's "Formatting options"
section closely, not byte for byte (error texts keep Telegram's prefix, not every detail).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

CANT_PARSE = "Bad Request: can't parse entities: "

_HTML_TAGS = frozenset(
    [
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    ]
)
_BARE_AMPERSAND = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9A-Fa-f]+);)")
_BARE_LESS_THAN = re.compile(r"<(?![A-Za-z/])")
_MARKDOWN_V2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")


class EntityParseError(ValueError):
    """The markup is malformed; the message is Telegram's error description."""


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text a reader sees once `parse_mode` is applied; raises EntityParseError."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return _html_text(text)
    if mode == "markdownv2":
        return _markdown_text(text, reserved=_MARKDOWN_V2_RESERVED, v2=True)
    if mode == "markdown":
        return _markdown_text(text, reserved=frozenset(), v2=False)
    if mode:
        raise EntityParseError(f"Bad Request: unsupported parse_mode {parse_mode!r}")
    return text


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


class _TelegramHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open_tags: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            raise EntityParseError(f'{CANT_PARSE}Unsupported start tag "{tag}"')
        if tag == "span" and ("class", "tg-spoiler") not in attrs:
            raise EntityParseError(f'{CANT_PARSE}Tag "span" must have class "tg-spoiler"')
        self.open_tags.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise EntityParseError(f'{CANT_PARSE}Unsupported start tag "{tag}"')

    def handle_endtag(self, tag: str) -> None:
        if not self.open_tags or self.open_tags[-1] != tag:
            raise EntityParseError(f'{CANT_PARSE}Unmatched end tag "{tag}"')
        self.open_tags.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_comment(self, data: str) -> None:
        raise EntityParseError(f"{CANT_PARSE}Unsupported HTML comment")

    def handle_decl(self, decl: str) -> None:
        raise EntityParseError(f"{CANT_PARSE}Unsupported HTML declaration")


def _html_text(text: str) -> str:
    for pattern, what in ((_BARE_AMPERSAND, "&"), (_BARE_LESS_THAN, "<")):
        bare = pattern.search(text)
        if bare:
            raise EntityParseError(
                f'{CANT_PARSE}Unexpected "{what}" at byte offset {_byte_offset(text, bare.start())}'
                " (escape it as an HTML entity)"
            )
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    if parser.open_tags:
        raise EntityParseError(
            f'{CANT_PARSE}Can\'t find end tag corresponding to start tag "{parser.open_tags[-1]}"'
        )
    return "".join(parser.parts)


def _markdown_text(text: str, *, reserved: frozenset[str], v2: bool) -> str:
    """Strip Markdown markup, checking escapes (V2) and that every entity is closed."""
    out: list[str] = []
    open_marks: list[tuple[str, int]] = []
    i = 0
    while i < len(text):
        char = text[i]
        in_code = bool(open_marks) and open_marks[-1][0] in ("`", "```")
        if char == "\\" and (v2 or in_code):
            if i + 1 == len(text):
                raise EntityParseError(f"{CANT_PARSE}Can't find end of the escape sequence")
            out.append(text[i + 1])
            i += 2
            continue
        mark = _mark_at(text, i, v2=v2, in_code=in_code)
        if mark:
            i = _toggle(text, i, mark, open_marks)
            continue
        if char == ">" and v2 and (i == 0 or text[i - 1] == "\n"):
            i += 1  # blockquote marker
            continue
        if char in reserved and not in_code:
            raise EntityParseError(
                f"{CANT_PARSE}Character '{char}' is reserved and must be escaped with the "
                "preceding '\\'"
            )
        out.append(char)
        i += 1
    if open_marks:
        mark, start = open_marks[-1]
        raise EntityParseError(
            f"{CANT_PARSE}Can't find end of the entity starting at byte offset "
            f"{_byte_offset(text, start)}"
        )
    return "".join(out)


def _mark_at(text: str, i: int, *, v2: bool, in_code: bool) -> str:
    if text.startswith("```", i):
        return "```"
    if text[i] == "`":
        return "`"
    if in_code:
        return ""
    for mark in ("||", "__") if v2 else ():
        if text.startswith(mark, i):
            return mark
    if text[i] in ("*_~[]" if v2 else "*_[]"):
        return text[i]
    return ""


def _toggle(text: str, i: int, mark: str, open_marks: list[tuple[str, int]]) -> int:
    """Open or close the entity `mark` found at `i`; returns the index after it."""
    if mark == "]":
        if not open_marks or open_marks[-1][0] != "[":
            raise EntityParseError(f"{CANT_PARSE}Unexpected ']' at byte offset {i}")
        open_marks.pop()
        url = re.match(r"\((?:\\.|[^)\\])*\)", text[i + 1 :])
        if not url:
            raise EntityParseError(f"{CANT_PARSE}Can't find end of a link URL")
        return i + 1 + url.end()
    if open_marks and open_marks[-1][0] == mark:
        open_marks.pop()
    elif any(open_mark == mark for open_mark, _ in open_marks):
        raise EntityParseError(f"{CANT_PARSE}Entities overlap at byte offset {i}")
    else:
        open_marks.append((mark, i))
        if mark == "```":
            newline = text.find("\n", i + 3)
            language = text[i + 3 : newline] if newline >= 0 else ""
            if newline >= 0 and re.fullmatch(r"[A-Za-z0-9_+-]*", language):
                return newline + 1
    return i + len(mark)
