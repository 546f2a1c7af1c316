from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yigongti.demo import places
from yigongti.demo.accounts import account_lines
from yigongti.demo.generator import DemoExists, community_exists, generate_county
from yigongti.platform.registry.models import ChronicDisease


class Command(BaseCommand):
    help = (
        "生成演示数据：虚构的江苏省云溪县医共体（机构、科室、人员、床位、设备、账号和居民）。"
        "Generate the FICTIONAL demo county medical community."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--residents", type=int, default=20000, help="居民人数（默认 20000）")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子，同一种子生成相同的数据（默认 2026）")
        parser.add_argument("--if-empty", action="store_true", help="已有医共体时什么也不做")
        parser.add_argument("--no-account-list", action="store_true", help="不打印演示账号表（make run 另行打印）")
        parser.add_argument("--no-staff-accounts", action="store_true", help="不为约 10%% 的人员创建账号")

    def handle(self, *args: Any, **options: Any) -> None:
        residents: int = options["residents"]
        if residents < 0:
            raise CommandError("--residents 不能为负数。")
        if options["if_empty"] and community_exists():
            self.stdout.write("数据库中已有医共体，未生成演示数据（--if-empty）。")
            return
        marks = [residents * k // 10 for k in range(1, 11)]

        def progress(done: int, total: int) -> None:
            if marks and done >= marks[0]:
                while marks and done >= marks[0]:
                    marks.pop(0)
                self.stdout.write(f"  居民 {done}/{total}")

        self.stdout.write(
            f"正在生成演示医共体“{places.COMMUNITY_NAME}”（居民 {residents} 人，随机种子 {options['seed']}）…"
        )
        try:
            report = generate_county(
                residents=residents,
                seed=options["seed"],
                staff_accounts=not options["no_staff_accounts"],
                progress=progress if residents >= 20000 else None,
            )
        except DemoExists as exc:
            raise CommandError(f"{exc}如需重新生成，请先清空数据库。") from exc

        c = report.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"完成：机构 {c['institutions']} 家，科室 {c['departments']} 个，人员 {c['staff']} 人，"
                f"家庭医生团队 {c['teams']} 个，床位 {c['beds']} 张，设备 {c['equipment']} 台，"
                f"账号 {c['users']} 个，居民 {c['residents']} 人。"
            )
        )
        t = report.timings
        self.stdout.write(
            f"用时 {report.total_seconds:.1f} 秒（机构 {t['org']:.1f}，账号 {t['users']:.1f}，居民 {t['residents']:.1f}）。"
        )
        if report.chronic:
            names = dict(ChronicDisease.objects.values_list("code", "name"))
            self.stdout.write("慢病标签：" + "，".join(f"{names.get(k, k)} {v}" for k, v in report.chronic.items()))
        if options["no_account_list"]:
            return
        self.stdout.write("")
        for line in account_lines(report.accounts, staff_users=c["users"] - len(report.accounts)):
            self.stdout.write(line)
