"""The real bot under load, through the loopback Telegram stand-in. Prints measured figures.

1. N chats at once, each sending three exports and /compile: p50/p95 from /compile to workbook.
2. Another chat's /help latency while one chat compiles a 3,000 x 6 class, beside the same
   /help latency on the idle bot, measured in the same run.
3. A broadcast to 2,000 chats: the achieved rate, beside Telegram's 30 messages a second.

    python -m benchmarks.bot_load [--chats 10] [--people 3000] [--broadcast 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bot.settings import Settings
from tests.bot.helpers import ADMIN, meet_users, running, send_file
from tests.support.classes import make_class, make_surveyheart_benchmark
from tests.support.telegram_standin import TelegramStandIn

HELPER_CHAT = 5_000_000
TELEGRAM_RATE = 30.0


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _help_latency(tg: TelegramStandIn) -> float:
    await asyncio.sleep(0.05)  # the same pause before every sample, idle or busy
    since = tg.mark()
    tg.send_text(HELPER_CHAT, "/help")
    reply = await tg.wait_for_text(HELPER_CHAT, "/compile", since=since, timeout=60)
    return reply.at - since


async def chats_compiling_at_once(tg: TelegramStandIn, chats: int) -> None:
    async def one(chat: int) -> float:
        tg.add_user(chat, f"Teacher{chat}")
        for file in make_class("surveyheart", 100, 3, seed=chat).files:
            await send_file(tg, chat, file, expect="Test ")
        since = tg.mark()
        tg.send_text(chat, "/compile")
        sent = await tg.wait_for_document(chat, since=since, timeout=300)
        return sent.at - since

    times = await asyncio.gather(*(one(10_000 + n) for n in range(chats)))
    print(f"{chats} chats compiling 100 people x 3 tests at once, /compile -> workbook:")
    print(f"  p50 {_p(times, 0.5):.2f} s   p95 {_p(times, 0.95):.2f} s   max {max(times):.2f} s")


async def help_while_compiling(tg: TelegramStandIn, people: int) -> None:
    tg.add_user(HELPER_CHAT, "Helper")
    idle = [await _help_latency(tg) for _ in range(20)]
    big = 20_000
    tg.add_user(big, "BigClass")
    for file in make_surveyheart_benchmark(people, 6):
        await send_file(tg, big, file, expect="Test ")
    since = tg.mark()
    tg.send_text(big, "/compile")
    busy: list[float] = []
    compile_done = asyncio.create_task(tg.wait_for_document(big, since=since, timeout=600))
    while not compile_done.done():
        busy.append(await _help_latency(tg))
    took = (await compile_done).at - since
    print(f"/help latency in another chat (ms), {people} x 6 class compiling ({took:.1f} s):")
    print(f"  idle bot:   p50 {_p(idle, 0.5) * 1000:6.1f}   max {max(idle) * 1000:6.1f}")
    print(
        f"  compiling:  p50 {_p(busy, 0.5) * 1000:6.1f}   max {max(busy) * 1000:6.1f}"
        f"   ({len(busy)} samples)"
    )


async def broadcast_rate(tg: TelegramStandIn, recipients: int, per_second: float) -> None:
    await meet_users(tg, range(100_000, 100_000 + recipients))
    tg.add_user(ADMIN, "Admin")
    since = tg.mark()
    tg.send_text(ADMIN, "/broadcast Load test")
    preview = await tg.wait_for_text(ADMIN, "Load test", since=since)
    started = tg.mark()
    tg.press_button(ADMIN, preview.message_id, "bc:send")
    await tg.wait_for(
        lambda m: m.chat_id == ADMIN and m.at >= started and "finished" in m.shown, timeout=900
    )
    stamps = [c.at for c in tg.calls("sendMessage") if c.at >= started and c.ok]
    sent = len(stamps) - 1  # less the admin's report
    elapsed = max(stamps) - started
    print(f"broadcast to {recipients + 1} chats (pace set to {per_second:g}/s):")
    print(
        f"  achieved {sent / elapsed:.1f} messages/s over {elapsed:.1f} s"
        f"   (Telegram allows about {TELEGRAM_RATE:g}/s)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10)
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--broadcast", type=int, default=2000)
    parser.add_argument("--per-second", type=float, default=25.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        async with TelegramStandIn(strict=False) as tg:
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                telegram_bot_token=tg.token,  # type: ignore[arg-type]
                telegram_base_url=tg.base_url,
                telegram_base_file_url=tg.base_file_url,
                database_path=Path(tmp) / "bot.sqlite3",
                admin_ids=frozenset({ADMIN}),
                updates_per_minute=100_000,
                broadcast_per_second=args.per_second,
            )
            async with running(settings):
                started = time.perf_counter()
                await chats_compiling_at_once(tg, args.chats)
                await help_while_compiling(tg, args.people)
                if args.broadcast:
                    await broadcast_rate(tg, args.broadcast, args.per_second)
                elapsed = time.perf_counter() - started
                print(f"(whole run {elapsed:.0f} s; one bot process, {settings.workers} workers)")


if __name__ == "__main__":
    asyncio.run(main())
