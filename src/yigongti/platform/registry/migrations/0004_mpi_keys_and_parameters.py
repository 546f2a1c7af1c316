"""Fill the MPI blocking keys of existing residents and define the MPI parameters.

The keys come from ``registry.mpi.keys.resident_name_keys`` — a pure function of the name and sex
with no model behind it, which is why this migration may import it. ``yigongti mpi-rebuild-keys``
recomputes them later (after a change of the key rules, or a ``QuerySet.update()`` of names).
"""

from django.db import migrations

from yigongti.platform.registry.mpi.keys import resident_name_keys

BATCH = 2000

PARAMETERS = [
    {
        "code": "mpi.match_threshold",
        "name": "主索引自动关联概率阈值",
        "value_type": "decimal",
        "default_value": "0.99",
        "min_value": "0.5",
        "max_value": "0.999999",
        "sort": 10,
        "description": "新登记与最可能的候选居民为同一人的概率（已计入其他候选）达到该值时自动关联。",
    },
    {
        "code": "mpi.review_threshold",
        "name": "主索引人工审核概率阈值",
        "value_type": "decimal",
        "default_value": "0.3",
        "min_value": "0.000001",
        "max_value": "0.99",
        "sort": 20,
        "description": "候选居民为同一人的概率达到该值（未达自动关联）时进入审核队列；低于该值新建居民档案。",
    },
    {
        "code": "mpi.population",
        "name": "主索引覆盖人口数",
        "value_type": "int",
        "default_value": "1000000",
        "min_value": "1000",
        "max_value": "100000000",
        "sort": 30,
        "description": "主索引覆盖的人口规模：任一居民恰为新登记者的先验概率为其倒数。",
    },
]


def backfill(apps, schema_editor):
    Resident = apps.get_model("registry", "Resident")
    last = 0
    while True:
        rows = list(Resident.objects.filter(pk__gt=last).order_by("pk").only("pk", "name", "sex")[:BATCH])
        if not rows:
            break
        for row in rows:
            row.mpi_name_key, row.mpi_initials_key = resident_name_keys(row.name, row.sex)
        Resident.objects.bulk_update(rows, ["mpi_name_key", "mpi_initials_key"])
        last = rows[-1].pk


def define_parameters(apps, schema_editor):
    Parameter = apps.get_model("codes", "Parameter")
    for values in PARAMETERS:
        code = values["code"]
        defaults = {k: v for k, v in values.items() if k != "code"}
        defaults |= {"group": "居民主索引", "allow_institution_override": True, "source": "PLAT-02 居民主索引（本平台约定）"}
        Parameter.objects.get_or_create(code=code, defaults=defaults)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_mpi_master_patient_index"),
        ("codes", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(define_parameters, migrations.RunPython.noop, elidable=True),
    ]
