"""A generated class's roster file: who is in the class (names, e-mails, the platform's ids),
never a score, as a teacher keeps it or downloads it from the platform.

    roster = write_roster(generated)
    roster.file          # UploadedFile: `Name`, `Email` (and ids where the platform has them)
    roster.on_roster     # the class's people on it, by index
    roster.absentees     # invented people on the roster who sat no test
    roster.left_out      # people in the files that the roster forgot

The roster holds each person's canonical name and main e-mail, the way the truth knows them;
the people it adds or leaves out are chosen so that nothing else in the class looks like them
(no name one letter or one word apart), so a right compile can always tell where they belong.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from compiler.model import UploadedFile
from tests.support.classes import GeneratedClass
from tests.support.exports.files import Cell, csv_bytes, xlsx_bytes
from tests.support.exports.lms import split_name
from tests.support.roster import TruePerson, invent_email, invent_names, names_alike

# Per layout, the ids its files carry for a person index (what `tests.support.exports` writes).
CANVAS_ID = 50000
MOODLE_ID = 1000


@dataclass(frozen=True)
class ClassRoster:
    """A roster file and who is on it."""

    file: UploadedFile
    on_roster: tuple[int, ...]  # indices of the class's people on the roster
    absentees: tuple[TruePerson, ...]  # on the roster, in no file
    left_out: tuple[int, ...]  # in the files, not on the roster

    @property
    def size(self) -> int:
        """The people on the roster."""
        return len(self.on_roster) + len(self.absentees)

    def people(self, generated: GeneratedClass) -> list[TruePerson]:
        """Everyone a compile with this roster must show: the class, then the absentees."""
        return [*generated.people, *self.absentees]


_Entry = tuple[int, TruePerson]  # (person index, counting absentees after the class; person)
_Style = Callable[[Sequence[_Entry], bool], list[list[Cell]]]  # (entries, last_first) -> rows


def _name_email(entries: Sequence[_Entry], last_first: bool) -> list[list[Cell]]:
    rows: list[list[Cell]] = [["Name", "Email"]]
    return rows + [[_shown(person, last_first), person.email] for _, person in entries]


def _names_only(entries: Sequence[_Entry], last_first: bool) -> list[list[Cell]]:
    rows: list[list[Cell]] = [["Name"]]
    return rows + [[_shown(person, last_first)] for _, person in entries]


def _shown(person: TruePerson, last_first: bool) -> str:
    """The name as the roster writes it: `Given Surname`, or `Surname, Given`."""
    if not last_first:
        return person.name
    given, surname = split_name(person.name)
    return f"{surname}, {given}"


def _moodle(entries: Sequence[_Entry], _: bool) -> list[list[Cell]]:
    """Moodle's participants download: split names, `ID number`, `Email address`."""
    rows: list[list[Cell]] = [["First name", "Last name", "ID number", "Email address"]]
    for index, person in entries:
        given, surname = split_name(person.name)
        rows.append([given, surname, f"ID{index + MOODLE_ID}", person.email])
    return rows


def _canvas(entries: Sequence[_Entry], _: bool) -> list[list[Cell]]:
    """Canvas's gradebook with no assignment: `Last, First`, `ID`, `SIS User ID`, the login."""
    rows: list[list[Cell]] = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]]
    for index, person in entries:
        given, surname = split_name(person.name)
        student = f"{surname}, {given}"
        rows.append(
            [student, CANVAS_ID + 13 * index, f"S{100000 + index}", person.email, "ANAT 101"]
        )
    return rows


_STYLES: dict[str, tuple[_Style, bool]] = {  # layout -> (rows, as CSV)
    "moodle": (_moodle, False),
    "canvas": (_canvas, True),
    "canvas_gradebook": (_canvas, True),
    "kahoot": (_names_only, False),
    "google_forms_csv": (_name_email, True),
}


def write_roster(
    generated: GeneratedClass,
    absentees: int = 2,
    left_out: int = 1,
    seed: int = 0,
    *,
    last_first: bool = False,
) -> ClassRoster:
    """The roster of `generated`, in the style its platform's teachers have, with `absentees`
    invented people who sat no test and `left_out` of the class's people missing from it.
    `last_first` writes a lone name column as `Surname, Given` (as many school systems do)."""
    rng = random.Random(f"roster/{generated.layout}/{len(generated.people)}/{seed}")
    forgotten = _left_out(rng, generated, left_out)
    added = _absentees(rng, generated.people, absentees)
    count = len(generated.people)
    entries: list[_Entry] = [
        (index, person) for index, person in enumerate(generated.people) if index not in forgotten
    ]
    entries += [(count + number, person) for number, person in enumerate(added)]
    entries.sort(key=lambda entry: split_name(entry[1].name)[::-1])
    style, as_csv = _STYLES.get(generated.layout, (_name_email, False))
    rows = style(entries, last_first)
    name = f"Class list {generated.layout}.{'csv' if as_csv else 'xlsx'}"
    data = csv_bytes(rows) if as_csv else xlsx_bytes([("Roster", rows)])
    return ClassRoster(
        file=UploadedFile(name=name, data=data),
        on_roster=tuple(sorted(i for i, _ in entries if i < count)),
        absentees=tuple(added),
        left_out=tuple(sorted(forgotten)),
    )


def _all_names(people: Sequence[TruePerson], skip: int | None = None) -> list[str]:
    return [name for i, person in enumerate(people) if i != skip for name in person.names]


def _left_out(rng: random.Random, generated: GeneratedClass, wanted: int) -> set[int]:
    """People with one name and one e-mail throughout, no noise of their own and no look-alike."""
    people = generated.people
    plain = [
        index
        for index, person in enumerate(people)
        if not person.spellings
        and not person.other_emails
        and index not in generated.notes
        and not any(names_alike(person.name, other) for other in _all_names(people, index))
    ]
    return set(rng.sample(plain, min(wanted, len(plain))))


def _absentees(rng: random.Random, people: Sequence[TruePerson], wanted: int) -> list[TruePerson]:
    """Invented people unlike anyone in the class, with an e-mail when the class has them."""
    names = _all_names(people)
    emails = {email for person in people for email in person.emails}
    with_email = any(person.email for person in people)
    added: list[TruePerson] = []
    while len(added) < wanted:
        (name,) = invent_names(rng, 1)
        if any(names_alike(name, other) for other in names):
            continue
        names.append(name)
        added.append(TruePerson(name, invent_email(rng, name, emails) if with_email else None))
    return added
