from django.apps import AppConfig


class ReferralConfig(AppConfig):
    name = "yigongti.centers.referral"
    label = "referral"
    verbose_name = "双向转诊中心"

    def ready(self) -> None:
        from yigongti.centers.referral import permissions  # noqa: F401
