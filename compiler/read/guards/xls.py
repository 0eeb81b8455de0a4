"""Measuring an Excel 97-2003 (.xls) workbook before calamine opens it.

calamine lays out every sheet of an .xls as one dense block the moment it opens the file: a
5 KB file whose three sheets each hold a cell in A1 and one in IV65536 made it take 1.5 GB,
and ten such sheets abort the process. So the workbook stream is read here first: the OLE2
container (MS-CFB) is followed to the `Workbook` stream, its BIFF records are walked once, and
each sheet's extent (from its cell records) and the text its string cells repeat (from the
shared-string table) go to the same `Budget` as a zip's sheets.
"""

from __future__ import annotations

import struct
from collections import Counter
from dataclasses import dataclass

from compiler.errors import CorruptFile
from compiler.model import Limits, UploadedFile
from compiler.read.guards.sheets import Budget
from compiler.read.guards.zip_archive import ENCRYPTED, ENCRYPTED_ADVICE

_FREE_OR_END = (0xFFFFFFFF, 0xFFFFFFFE)
_STREAM, _ROOT = 2, 5
_BOF, _EOF, _SHEET, _FILEPASS = 0x0809, 0x000A, 0x0085, 0x002F
_SST, _CONTINUE, _STRING_CELL = 0x00FC, 0x003C, 0x00FD
# NUMBER, LABEL, LABELSST, RK, BLANK, BOOLERR, FORMULA, RSTRING: row and column come first.
_CELLS = frozenset({0x0203, 0x0204, 0x00FD, 0x027E, 0x0201, 0x0205, 0x0006, 0x00D6})
_MULTIPLE_CELLS = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK: a row, first and last column
_DAMAGED = "Open it in Excel or LibreOffice and save it again as .xlsx."


def scan_xls(file: UploadedFile, limits: Limits) -> None:
    """Raise FileTooLarge when the .xls's sheets span more than `limits` and the workbook
    budget allow, or repeat too much text; CorruptFile when its container or records cannot be
    followed (calamine would read them some other way, so they are not read at all)."""
    budget = Budget(file, limits)
    try:
        # A file holds one workbook stream; should it hold more, every one is counted.
        walks = [_walk(stream) for stream in _workbook_streams(file.data)]
    except (ValueError, IndexError, struct.error) as exc:
        raise CorruptFile(file.name, "is a damaged Excel 97-2003 workbook.", _DAMAGED) from exc
    for walk in walks:
        if walk.encrypted:
            raise CorruptFile(file.name, ENCRYPTED, ENCRYPTED_ADVICE)
        for position in walk.sheets:
            if position not in walk.extents:
                raise CorruptFile(file.name, "is a damaged Excel 97-2003 workbook.", _DAMAGED)
            budget.add_sheet(*walk.extents[position])
        # Which string a cell shows depends on how the table is numbered: the most-used
        # indices are counted as the longest strings there are.
        counts = sorted(walk.uses.values(), reverse=True)
        longest = sorted(walk.strings, reverse=True)
        budget.add_text(sum(n * size for n, size in zip(counts, longest, strict=False)))


# --- the OLE2 container ----------------------------------------------------------------------


def _workbook_streams(data: bytes) -> list[bytes]:
    """The `Workbook` (or BIFF5 `Book`) streams of an OLE2 file, whatever their case."""
    container = _CompoundFile(data)
    streams = [
        container.stream(entry)
        for entry in container.entries
        if entry[66] == _STREAM and _entry_name(entry) in ("workbook", "book")
    ]
    if not streams:
        raise ValueError("no Workbook stream")
    return streams


def _entry_name(entry: bytes) -> str:
    length = min(struct.unpack_from("<H", entry, 64)[0], 64)
    return entry[: max(length - 2, 0)].decode("utf-16-le", errors="replace").casefold()


