"""A CSV in an encoding that is not UTF-8, UTF-16 or Windows-1252 is refused saying so, rather
than read with every name garbled; Windows-1252 text, accents and all, is still read."""

from __future__ import annotations

import pytest

from compiler.errors import UnsupportedFormat
from compiler.model import UploadedFile
from compiler.read.tables import read_tables
from tests.support.exports.files import csv_bytes

NAMES = {
    "shift_jis": ["山田 太郎", "佐藤 花子", "鈴木 一郎"],
    "gb18030": ["王 小明", "李 华", "张 伟"],
    "euc_kr": ["김 민준", "이 서연", "박 지훈"],
    "koi8_r": ["Иван Петров", "Мария Иванова", "Олег Смирнов"],
    "cp1251": ["Иван Петров", "Мария Иванова", "Олег Смирнов"],
    "cp1253": ["Γιώργος Παπαδόπουλος", "Μαρία Νικολάου", "Νίκος Γεωργίου"],
    "cp500": ["Amara Okonkwo-Test", "José Núñez-Test", "Esi Varga-Test"],  # EBCDIC
}
WESTERN = [
    "José Núñez-Test",
    "François Müller-Test",
    "Zoë Ørsted-Test",
    "Hélène D’Arcy-Test",
    "Ægir Þórsson-Test",
    "João Gonçalves-Test",
    "Søren Kierkegård-Test",
    "Ó Briain-Test",
]


def class_csv(names: list[str], encoding: str) -> bytes:
    rows: list[list[object]] = [["Name", "Email", "Score"]]
    rows += [[name, f"p{i}@example.test", str(5 + i)] for i, name in enumerate(names)]
    return csv_bytes(rows, encoding=encoding)


@pytest.mark.parametrize("encoding", sorted(NAMES))
def test_other_encodings_are_refused_saying_how_to_save(encoding: str) -> None:
    data = class_csv(NAMES[encoding], encoding)
    with pytest.raises(UnsupportedFormat) as error:
        read_tables(UploadedFile("class.csv", data))
    assert str(error.value).startswith("class.csv: is text in a character encoding")
    assert "CSV UTF-8" in error.value.advice


def test_western_names_in_windows_1252_are_read_accents_and_all() -> None:
    rows = read_tables(UploadedFile("class.csv", class_csv(WESTERN, "cp1252")))[0].rows
    assert [row[0] for row in rows[1:]] == WESTERN


def test_one_odd_word_does_not_refuse_a_western_file() -> None:
    names = [*WESTERN, "«Ève»-Test"]  # a run of three non-ASCII characters, once
    rows = read_tables(UploadedFile("class.csv", class_csv(names, "cp1252")))[0].rows
    assert rows[-1][0] == "«Ève»-Test"
