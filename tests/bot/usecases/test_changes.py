"""What moved between two compiles, from their digests: people, PASS/FAIL, tests, settings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.usecases.changes import changes_since, digest_of, person_key
from compiler import compile_paths
from storage import ChatSettings
from tests.support.classes import make_class


def test_a_digest_keeps_hashed_keys_and_the_changes_name_people_of_this_compile(
    tmp_path: Path,
) -> None:
    paths = []
    for file in make_class("google_forms", 10, 2, seed=31).files:
        path = tmp_path / file.name
        path.write_bytes(file.data)
        paths.append(path)
    report = compile_paths(paths).report
    settings = ChatSettings()
    first = digest_of(report, {1: 10, 2: 11}, settings)
    assert all(p.name not in str(first) for p in report.participants)  # no names are kept
    assert changes_since(None, first, report) is None

    flipped = report.participants[0]
    key = person_key(flipped.name, flipped.email)
    earlier = {
        **first,
        "people": {**first["people"], key: "FAIL" if flipped.passed else "PASS", "gone": "PASS"},
        "tests": {"1": 9, "3": 12},
        "settings": {**first["settings"], "drop_lowest": 1},
    }
    changes = changes_since(earlier, digest_of(report, {1: 10, 2: 11}, replace(settings)), report)

    assert changes is not None
    assert (changes.added, changes.gone) == (0, 1)
    moved = changes.now_passing if flipped.passed else changes.now_failing
    assert moved == (flipped.name,)
    assert (changes.tests_added, changes.tests_replaced, changes.tests_removed) == (
        (2,),
        (1,),
        (3,),
    )
    assert changes.settings == ("drop_lowest",)
    same = changes_since(first, first, report)
    assert same is not None and same.none
