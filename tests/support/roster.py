"""Invented people for generated classes: fictional names, their e-mails, and the ways real
exports misspell both.

Every surname ends in `-Test` and every address is at a reserved domain (example.org,
example.com, school.test), so nothing here can be mistaken for a real person's contact.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

DOMAINS = ("example.org", "example.com", "school.test")
TITLES = ("Dr.", "Rad.")
TRAILING_WORDS = ("Jnr", "RN", "Nursing", "B")

_FIRST_HEADS = (
    "A", "Be", "Ka", "Lo", "Mi", "No", "Ra", "Su", "Ta", "Ze", "Ilo", "Oru",
    "Eki", "Uma", "Davo", "Feni", "Gora", "Hesi", "Jumo", "Vela", "Wini", "Yaro",
)  # fmt: skip
_FIRST_MIDS = ("ra", "li", "no", "ma", "si", "ko", "we", "ta", "ri", "lu", "ne", "ba", "")
_FIRST_ENDS = ("", "a", "o", "el", "in", "en", "ia", "us", "ey")
_SURNAME_ROOTS = (
    "Okon", "Valen", "Thorn", "Brisk", "Mallo", "Quen", "Dar", "Fenw", "Orl", "Zabe",
    "Kest", "Lumo", "Prav", "Sorre", "Tamb", "Ybel", "Wex", "Hollo", "Nari", "Gudm",
)  # fmt: skip
_SURNAME_TAILS = ("kwo", "ridge", "ton", "ana", "ell", "ovic", "by", "enko", "ard", "oma", "ett")
_NICK_WORDS = ("Quiz", "Star", "Owl", "Comet", "Ninja", "Otter", "Pixel", "Rocket")


@dataclass(frozen=True)
class TruePerson:
    """One real (invented) participant: the name and e-mail(s) the truth knows them by.

    `spellings` are the other spellings of the name that appear in the files (typo, title,
    dropped middle name, trailing word, capitals); `other_emails` the second address some people
    use in other tests. Neither ever collides with another person's name or address.
    """

    name: str
    email: str | None
    other_emails: tuple[str, ...] = ()
    spellings: tuple[str, ...] = ()

    @property
    def emails(self) -> tuple[str, ...]:
        """Every address this person legitimately uses."""
        return (self.email, *self.other_emails) if self.email else self.other_emails

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name and every other spelling of it in the files."""
        return (self.name, *self.spellings)


def normalise_name(name: str) -> str:
    """Case- and space-insensitive form of a name; `Last, First` becomes `First Last`."""
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    if text.count(",") == 1:
        last, first = text.split(",")
        text = f"{first} {last}"
    return " ".join(text.split())


_TITLE_WORDS = frozenset(title.rstrip(".").lower() for title in TITLES)


def name_words(name: str) -> list[str]:
    """A name's words for telling names apart: no case, titles or punctuation."""
    words = re.split(r"[\W_]+", normalise_name(name))
    return [word for word in words if word and word not in _TITLE_WORDS]


def names_alike(a: str, b: str) -> bool:
    """Names software could take for one person's: the same words (in any order), one letter
    apart (changed, added, dropped, or two swapped), or one a word more than the other."""
    words_a, words_b = name_words(a), name_words(b)
    if sorted(words_a) == sorted(words_b) or _one_edit("".join(words_a), "".join(words_b)):
        return True
    short, long = sorted((words_a, words_b), key=len)
    return len(long) == len(short) + 1 and any(
        long[:i] + long[i + 1 :] == short for i in range(len(long))
    )


def _one_edit(a: str, b: str) -> bool:
    if len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(differ) == 2 and differ[1] == differ[0] + 1:
            i = differ[0]
            return a[i] == b[i + 1] and a[i + 1] == b[i]
        return len(differ) == 1
    short, long = sorted((a, b), key=len)
    return len(long) == len(short) + 1 and any(
        long[:i] + long[i + 1 :] == short for i in range(len(long))
    )


def normalise_email(text: str) -> str:
    """The address a person meant: no spaces, lower case, `mailto:` and `@@` undone."""
    return re.sub(r"\s+", "", text).lower().removeprefix("mailto:").replace("@@", "@")


