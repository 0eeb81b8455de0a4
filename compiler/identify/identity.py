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

What a teacher adds (`roster_match.py` for the name tiers):

- A roster is the authority: each spelling is placed on a roster person by its platform id,
  then its e-mail, then its name (tolerating a title, a word more or less, reordered words,
  one letter); a spelling left over follows the one roster person its e-mail's other spellings
  were placed with. Every roster person is a person, with rows or none; the people left over
  are worked out by the rules above among themselves, flagged `off_roster` and reported.
- Answers (`SameOrNot`) name people by handle (an id, an e-mail or a name). "Same" joins the
  two people they name (two roster people stay two: the roster says so); "different" keeps
  the pair out of `possible_same_person`. An answer about people these files do not hold
  waits for the files that do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from compiler.errors import quoted
from compiler.identify.lookalikes import (
    ONE_LETTER,
    SAME_NAME,
    find_lookalikes,
    related_name_groups,
)
from compiler.identify.names import (
    EmailCheck,
    display_name,
    display_name_counted,
    normalize_email,
    normalize_name,
    shown_spelling,
)
from compiler.identify.roster_match import SAME_KEY, RosterMatcher
from compiler.model import (
    Export,
    LookAlike,
    LookAlikeSide,
    Problem,
    Roster,
    RosterPerson,
    SameOrNot,
    Submission,
)

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
    off_roster: bool = False  # a roster was given and no roster person is this one


@dataclass(frozen=True, slots=True)
class Identities:
    """Who is who: people, which person each (test number, source row) is, and what was odd."""

    people: tuple[Person, ...]
    person_of: dict[tuple[int, int], int]  # (test number, Submission.row) -> index in people
    problems: tuple[Problem, ...]
    possible_same_person: tuple[LookAlike, ...]  # most likely the same person first
    decisions_applied: int = 0  # the teacher's answers that met a pair in these files


class _Spelling:
    """One name-and-e-mail pair as typed, and the rows that carry it. A class has far fewer
    of these than rows (a person types the same thing in every test), so all the work of
    telling people apart is done once per spelling, not once per row."""

    __slots__ = (
        "check",
        "email",
        "first",
        "key",
        "name",
        "person_id",
        "reported",
        "roster",
        "rows",
        "token",
    )

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
        self.roster: int | None = None  # the roster person it is, when a roster was given


@dataclass(slots=True)
class _Reading:
    """Every row read, in reading order, and the spellings found, in order of first row."""

    row_keys: list[tuple[int, int]]  # row index -> (test number, Submission.row)
    files: dict[int, str]  # test number -> file name
    spellings: list[_Spelling]
    ids_by_email: dict[str, set[str]] = field(default_factory=dict)  # e-mail -> person ids


_Owner = tuple[str, object]  # ("email", group root) | ("name", key) | ("row", row index)


