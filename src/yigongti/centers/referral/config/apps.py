from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReferralConfigConfig(AppConfig):
    name = "yigongti.centers.referral.config"
    label = "referral_config"
    verbose_name = "双向转诊配置"

    def ready(self) -> None:
        from yigongti.centers.referral.config import permissions  # noqa: F401
        from yigongti.centers.referral.config.demo import seed_referral_config
        from yigongti.demo.contributions import register_demo

        post_migrate.connect(seed_default_rules, sender=self, dispatch_uid="referral_config.default_rules")
        register_demo("referral_config", seed_referral_config, order=5)


def seed_default_rules(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Keep the cited platform-default referral rules present after every migrate and test-database
    flush. Idempotent; never overwrites an edited rule."""
    from django.db.utils import OperationalError, ProgrammingError

    from yigongti.centers.referral.config.services.rules import rules_seed_defaults

    try:
        rules_seed_defaults(using=using)
    except (OperationalError, ProgrammingError):  # table not there (migrated backwards)
        return
