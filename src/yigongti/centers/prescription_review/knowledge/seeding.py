"""Load the seed knowledge base (``data/seed_knowledge.json``) as version 1, published.

Every row of the file cites its source (drug label section, 《中国国家处方集》, 《抗菌药物临床应用指导原则
（2015年版）》, AGS Beers 2023, 《医疗机构处方审核规范》…). Loading is idempotent: once any non-synthetic
version exists the seed is left alone, so pharmacists' versions are never overwritten. It runs after every
``migrate`` (post_migrate) and from ``yigongti rx-kb-seed``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.utils import timezone

from yigongti.centers.prescription_review.knowledge.choices import VersionStatus
from yigongti.centers.prescription_review.knowledge.models import (
    AllergyClass,
    CheckType,
    ConcentrationLimit,
    Contraindication,
    CrossReactivity,
    DiseaseGroup,
    DoseLimit,
    Drug,
    DrugAttribute,
    Frequency,
    Incompatibility,
    Indication,
    Interaction,
    IonContent,
    IonLimit,
    KnowledgeVersion,
    LabItem,
    LabRule,
    OrganRule,
    PharmClass,
    PopulationRule,
    Route,
    Unit,
)

DATA_FILE = Path(__file__).with_name("data") / "seed_knowledge.json"
BATCH = 2000

# top-level list in the file → model
VERSION_LISTS: dict[str, type[models.Model]] = {
    "routes": Route,
    "frequencies": Frequency,
    "units": Unit,
    "drug_attributes": DrugAttribute,
    "check_types": CheckType,
    "lab_items": LabItem,
    "disease_groups": DiseaseGroup,
    "ion_limits": IonLimit,
    "classes": PharmClass,
    "allergy_classes": AllergyClass,
    "cross_reactivity": CrossReactivity,
    "interactions": Interaction,
    "incompatibilities": Incompatibility,
}
# list inside a drug row → model
DRUG_LISTS: dict[str, type[models.Model]] = {
    "indications": Indication,
    "contras": Contraindication,
    "doses": DoseLimit,
    "organs": OrganRule,
    "labs": LabRule,
    "pops": PopulationRule,
    "conc": ConcentrationLimit,
    "ions": IonContent,
}


@dataclass
class SeedReport:
    version: KnowledgeVersion | None
    counts: dict[str, int]

    def summary(self) -> str:
        if self.version is None:
            return "已有知识库版本，未重复载入。"
        parts = "、".join(f"{k} {v} 条" for k, v in self.counts.items())
        return f"已载入知识库 {self.version}：{parts}"


def load_data() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _coerce(model: type[models.Model], row: dict[str, Any]) -> dict[str, Any]:
    """Keep the model's fields only and turn numbers of decimal fields into ``Decimal``."""
    out: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.name in row:
            value = row[f.name]
            if isinstance(f, models.DecimalField) and value is not None:
                value = Decimal(str(value))
            out[f.name] = value
    return out


def build_rows(data: dict[str, Any], version: KnowledgeVersion, *, using: str) -> dict[str, int]:
    """Bulk-create every row of ``data`` in ``version`` (drugs first, then their facts)."""
    counts: dict[str, int] = {}
    for key, model in VERSION_LISTS.items():
        rows = [model(version=version, **_coerce(model, r)) for r in data.get(key, [])]
        model._default_manager.db_manager(using).bulk_create(rows, batch_size=BATCH)
        counts[str(model._meta.verbose_name)] = len(rows)
    drugs = [Drug(version=version, **_coerce(Drug, r)) for r in data.get("drugs", [])]
    Drug.objects.db_manager(using).bulk_create(drugs, batch_size=BATCH)
    counts[str(Drug._meta.verbose_name)] = len(drugs)
    ids = dict(Drug.objects.db_manager(using).filter(version=version).values_list("code", "id"))
    for key, model in DRUG_LISTS.items():
        rows = []
        for drug_row in data.get("drugs", []):
            for fact in drug_row.get(key, []):
                rows.append(model(version=version, drug_id=ids[drug_row["code"]], **_coerce(model, fact)))
        model._default_manager.db_manager(using).bulk_create(rows, batch_size=BATCH)
        counts[str(model._meta.verbose_name)] = len(rows)
    return counts


def seed_knowledge(*, using: str = DEFAULT_DB_ALIAS, force: bool = False) -> SeedReport:
    """Create version 1 from the seed file unless a real (non-synthetic) version exists."""
    with transaction.atomic(using=using):
        versions = KnowledgeVersion.objects.db_manager(using)
        if not force and versions.filter(synthetic=False).exists():
            return SeedReport(None, {})
        data = load_data()
        head = versions.order_by("-number").values_list("number", flat=True).first() or 0
        meta = data["version"]
        version = versions.create(
            number=head + 1,
            name=meta["name"],
            notes=meta["notes"],
            status=VersionStatus.PUBLISHED,
            effective_date=timezone.localdate(),
            published_at=timezone.now(),
        )
        counts = build_rows(data, version, using=using)
    return SeedReport(version, counts)
