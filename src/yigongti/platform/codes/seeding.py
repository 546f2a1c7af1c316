"""Load the standard code systems, example data elements and default parameters.

The rows live in ``data/standard_codes.json``, each citing its source and evidence label
(china-standards.md). ``seed_standard_codes()`` is idempotent: it creates what is missing and, only
with ``update=True``, brings seeded rows back to the file's wording. It never touches local edits
otherwise, never re-enables an entry someone disabled and never resurrects a dictionary that sits in
the recycle bin. It runs after every ``migrate`` (post_migrate) and from ``yigongti load-standard-codes``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, models, transaction

from yigongti.core.audit.choices import Category, LogType
from yigongti.core.audit.services import AuditEntry, audit_write
from yigongti.platform.codes.models import DataElement, Dictionary, DictionaryEntry, Parameter

DATA_FILE = Path(__file__).with_name("data") / "standard_codes.json"
DICTIONARY_FIELDS = ("name", "type", "version", "tree_level", "handling_type", "description", "source")
ENTRY_FIELDS = ("name", "sort", "description", "source", "extra")
ELEMENT_FIELDS = ("internal_id", "name", "definition", "data_type", "format", "permissible_values", "source")
PARAMETER_FIELDS = (
    "name", "group", "value_type", "default_value", "min_value", "max_value", "choices", "regex", "max_length",
    "allow_institution_override", "description", "source", "sort",
)  # fmt: skip


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def count(self, bucket: dict[str, int], kind: str, n: int = 1) -> None:
        if n:
            bucket[kind] = bucket.get(kind, 0) + n

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        def fmt(bucket: dict[str, int]) -> str:
            return "、".join(f"{k} {v} 条" for k, v in bucket.items()) or "无"

        text = f"新增：{fmt(self.created)}；更新：{fmt(self.updated)}"
        if self.skipped:
            text += f"；跳过：{'；'.join(self.skipped)}"
        return text


def load_data() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _apply(instance: models.Model, values: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    """Set the fields that differ; return their names."""
    changed = []
    for name in names:
        if name not in values:
            continue
        new = values[name]
        if isinstance(instance._meta.get_field(name), models.DecimalField) and new is not None:
            new = Decimal(str(new))
        if getattr(instance, name) != new:
            setattr(instance, name, new)
            changed.append(name)
    return changed


def seed_standard_codes(*, update: bool = False, using: str = DEFAULT_DB_ALIAS, audit: bool = False) -> SeedReport:
    data = load_data()
    report = SeedReport()
    with transaction.atomic(using=using):
        dictionaries = {
            d["code"]: _seed_dictionary(d, update=update, using=using, report=report) for d in data["dictionaries"]
        }
        for row in data["data_elements"]:
            _seed_element(row, dictionaries, update=update, using=using, report=report)
        for row in data["parameters"]:
            _seed_parameter(row, update=update, using=using, report=report)
        if audit and report.changed:
            audit_write(
                AuditEntry(
                    log_type=LogType.DATA,
                    category=Category.SYSTEM,
                    action="codes.seed",
                    project="字典与参数",
                    object_type="codes.seed",
                    content=f"载入标准代码（{data.get('version', '')}）：{report.summary()}",
                    after={"created": report.created, "updated": report.updated},
                )
            )
    return report


def _seed_dictionary(row: dict[str, Any], *, update: bool, using: str, report: SeedReport) -> Dictionary | None:
    manager = Dictionary.all_objects.db_manager(using)
    values = {k: row[k] for k in DICTIONARY_FIELDS if k in row}
    dictionary = manager.filter(code=row["code"]).first()
    if dictionary is None:
        dictionary = Dictionary(code=row["code"], **values)
        dictionary.full_clean()
        dictionary.save(using=using)
        report.count(report.created, "字典")
    elif dictionary.in_recycle_bin:
        report.skipped.append(f"字典 {row['code']} 在回收站中")
        return dictionary
    elif update and (changed := _apply(dictionary, values, DICTIONARY_FIELDS)):
        dictionary.full_clean()
        dictionary.save(using=using, update_fields=[*changed, "updated_at"])
        report.count(report.updated, "字典")
    _seed_entries(dictionary, row, update=update, using=using, report=report)
    return dictionary


def _seed_entries(dictionary: Dictionary, row: dict[str, Any], *, update: bool, using: str, report: SeedReport) -> None:
    manager = DictionaryEntry.all_objects.db_manager(using)
    existing = {e.code: e for e in manager.filter(dictionary=dictionary)}
    pending: list[DictionaryEntry] = []
    created = 0
    for item in row["entries"]:  # parents are listed before their children
        values = {"source": row.get("source", ""), "description": "", "extra": {}, **item}
        parent_code = values.pop("parent", None)
        parent = existing.get(parent_code) if parent_code else None
        if parent is not None and parent.pk is None:  # created in this run: insert it first
            manager.bulk_create(pending)
            pending = []
        entry = existing.get(item["code"])
        if entry is None:
            entry = DictionaryEntry(dictionary=dictionary, parent=parent, **values)
            pending.append(entry)
            existing[entry.code] = entry
            created += 1
            continue
        if not update:
            continue
        changed = _apply(entry, values, ENTRY_FIELDS)
        if entry.parent_id != (parent.pk if parent else None):
            entry.parent = parent
            changed.append("parent")
        if changed:
            entry.save(using=using, update_fields=[*changed, "updated_at"])
            report.count(report.updated, "字典项")
    manager.bulk_create(pending)
    report.count(report.created, "字典项", created)


def _seed_element(
    row: dict[str, Any], dictionaries: dict[str, Dictionary | None], *, update: bool, using: str, report: SeedReport
) -> None:
    values = {k: row[k] for k in ELEMENT_FIELDS if k in row}
    domain_code = row.get("value_domain")
    domain = dictionaries.get(domain_code) if domain_code else None
    if domain is None and domain_code:
        domain = Dictionary.all_objects.db_manager(using).filter(code=domain_code).first()
    manager = DataElement.objects.db_manager(using)
    element = manager.filter(identifier=row["identifier"], standard_version=row["standard_version"]).first()
    if element is None:
        element = DataElement(
            identifier=row["identifier"], standard_version=row["standard_version"], value_domain=domain, **values
        )
        element.full_clean()
        element.save(using=using)
        report.count(report.created, "数据元")
        return
    if update:
        changed = _apply(element, values, ELEMENT_FIELDS)
        if domain is not None and element.value_domain_id != domain.pk:
            element.value_domain = domain
            changed.append("value_domain")
        if changed:
            element.full_clean()
            element.save(using=using, update_fields=[*changed, "updated_at"])
            report.count(report.updated, "数据元")


def _seed_parameter(row: dict[str, Any], *, update: bool, using: str, report: SeedReport) -> None:
    values = {k: row[k] for k in PARAMETER_FIELDS if k in row}
    manager = Parameter.objects.db_manager(using)
    parameter = manager.filter(code=row["code"]).first()
    if parameter is None:
        parameter = Parameter(code=row["code"])
        _apply(parameter, values, PARAMETER_FIELDS)
        parameter.full_clean()
        parameter.save(using=using)
        report.count(report.created, "参数")
    elif update and (changed := _apply(parameter, values, PARAMETER_FIELDS)):
        parameter.full_clean()
        parameter.save(using=using, update_fields=[*changed, "updated_at"])
        report.count(report.updated, "参数")
