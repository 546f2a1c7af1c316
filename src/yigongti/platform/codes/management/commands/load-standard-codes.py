from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yigongti.platform.codes.seeding import seed_standard_codes


class Command(BaseCommand):
    help = (
        "载入标准代码（性别、婚姻、民族、慢性病等字典，示例数据元，默认参数），可重复执行。Load standard code systems."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--update",
            action="store_true",
            help="按种子文件更新已载入行的名称、来源等（默认只新增缺少的行，保留本地修改）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed_standard_codes(update=options["update"], audit=True)
        self.stdout.write(f"标准代码载入完成。{report.summary()}")
