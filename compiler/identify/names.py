"""E-mail addresses and personal names made comparable, and names made presentable.

`normalize_email` repairs an address only when the intent is certain (`a@@b.com`,
`mailto:a@b.com`, `a @b.com`, `<a@b.com>`, `a@b.com.`) and otherwise says what is wrong.
`normalize_name` is a matching key, never shown; `display_name` is what a person sees.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

# Words of shown names repeat across people (first names): each is cased once, never without
# bound. E-mails and names are not memoised here: callers work out each distinct one once per
# call (a cache of every name ever seen costs more than it saves in a cold compile).
_CACHE_SIZE = 16_384

# What people type in an e-mail cell to mean "none": not a mistake, so not reported.
_NO_EMAIL = frozenset({"", "anonymous", "anon", "-", "--", "—", "n/a", "na", "none", "null"})
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# What a shown name drops: invisible junk, and control characters (a NUL, a bell) as spaces.
# The zero-width joiner and non-joiner stay: they make `👩🏽‍🏫` one emoji and shape Persian and
# Indic names.
_JOINERS = "\u200c\u200d"
# Every ASCII character is in these tables (most as itself): `str.translate` is several times
# faster when it never misses.
_NOT_SHOWN = {
    **{c: chr(c) for c in range(128)},
    **dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad")),
    **dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)], " "),
    **dict.fromkeys(map(ord, ",;"), " "),  # `Okonkwo, Amara`: a comma separates words
}
_ANGLE = re.compile(r"<([^<>]*)>")
_DOTS = re.compile(r"\.{2,}")
_EDGE_JUNK = "\"'`()[]{}<>,;:."
_LOCAL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+")
_NOT_ADDRESS_CHAR = re.compile(r"[^\w.!#$%&'*+/=?^`{|}~@-]")
_DOMAIN_LABEL = re.compile(r"[^\W_](?:[\w-]*[^\W_])?")
_TOP_LEVEL = re.compile(r"[^\W\d_]{2,}|xn--[a-z0-9-]+")
# An address that is certainly fine as typed (trimmed, lower-cased): ASCII, one @, dot-separated
# parts, an alphabetic ending. Every check and repair below leaves such text as it is, so
# `_check_email_text` may return it at once (tests/compiler/test_names_fast.py compares).
_PLAIN_ADDRESS = re.compile(
    r"[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}"
)

# Titles that come before or after a name and are not part of it.
TITLES = frozenset(
    {
        "dr",
        "doctor",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "prof",
        "professor",
        "sir",
        "madam",
        "dame",
        "rev",
        "revd",
        "rad",
        "engr",
    }
)
# A word starting with one of these is no title: `normalize_title` keeps an ASCII letter or
# digit, lower-cased, as its first character, and no title starts with any of them.
_NO_TITLE_STARTS = frozenset(
    c
    for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    if all(not title.startswith(c.lower()) for title in TITLES)
)
_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´"))
_NOT_WORD = re.compile(r"[\W_]+")
# For ASCII text, `casefold` is `lower` and `[\W_]` is anything but a letter or a digit, so one
# translate does a name key's folding (apostrophes vanish, other marks become spaces) and a
# title's (every mark vanishes).
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_ASCII_KEY = {
    c: chr(c).lower() if chr(c) in _ASCII_ALNUM else None if chr(c) in "'`" else " "
    for c in range(128)
}
_ASCII_TITLE = {c: chr(c).lower() if chr(c) in _ASCII_ALNUM else None for c in range(128)}
_ASCII_LETTERS = {c: chr(c) if chr(c).isalpha() else None for c in range(128)}


@dataclass(frozen=True, slots=True)
class EmailCheck:
    """An e-mail cell read: the address (None when none is usable) and what was wrong."""

    email: str | None
    repaired: bool = False  # changed beyond trimming and lower-casing
    problem: str | None = None  # why the text is no usable address; None when blank on purpose


def normalize_email(raw: object) -> EmailCheck:
    """Read an e-mail cell: trim, lower-case, repair when certain, else say what is wrong.

    Blank cells and `anonymous` give no address and no problem. Never raises.
    """
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return EmailCheck(None)
    return _check_email_text(str(raw))


def _check_email_text(raw: str) -> EmailCheck:
    as_typed = raw.strip().lower()
    if _PLAIN_ADDRESS.fullmatch(as_typed):
        return EmailCheck(as_typed)
    return _check_typed_email(as_typed)


def _check_typed_email(as_typed: str) -> EmailCheck:
    plain = unicodedata.normalize("NFKC", as_typed).translate(_INVISIBLE).strip()
    if plain in _NO_EMAIL:
        return EmailCheck(None)
    candidate = _repair(plain)
    problem = _email_problem(candidate)
    if problem is not None:
        return EmailCheck(None, problem=problem)
    return EmailCheck(candidate, repaired=candidate != as_typed)


def _repair(text: str) -> str:
    inside = _ANGLE.search(text)
    if inside is not None:
        text = inside.group(1)  # `Amara <a@b.com>` and `<a@b.com>`
    text = "".join(text.split())
    text = text.strip(_EDGE_JUNK)
    if text.startswith("mailto:"):
        text = text.removeprefix("mailto:").strip(_EDGE_JUNK)
    text = re.sub(r"@{2,}", "@", text)
    if text.count("@") == 1:
        local, domain = text.split("@")
        text = local + "@" + _DOTS.sub(".", domain)
    return text


def _email_problem(text: str) -> str | None:
    ats = text.count("@")
    if ats == 0:
        return "no @ in it (a bare word)" if _LOCAL.fullmatch(text) else "no @ in it"
    if ats > 1:
        return "more than one @ with text between them"
    local, domain = text.split("@")
    if not local:
        return "nothing before the @"
    if not domain:
        return "nothing after the @"
    bad = _NOT_ADDRESS_CHAR.search(text)
    if bad is not None:
        return f"a character an address cannot hold ({bad[0]!r})"
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return "a misplaced dot before the @"
    if "." not in domain:
        return "no dot in the part after the @"
    *labels, top = domain.split(".")
    if not all(_DOMAIN_LABEL.fullmatch(label) for label in labels):
        return "a malformed part after the @"
    if not _TOP_LEVEL.fullmatch(top):
        return f"the ending .{top} is not a domain ending"
    return None


def normalize_name(raw: str) -> str:
    """A matching key for a name: no case, accents, punctuation, extra spaces or titles.

    `Dr. Amara  Okonkwo-Test` and `amara okonkwo test` give the same key. Apostrophes vanish
    (`O'Brien` = `OBrien`); every other punctuation mark separates words.
    """
    words = raw.translate(_ASCII_KEY).split() if raw.isascii() else _key_words(raw)
    if words and (words[0] in TITLES or words[-1] in TITLES):
        words = _without_titles(words, lambda word: word)
    return " ".join(words)


def _key_words(raw: str) -> list[str]:
    """The words of a name's key, for any text (ASCII text has a faster way to the same)."""
    text = unicodedata.normalize("NFKD", raw)  # accents live outside ASCII
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().translate(_APOSTROPHES)
    return _NOT_WORD.sub(" ", text).split()


