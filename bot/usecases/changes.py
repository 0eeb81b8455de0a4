"""What moved between two compiles of a chat, from the digest each compile keeps: a hashed key
per person with PASS or FAIL, each test's file, and the settings. Never the workbook."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from compiler import CompileReport
from storage import ChatSettings

DIGEST_VERSION = 1


@dataclass(frozen=True, slots=True)
class Changes:
    """What moved since the chat's last compile. Names are of people in this compile."""

    added: int
    gone: int
    now_passing: tuple[str, ...]
    now_failing: tuple[str, ...]
    tests_added: tuple[int, ...]
    tests_replaced: tuple[int, ...]
    tests_removed: tuple[int, ...]
    settings: tuple[str, ...]  # the settings changed: "policy", "pass_mark", "weights", ...

    @property
    def none(self) -> bool:
        return not (
            self.added
            or self.gone
            or self.now_passing
            or self.now_failing
            or self.tests_added
            or self.tests_replaced
            or self.tests_removed
            or self.settings
        )


def person_key(name: str, email: str | None) -> str:
    """A participant's key in a digest: a hash of the e-mail (else the name), not the person."""
    identity = (email or name).strip().casefold()
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:20]


def digest_of(
    report: CompileReport, tests: Mapping[int, int], settings: ChatSettings
) -> dict[str, Any]:
    """What the next compile compares itself with: `tests` maps a test number to its file's id."""
    return {
        "v": DIGEST_VERSION,
        "people": {
            person_key(p.name, p.email): "PASS" if p.passed else "FAIL" for p in report.participants
        },
        "tests": {str(number): upload for number, upload in sorted(tests.items())},
        "settings": _settings(settings),
    }


def _settings(settings: ChatSettings) -> dict[str, Any]:
    return {
        "policy": settings.policy,
        "duplicates": settings.duplicates,
        "pass_mark": settings.pass_mark,
        "out_of": {str(t): m for t, m in sorted(settings.out_of.items())},
        "weights": {str(t): w for t, w in sorted(settings.weights.items())},
        "drop_lowest": settings.drop_lowest,
        "letters": settings.letters,
    }


def changes_since(
    previous: Mapping[str, Any] | None, now: Mapping[str, Any], report: CompileReport
) -> Changes | None:
    """What moved from `previous` to `now`; None without a previous digest of this kind."""
    if not previous or previous.get("v") != DIGEST_VERSION:
        return None
    before: Mapping[str, str] = previous.get("people", {})
    after: Mapping[str, str] = now["people"]
    names = {person_key(p.name, p.email): p.name for p in report.participants}
    flipped = [key for key in after if key in before and before[key] != after[key]]
    old_tests: Mapping[str, int] = previous.get("tests", {})
    new_tests: Mapping[str, int] = now["tests"]
    old_settings: Mapping[str, Any] = previous.get("settings", {})
    return Changes(
        added=sum(1 for key in after if key not in before),
        gone=sum(1 for key in before if key not in after),
        now_passing=_names(names[k] for k in flipped if after[k] == "PASS"),
        now_failing=_names(names[k] for k in flipped if after[k] == "FAIL"),
        tests_added=_numbers(t for t in new_tests if t not in old_tests),
        tests_replaced=_numbers(
            t for t in new_tests if t in old_tests and old_tests[t] != new_tests[t]
        ),
        tests_removed=_numbers(t for t in old_tests if t not in new_tests),
        settings=tuple(
            name for name, value in now["settings"].items() if old_settings.get(name) != value
        ),
    )


def _names(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(names, key=str.casefold))


def _numbers(tests: Iterable[str]) -> tuple[int, ...]:
    return tuple(sorted(int(t) for t in tests))
