"""A teacher who knows the class: answers the compiler's "same person or not?" truthfully.

Each side of a question (`compiler.LookAlike`: its names and e-mails) is mapped to the generated
class's true people, by every spelling of a name that appears in the files and every address a
person uses. Spellings and addresses are never shared between two people in a generated class
(`tests.support.plan`, `tests.support.undecidable`), and the index is built to stay exact: a key
two people would share maps to both, so a side holding it can never be answered wrongly, only
not at all. The answer is "same" when both sides are one and the same person, "different"
when no person is on both sides, and none otherwise (a side that is nobody, or a mix of people:
the compile merged people it should not have).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Protocol

from tests.support.roster import TruePerson, name_words, normalise_email


class Side(Protocol):
    """What the oracle reads of one side of a question (`compiler.LookAlikeSide`)."""

    @property
    def name(self) -> str: ...
    @property
    def names(self) -> tuple[str, ...]: ...
    @property
    def emails(self) -> tuple[str, ...]: ...


class Question(Protocol):
    """A "same person or not?" question (`compiler.LookAlike`)."""

    @property
    def a(self) -> Side: ...
    @property
    def b(self) -> Side: ...


def name_key(name: str) -> str:
    """A spelling's key: case, punctuation, titles and `Last, First` order aside."""
    return " ".join(name_words(name))


class TruthOracle:
    """Maps names and e-mails to the true people of a class, and answers questions with it."""

    def __init__(self, people: Sequence[TruePerson]) -> None:
        self._by_name: dict[str, set[int]] = defaultdict(set)
        self._by_email: dict[str, set[int]] = defaultdict(set)
        for index, person in enumerate(people):
            for name in person.names:
                self._by_name[name_key(name)].add(index)
            for email in person.emails:
                self._by_email[normalise_email(email)].add(index)

    def people_of(self, names: Iterable[str], emails: Iterable[str] = ()) -> frozenset[int]:
        """Every true person one of `names` or `emails` belongs to."""
        found: set[int] = set()
        for name in names:
            found |= self._by_name.get(name_key(name), set())
        for email in emails:
            found |= self._by_email.get(normalise_email(email), set())
        return frozenset(found)

    def owners(self, side: Side) -> frozenset[int]:
        """The true people a side of a question is made of."""
        return self.people_of((side.name, *side.names), side.emails)

    def answer(self, question: Question) -> bool | None:
        """True: one person; False: different people; None: the truth cannot say (see above)."""
        a, b = self.owners(question.a), self.owners(question.b)
        if not a or not b:
            return None
        if len(a) == 1 and a == b:
            return True
        return False if a.isdisjoint(b) else None
