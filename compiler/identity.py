"""People: which rows of which tests belong to the same person.

The rules, in order:

1. Every row with a usable e-mail (after `normalize_email`) belongs to the person of that
   e-mail, whatever the spelling of the name (case, typo, title, a dropped middle name).
2. E-mails whose rows carry the same name key (`normalize_name`) are one person when no two of
   them ever appear in the same test; reported as `merged-emails`. When some of them share a
   test, they are different people, nothing is merged and the pairs are listed as possibly the
   same person.
3. A row without a usable e-mail joins the one person (from rules 1-2) seen with its name key.
   When several are, it stays a person of its own (`ambiguous-name`); when none is, it joins
   the people known by that name only. A row with neither name nor e-mail is its own person.
4. Look-alike names (one letter apart, a word more or less, words reordered, the same name on
   two people) are never merged: they are listed in `possible_same_person` for a human.

No row is ever dropped: every (test, row) maps to a person, and a person's repeats within one
test map to the same person (grading keeps one of them and reports the rest).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from compiler.errors import quoted
from compiler.lookalikes import find_lookalikes, one_edit_apart
from compiler.model import Export, Problem
from compiler.names import EmailCheck, display_name, normalize_email, normalize_name

__all__ = [
    "EmailCheck",
    "Identities",
    "Person",
    "display_name",
    "normalize_email",
    "normalize_name",
    "resolve_identities",
]


@dataclass(frozen=True, slots=True)
class Person:
    """One participant: the name shown, the main e-mail and every e-mail merged into them."""

    name: str
    email: str | None
    emails: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Identities:
    """Who is who: people, which person each (test number, source row) is, and what was odd."""

    people: tuple[Person, ...]
    person_of: dict[tuple[int, int], int]  # (test number, Submission.row) -> index in people
    problems: tuple[Problem, ...]
    possible_same_person: tuple[tuple[str, str, str], ...]  # (name A, name B, why)


@dataclass(frozen=True, slots=True)
class _Row:
    test: int
    file: str
    row: int
    name: str
    key: str
    email: str | None


_Owner = tuple[str, object]  # ("email", group root) | ("name", key) | ("row", row index)


def resolve_identities(tests: Sequence[tuple[int, Export]]) -> Identities:
    """Decide who is who across tests given as (test number, parsed export) pairs.

    Test numbers must be distinct (conflicts are settled before this). See the module
    docstring for the rules.
    """
    numbers = [number for number, _ in tests]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"each test number may appear once, got {numbers}")
    problems: list[Problem] = []
    rows = _read_rows(tests, problems)
    groups = _EmailGroups(rows)
    owners = _owners(rows, groups, problems)
    order = list(dict.fromkeys(owners))
    index_of = {owner: i for i, owner in enumerate(order)}
    members: list[list[_Row]] = [[] for _ in order]
    for row, owner in zip(rows, owners, strict=True):
        members[index_of[owner]].append(row)
    people = tuple(_person(rows_of) for rows_of in members)
    problems.extend(_merge_reports(people, members))
    problems.extend(_shared_email_reports(people, members))
    return Identities(
        people=people,
        person_of={(r.test, r.row): index_of[o] for r, o in zip(rows, owners, strict=True)},
        problems=tuple(problems),
        possible_same_person=_possible_same(people, members),
    )


def _read_rows(tests: Sequence[tuple[int, Export]], problems: list[Problem]) -> list[_Row]:
    rows = []
    for number, export in tests:
        for sub in export.submissions:
            check = normalize_email(sub.email)
            name = (sub.name or "").strip()
            rows.append(
                _Row(number, export.file_name, sub.row, name, normalize_name(name), check.email)
            )
            report = _email_report(check, sub.email, export.file_name, sub.row, name)
            if report is not None:
                problems.append(report)
    return rows


def _email_report(
    check: EmailCheck, raw: str | None, file: str, row: int, name: str
) -> Problem | None:
    if check.repaired:
        kind = "repaired-email"
        found = f"the e-mail {quoted(raw)} was malformed"
        action = f"read it as {check.email}"
    elif check.problem is not None:
        kind = "invalid-email"
        found = f"the e-mail {quoted(raw)} is not a usable address: {check.problem}"
        action = "kept the row as having no e-mail; the person is matched by name"
    else:
        return None
    return Problem(kind=kind, found=found, action=action, file=file, row=row, person=name or None)


class _EmailGroups:
    """Union-find over e-mails: one group per person known by e-mail."""

    def __init__(self, rows: list[_Row]) -> None:
        self.index: dict[str, int] = {}
        self.parent: list[int] = []
        self.tests: list[set[int]] = []
        for row in rows:
            if row.email is not None:
                i = self.index.setdefault(row.email, len(self.parent))
                if i == len(self.parent):
                    self.parent.append(i)
                    self.tests.append(set())
                self.tests[i].add(row.test)
        self._merge_same_names(rows)

    def root_of(self, email: str) -> int:
        i = self.index[email]
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def _merge_same_names(self, rows: list[_Row]) -> None:
        emails_by_key: dict[str, dict[str, None]] = defaultdict(dict)
        for row in rows:
            if row.email is not None and row.key:
                emails_by_key[row.key][row.email] = None
        for emails in emails_by_key.values():
            roots = list(dict.fromkeys(self.root_of(e) for e in emails))
            if len(roots) > 1 and _disjoint([self.tests[r] for r in roots]):
                for other in roots[1:]:
                    self.parent[other] = roots[0]
                    self.tests[roots[0]] |= self.tests[other]


def _disjoint(sets: list[set[int]]) -> bool:
    return sum(len(s) for s in sets) == len(set().union(*sets))


def _owners(rows: list[_Row], groups: _EmailGroups, problems: list[Problem]) -> list[_Owner]:
    roots_by_key: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        if row.email is not None and row.key:
            roots_by_key[row.key].add(groups.root_of(row.email))
    owners: list[_Owner] = []
    for i, row in enumerate(rows):
        if row.email is not None:
            owners.append(("email", groups.root_of(row.email)))
        elif not row.key:
            owners.append(("row", i))
        elif len(roots_by_key[row.key]) == 1:
            owners.append(("email", next(iter(roots_by_key[row.key]))))
        elif roots_by_key[row.key]:
            owners.append(("row", i))
            problems.append(_ambiguous(row, len(roots_by_key[row.key])))
        else:
            owners.append(("name", row.key))
    return owners


def _ambiguous(row: _Row, candidates: int) -> Problem:
    return Problem(
        kind="ambiguous-name",
        found=f"no usable e-mail, and {candidates} people with different e-mails share the name",
        action="kept the row as a person of its own; merge by hand if you know who it is",
        file=row.file,
        row=row.row,
        person=row.name,
    )


def _person(rows: list[_Row]) -> Person:
    emails = Counter(r.email for r in rows if r.email is not None)
    main = max(emails, key=lambda e: emails[e]) if emails else None  # ties: first seen
    name = display_name([r.name for r in rows if r.name])
    if not name:
        first = rows[0]
        name = main or f"Unnamed (test {first.test}, row {first.row})"
    return Person(name=name, email=main, emails=tuple(emails))


def _merge_reports(people: tuple[Person, ...], members: list[list[_Row]]) -> list[Problem]:
    """E-mails only ever join through rule 2 (the same name), so several e-mails mean a merge."""
    reports = []
    for person, rows in zip(people, members, strict=True):
        if len(person.emails) > 1:
            reports.append(
                Problem(
                    kind="merged-emails",
                    found=(
                        f"the same name with {len(person.emails)} e-mails "
                        f"({', '.join(person.emails)}), never two in the same test"
                    ),
                    action=f"treated as one person, shown with {person.email}",
                    file=rows[0].file,
                    person=person.name,
                )
            )
    return reports


def _shared_email_reports(people: tuple[Person, ...], members: list[list[_Row]]) -> list[Problem]:
    reports = []
    for person, rows in zip(people, members, strict=True):
        keys = list(dict.fromkeys(r.key for r in rows if r.key))
        unrelated = _name_clusters(keys) > 1
        if person.email is not None and unrelated:
            names = sorted({r.name for r in rows if r.name})
            reports.append(
                Problem(
                    kind="different-names-one-email",
                    found=(
                        f"one e-mail ({person.email}) is used with unrelated names: "
                        + ", ".join(names)
                    ),
                    action="treated as one person as the e-mail matches; check it is not shared",
                    file=rows[0].file,
                    person=person.name,
                )
            )
    return reports


def _name_clusters(keys: list[str]) -> int:
    """How many groups of related names (see `_related`) a person's name keys fall into."""
    cluster = list(range(len(keys)))
    for i, a in enumerate(keys):
        for j in range(i):
            b = keys[j]
            if _related(a, b):
                old, new = cluster[i], cluster[j]
                cluster = [new if c == old else c for c in cluster]
    return len(set(cluster))


