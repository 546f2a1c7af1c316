from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RegistryConfig(AppConfig):
    name = "yigongti.platform.registry"
    label = "registry"
    verbose_name = "居民档案"

    def ready(self) -> None:
        from yigongti.platform.registry import permissions  # noqa: F401

        post_migrate.connect(ensure_chronic_diseases, sender=self, dispatch_uid="registry.chronic_diseases")


def ensure_chronic_diseases(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Keep the seeded chronic-disease list present after every migrate (and after a test-database
    flush, which empties tables the data migration filled). Idempotent; never overwrites edits."""
    from django.db.utils import OperationalError, ProgrammingError

    from yigongti.platform.registry import seed_data  # the list the data migration uses

    ChronicDisease: Any = sender.get_model("ChronicDisease")
    try:
        existing = set(ChronicDisease.objects.using(using).values_list("code", flat=True))
    except (OperationalError, ProgrammingError):  # table not there (migrated backwards)
        return
    ChronicDisease.objects.using(using).bulk_create(
        [
            ChronicDisease(code=code, name=name, icd10=icd10, sort=sort * 10, source=seed_data.SOURCE)
            for sort, (code, name, icd10) in enumerate(seed_data.DISEASES, start=1)
            if code not in existing
        ]
    )