def display_name(spellings: Sequence[str]) -> str:
    """The name to show for someone: the most frequent spelling, in proper case, no titles.

    Spellings that differ only in case or spacing count together; a tie goes to the spelling
    seen first. Words already capitalised with care (`McDonald`, `O'Brien`) are kept.
    """
    counts: dict[str, int] = {}
    for spelling in spellings:
        counts[spelling] = counts.get(spelling, 0) + 1
    return display_name_counted(counts)


def display_name_counted(counts: Mapping[str, int]) -> str:
    """`display_name` of spellings given once each, in first-seen order, with how often each
    was seen (at least once): a person's rows repeat a few spellings many times."""
    if len(counts) == 1:  # most people spell their name one way throughout
        return shown_spelling(next(iter(counts)))
    folded_of: dict[str, str] = {}  # cleaned spelling -> its folded form, first seen first
    totals: dict[str, int] = {}  # folded form -> times seen, first seen first
    for spelling, count in counts.items():
        cleaned = _clean_spelling(spelling)
        if cleaned:
            folded = folded_of.setdefault(cleaned, cleaned.casefold())
            totals[folded] = totals.get(folded, 0) + count
    if not totals:
        return ""
    chosen = max(totals, key=totals.__getitem__)  # a tie goes to the first seen
    variants = [cleaned for cleaned, folded in folded_of.items() if folded == chosen]
    best = variants[0]
    if len(variants) > 1:
        best = max(variants, key=_words_cased_with_care)
    return _proper_cased(best)


def shown_spelling(spelling: str) -> str:
    """`display_name` of a name spelt one way only."""
    return " ".join(map(_proper_case, _shown_words(spelling)))


def _proper_cased(cleaned: str) -> str:
    return " ".join(map(_proper_case, cleaned.split()))


def _clean_spelling(raw: str) -> str:
    return " ".join(_shown_words(raw))


def _shown_words(raw: str) -> list[str]:
    """The words of a name as shown, before casing: no junk, no titles."""
    if raw.isascii() and raw.isprintable() and "," not in raw and ";" not in raw:
        words = raw.split()  # nothing `_NOT_SHOWN` would change
    else:
        words = raw.translate(_NOT_SHOWN).split()
    if not raw.isascii():  # a word of nothing but joiners is nothing to see
        words = [word for word in words if word.strip(_JOINERS)]
    if words and (words[0][0] in _NO_TITLE_STARTS and words[-1][0] in _NO_TITLE_STARTS):
        return words  # the common case: neither end can be a title (most names)
    return _without_titles(words, normalize_title)


def normalize_title(word: str) -> str:
    """A word as compared with TITLES (`Dr.` -> `dr`)."""
    if word.isascii():
        return word.translate(_ASCII_TITLE)
    return _NOT_WORD.sub("", word.casefold())


def _without_titles(words: list[str], to_key: Callable[[str], str]) -> list[str]:
    start, end = 0, len(words)
    while start < end and to_key(words[start]) in TITLES:
        start += 1
    while end > start and to_key(words[end - 1]) in TITLES:
        end -= 1
    return words[start:end] if start < end else words


def _words_cased_with_care(cleaned: str) -> int:
    """How many words of a spelling are capitalised with care (`_is_cased_with_care`)."""
    if cleaned.isupper() or cleaned.islower():
        return 0  # such a word needs a capital and a small letter: none has both here
    return sum(map(_is_cased_with_care, cleaned.split()))


def _is_cased_with_care(word: str) -> bool:
    if word.isascii():  # ASCII letters are all cased: "some lower" is "not all upper"
        ascii_letters = word if word.isalpha() else word.translate(_ASCII_LETTERS)
        return bool(ascii_letters) and ascii_letters[0].isupper() and not ascii_letters.isupper()
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and letters[0].isupper() and any(c.islower() for c in letters)


@lru_cache(maxsize=_CACHE_SIZE)
def _proper_case(word: str) -> str:
    if _is_cased_with_care(word) or not any(c.isalpha() for c in word):
        return word
    parts = re.split(r"([-'’])", word.lower())
    cased = "".join(part[:1].upper() + part[1:] for part in parts)
    if cased.startswith("Mc") and len(cased) > 3 and cased[2].isalpha():
        cased = "Mc" + cased[2].upper() + cased[3:]
    return cased
