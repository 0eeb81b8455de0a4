"""A minimal OLE2 compound file (MS-CFB version 3): the container of .xls files, of VBA
projects, and of password-protected Office files.

Real encrypted workbooks are an OLE2 file holding `EncryptionInfo` (how the key is derived) and
`EncryptedPackage` (the AES-encrypted xlsx). `encrypted_workbook` writes that structure with a
real Agile `EncryptionInfo` header and descriptor, but its package is random bytes, not a
workbook encrypted under a password: nothing here implements ECMA-376 encryption.
"""

from __future__ import annotations

import random
import struct

SECTOR = 512
_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END_OF_CHAIN, _FAT_SECTOR, _NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_MINI_STREAM_CUTOFF = 4096
_MINI = 64  # a mini sector
_ROOT, _STREAM = 5, 2
_BLACK = 1


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 file whose root storage holds `streams` (one to three, in all under 60 KiB),
    those under 4 KiB in the mini stream as MS-CFB requires, read by any CFB reader."""
    assert 1 <= len(streams) <= 3
    names = sorted(streams, key=lambda name: (len(name), name.upper()))  # the CFB tree order
    small = [name for name in names if len(streams[name]) < _MINI_STREAM_CUTOFF]
    mini_starts, mini = {}, b""
    for name in small:
        mini_starts[name] = len(mini) // _MINI
        mini += streams[name] + bytes(-len(streams[name]) % _MINI)
    mini_fat = []
    for name in small:
        count = -(-len(streams[name]) // _MINI)
        start = mini_starts[name]
        mini_fat += [start + i + 1 for i in range(count - 1)] + [_END_OF_CHAIN]
    assert len(mini_fat) <= SECTOR // 4, "one mini FAT sector maps 128 mini sectors"
    # Sector 0 is the FAT, 1 the directory, 2 the mini FAT; then the mini stream, then the rest.
    sectors: list[bytes] = []
    starts: dict[str, int] = {}
    chains: list[int] = [_FAT_SECTOR, _END_OF_CHAIN, _END_OF_CHAIN]
    root_start = _place(mini, sectors, chains, first=3) if mini else _END_OF_CHAIN
    for name in names:
        if name not in mini_starts:
            starts[name] = _place(streams[name], sectors, chains, first=3)
    assert len(chains) <= SECTOR // 4, "one FAT sector maps 128 sectors"
    fat = chains + [_FREE] * (SECTOR // 4 - len(chains))
    mini_fat += [_FREE] * (SECTOR // 4 - len(mini_fat))
    directory = _directory(names, streams, {**starts, **mini_starts}, root_start, len(mini))
    return (
        _header(mini_fat_sectors=1 if small else 0)
        + struct.pack(f"<{SECTOR // 4}I", *fat)
        + directory
        + struct.pack(f"<{SECTOR // 4}I", *mini_fat)
        + b"".join(sectors)
    )


def _place(data: bytes, sectors: list[bytes], chains: list[int], first: int) -> int:
    """Append `data` as whole sectors, chained in the FAT; its first sector's number."""
    start = first + len(sectors)
    count = -(-len(data) // SECTOR)
    for i in range(count):
        sectors.append(data[i * SECTOR : (i + 1) * SECTOR].ljust(SECTOR, b"\0"))
        chains.append(start + i + 1 if i < count - 1 else _END_OF_CHAIN)
    return start


def _header(mini_fat_sectors: int) -> bytes:
    difat = [0] + [_FREE] * 108  # the one FAT sector is sector 0
    first_mini_fat = 2 if mini_fat_sectors else _END_OF_CHAIN
    return (
        _MAGIC
        + bytes(16)  # CLSID
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)  # minor, major, byte order, shifts
        + bytes(6)
        + struct.pack(
            "<IIIIIIIII",
            0,  # directory sectors (always 0 in version 3)
            1,  # FAT sectors
            1,  # first directory sector
            0,  # transaction signature
            _MINI_STREAM_CUTOFF,
            first_mini_fat,
            mini_fat_sectors,
            _END_OF_CHAIN,  # first DIFAT sector
            0,  # DIFAT sectors
        )
        + struct.pack("<109I", *difat)
    )


def _directory(
    names: list[str],
    streams: dict[str, bytes],
    starts: dict[str, int],
    root_start: int,
    mini_size: int,
) -> bytes:
    # The root's child is the middle stream; the others hang left and right of it (all black,
    # which MS-CFB allows for a tree this small).
    ids = {name: index + 1 for index, name in enumerate(names)}
    middle = names[len(names) // 2]
    entries = [_entry("Root Entry", _ROOT, child=ids[middle], start=root_start, size=mini_size)]
    for name in names:
        left = ids[names[0]] if name == middle and names[0] != middle else _NO_STREAM
        right = ids[names[-1]] if name == middle and names[-1] != middle else _NO_STREAM
        entries.append(
            _entry(
                name, _STREAM, left=left, right=right, start=starts[name], size=len(streams[name])
            )
        )
    unused = bytes(64) + struct.pack("<HBBIII", 0, 0, 0, _NO_STREAM, _NO_STREAM, _NO_STREAM)
    entries += [unused.ljust(128, b"\0")] * (4 - len(entries))
    return b"".join(entries)


def _entry(
    name: str,
    kind: int,
    *,
    left: int = _NO_STREAM,
    right: int = _NO_STREAM,
    child: int = _NO_STREAM,
    start: int,
    size: int,
) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBBIII", len(encoded), kind, _BLACK, left, right, child)
        + bytes(16 + 4 + 8 + 8)  # CLSID, state bits, creation and modification times
        + struct.pack("<IQ", start, size)
    )


_AGILE_DESCRIPTOR = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" '
    'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
    '<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" '
    'cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="{salt}"/>'
    '<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/'
    'password"><p:encryptedKey spinCount="100000" saltSize="16" blockSize="16" keyBits="256" '
    'hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" '
    'hashAlgorithm="SHA512" saltValue="{salt}"/></keyEncryptor></keyEncryptors>'
    "</encryption>"
)


def encrypted_workbook(seed: int = 7) -> bytes:
    """The shape of a password-protected .xlsx: `EncryptionInfo` (Agile, version 4.4) and
    `EncryptedPackage` (its size, then what stands for AES ciphertext), in an OLE2 file."""
    rng = random.Random(seed)
    salt = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123456789+/") for _ in range(22))
    descriptor = _AGILE_DESCRIPTOR.format(salt=salt + "==").encode()
    info = struct.pack("<HHI", 4, 4, 0x40) + descriptor
    info += b" " * (_MINI_STREAM_CUTOFF - len(info))  # padding after the XML, as Office writes
    package = struct.pack("<Q", 8_000) + rng.randbytes(8_192)
    return compound_file({"EncryptionInfo": info, "EncryptedPackage": package})


def vba_project(macro: str) -> bytes:
    """A stand-in `vbaProject.bin`: an OLE2 file whose `PROJECT` stream names a module and
    whose `Module1` stream holds `macro` as text (real ones hold it compressed)."""
    project = (
        b'ID="{00000000-0000-0000-0000-000000000000}"\r\nModule=Module1\r\n'
        b'Name="VBAProject"\r\nHelpContextID="0"\r\n'
    )
    return compound_file(
        {
            "PROJECT": project.ljust(_MINI_STREAM_CUTOFF, b"\r"),
            "Module1": macro.encode().ljust(_MINI_STREAM_CUTOFF, b"\r"),
        }
    )
