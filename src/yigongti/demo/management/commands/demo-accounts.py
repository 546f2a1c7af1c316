from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yigongti.demo.accounts import account_lines, staff_user_count


class Command(BaseCommand):
    help = "列出演示账号与统一密码（由 demo-county 生成）。Print the demo accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="", help="控制台地址，一并打印")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["url"]:
            self.stdout.write(f"控制台地址：{options['url']}")
        for line in account_lines(staff_users=staff_user_count()):
            self.stdout.write(line)