class _CompoundFile:
    """Just enough of MS-CFB to read a stream: the FAT (and its DIFAT), the directory, and the
    mini stream; every chain checked for loops and for sectors past the end."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.size = 1 << struct.unpack_from("<H", data, 30)[0]
        if self.size not in (512, 4096) or struct.unpack_from("<H", data, 32)[0] != 6:
            raise ValueError("not a compound file's sector sizes")
        fat_count, directory_start = struct.unpack_from("<II", data, 44)
        self.cutoff, self.mini_fat_start, _, difat, difat_count = struct.unpack_from(
            "<IIIII", data, 56
        )
        sectors = len(data) // self.size  # a FAT lists each of its sectors once at most
        fat_sectors = [n for n in struct.unpack_from("<109I", data, 76) if n not in _FREE_OR_END]
        seen: set[int] = set()
        while difat not in _FREE_OR_END and len(seen) < difat_count:
            if difat in seen:
                raise ValueError("a DIFAT chain that loops")
            seen.add(difat)
            numbers = self._numbers(difat)
            fat_sectors += [n for n in numbers[:-1] if n not in _FREE_OR_END]
            difat = numbers[-1]
        if len(fat_sectors) > sectors or len(set(fat_sectors)) < len(fat_sectors):
            raise ValueError("more FAT sectors than the file holds")
        self.fat = [n for sector in fat_sectors[:fat_count] for n in self._numbers(sector)]
        directory = self._read(directory_start, self.fat)
        self.entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
        roots = [entry for entry in self.entries if entry[66] == _ROOT]
        if not roots:
            raise ValueError("no root storage")
        self.root_start = struct.unpack_from("<I", roots[0], 116)[0]

    def stream(self, entry: bytes) -> bytes:
        start, size = struct.unpack_from("<IQ", entry, 116)
        if size >= self.cutoff:
            return self._read(start, self.fat)[:size]
        mini_fat = [n for s in self._chain(self.mini_fat_start, self.fat) for n in self._numbers(s)]
        mini = self._read(self.root_start, self.fat)
        sectors = self._chain(start, mini_fat)
        return b"".join(mini[n * 64 : n * 64 + 64] for n in sectors)[:size]

    def _sector(self, number: int) -> bytes:
        start = (number + 1) * self.size
        if start >= len(self.data):
            raise ValueError("a sector past the end of the file")
        return self.data[start : start + self.size].ljust(self.size, b"\0")

    def _numbers(self, sector: int) -> list[int]:
        return list(struct.unpack(f"<{self.size // 4}I", self._sector(sector)))

    def _chain(self, start: int, table: list[int]) -> list[int]:
        numbers: list[int] = []
        seen: set[int] = set()
        while start not in _FREE_OR_END:
            if start in seen or start >= len(table):
                raise ValueError("a broken sector chain")
            seen.add(start)
            numbers.append(start)
            start = table[start]
        return numbers

    def _read(self, start: int, table: list[int]) -> bytes:
        return b"".join(self._sector(n) for n in self._chain(start, table))


# --- BIFF records ------------------------------------------------------------------------------


@dataclass
class _Walk:
    """What one pass over a workbook stream's records found."""

    sheets: list[int]  # each sheet's stream position, as its BOUNDSHEET gives it
    extents: dict[int, tuple[int, int]]  # rows and columns from each BOF to its EOF
    strings: list[int]  # the shared strings' sizes
    uses: Counter[int]  # how many string cells show each index
    encrypted: bool


def _walk(stream: bytes) -> _Walk:
    """One pass over the records (a nested substream's cells count for its parent too)."""
    sheets: list[int] = []
    extents: dict[int, tuple[int, int]] = {}
    open_frames: list[list[int]] = []  # [position, rows, columns] of each BOF not yet closed
    sst = bytearray()
    continues: list[int] = []  # where each CONTINUE of the SST starts within `sst`
    in_sst = False
    uses: Counter[int] = Counter()
    encrypted = False
    position = 0
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        body = stream[position + 4 : position + 4 + length]
        if kind == _BOF:
            open_frames.append([position, 0, 0])
        elif kind == _FILEPASS:
            encrypted = True  # cell records after it are ciphertext
        elif kind == _EOF and open_frames:
            start, rows, columns = open_frames.pop()
            extents[start] = (rows, columns)
            if open_frames:
                _grow(open_frames[-1], rows, columns)
        elif kind == _SHEET and len(body) >= 4:
            sheets.append(struct.unpack_from("<I", body)[0])
        elif kind in _CELLS and len(body) >= 4 and open_frames:
            row, column = struct.unpack_from("<HH", body)
            _grow(open_frames[-1], row + 1, column + 1)
            if kind == _STRING_CELL and len(body) >= 10:
                uses[struct.unpack_from("<I", body, 6)[0]] += 1
        elif kind in _MULTIPLE_CELLS and len(body) >= 6 and open_frames:
            row, first = struct.unpack_from("<HH", body)
            last = struct.unpack_from("<H", body, length - 2)[0]
            _grow(open_frames[-1], row + 1, max(first, last) + 1)
        if kind == _SST:
            sst, continues, in_sst = bytearray(body), [], True
        elif kind == _CONTINUE and in_sst:
            continues.append(len(sst))
            sst += body
        else:
            in_sst = False
        position += 4 + length
    for start, rows, columns in open_frames:
        extents[start] = (rows, columns)
    if encrypted:
        return _Walk(sheets, extents, [], uses, encrypted=True)
    return _Walk(sheets, extents, _string_sizes(bytes(sst), continues), uses, encrypted=False)


def _grow(frame: list[int], rows: int, columns: int) -> None:
    frame[1], frame[2] = max(frame[1], rows), max(frame[2], columns)


def _string_sizes(sst: bytes, continues: list[int]) -> list[int]:
    """An upper bound of each shared string's UTF-8 size: three bytes a character."""
    if len(sst) < 8:
        return []
    count = struct.unpack_from("<I", sst, 4)[0]
    sizes: list[int] = []
    position = 8
    while len(sizes) < count and position + 3 <= len(sst):
        characters, flags = struct.unpack_from("<HB", sst, position)
        position += 3
        runs = extension = 0
        if flags & 0x08:
            runs = struct.unpack_from("<H", sst, position)[0]
            position += 2
        if flags & 0x04:
            extension = struct.unpack_from("<I", sst, position)[0]
            position += 4
        width = 2 if flags & 0x01 else 1
        left = characters
        while left:  # characters may run on into a CONTINUE, which restates their width
            boundary = next((c for c in continues if c > position), len(sst))
            fits = min(left, (boundary - position) // width)
            position += fits * width
            left -= fits
            if left:
                if boundary >= len(sst):
                    raise ValueError("a shared string runs past the table")
                width = 2 if sst[boundary] & 0x01 else 1
                position = boundary + 1
        position += 4 * runs + extension
        sizes.append(3 * characters)
    return sizes
