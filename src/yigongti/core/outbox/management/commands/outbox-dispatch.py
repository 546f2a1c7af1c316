"""``yigongti outbox-dispatch``: deliver outbox messages from a process of its own.

The Huey worker already dispatches (after every publishing commit and every minute); this command
is for a dedicated dispatcher process, for draining the outbox before maintenance, and for tests.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yigongti.core.outbox.dispatcher import outbox_backlog, outbox_dispatch


class Command(BaseCommand):
    help = "发送外发消息（按目的地严格按序）。默认持续运行；--once 只跑一轮，--drain 发完为止。"
    requires_system_checks: list[str] = []  # a worker: `yigongti check` belongs to the deployment

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="只发送一轮（最多 --batch 条）后退出")
        mode.add_argument("--drain", action="store_true", help="发送到没有待发送/发送中的消息为止")
        parser.add_argument("--batch", type=int, default=100, help="每轮最多发送的消息数（默认 100）")
        parser.add_argument("--interval", type=float, default=5.0, help="两轮之间的等待秒数（默认 5）")
        parser.add_argument("--timeout", type=float, default=600.0, help="--drain 的最长运行秒数（默认 600）")

    def handle(self, *args: Any, **options: Any) -> None:
        batch, interval = max(1, options["batch"]), max(0.0, options["interval"])
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        started = time.monotonic()
        totals = {"delivered": 0, "failed": 0, "dead": 0}
        while not stopping:
            report = outbox_dispatch(batch=batch)
            for name in totals:
                totals[name] += getattr(report, name)
            if options["once"]:
                break
            if options["drain"]:
                backlog = outbox_backlog()
                if not backlog["pending"] and not backlog["delivering"]:
                    break
                if time.monotonic() - started > options["timeout"]:
                    raise CommandError(f"在 {options['timeout']:g} 秒内未能发完：{backlog}")
            if report.attempted < batch:  # nothing more to do right now: wait before the next round
                time.sleep(interval)
        backlog = outbox_backlog()
        self.stdout.write(
            f"外发完成：送达 {totals['delivered']} 条，失败待重试 {totals['failed']} 条，停止重试 {totals['dead']} 条；"
            f"剩余 待发送 {backlog['pending']}、发送中 {backlog['delivering']}、"
            f"等待重试 {backlog['failed']}、需人工处理 {backlog['dead']}。"
        )
