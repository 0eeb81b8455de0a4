"""Zips built by hand: parts in and out, and entries far larger inflated than on disk.

A deflate stream of a million spaces, flushed with Z_FULL_FLUSH, compresses to the same ~1 KB
block whatever came before it, so repeating that block N times is a valid stream of N million
spaces: a 1 GiB entry is a 1 MB file, made in a fraction of a second.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

MIB = 1024 * 1024
_FILLER = b" " * MIB


def parts_of(data: bytes) -> dict[str, bytes]:
    """Every entry of a zip, by name, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_of(parts: dict[str, bytes]) -> bytes:
    """A deflated zip of `parts`; an ODS `mimetype` goes first and stored, as ODS requires."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if "mimetype" in parts:
            archive.writestr(zipfile.ZipInfo("mimetype"), parts["mimetype"])
        for name, data in parts.items():
            if name != "mimetype":
                archive.writestr(name, data)
    return buffer.getvalue()


@dataclass(frozen=True)
class HugeEntry:
    """An entry of `head` + `filler_mib` MiB of spaces + `tail`, declared as `declared` bytes
    (None: its true size). `crc_of_declared` makes a liar's CRC match the bytes it declares."""

    name: str
    head: bytes
    filler_mib: int
    tail: bytes
    declared: int | None = None
    crc_of_declared: bool = False

    @property
    def size(self) -> int:
        return len(self.head) + self.filler_mib * MIB + len(self.tail)


def zip_with_huge_entry(parts: dict[str, bytes], huge: HugeEntry) -> bytes:
    """A zip of `parts` (deflated) and one huge entry, written by hand."""
    entries = [(name, _deflated(data), zlib.crc32(data), len(data)) for name, data in parts.items()]
    declared = huge.size if huge.declared is None else huge.declared
    entries.append((huge.name, _huge_stream(huge), _huge_crc(huge), declared))
    return _write_zip(entries)


def _deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _huge_stream(huge: HugeEntry) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(huge.head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(_FILLER) + compressor.flush(zlib.Z_FULL_FLUSH)
    return head + block * huge.filler_mib + compressor.compress(huge.tail) + compressor.flush()


def _huge_crc(huge: HugeEntry) -> int:
    if huge.crc_of_declared:
        assert huge.declared is not None and huge.declared <= len(huge.head) + MIB
        return zlib.crc32((huge.head + _FILLER)[: huge.declared])
    crc = zlib.crc32(huge.head)
    for _ in range(huge.filler_mib):
        crc = zlib.crc32(_FILLER, crc)
    return zlib.crc32(huge.tail, crc)


def _write_zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """Local headers, data, central directory and its end, for deflated entries under 4 GiB."""
    out = io.BytesIO()
    central = io.BytesIO()
    for name, data, crc, size in entries:
        offset = out.tell()
        encoded = name.encode()
        fields = (20, 0, zipfile.ZIP_DEFLATED, 0, 0x21, crc, len(data), size, len(encoded))
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields, 0) + encoded + data)
        central.write(
            struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, offset)
            + encoded
        )
    directory = central.getvalue()
    count = len(entries)
    end = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(directory), out.tell(), 0
    )
    return out.getvalue() + directory + end
