import sys
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CodesConfig(AppConfig):
    name = "yigongti.platform.codes"
    label = "codes"
    verbose_name = "字典与参数"

    def ready(self) -> None:
        from yigongti.core.workflow.hooks import register_parameter_resolver
        from yigongti.platform.codes import permissions  # noqa: F401
        from yigongti.platform.codes.selectors import param_value

        # Workflow timers and guards configured by a parameter code read it from 参数配置.
        register_parameter_resolver(lambda code, institution_id: param_value(code, institution=institution_id))

        post_migrate.connect(load_standard_codes_after_migrate, sender=self, dispatch_uid="codes.seed_standard_codes")


def load_standard_codes_after_migrate(
    sender: AppConfig, using: str = "default", verbosity: int = 1, **kwargs: Any
) -> None:
    """Load the standard code systems once the ``codes`` tables are fully migrated (idempotent)."""
    from django.db import connections
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    leaves = set(loader.graph.leaf_nodes(sender.label))
    if not leaves or not leaves <= set(loader.applied_migrations):
        return  # migrated backwards or partially: the models may not match the tables
    from yigongti.platform.codes.seeding import seed_standard_codes

    report = seed_standard_codes(using=using)
    if verbosity >= 1 and report.changed:
        sys.stdout.write(f"  标准代码：{report.summary()}\n")
