"""People: which rows of which tests belong to the same person.

The rules, in order:

0. A row that carries the platform's own person id (Canvas ID, Moodle Identifier, Blackboard
   Username, D2L OrgDefinedId) belongs to the person of that id: two ids are two people, even
   with one e-mail. A row without an id but with an e-mail that one id was seen with belongs
   to that id's person.
1. Every other row with a usable e-mail (after `normalize_email`) belongs to the person of that
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

from collections.abc import Sequence
from dataclasses import dataclass, field

from compiler.errors import quoted
from compiler.identify.lookalikes import find_lookalikes, related_name_groups
from compiler.identify.names import (
    EmailCheck,
    display_name,
    display_name_counted,
    normalize_email,
    normalize_name,
    shown_spelling,
)
from compiler.model import Export, Problem, Submission

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


class _Spelling:
    """One name-and-e-mail pair as typed, and the rows that carry it. A class has far fewer
    of these than rows (a person types the same thing in every test), so all the work of
    telling people apart is done once per spelling, not once per row."""

    __slots__ = ("check", "email", "first", "key", "name", "person_id", "reported", "rows", "token")

    def __init__(
        self, name: str, key: str, check: EmailCheck, first: int, person_id: str | None = None
    ) -> None:
        self.name = name  # trimmed
        self.person_id = person_id
        self.key = key  # normalize_name(name)
        self.check = check
        self.email = check.email  # the usable address, if any
        self.reported = check.repaired or check.problem is not None  # repaired or unusable
        self.first = first  # the index of its first row, in reading order
        self.rows: list[int] = []  # indexes of its rows, in reading order
        self.token: str | None = None  # whose it is (`_token`), once every spelling is read


@dataclass(slots=True)
class _Reading:
    """Every row read, in reading order, and the spellings found, in order of first row."""

    row_keys: list[tuple[int, int]]  # row index -> (test number, Submission.row)
    files: dict[int, str]  # test number -> file name
    spellings: list[_Spelling]
    ids_by_email: dict[str, set[str]] = field(default_factory=dict)  # e-mail -> person ids


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
    reading = _read(tests, problems)
    for spelling in reading.spellings:
        spelling.token = _token(spelling, reading.ids_by_email)
    groups = _EmailGroups(reading)
    members = _people(reading, groups, problems)
    people = tuple([_person(reading, spellings) for spellings in members])
    first_files = [reading.files[reading.row_keys[spellings[0].first][0]] for spellings in members]
    problems.extend(_merge_reports(people, members, first_files))
    problems.extend(_shared_email_reports(reading, people, members, first_files))
    return Identities(
        people=people,
        person_of=_person_of(reading, members),
        problems=tuple(problems),
        possible_same_person=_possible_same(reading, people, members),
    )


def _read(tests: Sequence[tuple[int, Export]], problems: list[Problem]) -> _Reading:
    """Every submission's spelling, reporting malformed e-mails row by row as they come."""
    reading = _Reading(row_keys=[], files={}, spellings=[])
    row_keys = reading.row_keys
    known: dict[tuple[str | None, str | None, str | None], _Spelling] = {}
    checks: dict[str | None, EmailCheck] = {}
    names: dict[str | None, tuple[str, str]] = {}
    for number, export in tests:
        file = reading.files[number] = export.file_name
        start = len(row_keys)
        row_keys.extend([(number, sub.row) for sub in export.submissions])
        for index, sub in enumerate(export.submissions, start):
            spelling = known.get((sub.name, sub.email, sub.person_id))
            if spelling is None:
                spelling = _spelling(sub, index, checks, names)
                known[sub.name, sub.email, sub.person_id] = spelling
                reading.spellings.append(spelling)
                if spelling.person_id is not None and spelling.email is not None:
                    reading.ids_by_email.setdefault(spelling.email, set()).add(spelling.person_id)
            spelling.rows.append(index)
            if spelling.reported:
                problems.append(
                    _email_report(spelling.check, sub.email, file, sub.row, spelling.name)
                )
    return reading


