"""Seed the chronic-disease reference list (no app imports: historical models only)."""

from django.db import migrations

from yigongti.platform.registry.seed_data import DISEASES, SOURCE  # plain data, no app code

def seed(apps, schema_editor):
    ChronicDisease = apps.get_model("registry", "ChronicDisease")
    for sort, (code, name, icd10) in enumerate(DISEASES, start=1):
        ChronicDisease.objects.update_or_create(
            code=code, defaults={"name": name, "icd10": icd10, "sort": sort * 10, "source": SOURCE}
        )


def unseed(apps, schema_editor):
    ChronicDisease = apps.get_model("registry", "ChronicDisease")
    ChronicDisease.objects.filter(code__in=[code for code, _, _ in DISEASES]).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
