from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReferralConfig(AppConfig):
    name = "yigongti.centers.referral"
    label = "referral"
    verbose_name = "双向转诊中心"

    def ready(self) -> None:
        from yigongti.centers.referral import integration, notifications, permissions, webhooks  # noqa: F401
        from yigongti.centers.referral.demo import seed_referrals
        from yigongti.centers.referral.models import Referral
        from yigongti.centers.referral.seeding import ensure_number_rule
        from yigongti.demo.contributions import register_demo
        from yigongti.platform.files.attachables import register_attachable

        # attachments belong to the applicant institution; the receiving side reads them through
        # the center's shared-data endpoints within the share window (REF-20)
        register_attachable(Referral, institution="from_institution_id", view_code="referral.referral.view")
        notifications.connect()
        post_migrate.connect(ensure_number_rule, sender=self, dispatch_uid="referral.ensure_number_rule")
        register_demo("referral", seed_referrals, order=10)  # engineer B's demo referrals
