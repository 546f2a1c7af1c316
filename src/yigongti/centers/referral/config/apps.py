from django.apps import AppConfig


class ReferralConfigConfig(AppConfig):
    name = "yigongti.centers.referral.config"
    label = "referral_config"
    verbose_name = "双向转诊配置"

    def ready(self) -> None:
        from yigongti.centers.referral.config import permissions  # noqa: F401
