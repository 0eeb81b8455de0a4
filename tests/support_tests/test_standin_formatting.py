"""The stand-in's parse_mode checks and command entities behave like Telegram's."""

from __future__ import annotations

import pytest

from tests.support.standin.formatting import EntityParseError, visible_text
from tests.support.standin.objects import command_entities


@pytest.mark.parametrize(
    ("markup", "shown"),
    [
        ("<b>bold</b> <i>it</i> <code>x&lt;y</code>", "bold it x<y"),
        ('<a href="https://example.invalid/">link</a> &quot;q&quot; &#169;', 'link "q" ©'),
        ('<span class="tg-spoiler">hidden</span> <tg-spoiler>too</tg-spoiler>', "hidden too"),
        ("<pre>line 1\nline 2</pre><blockquote>note</blockquote>", "line 1\nline 2note"),
    ],
)
def test_valid_html_shows_its_text(markup: str, shown: str) -> None:
    assert visible_text(markup, "HTML") == shown


@pytest.mark.parametrize(
    ("markup", "problem"),
    [
        ("score < 5", 'Unexpected "<"'),
        ("Tom & Jerry", 'Unexpected "&"'),
        ("line<br>break", 'Unsupported start tag "br"'),
        ("<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>crossed</b></i>", 'Unmatched end tag "b"'),
        ("<span>plain span</span>", 'Tag "span" must have class "tg-spoiler"'),
    ],
)
def test_malformed_html_is_refused(markup: str, problem: str) -> None:
    with pytest.raises(EntityParseError, match="can't parse entities") as error:
        visible_text(markup, "HTML")
    assert problem in str(error.value)


@pytest.mark.parametrize(
    ("markup", "shown"),
    [
        (r"*bold* _it_ __under__ ~strike~ ||spoiler||", "bold it under strike spoiler"),
        (r"Average 7\.5 \(pass\)\!", "Average 7.5 (pass)!"),
        (r"[the sheet](https://example.invalid/a\)b) done", "the sheet done"),
        ("`code with . and (`", "code with . and ("),
        ("```python\nprint(1.5)\n```", "print(1.5)\n"),
        (">quoted line", "quoted line"),
    ],
)
def test_valid_markdown_v2_shows_its_text(markup: str, shown: str) -> None:
    assert visible_text(markup, "MarkdownV2") == shown


@pytest.mark.parametrize(
    ("markup", "problem"),
    [
        ("Done.", "Character '.' is reserved"),
        ("Score: 7-5", "Character '-' is reserved"),
        ("file_name", "Can't find end of the entity starting at byte offset 4"),
        ("*bold", "Can't find end of the entity starting at byte offset 0"),
        ("ends with \\", "Can't find end of the escape sequence"),
    ],
)
def test_malformed_markdown_v2_is_refused(markup: str, problem: str) -> None:
    with pytest.raises(EntityParseError) as error:
        visible_text(markup, "MarkdownV2")
    assert problem in str(error.value)


def test_legacy_markdown_only_needs_balanced_entities() -> None:
    assert visible_text("*Done.* 7-5 (ok)", "Markdown") == "Done. 7-5 (ok)"
    with pytest.raises(EntityParseError):
        visible_text("file_name.xlsx", "Markdown")


def test_plain_text_is_left_alone_and_unknown_modes_are_refused() -> None:
    assert visible_text("<b> & *", None) == "<b> & *"
    with pytest.raises(EntityParseError, match="unsupported parse_mode"):
        visible_text("x", "BBCode")


def test_command_entities_use_utf16_offsets_and_cover_bot_mentions() -> None:
    entities = command_entities("/compile@results_bot now 🎓 /help")
    assert entities == [
        {"type": "bot_command", "offset": 0, "length": 20},
        {"type": "bot_command", "offset": 28, "length": 5},  # the emoji counts 2
    ]
    assert command_entities("not/a command, path/to") == []
