"""The corpus of real-layout exports (tests/fixtures/platforms): each file read by the compiler
and judged against its hand-stated reading (`<file>.expected.json`, see SOURCES.md).

A file is read right when every stated test is found (by its score column's header), no other
test is, every stated score is read as the same percentage (raw points where the file states
no maximum), and the platform is named; refused rightly when the file is refused and the
reason names the stated column; anything else is wrong.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from compiler.errors import ExportError
from compiler.identify.names import normalize_email
from compiler.model import Export, Submission, UploadedFile
from compiler.understand.intake import read_exports

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "platforms"
EXPECTED = ".expected.json"


@dataclass(frozen=True)
class Verdict:
    """How one corpus file was read."""

    path: Path
    platform: str
    outcome: str  # "right", "refused rightly", "wrong"
    cells: int = 0  # stated scores
    cells_right: int = 0
    why: list[str] = field(default_factory=list)  # what was wrong


def corpus_files() -> list[Path]:
    """Every fixture that has a stated reading, platform by platform."""
    return sorted(p.with_name(p.name[: -len(EXPECTED)]) for p in CORPUS.rglob(f"*{EXPECTED}"))


def judge(path: Path) -> Verdict:
    """Read one corpus file and compare it with its stated reading."""
    expected = json.loads(path.with_name(path.name + EXPECTED).read_text(encoding="utf-8"))
    upload = UploadedFile(name=path.name, data=path.read_bytes())
    platform = expected["platform"]
    try:
        exports = read_exports(upload)
    except ExportError as refused:
        return _judge_refusal(path, platform, expected, str(refused))
    if expected["refused"] is not None:
        return Verdict(path, platform, "wrong", why=["read, but should be refused"])
    return _judge_reading(path, platform, expected, exports)


def _judge_refusal(path: Path, platform: str, expected: dict, message: str) -> Verdict:  # type: ignore[type-arg]
    refused = expected["refused"]
    stated = sum(len(test["scores"]) for test in expected["tests"])
    if refused is None:
        return Verdict(path, platform, "wrong", cells=stated, why=[f"refused: {message}"])
    column = refused.get("column")
    if column and column not in message:
        why = [f"refused without naming {column!r}: {message}"]
        return Verdict(path, platform, "wrong", why=why)
    return Verdict(path, platform, "refused rightly")


def _judge_reading(
    path: Path,
    platform: str,
    expected: dict,  # type: ignore[type-arg]
    exports: tuple[Export, ...],
) -> Verdict:
    why: list[str] = []
    by_column = {export.columns.score: export for export in exports}
    stated_columns = {test["column"] for test in expected["tests"]}
    why += [f"{column!r} read as a test" for column in by_column if column not in stated_columns]
    cells = right = 0
    for test in expected["tests"]:
        export = by_column.get(test["column"])
        cells += len(test["scores"])
        if export is None:
            why.append(f"test {test['column']!r} not found")
            continue
        if str(export.platform) != platform:
            why.append(f"platform {export.platform} instead of {platform}")
        right += _judge_test(test, export, why)
    outcome = "right" if not why else "wrong"
    return Verdict(path, platform, outcome, cells=cells, cells_right=right, why=why)


def _judge_test(test: dict, export: Export, why: list[str]) -> int:  # type: ignore[type-arg]
    """How many of a test's stated scores were read right; what was not goes into `why`."""
    out_of = test["out_of"]
    if out_of is None and export.out_of is not None and not export.needs_maximum:
        why.append(f"{test['column']!r}: a maximum ({export.out_of}) the file does not state")
    right = 0
    for key, stated in test["scores"].items():
        found = [_value(sub, export, out_of) for sub in export.submissions if _is(sub, key)]
        values = stated if isinstance(stated, list) else [stated]
        wanted = [_stated(value, out_of) for value in values]
        if _same(found, wanted):
            right += 1
        else:
            why.append(f"{test['column']!r} {key}: read {found}, stated {wanted}")
    return right


def _is(sub: Submission, key: str) -> bool:
    """True when the submission belongs to the person a stated reading keys as `key`."""
    email = normalize_email(sub.email).email if sub.email else None
    person_id = sub.person_id.split(" ", 1)[1] if sub.person_id else None
    key = key.casefold()
    return key in {
        (email or "").casefold(),
        (person_id or "").casefold(),
        (sub.name or "").casefold(),
        (sub.email or "").strip().casefold(),
    }


def _value(sub: Submission, export: Export, out_of: float | None) -> float | None:
    if sub.points is None:
        return None
    if out_of is None:
        return sub.points
    maximum = sub.out_of or export.out_of
    return None if not maximum else sub.points / maximum * 100


def _stated(value: float | None, out_of: float | None) -> float | None:
    if value is None or out_of is None:
        return value
    return value / out_of * 100


def _same(found: list[float | None], wanted: list[float | None]) -> bool:
    if len(found) != len(wanted):
        return False
    return all(
        (a is None and b is None)
        or (a is not None and b is not None and math.isclose(a, b, abs_tol=0.01))
        for a, b in zip(found, wanted, strict=True)
    )
