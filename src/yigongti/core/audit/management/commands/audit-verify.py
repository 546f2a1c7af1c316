from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yigongti.core.audit.services import audit_verify


class Command(BaseCommand):
    help = "校验审计日志哈希链（SM3），发现被修改、删除或截断的记录。Verify the audit log chains."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(f"审计日志校验失败：{len(report.problems)} 处异常（共 {report.rows} 条记录）。")
        self.stdout.write(f"审计日志校验通过：{report.rows} 条记录，哈希链完整。")
