"""``yigongti regional-sync --once``: pull base data from the regional platform now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yigongti.core.errors import BusinessError
from yigongti.platform.integration.choices import SyncTrigger


class Command(BaseCommand):
    help = "从区域平台（全民健康信息平台）FHIR 服务同步机构、科室、人员、居民。定时同步由后台任务执行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="立即执行一次同步后退出")
        parser.add_argument("--base-url", default="", help="FHIR 服务地址（默认取 YIGONGTI_REGIONAL_FHIR_URL）")

    def handle(self, *args: Any, **options: Any) -> None:
        from yigongti.platform.integration.regional.sync import regional_sync

        if not options["once"]:
            raise CommandError("请使用 --once 立即同步一次；定时同步由后台任务按 YIGONGTI_REGIONAL_SYNC_CRON 执行。")
        try:
            run = regional_sync(trigger=SyncTrigger.COMMAND, base_url=options["base_url"])
        except BusinessError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"同步记录 #{run.pk}：{run.get_status_display()}")
        for kind, counts in sorted(run.counts.items()):
            figures = "，".join(f"{k} {v}" for k, v in sorted(counts.items()))
            self.stdout.write(f"  {kind}：{figures}")
        for error in run.errors[:20]:
            self.stdout.write(f"  ✗ {error['resource']}：{error['error']}")
        if run.error:
            raise CommandError(run.error)
