"""The typed values that go in and come out of storage. No rows or tuples cross its boundary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from storage.errors import MEBIBYTE

DEFAULT_POLICY = "classic"
DEFAULT_DUPLICATES = "best"
DEFAULT_PASS_MARK = 50.0
NO_LETTERS = ""  # `chats.update_settings(letters=NO_LETTERS)`: no letter grades
DEFAULT_MAX_FILE_BYTES = 20 * MEBIBYTE  # Telegram's own download limit for bots
DEFAULT_MAX_FILES_PER_CHAT = 30
DEFAULT_MAX_BYTES_PER_CHAT = 100 * MEBIBYTE


@dataclass(frozen=True, slots=True)
class StorageLimits:
    """Limits from settings; a chat's bytes count its current files and replaced ones."""

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_files_per_chat: int = DEFAULT_MAX_FILES_PER_CHAT
    max_bytes_per_chat: int = DEFAULT_MAX_BYTES_PER_CHAT

    def __post_init__(self) -> None:
        for name in ("max_file_bytes", "max_files_per_chat", "max_bytes_per_chat"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")


class ChatKind(StrEnum):
    """Whether a chat is one person or many."""

    PRIVATE = "private"
    GROUP = "group"

    @classmethod
    def from_telegram(cls, chat_type: str) -> ChatKind:
        """Telegram's `chat.type` ("private", "group", "supergroup", "channel") to a kind."""
        return cls.PRIVATE if chat_type == "private" else cls.GROUP


@dataclass(frozen=True, slots=True)
class ChatSettings:
    """What a chat chose for its compiles. `out_of` maps a test number to its maximum,
    `weights` a test number to the weight the teacher gave; `letters` is a letter scale's
    spec or preset name (None: no letters)."""

    policy: str = DEFAULT_POLICY
    duplicates: str = DEFAULT_DUPLICATES
    pass_mark: float = DEFAULT_PASS_MARK
    out_of: Mapping[int, float] = field(default_factory=dict)
    weights: Mapping[int, float] = field(default_factory=dict)
    drop_lowest: int = 0
    letters: str | None = None


@dataclass(frozen=True, slots=True)
class Chat:
    """A chat the bot has seen."""

    id: int
    kind: ChatKind
    title: str | None
    first_seen: datetime
    last_seen: datetime
    can_write: bool  # False once the chat blocked the bot or removed it
    settings: ChatSettings


class UploadState(StrEnum):
    """An upload is in the session, or kept as history after a newer file took its test."""

    ACTIVE = "active"
    REPLACED = "replaced"


@dataclass(frozen=True, slots=True)
class NewTest:
    """One test a file brings: its number and how it was decided, what names it within the
    file (`key`, the score column's header; None for a file of one test) and its summary."""

    __test__: ClassVar[bool] = False  # not a pytest test class, despite the name

    number: int
    how: str
    summary: Mapping[str, Any]
    key: str | None = None


@dataclass(frozen=True, slots=True)
class NewUpload:
    """A file the bot received and wants kept, with the tests it brings (a gradebook brings
    several). Storage computes size and sha-256 itself.

    Each test's `summary` is the compiler's parse summary as plain JSON-able values
    (`dataclasses.asdict(ExportSummary)`); `update_id` makes a redelivered update harmless.
    """

    file_name: str
    data: bytes
    tests: tuple[NewTest, ...]
    sender_id: int | None = None
    file_unique_id: str | None = None
    update_id: int | None = None

    @staticmethod
    def one_test(
        file_name: str,
        data: bytes,
        number: int,
        how: str,
        summary: Mapping[str, Any],
        sender_id: int | None = None,
        file_unique_id: str | None = None,
        update_id: int | None = None,
    ) -> NewUpload:
        """A file that brings one test."""
        test = NewTest(number, how, summary)
        return NewUpload(file_name, data, (test,), sender_id, file_unique_id, update_id)


@dataclass(frozen=True, slots=True)
class UploadTest:
    """One test of a stored file: active in the session, or replaced by a newer file's."""

    __test__: ClassVar[bool] = False  # not a pytest test class, despite the name

    number: int
    how: str
    key: str | None
    state: UploadState
    summary: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Upload:
    """A stored file's metadata and its tests, without its bytes. `tests` are the tests it
    still holds in the session (all it had, for a file kept as history), in number order."""

    id: int
    chat_id: int
    state: UploadState
    file_name: str
    size: int
    sha256: str
    file_unique_id: str | None
    update_id: int | None
    sender_id: int | None
    received_at: datetime
    replaced_at: datetime | None
    tests: tuple[UploadTest, ...]

    @property
    def test_number(self) -> int:
        """The first test it holds."""
        return self.tests[0].number

    @property
    def test_numbers(self) -> tuple[int, ...]:
        return tuple(test.number for test in self.tests)

    @property
    def summary(self) -> Mapping[str, Any]:
        """The first test's summary."""
        return self.tests[0].summary


class AddStatus(StrEnum):
    """What `uploads.add` did."""

    STORED = "stored"  # a new test in this session
    REPLACED = "replaced"  # took the test number from an older file, kept as history
    ALREADY_STORED = "already stored"  # these bytes (or this update) were already here


@dataclass(frozen=True, slots=True)
class AddOutcome:
    """`upload` is the new file, or for ALREADY_STORED the one already holding these bytes."""

    status: AddStatus
    upload: Upload
    replaced: Upload | None = None  # a file that held one of these tests before (the first)
    replaced_tests: tuple[int, ...] = ()  # the tests that a newer file took over


@dataclass(frozen=True, slots=True)
class ChatUsage:
    """How much a chat stores: its session's files, and replaced files kept as history."""

    files: int
    active_bytes: int
    history_files: int
    history_bytes: int

    @property
    def total_bytes(self) -> int:
        """Every byte the chat holds, which is what the per-chat limit counts."""
        return self.active_bytes + self.history_bytes


@dataclass(frozen=True, slots=True)
class StoredFile:
    """An upload with its bytes, for a compile."""

    upload: Upload
    data: bytes


@dataclass(frozen=True, slots=True)
class Removal:
    """What a reset, a removal or an expiry deleted."""

    uploads: int
    bytes: int
    tests: int = 0  # tests removed (a gradebook can lose one and keep its file)
    decisions: int = 0  # answers about look-alike people (a reset and an expiry delete them)
    roster: bool = False  # whether the chat's roster went too


@dataclass(frozen=True, slots=True)
class PurgeResult:
    """What `sessions.purge_expired` deleted, over all expired chats."""

    chats: int
    uploads: int
    bytes: int


@dataclass(frozen=True, slots=True)
class NewCompile:
    """One finished compile, as the bot measured it."""

    upload_ids: tuple[int, ...]
    started_at: datetime
    duration_seconds: float
    participants: int
    passed: int
    failed: int
    output_sha256: str
    # What the next compile compares itself with (JSON-able: who passed, tests, settings);
    # never the workbook's contents.
    digest: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class CompileRecord:
    """A compile in a chat's history."""

    id: int
    chat_id: int
    actor_id: int | None
    started_at: datetime
    upload_ids: tuple[int, ...]
    duration_seconds: float
    participants: int
    passed: int
    failed: int
    output_sha256: str
    digest: Mapping[str, Any] | None = None  # None for compiles recorded before migration 7


class Verdict(StrEnum):
    """A teacher's answer to "same person?" about two look-alike people."""

    SAME = "same"
    DIFFERENT = "different"


class QuestionState(StrEnum):
    """Where a look-alike pair's question stands in a chat."""

    OPEN = "open"  # asked by the chat's latest compile, not answered yet
    DECIDED = "decided"  # answered: the verdict applies to every later compile of the chat
    GONE = "gone"  # asked before, but the latest compile no longer found the pair


@dataclass(frozen=True, slots=True)
class NewQuestion:
    """A look-alike pair a compile asks about: each person's handle (the compiler's name for
    them: an id, an e-mail or a name) and how the question shows them. Either order."""

    handle_a: str
    handle_b: str
    label_a: str
    label_b: str

    def ordered(self) -> NewQuestion:
        """The same pair with the smaller handle first, as a pair is stored and looked up."""
        if self.handle_a <= self.handle_b:
            return self
        return NewQuestion(self.handle_b, self.handle_a, self.label_b, self.label_a)


@dataclass(frozen=True, slots=True)
class PeopleQuestion:
    """A look-alike pair a chat was asked about; `verdict` once answered."""

    id: int  # what the question's buttons carry
    chat_id: int
    handle_a: str  # handle_a < handle_b
    handle_b: str
    label_a: str
    label_b: str
    state: QuestionState
    verdict: Verdict | None
    asked_at: datetime
    decided_at: datetime | None

    @property
    def handles(self) -> tuple[str, str]:
        return (self.handle_a, self.handle_b)


class AnswerStatus(StrEnum):
    """What `people.answer` did with a teacher's answer."""

    STORED = "stored"
    ALREADY_DECIDED = "already decided"  # answered before: that answer stands
    GONE = "gone"  # the pair is no longer in the files, or the question is no longer kept


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    """`question` as it stands after the answer (None when the chat holds no such question);
    `open_left` is how many of the chat's questions still wait for an answer."""

    status: AnswerStatus
    question: PeopleQuestion | None
    open_left: int


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """One person of a class roster: a name, and an e-mail or a platform id when known."""

    name: str
    email: str | None = None
    person_id: str | None = None


@dataclass(frozen=True, slots=True)
class NewRoster:
    """A class roster as read from a file the teacher sent."""

    file_name: str
    people: tuple[RosterEntry, ...]
    sender_id: int | None = None
    update_id: int | None = None


@dataclass(frozen=True, slots=True)
class RosterInfo:
    """A chat's roster without its people: what /status shows."""

    chat_id: int
    file_name: str
    people: int
    with_contact: int  # people with an e-mail or an id
    received_at: datetime
    update_id: int | None


@dataclass(frozen=True, slots=True)
class StoredRoster:
    """A chat's roster with its people, for a compile."""

    info: RosterInfo
    people: tuple[RosterEntry, ...]


@dataclass(frozen=True, slots=True)
class RosterKept:
    """What `rosters.replace` did: the roster now kept, and the one it replaced (None when
    there was none, or when this same update had stored it already)."""

    roster: RosterInfo
    replaced: RosterInfo | None


class DeliveryState(StrEnum):
    """Where one recipient of a broadcast stands. SENDING is claimed, outcome not yet known."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    BLOCKED = "blocked"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Broadcast:
    """A message an admin asked to send to many chats."""

    id: int
    admin_id: int
    text: str
    created_at: datetime
    finished_at: datetime | None  # set when no delivery is pending or being sent


@dataclass(frozen=True, slots=True)
class Delivery:
    """One recipient of a broadcast."""

    broadcast_id: int
    chat_id: int
    state: DeliveryState
    error: str | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class BroadcastProgress:
    """A broadcast and how many of its deliveries are in each state."""

    broadcast: Broadcast
    counts: Mapping[DeliveryState, int]

    @property
    def total(self) -> int:
        """How many chats the broadcast was addressed to."""
        return sum(self.counts.values())

    def count(self, state: DeliveryState) -> int:
        """How many deliveries are in `state`."""
        return self.counts.get(state, 0)


class AuditAction(StrEnum):
    """The kinds of thing the audit log records."""

    UPLOAD = "upload"
    REPLACE = "replace"
    REMOVE = "remove"
    RESET = "reset"
    EXPIRE = "expire"
    COMPILE = "compile"
    SETTINGS = "settings"
    PEOPLE = "people"  # a look-alike pair answered, or an answer undone
    ROSTER = "roster"  # a roster kept, replaced or removed
    BROADCAST = "broadcast"
    ADMIN_REFUSED = "admin-refused"


AuditValue = int | float | bool | str | None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """Who did what, with ids and counts only."""

    id: int
    at: datetime
    actor_id: int | None
    chat_id: int | None
    action: AuditAction
    details: Mapping[str, AuditValue]


@dataclass(frozen=True, slots=True)
class Stats:
    """What admins see about the whole bot."""

    chats_total: int
    chats_active_7d: int
    chats_blocked: int
    sessions_with_files: int
    uploads_active: int
    uploads_replaced: int
    bytes_stored: int
    compiles_24h: int
    compiles_7d: int
    median_compile_seconds_7d: float | None
    database_bytes: int
    integrity: str  # "ok", or the first problem `PRAGMA quick_check` found
    last_broadcast: BroadcastProgress | None


@dataclass(frozen=True, slots=True)
class PendingUpdate:
    """An update received but not yet handled: a crash or a stop cut its handling short."""

    update_id: int
    received_at: datetime
    attempts: int  # handlings started, this one included
    payload: Mapping[str, Any]  # the update as Telegram sent it


@dataclass(frozen=True, slots=True)
class DatabaseHealth:
    """Whether the database can do its job: read, write, and take one more file.

    `write_failure` is the last write's failure, kept until a write succeeds again;
    `free_bytes` is the room left for new data: the disk's free space, or SQLite's own page
    limit if that is nearer.
    """

    readable: bool
    write_failure: str | None
    free_bytes: int
    needed_bytes: int  # the largest file the bot takes

    @property
    def ok(self) -> bool:
        """True when reads and writes work and the largest file still fits."""
        return self.readable and self.write_failure is None and not self.full

    @property
    def full(self) -> bool:
        """True when the largest file the bot takes would not fit."""
        return self.free_bytes < self.needed_bytes

    @property
    def problem(self) -> str | None:
        """What is wrong, for an operator; None when all is well."""
        if not self.readable:
            return "the database cannot be read"
        if self.write_failure is not None:
            return f"writes fail: {self.write_failure}"
        if self.full:
            return (
                f"nearly full: {self.free_bytes / MEBIBYTE:.1f} MB free, "
                f"a file may take {self.needed_bytes / MEBIBYTE:.1f} MB"
            )
        return None