def _first_name(rng: random.Random) -> str:
    return (rng.choice(_FIRST_HEADS) + rng.choice(_FIRST_MIDS) + rng.choice(_FIRST_ENDS)).title()


def _surname(rng: random.Random) -> str:
    return rng.choice(_SURNAME_ROOTS) + rng.choice(_SURNAME_TAILS) + "-Test"


def invent_names(rng: random.Random, count: int) -> list[str]:
    """`count` distinct full names; about one in five has a middle name."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        given = _first_name(rng)
        if len(given) < 3:
            continue
        if rng.random() < 0.2:
            given = f"{given} {_first_name(rng)}"
        name = f"{given} {_surname(rng)}"
        if normalise_name(name) not in seen:
            seen.add(normalise_name(name))
            names.append(name)
    return names


def invent_email(rng: random.Random, name: str, taken: set[str], *, initial: bool = False) -> str:
    """An address built from the name at a reserved domain, unique within `taken`.

    `initial` builds the second address some people use (`aokonkwo@...`) instead of the usual
    `amara.okonkwo@...`.
    """
    words = name.lower().replace("-test", "").split()
    local = f"{words[0][0]}{words[-1]}" if initial else f"{words[0]}.{words[-1]}"
    domain = rng.choice(DOMAINS)
    email, suffix = f"{local}@{domain}", 1
    while email in taken:
        suffix += 1
        email = f"{local}{suffix}@{domain}"
    taken.add(email)
    return email


def invent_nickname(rng: random.Random, name: str) -> str:
    """A Kahoot-style nickname derived from a name (e.g. `amara_o7`, `Owl Amara`)."""
    given, surname = name.split()[0], name.split()[-1]
    if rng.random() < 0.5:
        return f"{given.lower()}_{surname[0].lower()}{rng.randint(1, 99)}"
    return f"{rng.choice(_NICK_WORDS)} {given}"


def one_letter_change(rng: random.Random, word: str) -> str:
    """`word` with one letter doubled, dropped or replaced (never the first letter)."""
    position = rng.randrange(1, len(word))
    letter = word[position]
    match rng.randrange(3):
        case 0:
            return word[:position] + letter + word[position:]
        case 1 if len(word) > 3:
            return word[:position] + word[position + 1 :]
        case _:
            swap = "h" if letter != "h" else "e"
            return word[:position] + swap + word[position + 1 :]


def spelling_variants(rng: random.Random, name: str) -> list[str]:
    """Misspellings of `name` by its owner, one of each kind, shuffled: a one-letter typo, a
    title, a trailing word, a dropped middle name. (Capitals alone are row-level noise.)"""
    words = name.split()
    variants = [
        " ".join([one_letter_change(rng, words[0]), *words[1:]]),
        f"{rng.choice(TITLES)} {name}",
        f"{name} {rng.choice(TRAILING_WORDS)}",
    ]
    if len(words) > 2:
        variants.append(f"{words[0]} {words[-1]}")
    rng.shuffle(variants)
    return variants


def malformed_email(kind: str, email: str, name: str) -> str:
    """`email` damaged the way people type it; `bare` and `blank` cannot be repaired."""
    local, domain = email.split("@")
    match kind:
        case "double-at":
            return f"{local}@@{domain}"
        case "mailto":
            return f"MAILTO:{email}"
        case "inner-space":
            return f"{local} @{domain}"
        case "bare":
            return name.split()[0].lower()
        case "blank":
            return ""
    raise ValueError(f"unknown e-mail damage {kind!r}")


MALFORMED_KINDS = ("double-at", "mailto", "bare", "inner-space", "blank")
UNREPAIRABLE_KINDS = frozenset({"bare", "blank"})


def harmless_email_noise(rng: random.Random, email: str) -> str:
    """Capitals or stray spaces: still the same address once trimmed and lower-cased."""
    local, domain = email.split("@")
    match rng.randrange(3):
        case 0:
            return f"{local.title()}@{domain.upper()}"
        case 1:
            return f" {email} "
        case _:
            return email.upper()