def _spelling(
    sub: Submission,
    first: int,
    checks: dict[str | None, EmailCheck],
    names: dict[str | None, tuple[str, str]],
) -> _Spelling:
    check = checks.get(sub.email)
    if check is None:
        check = checks[sub.email] = normalize_email(sub.email)
    spelled = names.get(sub.name)
    if spelled is None:
        name = (sub.name or "").strip()
        spelled = names[sub.name] = (name, normalize_name(name))
    return _Spelling(
        name=spelled[0], key=spelled[1], check=check, first=first, person_id=sub.person_id
    )


def _email_report(check: EmailCheck, raw: str | None, file: str, row: int, name: str) -> Problem:
    if check.repaired:
        kind = "repaired-email"
        found = f"the e-mail {quoted(raw)} was malformed"
        action = f"read it as {check.email}"
    else:
        kind = "invalid-email"
        found = f"the e-mail {quoted(raw)} is not a usable address: {check.problem}"
        action = "kept the row as having no e-mail; the person is matched by name"
    return Problem(kind=kind, found=found, action=action, file=file, row=row, person=name or None)


def _token(spelling: _Spelling, ids_by_email: dict[str, set[str]]) -> str | None:
    """What makes a spelling somebody's: its person id (`id:` + the id), an e-mail one id was
    seen with (that id), else its e-mail; None for an e-mail several ids share, or none."""
    if spelling.person_id is not None:
        return "id:" + spelling.person_id
    email = spelling.email
    if email is None:
        return None
    ids = ids_by_email.get(email)
    if ids is None:
        return email
    return "id:" + next(iter(ids)) if len(ids) == 1 else None


class _EmailGroups:
    """Union-find over e-mails and person ids (tokens): one group per person known by either."""

    def __init__(self, reading: _Reading) -> None:
        self.index: dict[str, int] = {}
        self.parent: list[int] = []
        # Each name key and the tokens seen with it, both in order of first appearance.
        self.emails_by_key: dict[str, dict[str, None]] = {}
        for spelling in reading.spellings:
            token = spelling.token
            if token is None:
                continue
            if token not in self.index:
                self.index[token] = len(self.parent)
                self.parent.append(len(self.parent))
            if spelling.key:
                self.emails_by_key.setdefault(spelling.key, {})[token] = None
        self.tests = self._tests(reading)
        self._merge_same_names()
        # Only rows without an e-mail ask which groups a name key has (few, in most classes).
        self._roots_by_key: dict[str, set[int]] = {}

    def root_of(self, token: str) -> int:
        i = self.index[token]
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def roots_of_key(self, key: str) -> set[int] | None:
        """The groups whose tokens were seen with a name key; None when none was."""
        roots = self._roots_by_key.get(key)
        if roots is None:
            tokens = self.emails_by_key.get(key)
            if tokens is None:
                return None
            roots = self._roots_by_key[key] = {self.root_of(t) for t in tokens}
        return roots

    def _tests(self, reading: _Reading) -> dict[int, set[int]]:
        """The tests of each token that shares its name with another token: no other token's
        tests are ever compared (only such tokens become a merged group's root)."""
        sharing = {t for tokens in self.emails_by_key.values() if len(tokens) > 1 for t in tokens}
        tests: dict[int, set[int]] = {}
        for spelling in reading.spellings:
            token = spelling.token
            if token in sharing:
                found = {reading.row_keys[i][0] for i in spelling.rows}
                tests.setdefault(self.index[token], set()).update(found)
        return tests

    def _merge_same_names(self) -> None:
        """Rule 2: one name under tokens never seen in one test is one person, unless two
        platform ids are among them (two ids are two people)."""
        ids: dict[int, set[str]] = {
            i: {token} for token, i in self.index.items() if token.startswith("id:")
        }
        for tokens in self.emails_by_key.values():
            if len(tokens) < 2:
                continue
            roots = list(dict.fromkeys(self.root_of(t) for t in tokens))
            held = [ids.get(r, set()) for r in roots]
            if sum(map(len, held)) > 1 and len(set().union(*held)) > 1:
                continue
            if len(roots) > 1 and _disjoint([self.tests[r] for r in roots]):
                for other in roots[1:]:
                    self.parent[other] = roots[0]
                    self.tests[roots[0]] |= self.tests[other]
                    ids.setdefault(roots[0], set()).update(ids.get(other, set()))


