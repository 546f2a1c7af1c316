"""Serializers of the knowledge base maintenance API."""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import serializers

from yigongti.centers.prescription_review.knowledge import models as m
from yigongti.core.api.serializers import ResourceSerializer


class VersionSerializer(serializers.ModelSerializer[m.KnowledgeVersion]):
    is_current = serializers.SerializerMethodField(label="当前生效")
    based_on_number = serializers.IntegerField(
        source="based_on.number", read_only=True, allow_null=True, label="复制自版本号"
    )

    class Meta:
        model = m.KnowledgeVersion
        fields = [
            "id", "number", "name", "status", "effective_date", "published_at", "based_on", "based_on_number",
            "synthetic", "notes", "created_at", "is_current",
        ]  # fmt: skip
        read_only_fields = [f for f in fields if f not in ("name", "notes")]

    def get_is_current(self, obj: m.KnowledgeVersion) -> bool:
        return obj.pk == self.context.get("current_id")


class VersionCloneSerializer(serializers.Serializer[Any]):
    from_version = serializers.PrimaryKeyRelatedField(
        queryset=m.KnowledgeVersion.objects.all(), required=False, allow_null=True, label="复制自（默认当前版本）"
    )
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, label="版本名称")
    notes = serializers.CharField(required=False, allow_blank=True, label="说明")


class VersionPublishSerializer(serializers.Serializer[Any]):
    effective_date = serializers.DateField(label="生效日期")


class ModelDiffSerializer(serializers.Serializer[Any]):
    model = serializers.CharField()
    name = serializers.CharField(source="label")
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    changed = serializers.IntegerField()
    added_keys = serializers.ListField(child=serializers.CharField())
    removed_keys = serializers.ListField(child=serializers.CharField())
    changed_keys = serializers.ListField(child=serializers.CharField())


class VersionDiffSerializer(serializers.Serializer[Any]):
    base = serializers.IntegerField(label="基准版本 id")
    other = serializers.IntegerField(label="对比版本 id")
    models = ModelDiffSerializer(many=True)


class FactSerializer(ResourceSerializer):
    """A fact of one version: only a draft accepts new rows or changes."""

    version = serializers.PrimaryKeyRelatedField(
        queryset=m.KnowledgeVersion.objects.all(),
        label="版本",
        error_messages={"does_not_exist": "版本不存在（{pk_value}）。"},
    )

    def to_internal_value(self, data: Any) -> Any:
        """Lists typed as text in forms or Excel ("po, iv" or "po、iv") become lists."""
        if hasattr(data, "items"):
            data = dict(data.items())
            model: type[models.Model] = self.Meta.model  # type: ignore[attr-defined]
            for f in model._meta.concrete_fields:
                value = data.get(f.name)
                if isinstance(f, models.JSONField) and isinstance(value, str):
                    data[f.name] = [v.strip() for v in value.replace("、", ",").split(",") if v.strip()]
            drug, version = data.get("drug"), data.get("version")
            if "drug" in self.fields and isinstance(drug, str) and not drug.isdigit() and str(version).isdigit():
                # a drug may be given by its code (Excel import): resolve it inside the row's version
                found = m.Drug.objects.filter(version_id=int(str(version)), code=drug.strip()).values_list(
                    "pk", flat=True
                )
                data["drug"] = found.first() or drug
        return super().to_internal_value(data)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and not self.instance.version.is_draft:
            raise serializers.ValidationError({"version": ["已发布的版本不能修改，请先复制为草稿版本再编辑。"]})
        if "a_code" in self.fields:  # unordered pairs are stored with a_code <= b_code
            a = attrs.get("a_code", getattr(self.instance, "a_code", None))
            b = attrs.get("b_code", getattr(self.instance, "b_code", None))
            if a and b and a > b:
                attrs["a_code"], attrs["b_code"] = b, a
        return super().validate(attrs)


def fact_serializer(model: type[m.Fact]) -> type[FactSerializer]:
    """A serializer of every field of ``model`` (drug facts take the drug id)."""
    meta = type("Meta", (), {"model": model, "fields": "__all__"})
    extra: dict[str, Any] = {"Meta": meta}
    if issubclass(model, m.DrugFact):
        extra["drug_code"] = serializers.CharField(source="drug.code", read_only=True, label="药品编码")
        extra["drug_name"] = serializers.CharField(source="drug.generic_name", read_only=True, label="药品通用名")
    return type(f"{model.__name__}Serializer", (FactSerializer,), extra)


class DrugBriefSerializer(serializers.ModelSerializer[m.Drug]):
    class Meta:
        model = m.Drug
        fields = ["id", "code", "generic_name", "strength"]


class CodeNameBriefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