def resolve_identities(
    tests: Sequence[tuple[int, Export]],
    roster: Roster | None = None,
    decisions: Sequence[SameOrNot] = (),
) -> Identities:
    """Decide who is who across tests given as (test number, parsed export) pairs.

    Test numbers must be distinct (conflicts are settled before this). See the module
    docstring for the rules, and for what a `roster` and the teacher's `decisions` change.
    """
    numbers = [number for number, _ in tests]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"each test number may appear once, got {numbers}")
    problems: list[Problem] = []
    reading = _read(tests, problems)
    for spelling in reading.spellings:
        spelling.token = _token(spelling, reading.ids_by_email)
    groups = _EmailGroups(reading)
    if roster is not None:
        _place_on_roster(reading, RosterMatcher(roster), problems)
    members = _people(reading, groups, problems, roster)
    members, apart, applied = _settle(reading, members, decisions, roster, problems)
    people = tuple([_person(reading, member, roster) for member in members])
    first_files = [_first_file(reading, member) for member in members]
    problems.extend(_merge_reports(people, members, first_files))
    problems.extend(_shared_email_reports(reading, people, members, first_files))
    if roster is not None:
        problems.extend(_off_roster_reports(reading, people, members, first_files, roster))
    return Identities(
        people=people,
        person_of=_person_of(reading, members),
        problems=tuple(problems),
        possible_same_person=_possible_same(reading, people, members, apart),
        decisions_applied=applied,
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


@dataclass(slots=True)
class _Member:
    """One person while people are worked out: their spellings, and their roster place."""

    spellings: list[_Spelling]
    roster: int | None = None  # the roster person they are, when a roster was given
    joined_by_you: bool = False  # the teacher's "same person" made them one

    def tests(self, reading: _Reading) -> set[int]:
        return {reading.row_keys[i][0] for s in self.spellings for i in s.rows}


def _place_on_roster(reading: _Reading, matcher: RosterMatcher, problems: list[Problem]) -> None:
    """Each spelling's roster person: by its person id, its e-mail, its name, else by the one
    roster person the other spellings of its e-mail (or id) were placed with."""
    by_token: dict[str, set[int]] = {}
    unplaced: list[tuple[_Spelling, tuple[int, ...]]] = []
    for spelling in reading.spellings:
        found = matcher.by_id(spelling.person_id)
        if found is None:
            found = matcher.by_email(spelling.email)
        candidates: tuple[int, ...] = ()
        if found is None:
            found, how, candidates = matcher.by_name(spelling.key)
            if found is not None and how != SAME_KEY:
                problems.append(_roster_report(reading, spelling, matcher.roster, found, how))
        spelling.roster = found
        if found is None:
            unplaced.append((spelling, candidates))
        elif spelling.token is not None:
            by_token.setdefault(spelling.token, set()).add(found)
    for spelling, candidates in unplaced:
        placed = by_token.get(spelling.token or "", set())
        if len(placed) == 1:
            spelling.roster = next(iter(placed))
        elif candidates:
            problems.append(_roster_tie(reading, spelling, matcher.roster, candidates))


def _roster_report(
    reading: _Reading, spelling: _Spelling, roster: Roster, found: int, how: str
) -> Problem:
    test, row = reading.row_keys[spelling.first]
    listed = roster.people[found].name
    return Problem(
        kind="roster-match",
        found=f"{quoted(spelling.name)} is not on the roster as spelt: {how} from {listed}",
        action=f"counted as {listed} of the roster",
        file=reading.files[test],
        row=row,
        person=listed,
    )


def _roster_tie(
    reading: _Reading, spelling: _Spelling, roster: Roster, candidates: tuple[int, ...]
) -> Problem:
    test, row = reading.row_keys[spelling.first]
    names = ", ".join(roster.people[i].name for i in candidates[:4])
    return Problem(
        kind="roster-ambiguous",
        found=f"{quoted(spelling.name)} is as close to {len(candidates)} people on the roster "
        f"({names})",
        action="matched to none of them; shown below the roster (add an e-mail to tell them apart)",
        file=reading.files[test],
        row=row,
        person=spelling.name or None,
    )


def _people(
    reading: _Reading, groups: _EmailGroups, problems: list[Problem], roster: Roster | None
) -> list[_Member]:
    """Each person's spellings, first seen first; with a roster, its people first, in its order
    (those with no row too)."""
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
    found = sorted(owned.items(), key=lambda item: item[1][0].first)
    members = [_Member(spellings) for owner, spellings in found if owner[0] != "roster"]
    if roster is None:
        return members
    placed = {owner[1]: spellings for owner, spellings in found if owner[0] == "roster"}
    listed = [_Member(placed.get(i, []), roster=i) for i in range(len(roster.people))]
    return listed + members


def _owner(spelling: _Spelling, groups: _EmailGroups) -> _Owner | None:
    """Who a spelling's rows belong to; None when each row stands alone."""
    if spelling.roster is not None:
        return ("roster", spelling.roster)
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


def _settle(
    reading: _Reading,
    members: list[_Member],
    decisions: Sequence[SameOrNot],
    roster: Roster | None,
    problems: list[Problem],
) -> tuple[list[_Member], set[frozenset[int]], int]:
    """The teacher's answers applied: "same" joins two people into one (never two roster
    people: the roster says they are two), "different" keeps a pair from being asked again.
    Returns the people, the pairs (by index) told apart, and how many answers met a pair."""
    if not decisions:
        return members, set(), 0
    handles = _Handles(members, roster)
    parent = list(range(len(members)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    applied = 0
    different: list[tuple[int, int]] = []
    joined: list[tuple[int, int]] = []
    for decision in decisions:
        a, b = handles.find(decision.a), handles.find(decision.b)
        if a is None or b is None:
            continue
        applied += 1
        if not decision.same:
            different.append((a, b))
            continue
        ra, rb = root(a), root(b)
        if ra == rb:
            continue
        if members[ra].roster is not None and members[rb].roster is not None:
            problems.append(_roster_apart(decision, roster))
            continue
        if members[rb].roster is not None:
            ra, rb = rb, ra
        parent[rb] = ra
        joined.append((a, b))
    roots = {i: root(i) for i in range(len(members))}
    kept = [i for i in range(len(members)) if roots[i] == i]
    new_index = {old: new for new, old in enumerate(kept)}
    merged = [_Member([], members[i].roster) for i in kept]
    for i, member in enumerate(members):
        merged[new_index[roots[i]]].spellings.extend(member.spellings)
    for member in merged:
        member.spellings.sort(key=lambda spelling: spelling.first)
    for a, _ in joined:
        merged[new_index[roots[a]]].joined_by_you = True
    problems.extend(_joined_report(reading, members, a, b) for a, b in joined)
    apart = {frozenset((new_index[roots[a]], new_index[roots[b]])) for a, b in different}
    return merged, apart, applied


class _Handles:
    """Which person a handle of a `SameOrNot` names: a person id (`id:...`), an e-mail, or a
    name (by its key; only when one person has it)."""

    def __init__(self, members: list[_Member], roster: Roster | None) -> None:
        self.tokens: dict[str, int] = {}
        self.names: dict[str, set[int]] = {}
        for i, member in enumerate(members):
            for spelling in member.spellings:
                for token in (spelling.token, spelling.email):
                    if token is not None:
                        self.tokens.setdefault(token, i)
                if spelling.person_id is not None:
                    self.tokens.setdefault("id:" + spelling.person_id, i)
                if spelling.key:
                    self.names.setdefault(spelling.key, set()).add(i)
            if roster is not None and member.roster is not None:
                listed = roster.people[member.roster]
                for token in (listed.email, listed.person_id and "id:" + listed.person_id):
                    if token:
                        self.tokens.setdefault(token, i)
                key = normalize_name(listed.name)
                if key:
                    self.names.setdefault(key, set()).add(i)

    def find(self, handle: str) -> int | None:
        text = handle.strip()
        if text.startswith("id:"):
            return self.tokens.get(text)
        if "@" in text:
            email = normalize_email(text).email
            return None if email is None else self.tokens.get(email)
        found = self.names.get(normalize_name(text), set())
        return next(iter(found)) if len(found) == 1 else None


def _roster_apart(decision: SameOrNot, roster: Roster | None) -> Problem:
    name = roster.file_name if roster is not None else "the roster"
    return Problem(
        kind="decision-not-applied",
        found=f"you said {decision.a} and {decision.b} are the same person, but {name} lists "
        "them as two people",
        action="kept them apart, as the roster says; correct the roster if it is wrong",
    )


def _joined_report(reading: _Reading, members: list[_Member], a: int, b: int) -> Problem:
    names = [_member_name(members[i]) for i in (a, b)]
    return Problem(
        kind="merged-by-you",
        found=f"you said {names[0]} and {names[1]} are the same person",
        action="treated as one person",
        file=_first_file(reading, members[a]) or None,
        person=names[0],
    )


def _member_name(member: _Member) -> str:
    names = [spelling.name for spelling in member.spellings if spelling.name]
    emails = [spelling.email for spelling in member.spellings if spelling.email]
    return (names or emails or ["(no name)"])[0]


def _first_file(reading: _Reading, member: _Member) -> str:
    if not member.spellings:
        return ""
    return reading.files[reading.row_keys[member.spellings[0].first][0]]


def _person_of(reading: _Reading, members: list[_Member]) -> dict[tuple[int, int], int]:
    person_at = [0] * len(reading.row_keys)
    for person, member in enumerate(members):
        for spelling in member.spellings:
            for i in spelling.rows:
                person_at[i] = person
    return dict(zip(reading.row_keys, person_at, strict=True))


def _person(reading: _Reading, member: _Member, roster: Roster | None) -> Person:
    spellings = member.spellings
    if roster is not None and member.roster is not None:
        return _roster_person(roster.people[member.roster], spellings)
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
    return Person(name=name, email=main, emails=emails, off_roster=roster is not None)


def _roster_person(listed: RosterPerson, spellings: list[_Spelling]) -> Person:
    """A roster person as the roster names them, with the e-mails their rows used too."""
    if len(spellings) > 1:
        main, _, seen = _most_seen(spellings)
    else:  # most people: one spelling throughout, or no row at all
        main = spellings[0].email if spellings else None
        seen = () if main is None else (main,)
    email = listed.email or main
    emails = tuple(dict.fromkeys([*([email] if email else []), *seen]))
    return Person(name=listed.name, email=email, emails=emails)


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
    people: tuple[Person, ...], members: list[_Member], first_files: list[str]
) -> list[Problem]:
    """Several e-mails on one person come from one platform id (rule 0) or one name never seen
    twice in a test (rule 2): either way a merge, reported with its reason. (A roster person's
    e-mails are theirs by the roster; a person the teacher joined is reported as such.)"""
    reports = []
    for person, member, file in zip(people, members, first_files, strict=True):
        if len(person.emails) > 1 and member.roster is None and not member.joined_by_you:
            ids = sorted({s.person_id for s in member.spellings if s.person_id})
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


def _off_roster_reports(
    reading: _Reading,
    people: tuple[Person, ...],
    members: list[_Member],
    first_files: list[str],
    roster: Roster,
) -> list[Problem]:
    reports = []
    for person, member, file in zip(people, members, first_files, strict=True):
        if member.roster is None:
            taken = sorted(member.tests(reading))
            tests = "test " + str(taken[0]) if len(taken) == 1 else "tests " + _and(taken)
            email = f" ({person.email})" if person.email else ""
            reports.append(
                Problem(
                    kind="not-on-roster",
                    found=f"{person.name}{email} took {tests} but is not on the roster "
                    f"{quoted(roster.file_name)}",
                    action="shown below the roster's people with their results; add them to "
                    "the roster, or answer whether they are somebody on it",
                    file=file,
                    person=person.name,
                )
            )
    return reports


def _and(numbers: Sequence[int]) -> str:
    """`1, 2 and 3`."""
    *head, last = map(str, numbers)
    return f"{', '.join(head)} and {last}" if head else last


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
    members: list[_Member],
    first_files: list[str],
) -> list[Problem]:
    reports = []
    for person, member, file in zip(people, members, first_files, strict=True):
        spellings = member.spellings
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


# How likely a look-alike is one person, most likely first: the same name, then a typo, then
# the other kinds (see `_likelihood`).
_REASON_RANK = {SAME_NAME: 0, ONE_LETTER: 1}


def _possible_same(
    reading: _Reading,
    people: tuple[Person, ...],
    members: list[_Member],
    apart: set[frozenset[int]],
) -> tuple[LookAlike, ...]:
    """Look-alike people for a human to settle, most likely the same person first: never two
    roster people (the roster says they are two), never a pair the teacher told apart."""
    if all(member.roster is not None for member in members):
        return ()  # everyone is on the roster (or nobody is in the files): nobody to ask about
    keys = [
        [s.key for s in member.spellings] + _roster_key(person, member)
        for person, member in zip(people, members, strict=True)
    ]
    listed = []
    found = find_lookalikes(keys)
    tests = {i: members[i].tests(reading) for a, b, _ in found for i in (a, b)}  # pairs' only
    for a, b, reason in found:
        if frozenset((a, b)) in apart:
            continue
        if members[a].roster is not None and members[b].roster is not None:
            continue
        shared_tests = tests[a] & tests[b]
        if shared_tests and _told_apart(people[a], people[b], members[a], members[b]):
            continue
        pair = LookAlike(
            a=_side(people[a], members[a], tests[a]),
            b=_side(people[b], members[b], tests[b]),
            reason=reason,
            why=_why(reason, people[a], people[b], shared_tests),
        )
        listed.append((_likelihood(pair, bool(shared_tests)), pair))
    listed.sort(key=lambda item: item[0])
    return tuple(pair for _, pair in listed)


def _roster_key(person: Person, member: _Member) -> list[str]:
    return [normalize_name(person.name)] if member.roster is not None else []


def _likelihood(pair: LookAlike, together: bool) -> tuple[bool, bool, int, str, str]:
    """Never in one test before sharing one; one e-mail or none before two; then the reason."""
    two_emails = bool(pair.a.emails and pair.b.emails)
    rank = _REASON_RANK.get(pair.reason, 2)
    return together, two_emails, rank, pair.a.name.casefold(), pair.b.name.casefold()


def _side(person: Person, member: _Member, tests: set[int]) -> LookAlikeSide:
    counts: dict[str, int] = {}
    for spelling in member.spellings:
        if spelling.name:
            counts[spelling.name] = counts.get(spelling.name, 0) + len(spelling.rows)
    names = tuple(sorted(counts, key=lambda name: -counts[name])) or (person.name,)
    return LookAlikeSide(
        handle=_handle(person, member),
        name=person.name,
        names=names,
        emails=person.emails,
        tests=tuple(sorted(tests)),
    )


def _handle(person: Person, member: _Member) -> str:
    """What a `SameOrNot` calls this person by: a platform id, else the e-mail, else the name."""
    ids = sorted({s.person_id for s in member.spellings if s.person_id})
    if ids:
        return "id:" + ids[0]
    return person.email or person.name


def _told_apart(a: Person, b: Person, member_a: _Member, member_b: _Member) -> bool:
    """Two people who sat one test under different e-mails (or platform ids) are two people:
    one person does not take a test twice under two addresses."""
    if a.email and b.email and a.email != b.email:
        return True
    ids_a = {s.person_id for s in member_a.spellings if s.person_id}
    ids_b = {s.person_id for s in member_b.spellings if s.person_id}
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
