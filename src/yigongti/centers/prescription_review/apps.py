from django.apps import AppConfig


class PrescriptionReviewConfig(AppConfig):
    name = "yigongti.centers.prescription_review"
    label = "prescription_review"
    verbose_name = "县域审方中心"

    def ready(self) -> None:
        from yigongti.centers.prescription_review import flows, permissions  # noqa: F401
        from yigongti.centers.prescription_review.demo import seed_prescriptions
        from yigongti.demo.contributions import register_demo
        from yigongti.platform.notify.declarations import GroupSpec, TypeSpec, declare_message_types

        declare_message_types(
            GroupSpec("rx", "县域审方中心", sort=60),
            TypeSpec(
                "rx.task_new",
                "新处方待审",
                title="新处方待审：{{ his_id }}（{{ department }}）",
                variables={"his_id": "HIS 处方号", "department": "开方科室"},
                body="请及时领取审核，超时系统将自动通过。",
                channels=("in_app", "realtime"),
                display_mode="popup",
                sound=True,
                topic="rx",
            ),
        )
        register_demo("prescription_review", seed_prescriptions, order=60)
