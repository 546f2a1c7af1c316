import sys
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RxKnowledgeConfig(AppConfig):
    name = "yigongti.centers.prescription_review.knowledge"
    label = "rx_knowledge"
    verbose_name = "合理用药知识库"

    def ready(self) -> None:
        from yigongti.centers.prescription_review.knowledge import permissions  # noqa: F401

        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="rx_knowledge.seed")


def seed_after_migrate(sender: AppConfig, using: str = "default", verbosity: int = 1, **kwargs: Any) -> None:
    """Load the seed knowledge base once the tables are fully migrated (idempotent)."""
    from django.db import connections
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    leaves = set(loader.graph.leaf_nodes(sender.label))
    if not leaves or not leaves <= set(loader.applied_migrations):
        return
    from yigongti.centers.prescription_review.knowledge.seeding import seed_knowledge

    report = seed_knowledge(using=using)
    if verbosity >= 1 and report.version is not None:
        sys.stdout.write(f"  合理用药知识库：{report.summary()}\n")
