from typing import Any

from django.core.management.base import BaseCommand

from yigongti.centers.prescription_review.knowledge.seeding import seed_knowledge


class Command(BaseCommand):
    help = "载入合理用药知识库种子数据（已有正式版本时不重复载入）。Load the seed drug knowledge base."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(seed_knowledge().summary())
