"""Everything the bot must remember, in one SQLite file, losing nothing it said was saved.

    db = await Database.open(path, StorageLimits(...))
    await db.chats.touch(chat_id, ChatKind.from_telegram(chat.type), chat.title)
    outcome = await db.uploads.add(chat_id, NewUpload(...))
    ...
    await db.close()

Never imports telegram or the compiler.
"""

from storage.backup import BackupResult, CheckReport, backup_database, check_database
from storage.database import Database
from storage.errors import (
    ChatStorageFull,
    DamagedUpload,
    DatabaseClosed,
    FileTooBig,
    LimitExceeded,
    SchemaTooNew,
    StorageError,
    TooManyFiles,
    UnknownChat,
)
from storage.models import (
    NO_LETTERS,
    AddOutcome,
    AddStatus,
    AuditAction,
    AuditEntry,
    Broadcast,
    BroadcastProgress,
    Chat,
    ChatKind,
    ChatSettings,
    ChatUsage,
    CompileRecord,
    DatabaseHealth,
    Delivery,
    DeliveryState,
    NewCompile,
    NewTest,
    NewUpload,
    PendingUpdate,
    PurgeResult,
    Removal,
    Stats,
    StorageLimits,
    StoredFile,
    Upload,
    UploadState,
    UploadTest,
)
from storage.settings import StorageSettings

__all__ = [
    "NO_LETTERS",
    "AddOutcome",
    "AddStatus",
    "AuditAction",
    "AuditEntry",
    "BackupResult",
    "Broadcast",
    "BroadcastProgress",
    "Chat",
    "ChatKind",
    "ChatSettings",
    "ChatStorageFull",
    "ChatUsage",
    "CheckReport",
    "CompileRecord",
    "DamagedUpload",
    "Database",
    "DatabaseClosed",
    "DatabaseHealth",
    "Delivery",
    "DeliveryState",
    "FileTooBig",
    "LimitExceeded",
    "NewCompile",
    "NewTest",
    "NewUpload",
    "PendingUpdate",
    "PurgeResult",
    "Removal",
    "SchemaTooNew",
    "Stats",
    "StorageError",
    "StorageLimits",
    "StorageSettings",
    "StoredFile",
    "TooManyFiles",
    "UnknownChat",
    "Upload",
    "UploadState",
    "UploadTest",
    "backup_database",
    "check_database",
]
