"""Seed the chronic-disease reference list (no app imports: historical models only)."""

from django.db import migrations

SOURCE = "《国家基本公共卫生服务规范（第三版）》/ICD-10"

DISEASES = [
    ("hypertension", "高血压", "I10-I15"),
    ("diabetes", "2型糖尿病", "E11"),
    ("chd", "冠心病", "I25"),
    ("stroke", "脑卒中", "I60-I64"),
    ("copd", "慢性阻塞性肺疾病", "J44"),
    ("smi", "严重精神障碍", "F20-F31"),
    ("tb", "肺结核", "A15-A19"),
]


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