def _disjoint(sets: list[set[int]]) -> bool:
    return sum(len(s) for s in sets) == len(set().union(*sets))


def _people(
    reading: _Reading, groups: _EmailGroups, problems: list[Problem]
) -> list[list[_Spelling]]:
    """Each person's spellings, first seen first; people in order of their first row."""
    owned: dict[_Owner, list[_Spelling]] = {}
    ambiguous: list[tuple[int, Problem]] = []
    for spelling in reading.spellings:
        owner = _owner(spelling, groups)
        if owner is not None:
            owned.setdefault(owner, []).append(spelling)
            continue
        # Each row is a person of its own: no name to go by, or a name several people share.
        roots = groups.roots_of_key(spelling.key) or ()
        for i in spelling.rows:
            alone = _Spelling(spelling.name, spelling.key, spelling.check, i)
            alone.rows.append(i)
            owned[("row", i)] = [alone]
            if roots:
                ambiguous.append((i, _ambiguous(reading, alone, len(roots))))
    problems.extend(problem for _, problem in sorted(ambiguous, key=lambda a: a[0]))
    return sorted(owned.values(), key=lambda spellings: spellings[0].first)


def _owner(spelling: _Spelling, groups: _EmailGroups) -> _Owner | None:
    """Who a spelling's rows belong to; None when each row stands alone."""
    token = spelling.token
    if token is not None:
        return ("email", groups.root_of(token))
    if not spelling.key:
        return None
    roots = groups.roots_of_key(spelling.key)
    if roots is None:
        return ("name", spelling.key)
    if len(roots) == 1:
        return ("email", next(iter(roots)))
    return None


def _ambiguous(reading: _Reading, spelling: _Spelling, candidates: int) -> Problem:
    test, row = reading.row_keys[spelling.first]
    return Problem(
        kind="ambiguous-name",
        found=f"no usable e-mail, and {candidates} people with different e-mails share the name",
        action="kept the row as a person of its own; merge by hand if you know who it is",
        file=reading.files[test],
        row=row,
        person=spelling.name,
    )


def _person_of(reading: _Reading, members: list[list[_Spelling]]) -> dict[tuple[int, int], int]:
    person_at = [0] * len(reading.row_keys)
    for person, spellings in enumerate(members):
        for spelling in spellings:
            for i in spelling.rows:
                person_at[i] = person
    return dict(zip(reading.row_keys, person_at, strict=True))


def _person(reading: _Reading, spellings: list[_Spelling]) -> Person:
    if len(spellings) == 1:  # most people: one name, one e-mail, throughout
        only = spellings[0]
        main = only.email
        name = shown_spelling(only.name) if only.name else ""
        emails: tuple[str, ...] = () if main is None else (main,)
    else:
        main, name, emails = _most_seen(spellings)
    if not name:
        test, row = reading.row_keys[spellings[0].first]
        name = main or f"Unnamed (test {test}, row {row})"
    return Person(name=name, email=main, emails=emails)


def _most_seen(spellings: list[_Spelling]) -> tuple[str | None, str, tuple[str, ...]]:
    """The e-mail seen most (a tie: the first seen), the name to show, and every e-mail."""
    names: dict[str, int] = {}  # each with how often it was seen, first seen first
    emails: dict[str, int] = {}
    for spelling in spellings:
        if spelling.name:
            names[spelling.name] = names.get(spelling.name, 0) + len(spelling.rows)
        if spelling.email is not None:
            emails[spelling.email] = emails.get(spelling.email, 0) + len(spelling.rows)
    main = max(emails, key=emails.__getitem__) if emails else None
    return main, display_name_counted(names), tuple(emails)


