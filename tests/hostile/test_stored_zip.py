"""The zip handed to calamine is written directly, storing each part with the CRC its source
declared: zipfile and calamine read it as the parts that were copied, a part whose bytes do not
match its CRC is refused as damaged, and past the classic format's limits zipfile writes it."""

from __future__ import annotations

import io
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from compiler.errors import CorruptFile
from compiler.model import Limits, UploadedFile
from compiler.read.guards import zip_archive as workbook_zip
from compiler.read.guards.zip_archive import repack_zip
from tests.hostile.broken import ordinary_export
from tests.hostile.zips import parts_of


def stored_source(extra: dict[str, bytes] | None = None) -> bytes:
    """The ordinary export with its parts stored uncompressed (so its bytes can be altered)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, data in {**parts_of(ordinary_export()), **(extra or {})}.items():
            archive.writestr(name, data)
    return out.getvalue()


def read_back(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None  # every CRC matches its part
        return {info.filename: archive.read(info) for info in archive.infolist()}


@pytest.mark.parametrize("classic", [True, False])
def test_the_repacked_zip_holds_the_copied_parts(
    classic: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not classic:
        monkeypatch.setattr(workbook_zip, "_ZIP32_BYTES", 0)  # as if past 4 GiB: zipfile writes
    extra = {"xl/Ünïcode names.xml": b"<x/>", "xl/vbaProject.bin": b"macros"}
    source = stored_source(extra)
    repacked = repack_zip(UploadedFile("r.xlsx", source), Limits())
    expected = {n: d for n, d in parts_of(source).items() if not n.endswith(".bin")}
    assert read_back(repacked) == expected
    with CalamineWorkbook.from_filelike(io.BytesIO(repacked)) as book:
        assert book.get_sheet_by_name("Responses").to_python()[1][0] == "Amara Okonkwo-Test"


def test_a_part_whose_bytes_do_not_match_its_crc_is_refused_as_damaged() -> None:
    source = bytearray(stored_source())
    at = source.index(b"Amara Okonkwo-Test")
    source[at] = ord("B")
    with pytest.raises(CorruptFile, match="damaged"):
        repack_zip(UploadedFile("r.xlsx", bytes(source)), Limits())
