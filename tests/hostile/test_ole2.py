"""The compound files the hostile set builds are sound: read back by a reader written from
MS-CFB, independently of the writer, every stream comes out as it went in."""

from __future__ import annotations

import struct

import pytest

from compiler.errors import CorruptFile
from compiler.model import UploadedFile
from compiler.read.tables import read_tables
from tests.hostile.ole2 import SECTOR, compound_file, encrypted_workbook

_END_OF_CHAIN = 0xFFFFFFFE


def read_streams(data: bytes) -> dict[str, bytes]:
    """Each stream of a version 3 compound file with one FAT sector and no mini stream."""
    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    major, byte_order, shift = struct.unpack_from("<HHH", data, 26)
    assert (major, byte_order, 1 << shift) == (3, 0xFFFE, SECTOR)
    fat_sectors, first_directory = struct.unpack_from("<II", data, 44)
    fat_sector = struct.unpack_from("<I", data, 76)[0]
    assert fat_sectors == 1

    def sector(number: int) -> bytes:
        return data[SECTOR * (number + 1) : SECTOR * (number + 2)]

    fat = struct.unpack(f"<{SECTOR // 4}I", sector(fat_sector))

    def chain(start: int) -> bytes:
        out, number = b"", start
        while number != _END_OF_CHAIN:
            out, number = out + sector(number), fat[number]
        return out

    directory = chain(first_directory)
    streams = {}
    for offset in range(0, len(directory), 128):
        entry = directory[offset : offset + 128]
        name_length, kind = struct.unpack_from("<HB", entry, 64)
        start, size = struct.unpack_from("<IQ", entry, 116)
        if kind == 2:
            name = entry[: name_length - 2].decode("utf-16-le")
            streams[name] = chain(start)[:size]
    return streams


def test_streams_read_back_as_written() -> None:
    streams = {"Alpha": b"a" * 5_000, "Beta": bytes(range(256)) * 20, "Gamma": b"g" * 4_096}
    assert read_streams(compound_file(streams)) == streams


def test_the_encrypted_workbook_holds_the_two_streams_office_writes() -> None:
    streams = read_streams(encrypted_workbook())
    assert set(streams) == {"EncryptionInfo", "EncryptedPackage"}
    assert streams["EncryptionInfo"][:4] == b"\x04\x00\x04\x00"  # Agile encryption, 4.4
    assert b'cipherAlgorithm="AES"' in streams["EncryptionInfo"]


def test_the_encrypted_workbook_is_refused_as_password_protected() -> None:
    with pytest.raises(CorruptFile, match="password-protected"):
        read_tables(UploadedFile("locked.xlsx", encrypted_workbook()))