def _merge_reports(
    people: tuple[Person, ...], members: list[list[_Spelling]], first_files: list[str]
) -> list[Problem]:
    """Several e-mails on one person come from one platform id (rule 0) or one name never seen
    twice in a test (rule 2): either way a merge, reported with its reason."""
    reports = []
    for person, spellings, file in zip(people, members, first_files, strict=True):
        if len(person.emails) > 1:
            ids = sorted({s.person_id for s in spellings if s.person_id})
            why = f"one person id ({ids[0]})" if len(ids) == 1 else "the same name"
            tail = "" if len(ids) == 1 else ", never two in the same test"
            reports.append(
                Problem(
                    kind="merged-emails",
                    found=(
                        f"{why} with {len(person.emails)} e-mails "
                        f"({', '.join(person.emails)}){tail}"
                    ),
                    action=f"treated as one person, shown with {person.email}",
                    file=file,
                    person=person.name,
                )
            )
    return reports


def _names_with_tests(reading: _Reading, spellings: list[_Spelling]) -> list[str]:
    """Each name a person was seen with, and the tests it was seen in: `Ann Lee (tests 1, 3)`."""
    tests: dict[str, set[int]] = {}
    for spelling in spellings:
        if spelling.name:
            tests.setdefault(spelling.name, set()).update(
                reading.row_keys[i][0] for i in spelling.rows
            )
    return [
        f"{name} (test{'s' if len(found) > 1 else ''} {', '.join(map(str, sorted(found)))})"
        for name, found in sorted(tests.items())
    ]


def _shared_email_reports(
    reading: _Reading,
    people: tuple[Person, ...],
    members: list[list[_Spelling]],
    first_files: list[str],
) -> list[Problem]:
    reports = []
    for person, spellings, file in zip(people, members, first_files, strict=True):
        if person.email is None or len(spellings) < 2:
            continue  # one spelling is one name
        keys = list(dict.fromkeys(s.key for s in spellings if s.key))
        if len(keys) > 1 and related_name_groups(keys) > 1:
            names = ", ".join(_names_with_tests(reading, spellings))
            reports.append(
                Problem(
                    kind="different-names-one-email",
                    found=f"one e-mail ({person.email}) is used with unrelated names: {names}",
                    action="treated as one person as the e-mail matches; check it is not shared",
                    file=file,
                    person=person.name,
                )
            )
    return reports


def _possible_same(
    reading: _Reading, people: tuple[Person, ...], members: list[list[_Spelling]]
) -> tuple[tuple[str, str, str], ...]:
    def tests(person: int) -> set[int]:
        return {reading.row_keys[i][0] for s in members[person] for i in s.rows}

    listed = []
    keys = [[s.key for s in spellings] for spellings in members]
    for a, b, reason in find_lookalikes(keys):
        shared_tests = tests(a) & tests(b)
        if shared_tests and _told_apart(people[a], people[b], members[a], members[b]):
            continue
        listed.append(
            (people[a].name, people[b].name, _why(reason, people[a], people[b], shared_tests))
        )
    return tuple(listed)


def _told_apart(
    a: Person, b: Person, spellings_a: list[_Spelling], spellings_b: list[_Spelling]
) -> bool:
    """Two people who sat one test under different e-mails (or platform ids) are two people:
    one person does not take a test twice under two addresses."""
    if a.email and b.email and a.email != b.email:
        return True
    ids_a = {s.person_id for s in spellings_a if s.person_id}
    ids_b = {s.person_id for s in spellings_b if s.person_id}
    return bool(ids_a and ids_b and not ids_a & ids_b)


def _why(reason: str, a: Person, b: Person, shared_tests: set[int]) -> str:
    if a.email and b.email:
        emails = f"e-mails {a.email} and {b.email}"
    elif a.email or b.email:
        emails = f"only one has an e-mail ({a.email or b.email})"
    else:
        emails = "neither has an e-mail"
    together = f"both took test {min(shared_tests)}" if shared_tests else "never in the same test"
    return f"{reason}; {emails}; {together}"
