"""Reading an upload that is not a workbook as CSV text: its encoding, its delimiter, its rows.

CSV cells stay text (`8,5`, `8 / 10`, `76.5%`): the score parser decides what a number is, with
the whole column in view (a `;` separated Canvas export writes decimal commas).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter

from compiler.errors import CorruptFile, FileTooLarge, NoResultsFound, UnsupportedFormat
from compiler.model import Limits, UploadedFile
from compiler.read.guards.zip_archive import SUPPORTED

_DELIMITERS = (",", ";", "\t")
_SNIFF_CHARS = 64 * 1024
_SNIFF_LINES = 50
_EXCEL_XML_NAMESPACE = "urn:schemas-microsoft-com:office:spreadsheet"
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")


def read_csv_rows(file: UploadedFile, limits: Limits) -> list[list[object]]:
    """Decode `file` as CSV text and return its records; blank cells become None.

    Raises UnsupportedFormat for binary data and markup (HTML, XML), NoResultsFound for a file
    with no text, FileTooLarge past `limits`, CorruptFile when the CSV cannot be parsed.
    """
    text = decode_text(file)
    refuse_markup(file, text)
    if not text.strip():
        raise NoResultsFound(
            file.name, "has no rows at all.", "Export the results again and send that file."
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    rows: list[list[object]] = []
    try:
        for record in reader:
            if len(rows) >= limits.max_rows:
                raise FileTooLarge(
                    file.name,
                    f"has more than {limits.max_rows:,} rows.",
                    "Send a file with only the results rows.",
                )
            if len(record) > limits.max_columns:
                raise FileTooLarge(
                    file.name,
                    f"row {len(rows) + 1} has more than {limits.max_columns:,} columns.",
                    "Send a file with only the results columns.",
                )
            rows.append([cell if cell.strip() else None for cell in record])
    except csv.Error as exc:
        raise CorruptFile(
            file.name,
            f"could not be read as CSV near row {len(rows) + 1}.",
            "Open it in a spreadsheet program and save it again as .xlsx or .csv.",
        ) from exc
    return rows


def decode_text(file: UploadedFile) -> str:
    """Decode the bytes as UTF-8 (with or without BOM), UTF-16/32 (BOM) or cp1252.

    Raises UnsupportedFormat when the bytes are binary rather than text, or text in another
    encoding that cp1252 would garble.
    """
    data = file.data
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    bomless_utf16 = _bomless_utf16(data)
    if bomless_utf16:
        return data.decode(bomless_utf16, errors="replace")
    _refuse_binary(file)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if _garbled(text):
        _refuse_unknown_encoding(file)
    return text


def _bomless_utf16(data: bytes) -> str | None:
    """Tell UTF-16 text without a BOM by its NUL bytes: every other byte of ASCII text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > half * 0.9 and even_nuls < half * 0.1:
        return "utf-16-le"
    if even_nuls > half * 0.9 and odd_nuls < half * 0.1:
        return "utf-16-be"
    return None


def _refuse_binary(file: UploadedFile) -> None:
    sample = file.data[:_SNIFF_CHARS]
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32 or byte == 127)
    high = sum(1 for byte in sample if byte >= 128)
    if controls <= len(sample) * 0.03 and high > len(sample) * 0.3 and not _is_utf8(sample):
        _refuse_unknown_encoding(file)  # text, mostly outside ASCII, and not UTF-8
    if controls > len(sample) * 0.03:
        claimed = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
        problem = "is not a spreadsheet: its contents are binary data of an unknown kind."
        if claimed in ("xlsx", "xlsm", "xls", "ods"):
            problem = (
                f"is named .{claimed} but its contents are not a spreadsheet "
                "(it is damaged or another kind of file)."
            )
        raise UnsupportedFormat(file.name, problem, f"Send the results as {SUPPORTED}.")


def _garbled(text: str) -> bool:
    """True when text read as Windows-1252 is plainly some other encoding: bytes 1252 leaves
    undefined, or most of the non-ASCII text in runs no Western name has: three or more
    non-ASCII letters in a row, or a whole word of two (Cyrillic, Greek or Chinese read as 1252
    are words like `Ð¡Ð¸` and `Íõ`; Western names have an accent here and there in a word).
    Decided on the first 256 K characters."""
    sample = text[: _SNIFF_CHARS * 4]
    outside = len(sample) - len(sample.encode("ascii", "ignore"))
    if not outside:
        return False
    suspect = sample.count("\ufffd")
    for run in _NON_ASCII_RUN.finditer(sample):
        start, end = run.span()
        whole_word = not (sample[start - 1 : start].isalpha() or sample[end : end + 1].isalpha())
        if end - start >= 3 or whole_word:
            suspect += end - start
    return suspect >= 4 and suspect > outside / 2


def _refuse_unknown_encoding(file: UploadedFile) -> None:
    raise UnsupportedFormat(
        file.name,
        "is text in a character encoding I cannot recognise (not UTF-8, UTF-16 or "
        "Windows-1252), so its names would come out garbled.",
        "Save it as 'CSV UTF-8' (in Excel: Save As, then CSV UTF-8) or as .xlsx, and send it "
        "again.",
    )


def _is_utf8(sample: bytes) -> bool:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(sample) - 3  # a character cut at the end of the sample
    return True


def refuse_markup(file: UploadedFile, text: str) -> None:
    """Raise UnsupportedFormat for web pages and XML, including Excel's 2003 XML format."""
    head = text[:4096].lstrip().lower()
    if not head.startswith("<"):
        return
    if _EXCEL_XML_NAMESPACE in head:
        problem = "is an 'XML Spreadsheet 2003' file, which cannot be read."
    elif head.startswith("<?xml"):
        problem = "is an XML document, not a spreadsheet."
    else:
        problem = "is a web page (HTML), not a spreadsheet, although it may look like one."
    raise UnsupportedFormat(
        file.name,
        problem,
        f"Open it in Excel or LibreOffice and save it as .xlsx, or send a {SUPPORTED} file.",
    )


def sniff_delimiter(text: str) -> str:
    """Choose `,`, `;` or tab: the one that splits the first lines into the most consistent
    number (at least two) of fields."""
    sample = text[:_SNIFF_CHARS]
    lines = [line for line in sample.splitlines()[:_SNIFF_LINES] if line.strip()]
    if len(sample) == _SNIFF_CHARS and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut short
    best, best_key = ",", (0.0, 0)
    for delimiter in _DELIMITERS:
        try:
            counts = [len(fields) for fields in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not counts:
            continue
        fields, lines_agreeing = Counter(counts).most_common(1)[0]
        if fields < 2:
            continue
        key = (round(lines_agreeing / len(counts), 1), fields)
        if key > best_key:
            best, best_key = delimiter, key
    return best
