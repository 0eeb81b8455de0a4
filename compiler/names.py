"""E-mail addresses and personal names made comparable, and names made presentable.

`normalize_email` repairs an address only when the intent is certain (`a@@b.com`,
`mailto:a@b.com`, `a @b.com`, `<a@b.com>`, `a@b.com.`) and otherwise says what is wrong.
`normalize_name` is a matching key, never shown; `display_name` is what a person sees.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

# A class's distinct e-mails and names, each seen once per test: the pure functions below are
# memoised so a name met in six files is worked out once, never without bound.
_CACHE_SIZE = 16_384

# What people type in an e-mail cell to mean "none": not a mistake, so not reported.
_NO_EMAIL = frozenset({"", "anonymous", "anon", "-", "--", "—", "n/a", "na", "none", "null"})
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# What a shown name drops: invisible junk, and control characters (a NUL, a bell) as spaces.
# The zero-width joiner and non-joiner stay: they make `👩🏽‍🏫` one emoji and shape Persian and
# Indic names.
_JOINERS = "\u200c\u200d"
_NOT_SHOWN = {
    **dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad")),
    **dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)], " "),
}
_ANGLE = re.compile(r"<([^<>]*)>")
_DOTS = re.compile(r"\.{2,}")
_EDGE_JUNK = "\"'`()[]{}<>,;:."
_LOCAL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+")
_NOT_ADDRESS_CHAR = re.compile(r"[^\w.!#$%&'*+/=?^`{|}~@-]")
_DOMAIN_LABEL = re.compile(r"[^\W_](?:[\w-]*[^\W_])?")
_TOP_LEVEL = re.compile(r"[^\W\d_]{2,}|xn--[a-z0-9-]+")

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
_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´"))
_NOT_WORD = re.compile(r"[\W_]+")


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


@lru_cache(maxsize=_CACHE_SIZE)
def _check_email_text(raw: str) -> EmailCheck:
    as_typed = raw.strip().lower()
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


@lru_cache(maxsize=_CACHE_SIZE)
def normalize_name(raw: str) -> str:
    """A matching key for a name: no case, accents, punctuation, extra spaces or titles.

    `Dr. Amara  Okonkwo-Test` and `amara okonkwo test` give the same key. Apostrophes vanish
    (`O'Brien` = `OBrien`); every other punctuation mark separates words.
    """
    text = raw
    if not text.isascii():  # accents live outside ASCII
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().translate(_APOSTROPHES)
    words = _NOT_WORD.sub(" ", text).split()
    return " ".join(_without_titles(words, lambda word: word))


def display_name(spellings: Sequence[str]) -> str:
    """The name to show for someone: the most frequent spelling, in proper case, no titles.

    Spellings that differ only in case or spacing count together; a tie goes to the spelling
    seen first. Words already capitalised with care (`McDonald`, `O'Brien`) are kept.
    """
    cleaned = [c for c in map(_clean_spelling, spellings) if c]
    if not cleaned:
        return ""
    folded = [c.casefold() for c in cleaned]
    counts = Counter(folded)  # in first-seen order, so `max` gives a tie to the first seen
    chosen = max(counts, key=counts.__getitem__)
    variants = dict.fromkeys(c for c, f in zip(cleaned, folded, strict=True) if f == chosen)
    best = next(iter(variants))
    if len(variants) > 1:
        best = max(variants, key=lambda v: sum(_is_cased_with_care(w) for w in v.split()))
    return " ".join(_proper_case(word) for word in best.split())


@lru_cache(maxsize=_CACHE_SIZE)
def _clean_spelling(raw: str) -> str:
    words = raw.translate(_NOT_SHOWN).replace(",", " ").replace(";", " ").split()
    words = [word for word in words if word.strip(_JOINERS)]
    return " ".join(_without_titles(words, normalize_title))


def normalize_title(word: str) -> str:
    """A word as compared with TITLES (`Dr.` -> `dr`)."""
    return _NOT_WORD.sub("", word.casefold())


def _without_titles(words: list[str], to_key: Callable[[str], str]) -> list[str]:
    start, end = 0, len(words)
    while start < end and to_key(words[start]) in TITLES:
        start += 1
    while end > start and to_key(words[end - 1]) in TITLES:
        end -= 1
    return words[start:end] if start < end else words


def _is_cased_with_care(word: str) -> bool:
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