def _related(key_a: str, key_b: str) -> bool:
    """Spellings of one name: a typo apart, or each word of the shorter matches one of the other.

    Words match when equal, a typo apart or one is the other's initial. Sharing a surname is
    not enough: siblings often use a parent's e-mail.
    """
    joined_a, joined_b = key_a.replace(" ", ""), key_b.replace(" ", "")
    if joined_a == joined_b or one_edit_apart(joined_a, joined_b):
        return True
    shorter, longer = sorted((key_a.split(), key_b.split()), key=len)
    unused = list(longer)
    for word in shorter:
        match = next((w for w in unused if _same_word(word, w)), None)
        if match is None:
            return False
        unused.remove(match)
    return True


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) == 1:
        return a[0] == b[0]
    return min(len(a), len(b)) >= 4 and one_edit_apart(a, b)


def _possible_same(
    people: tuple[Person, ...], members: list[list[_Row]]
) -> tuple[tuple[str, str, str], ...]:
    keys = [{r.key for r in rows} for rows in members]
    tests = [{r.test for r in rows} for rows in members]
    listed = []
    for a, b, reason in find_lookalikes(keys):
        listed.append(
            (
                people[a].name,
                people[b].name,
                _why(reason, people[a], people[b], tests[a] & tests[b]),
            )
        )
    return tuple(listed)


def _why(reason: str, a: Person, b: Person, shared_tests: set[int]) -> str:
    if a.email and b.email:
        emails = f"e-mails {a.email} and {b.email}"
    elif a.email or b.email:
        emails = f"only one has an e-mail ({a.email or b.email})"
    else:
        emails = "neither has an e-mail"
    together = f"both took test {min(shared_tests)}" if shared_tests else "never in the same test"
    return f"{reason}; {emails}; {together}"
