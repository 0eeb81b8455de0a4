"""Upload commits per second and commit latency for 1 MB files, beside references.

    python benchmarks/storage_bench.py [--dir DIR] [--count N] [--rounds R] [--size BYTES]

Measures, on the same disk and the same blobs:
  storage      `Database.uploads.add` (hash, checks, metadata + BLOB, audit, COMMIT)
  raw sqlite3  one INSERT of the blob per BEGIN IMMEDIATE/COMMIT, same pragmas
  raw 4 KiB    the same with SQLite's default page size (why storage uses 16 KiB)
  file+fsync   each blob written to its own file and fsynced
Variants take turns round by round, so a disk that slows down over the run hurts them all
alike. Then, for the choice of one shared connection, a small write (`chats.touch`) through the
shared connection against opening a connection per operation.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiosqlite

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage import ChatKind, Database, NewUpload, StorageLimits
from storage.database import BUSY_TIMEOUT_MS, PAGE_SIZE


def summary(name: str, latencies: list[float], payload: int | None = None) -> str:
    total = sum(latencies)
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    rate = len(latencies) / total
    line = (
        f"{name:<26} {rate:9.1f}/s   p50 {statistics.median(ordered) * 1000:7.2f} ms"
        f"   p95 {p95 * 1000:7.2f} ms"
    )
    if payload:
        line += f"   {rate * payload / 1e6:7.1f} MB/s"
    return line


async def timed_async(count: int, step: Callable[[int], Awaitable[object]]) -> list[float]:
    latencies = []
    for i in range(count):
        started = time.perf_counter()
        await step(i)
        latencies.append(time.perf_counter() - started)
    return latencies


def timed(count: int, step: Callable[[int], object]) -> list[float]:
    latencies = []
    for i in range(count):
        started = time.perf_counter()
        step(i)
        latencies.append(time.perf_counter() - started)
    return latencies


async def bench_storage(workdir: Path, blobs: list[bytes]) -> list[float]:
    limits = StorageLimits(
        max_files_per_chat=len(blobs), max_bytes_per_chat=sum(map(len, blobs)) + 1
    )
    db = await Database.open(workdir / "storage.sqlite3", limits)
    await db.chats.touch(1, ChatKind.PRIVATE, "Bench class")
    try:
        return await timed_async(
            len(blobs),
            lambda i: db.uploads.add(
                1,
                NewUpload.one_test(
                    f"Test {i + 1}.xlsx", blobs[i], i + 1, "bench", {"n": i}, 1, None, i
                ),
            ),
        )
    finally:
        await db.close()


def bench_raw(workdir: Path, blobs: list[bytes], page_size: int) -> list[float]:
    conn = sqlite3.connect(workdir / f"raw{page_size}.sqlite3", isolation_level=None)
    conn.execute(f"PRAGMA page_size = {page_size}")
    conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL)")

    def insert(i: int) -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO blobs (data) VALUES (?)", (blobs[i],))
        conn.execute("COMMIT")

    try:
        return timed(len(blobs), insert)
    finally:
        conn.close()


def bench_files(workdir: Path, blobs: list[bytes]) -> list[float]:
    folder = workdir / "files"
    folder.mkdir()

    def write(i: int) -> None:
        fd = os.open(folder / f"{i}.bin", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, blobs[i])
            os.fsync(fd)
        finally:
            os.close(fd)

    return timed(len(blobs), write)


async def bench_connections(workdir: Path, count: int) -> tuple[list[float], list[float]]:
    path = workdir / "connections.sqlite3"
    db = await Database.open(path)
    try:
        shared = await timed_async(count, lambda i: db.chats.touch(i % 50, "private"))
    finally:
        await db.close()

    async def touch_on_own_connection(i: int) -> None:
        async with aiosqlite.connect(path, isolation_level=None) as conn:
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA synchronous = FULL")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("BEGIN IMMEDIATE")
            await conn.execute(
                "UPDATE chats SET last_seen = ? WHERE id = ?", ("2025-01-01", i % 50)
            )
            await conn.commit()

    return shared, await timed_async(count, touch_on_own_connection)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dir", type=Path, default=Path("data"), help="where to write (a real disk)"
    )
    parser.add_argument("--count", type=int, default=100, help="commits per variant and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, variants interleaved")
    parser.add_argument("--size", type=int, default=1024 * 1024)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1)
    blobs = [rng.randbytes(args.size) for _ in range(args.count)]
    print(
        f"{args.rounds} rounds x {args.count} commits of {args.size} bytes per variant, "
        f"in {args.dir.resolve()} (SQLite {sqlite3.sqlite_version}, page size {PAGE_SIZE})"
    )
    variants: dict[str, Callable[[Path], Awaitable[list[float]]]] = {
        "storage uploads.add": lambda w: bench_storage(w, blobs),
        f"raw sqlite3 {PAGE_SIZE // 1024} KiB pages": lambda w: asyncio.to_thread(
            bench_raw, w, blobs, PAGE_SIZE
        ),
        "raw sqlite3 4 KiB pages": lambda w: asyncio.to_thread(bench_raw, w, blobs, 4096),
        "file write + fsync": lambda w: asyncio.to_thread(bench_files, w, blobs),
    }
    latencies: dict[str, list[float]] = {name: [] for name in variants}
    touches: dict[str, list[float]] = {
        "touch, shared connection": [],
        "touch, connection per op": [],
    }
    for _ in range(args.rounds):
        for name, run in variants.items():
            workdir = Path(tempfile.mkdtemp(prefix="storage-bench-", dir=args.dir))
            try:
                latencies[name] += await run(workdir)
            finally:
                shutil.rmtree(workdir)
        workdir = Path(tempfile.mkdtemp(prefix="storage-bench-", dir=args.dir))
        try:
            shared, per_op = await bench_connections(workdir, args.count)
        finally:
            shutil.rmtree(workdir)
        touches["touch, shared connection"] += shared
        touches["touch, connection per op"] += per_op
    for name, measured in latencies.items():
        print(summary(name, measured, args.size))
    for name, measured in touches.items():
        print(summary(name, measured))


if __name__ == "__main__":
    asyncio.run(main())
