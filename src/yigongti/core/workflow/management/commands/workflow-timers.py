import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yigongti.core.workflow.timers import fire_due_timers


class Command(BaseCommand):
    help = "执行到期的流程定时器（如超时未到诊自动标记爽约）。Fire due workflow timers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="执行一轮后退出（默认每隔 --interval 秒循环）")
        parser.add_argument("--interval", type=int, default=60, help="循环间隔秒数，默认 60")
        parser.add_argument("--limit", type=int, default=500, help="每轮最多执行的定时器数，默认 500")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            report = fire_due_timers(limit=options["limit"])
            self.stdout.write(f"流程定时器：{report}。")
            if options["once"]:
                return
            time.sleep(max(1, options["interval"]))
