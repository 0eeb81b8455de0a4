"""A class roster: a file of people (names, and e-mails or platform ids), no scores needed.

Any table the exports' layouts can read names people the same way here: a name column (or
first and last names), an e-mail column, and the platform's own id where its layout has one
(a Canvas gradebook sent as a roster gives `Canvas 48213`, as its exports do). Score columns,
if the file has them, are ignored: a roster says who is in the class, not how they did.
"""

from __future__ import annotations

from compiler.errors import NoResultsFound
from compiler.identify.names import normalize_email, normalize_name, shown_spelling
from compiler.model import Limits, Roster, RosterPerson, Table, UploadedFile
from compiler.read.tables import DEFAULT_LIMITS, read_tables
from compiler.understand.headers import NAME_HEADERS, normalise_header
from compiler.understand.intake import RowPeople, first_last
from compiler.understand.layout import Layout, analyse_table


def read_roster(file: UploadedFile, limits: Limits | None = None) -> Roster:
    """The people of a roster file, in its order, each once (a person listed twice under one
    e-mail or id is kept the first time). Raises the `ExportError`s of reading a file, and
    `NoResultsFound` when no table names people."""
    tables = read_tables(file, limits or DEFAULT_LIMITS)
    layouts = [
        layout
        for table in tables
        if (layout := analyse_table(table)) is not None and layout.has_identity and layout.data_rows
    ]
    if not layouts:
        names = next(filter(None, map(_names_only, tables)), None)
        if names:
            return Roster(file_name=file.name, people=names)
        raise NoResultsFound(
            file.name,
            "no column holds the people's names, e-mails or ids; expected headers like Name "
            "(or First name and Last name) and Email address, with a person on each row.",
            "Send the class list with a name column (e-mails or ids help matching).",
        )
    layout = max(layouts, key=lambda found: (found.recognised_headers, len(found.data_rows)))
    people = _people(layout)
    if not people:
        raise NoResultsFound(
            file.name,
            "has rows under its header, but none names a person.",
            "Check the name and e-mail columns are filled in, then send it again.",
        )
    return Roster(file_name=file.name, people=people)


def _people(layout: Layout) -> tuple[RosterPerson, ...]:
    rows = [row for _, row in layout.data_rows]
    found = RowPeople.of(layout, rows)
    people: list[RosterPerson] = []
    seen: set[str] = set()
    for number, name, raw_email, person_id in zip(
        found.numbers, found.names, found.emails, found.ids, strict=True
    ):
        if number in found.test_students:
            continue
        email = normalize_email(raw_email).email
        if name and name.count(",") == 1 and layout.name is not None:
            name = first_last(name)  # a class list's `Surname, Given` (Canvas' is turned already)
        shown = shown_spelling(name.strip()) if name and normalize_name(name) else None
        if shown is None and email is None and person_id is None:
            continue
        known = [key for key in (person_id and "id:" + person_id, email) if key]
        if any(key in seen for key in known):
            continue
        seen.update(known)
        name = shown or email or person_id or ""
        people.append(RosterPerson(name=name, email=email, person_id=person_id))
    return tuple(people)


def _names_only(table: Table) -> tuple[RosterPerson, ...]:
    """A list of names under a `Name` heading, and nothing else (a header row needs two
    headings, so the layouts do not read it)."""
    rows = [[cell for cell in row if cell is not None and str(cell).strip()] for row in table.rows]
    rows = [row for row in rows if row]
    if not rows or any(len(row) != 1 for row in rows):
        return ()
    if normalise_header(str(rows[0][0])) not in NAME_HEADERS:
        return ()
    names = [first_last(str(row[0]).strip()) for row in rows[1:]]
    return tuple(RosterPerson(name=shown_spelling(name)) for name in names if normalize_name(name))
