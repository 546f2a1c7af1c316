import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yigongti.centers.prescription_review.knowledge.generator import generate_synthetic


class Command(BaseCommand):
    help = "生成用于性能测试的合成知识库版本（标记为合成数据，不会成为生效版本）。Generate a scaled synthetic knowledge base."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--drugs", type=int, default=5000, help="药品数（含种子药品），默认 5000")
        parser.add_argument("--interactions", type=int, default=50000, help="相互作用对数，默认 50000")
        parser.add_argument("--seed", type=int, default=1, help="随机种子（结果可复现）")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        report = generate_synthetic(drugs=options["drugs"], interactions=options["interactions"], seed=options["seed"])
        elapsed = time.perf_counter() - started
        rows = sum(report.counts.values())
        self.stdout.write(
            f"已生成合成知识库 V{report.version.number}（id={report.version.pk}）：共 {rows} 行，用时 {elapsed:.1f} 秒。"
        )
