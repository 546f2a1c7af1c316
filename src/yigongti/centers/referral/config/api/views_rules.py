"""转诊规则 and 转诊路径 (REF-17/18): CRUD of the data, evaluation and recommendation."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.centers.referral.config import models, selectors, services
from yigongti.centers.referral.config.api import serializers as s
from yigongti.core.api.viewsets import ResourceViewSet
from yigongti.core.errors import BusinessError

PROJECT = "双向转诊"


def _institution_for(request: Request, requested: int | None) -> int:
    """The institution to evaluate for: the requested one if in scope (404 otherwise), else home."""
    if requested is not None:
        return selectors.access_institution(request.user, requested).pk
    home = selectors.user_institution_id(request.user)
    if home is None:
        raise BusinessError("REFERRAL_INSTITUTION_REQUIRED", "请指定机构。", fields={"institution": ["必填。"]})
    return home


class RuleVersionSerializer(serializers.Serializer[Any]):
    effective_from = serializers.DateField(label="新版本生效日期")
    institution = serializers.IntegerField(
        label="所属机构", required=False, allow_null=True, help_text="由平台默认规则派生本机构规则时填写"
    )


class ReferralRuleViewSet(ResourceViewSet):
    """Rules: platform defaults (机构为空, readable by all, written only with 全部 scope) and each
    institution's own rules and versions."""

    queryset = models.ReferralRule.objects.select_related("institution")
    serializer_class = s.ReferralRuleSerializer
    permission_base = "referral.rule"
    action_codes = {"evaluate": "referral.rule.evaluate", "new_version": "referral.rule.add"}
    project = PROJECT
    import_enabled = False
    filterset_fields = ["institution", "code", "severity", "status"]
    search_fields = ["code", "name", "reason", "source"]
    ordering_fields = ["sort", "code", "version", "effective_from"]

    @extend_schema(request=s.RuleEvaluateSerializer, responses=s.RuleEvaluationSerializer)
    @action(detail=False, methods=["post"])
    def evaluate(self, request: Request) -> Response:
        """转诊评估：就诊数据是否达到转诊标准、命中哪些规则、理由与依据（不保存就诊数据）。"""
        body = s.RuleEvaluateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        institution_id = _institution_for(request, data.get("institution"))
        result = services.rules_evaluate(
            institution_id=institution_id, visit=_plain(data["visit"]), on=data.get("date")
        )
        return Response(s.RuleEvaluationSerializer(result).data)

    @extend_schema(request=RuleVersionSerializer, responses={201: s.ReferralRuleSerializer})
    @action(detail=True, methods=["post"], url_path="versions")
    def new_version(self, request: Request, pk: str) -> Response:
        """新建规则版本（或由平台默认规则派生本机构规则），复制条件后再修改。"""
        rule = self.get_object()
        body = RuleVersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        institution = body.validated_data.get("institution", rule.institution_id)
        if institution is not None:
            institution = selectors.access_institution(request.user, institution, for_write=True).pk
        elif not request.user.scope_context().all:  # type: ignore[union-attr]
            raise BusinessError("OUT_OF_SCOPE", "平台默认规则只能由平台管理员修改，请选择本机构。", status_code=403)
        new = services.rule_new_version(
            rule=rule,
            institution_id=institution,
            effective_from=body.validated_data["effective_from"],
            actor=request.user,
        )
        return Response(
            s.ReferralRuleSerializer(new, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )


def _plain(value: Any) -> Any:
    """Validated data back to plain JSON types (OrderedDicts, floats kept as numbers)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class ReferralPathViewSet(ResourceViewSet):
    queryset = models.ReferralPath.objects.select_related("institution", "target_institution", "target_department")
    serializer_class = s.ReferralPathSerializer
    permission_base = "referral.path"
    action_codes = {"recommend": "referral.path.recommend"}
    project = PROJECT
    filterset_fields = ["institution", "target_institution", "is_active", "diagnosis_code", "department_code"]
    search_fields = ["diagnosis_code", "diagnosis_name", "department_code", "target_institution__name", "remark"]
    ordering_fields = ["priority", "diagnosis_code", "created_at"]

    @extend_schema(
        parameters=[
            OpenApiParameter("institution", int, description="转出机构（默认本机构）"),
            OpenApiParameter("diagnosis_code", str, description="诊断编码 ICD-10"),
            OpenApiParameter("department_code", str, description="当前就诊科室编码"),
        ],
        responses=s.PathRecommendationSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def recommend(self, request: Request) -> Response:
        """转诊路径推荐：诊断精确匹配 > 诊断类目匹配 > 科室匹配，再按优先级与未来 14 天剩余号源排序。"""
        raw = request.query_params.get("institution")
        if raw is not None and not raw.isdigit():
            raise BusinessError("REFERRAL_BAD_QUERY", "机构编号应为数字。", fields={"institution": ["应为数字。"]})
        institution_id = _institution_for(request, int(raw) if raw else None)
        diagnosis = request.query_params.get("diagnosis_code", "")[:20]
        department = request.query_params.get("department_code", "")[:32]
        if not diagnosis.strip() and not department.strip():
            raise BusinessError(
                "REFERRAL_BAD_QUERY",
                "请提供诊断编码或就诊科室编码。",
                fields={"diagnosis_code": ["诊断编码与科室编码至少填一项。"]},
            )
        ranked = services.paths_recommend(
            from_institution_id=institution_id, diagnosis_code=diagnosis, department_code=department
        )
        return Response(s.PathRecommendationSerializer(ranked, many=True).data)


__all__ = ["ReferralPathViewSet", "ReferralRuleViewSet"]
