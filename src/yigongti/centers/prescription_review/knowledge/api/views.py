"""Knowledge base maintenance for pharmacists (RX-05): versions, facts of a draft, dictionaries."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.centers.prescription_review.knowledge import models as m
from yigongti.centers.prescription_review.knowledge import permissions as p
from yigongti.centers.prescription_review.knowledge import selectors, services
from yigongti.centers.prescription_review.knowledge.api import serializers as s
from yigongti.core.api.viewsets import ReadOnlyResourceViewSet, ResourceViewSet
from yigongti.core.errors import BusinessError

PROJECT = services.PROJECT
VERSION_PARAM = OpenApiParameter("version", int, description="知识库版本 id（默认当前生效版本）")


class KnowledgeScopeMixin:
    """The knowledge base belongs to the whole county, not to an institution: every authenticated
    user holding the code sees it, and writes are governed by the rx.knowledge.* codes (the data scope
    of a pharmacist's role does not apply to it)."""

    def get_queryset(self) -> QuerySet[Any]:
        qs: QuerySet[Any] = self.base_queryset()  # type: ignore[attr-defined]
        user = self.request.user  # type: ignore[attr-defined]
        return qs if user.is_authenticated else qs.none()


class VersionViewSet(KnowledgeScopeMixin, ReadOnlyResourceViewSet):
    """知识库版本：复制当前版本为草稿、修改草稿说明、发布（指定生效日期）、删除草稿、版本对比。"""

    queryset = m.KnowledgeVersion.objects.select_related("based_on").order_by("-number")
    serializer_class = s.VersionSerializer
    permission_base = p.VERSION
    action_codes = {"publish": f"{p.VERSION}.publish", "diff": f"{p.VERSION}.view", "current": f"{p.VERSION}.view"}
    project = PROJECT
    filterset_fields = ["status", "synthetic", "number"]
    search_fields = ["name", "notes"]
    ordering_fields = ["number", "effective_date"]

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "current_id": selectors.version_current_id()}

    @extend_schema(request=s.VersionCloneSerializer, responses={201: s.VersionSerializer})
    def create(self, request: Request) -> Response:
        form = s.VersionCloneSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        draft = services.version_clone(
            actor=request.user,
            source=form.validated_data.get("from_version"),
            name=form.validated_data.get("name", ""),
            notes=form.validated_data.get("notes", ""),
        )
        return Response(self.get_serializer(draft).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.VersionSerializer, responses=s.VersionSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        version = self.get_object()
        form = s.VersionSerializer(version, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        version = services.version_update(version=version, actor=request.user, **form.validated_data)
        return Response(self.get_serializer(version).data)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        services.version_delete(version=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.VersionPublishSerializer, responses=s.VersionSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        form = s.VersionPublishSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        version = services.version_publish(
            version=self.get_object(), effective_date=form.validated_data["effective_date"], actor=request.user
        )
        return Response(self.get_serializer(version).data)

    @extend_schema(
        parameters=[OpenApiParameter("base", int, description="基准版本 id（默认为复制来源或当前版本）")],
        responses=s.VersionDiffSerializer,
    )
    @action(detail=True, methods=["get"])
    def diff(self, request: Request, pk: str) -> Response:
        other = self.get_object()
        base_id = request.query_params.get("base")
        if base_id:
            if not str(base_id).isdigit():
                raise BusinessError("VALIDATION_ERROR", "基准版本应为数字 id。", fields={"base": ["应为数字。"]})
            base = self.get_queryset().filter(pk=int(base_id)).first()
        else:
            base = other.based_on or selectors.version_current()
        if base is None:
            raise BusinessError("RX_KB_NO_BASE", "没有可对比的基准版本。", fields={"base": ["请指定基准版本。"]})
        models = selectors.version_diff(base=base, other=other)
        return Response(s.VersionDiffSerializer({"base": base.pk, "other": other.pk, "models": models}).data)

    @extend_schema(responses=s.VersionSerializer)
    @action(detail=False, methods=["get"])
    def current(self, request: Request) -> Response:
        version = selectors.version_current()
        if version is None:
            raise BusinessError("RX_KB_NO_CURRENT", "当前没有生效的知识库版本。", status_code=404)
        return Response(self.get_serializer(version).data)


class FactViewSet(KnowledgeScopeMixin, ResourceViewSet):
    """Facts of one version: lists show the current version unless ``?version=`` names another;
    only a draft version accepts creates, changes and deletes."""

    project = PROJECT

    def base_queryset(self) -> QuerySet[Any]:
        qs = super().base_queryset()
        if self.action in ("list", "export"):
            raw = self.request.query_params.get("version")
            if raw is not None and not str(raw).isdigit():
                raise BusinessError("VALIDATION_ERROR", "版本应为数字 id。", fields={"version": ["应为数字。"]})
            qs = qs.filter(version_id=int(raw) if raw else selectors.version_current_id())
        return qs

    def perform_destroy(self, instance: Any) -> None:
        services.ensure_draft(instance.version)
        super().perform_destroy(instance)

    @extend_schema(parameters=[VERSION_PARAM])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)


def fact_viewset(
    model: type[m.Fact],
    permission: str,
    *,
    search: list[str],
    filters: list[str],
    brief: type[Any] | None = None,
    doc: str = "",
) -> type[FactViewSet]:
    related = ["version", "drug"] if issubclass(model, m.DrugFact) else ["version"]
    attrs: dict[str, Any] = {
        "queryset": model._default_manager.select_related(*related).order_by("pk"),
        "serializer_class": s.fact_serializer(model),
        "brief_serializer_class": brief,
        "permission_base": permission,
        "search_fields": search,
        "filterset_fields": filters,
        "ordering_fields": ["id", *[f for f in ("code", "a_code") if f in {x.name for x in model._meta.fields}]],
        "__doc__": doc or f"{model._meta.verbose_name}（知识库事实，仅草稿版本可编辑）。",
    }
    return type(f"{model.__name__}ViewSet", (FactViewSet,), attrs)


DRUG_FILTERS = ["drug"]
DrugViewSet = fact_viewset(
    m.Drug, p.DRUG, search=["code", "generic_name", "english_name", "atc_code"],
    filters=["code", "antibiotic_grade", "narcotic_class", "is_ppi", "high_alert", "essential", "is_injection"],
    brief=s.DrugBriefSerializer, doc="药品属性字典（药品编码、通用名、剂型、规格、分级、标志、药理类别）。",
)  # fmt: skip
IndicationViewSet = fact_viewset(m.Indication, p.RULE, search=["icd10_prefix", "name"], filters=DRUG_FILTERS)
ContraindicationViewSet = fact_viewset(
    m.Contraindication, p.RULE, search=["code", "name"], filters=[*DRUG_FILTERS, "kind"]
)
DoseLimitViewSet = fact_viewset(
    m.DoseLimit, p.RULE, search=["drug__code", "drug__generic_name"], filters=[*DRUG_FILTERS, "route", "per_kg"]
)
OrganRuleViewSet = fact_viewset(m.OrganRule, p.RULE, search=["message"], filters=[*DRUG_FILTERS, "organ"])
LabRuleViewSet = fact_viewset(m.LabRule, p.RULE, search=["lab_code", "lab_name"], filters=[*DRUG_FILTERS, "lab_code"])
PopulationRuleViewSet = fact_viewset(
    m.PopulationRule, p.RULE, search=["message"], filters=[*DRUG_FILTERS, "population"]
)
ConcentrationLimitViewSet = fact_viewset(m.ConcentrationLimit, p.RULE, search=["message"], filters=DRUG_FILTERS)
IonContentViewSet = fact_viewset(m.IonContent, p.RULE, search=["ion"], filters=[*DRUG_FILTERS, "ion"])
InteractionViewSet = fact_viewset(
    m.Interaction, p.PAIR, search=["a_code", "b_code", "mechanism"], filters=["level", "severity", "a_code", "b_code"]
)
IncompatibilityViewSet = fact_viewset(
    m.Incompatibility, p.PAIR, search=["a_code", "b_code", "message"], filters=["level", "severity"]
)
PharmClassViewSet = fact_viewset(
    m.PharmClass, p.PAIR, search=["code", "name"], filters=["code", "duplication"], brief=s.CodeNameBriefSerializer
)
AllergyClassViewSet = fact_viewset(
    m.AllergyClass, p.PAIR, search=["code", "name"], filters=["code"], brief=s.CodeNameBriefSerializer
)
CrossReactivityViewSet = fact_viewset(
    m.CrossReactivity, p.PAIR, search=["allergy_code", "drug_class_code"], filters=["allergy_code"]
)
RouteViewSet = fact_viewset(
    m.Route,
    p.DICTIONARY,
    search=["code", "name"],
    filters=["code", "injection"],
    brief=s.CodeNameBriefSerializer,
    doc="基础字典：给药途径。",
)
FrequencyViewSet = fact_viewset(
    m.Frequency,
    p.DICTIONARY,
    search=["code", "name"],
    filters=["code", "vague"],
    brief=s.CodeNameBriefSerializer,
    doc="基础字典：给药频次（每日次数）。",
)
UnitViewSet = fact_viewset(
    m.Unit,
    p.DICTIONARY,
    search=["code", "name"],
    filters=["code", "kind"],
    brief=s.CodeNameBriefSerializer,
    doc="基础字典：剂量单位。",
)
DrugAttributeViewSet = fact_viewset(
    m.DrugAttribute,
    p.DICTIONARY,
    search=["code", "name"],
    filters=["code"],
    brief=s.CodeNameBriefSerializer,
    doc="药品属性字典。",
)
CheckTypeViewSet = fact_viewset(
    m.CheckType,
    p.DICTIONARY,
    search=["code", "name"],
    filters=["code", "category"],
    brief=s.CodeNameBriefSerializer,
    doc="错误码字典：审核类型编码与中文名称。",
)
LabItemViewSet = fact_viewset(
    m.LabItem,
    p.DICTIONARY,
    search=["code", "name"],
    filters=["code"],
    brief=s.CodeNameBriefSerializer,
    doc="检验项目对照。",
)
DiseaseGroupViewSet = fact_viewset(m.DiseaseGroup, p.DICTIONARY, search=["icd10_prefix", "name"], filters=["group"])
IonLimitViewSet = fact_viewset(m.IonLimit, p.DICTIONARY, search=["ion"], filters=["ion"])

# route → viewset (URL prefix /api/v1/rx/knowledge/)
ROUTES: dict[str, type[Any]] = {
    "drugs": DrugViewSet,
    "indications": IndicationViewSet,
    "contraindications": ContraindicationViewSet,
    "dose-limits": DoseLimitViewSet,
    "organ-rules": OrganRuleViewSet,
    "lab-rules": LabRuleViewSet,
    "population-rules": PopulationRuleViewSet,
    "concentration-limits": ConcentrationLimitViewSet,
    "ion-contents": IonContentViewSet,
    "interactions": InteractionViewSet,
    "incompatibilities": IncompatibilityViewSet,
    "classes": PharmClassViewSet,
    "allergy-classes": AllergyClassViewSet,
    "cross-reactivities": CrossReactivityViewSet,
    "routes": RouteViewSet,
    "frequencies": FrequencyViewSet,
    "units": UnitViewSet,
    "drug-attributes": DrugAttributeViewSet,
    "check-types": CheckTypeViewSet,
    "lab-items": LabItemViewSet,
    "disease-groups": DiseaseGroupViewSet,
    "ion-limits": IonLimitViewSet,
}
