"""A tiny invented class whose two tests hold look-alike names, and its roster: the files of
the "same person?" and roster tests (use cases and the bot end to end).

Test 1 has `Amara Okonkwo-Test` and `Kari Valen-Test`; test 2 spells them `Amara Okonkwa-Test`
and `Kari Valen-Tess` (one letter apart, no e-mail): two pairs a compile asks about. `Beno
Thorn-Test` has the same e-mail in both and is one person without asking. The roster lists the
three, plus `Zed Quen-Test`, who took no test.
"""

from __future__ import annotations

from compiler import UploadedFile
from tests.support.exports.files import csv_bytes

HEADER = ["Name", "Email", "Score (out of 10)"]
AMARA, AMARA_TYPO = "Amara Okonkwo-Test", "Amara Okonkwa-Test"
KARI, KARI_TYPO = "Kari Valen-Test", "Kari Valen-Tess"
BENO, ZED = "Beno Thorn-Test", "Zed Quen-Test"
BENO_EMAIL = "beno.thorn@example.org"

TEST_1 = UploadedFile(
    "Test 1.csv",
    csv_bytes([HEADER, [AMARA, "", "8"], [BENO, BENO_EMAIL, "6"], [KARI, "", "7"]]),
)
TEST_2 = UploadedFile(
    "Test 2.csv",
    csv_bytes([HEADER, [AMARA_TYPO, "", "9"], [BENO, BENO_EMAIL, "5"], [KARI_TYPO, "", "4"]]),
)
# Test 2 sent again without the misspelt Amara: her pair is gone from the files.
TEST_2_WITHOUT_AMARA = UploadedFile(
    "Test 2 corrected.csv",
    csv_bytes([HEADER, [BENO, BENO_EMAIL, "5"], [KARI_TYPO, "", "4"]]),
)
ROSTER = UploadedFile(
    "Class 9B.csv",
    csv_bytes([["Name", "Email"], [AMARA, ""], [BENO, BENO_EMAIL], [KARI, ""], [ZED, ""]]),
)
ROSTER_PEOPLE = (AMARA, BENO, KARI, ZED)
