"""The read-only FHIR R4B facade: ``/api/v1/integration/fhir/<Type>`` (search → Bundle searchset)
and ``/<Type>/<id>`` (read), plus ``/metadata``. Answers are ``application/fhir+json``; errors
are OperationOutcome resources (not the platform's JSON error shape).

Every Patient search and read writes a 业务日志 row; the full 身份证号, phone and address appear only
for users/clients holding ``registry.resident.view_sensitive`` (and that read is logged as 查看敏感信息).
"""

from __future__ import annotations

import json
import urllib.parse
import uuid
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.resource import Resource
from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yigongti.core.api.permissions import ActionPermission
from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_read
from yigongti.core.errors import not_found
from yigongti.platform.integration.fhir import mapping, search
from yigongti.platform.integration.fhir.search import ResourceType, SearchError
from yigongti.platform.org.models import Institution

FHIR_JSON = "application/fhir+json"
PROJECT = "系统集成"
SENSITIVE = "registry.resident.view_sensitive"
_ISSUE = {400: "invalid", 401: "login", 403: "forbidden", 404: "not-found", 405: "not-supported", 406: "not-supported"}


class FhirRenderer(JSONRenderer):
    media_type = FHIR_JSON
    format = "json"  # so the platform's error handler keeps this renderer for errors


class FhirNegotiation(BaseContentNegotiation):
    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return None

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        return next(iter(renderers)), FHIR_JSON


def dump(resource: Resource) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(resource.model_dump_json(exclude_none=True))
    return result


def operation_outcome(status: int, text: str) -> dict[str, Any]:
    issue = {"severity": "error", "code": _ISSUE.get(status, "exception"), "diagnostics": text}
    return dump(OperationOutcome.model_validate({"issue": [issue]}))


class FhirView(APIView):
    renderer_classes = [FhirRenderer]
    content_negotiation_class = FhirNegotiation
    permission_classes = [ActionPermission]
    resource: ResourceType = search.PATIENT

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.action = "read"
        self.action_codes = {"read": self.resource.code}
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, SearchError):
            exc = exceptions.ValidationError(str(exc))
        response = super().handle_exception(exc)
        data = response.data if isinstance(response.data, dict) else {}
        response.data = operation_outcome(response.status_code, str(data.get("message") or "请求无法处理。"))
        return response

    # -- per type ---------------------------------------------------------------------------
    def sensitive(self) -> bool:
        user: Any = self.request.user
        return self.resource is search.PATIENT and bool(user.has_code(SENSITIVE))

    def to_fhir(self, obj: Any) -> Resource:
        name = self.resource.name
        if name == "Patient":
            return mapping.patient_resource(obj, sensitive=self.sensitive())
        if name == "Organization":
            if isinstance(obj, Institution):
                return mapping.institution_resource(obj)
            return mapping.department_resource(obj)
        if name == "Practitioner":
            return mapping.practitioner_resource(obj)
        return mapping.practitioner_role_resource(obj)

    def page(self, params: dict[str, str], count: int, offset: int) -> tuple[list[Any], int]:
        user = self.request.user
        name = self.resource.name
        if name == "Organization":
            institutions, departments = search.organization_querysets(user, params)
            n_inst = institutions.count() if institutions is not None else 0
            n_dept = departments.count() if departments is not None else 0
            rows: list[Any] = list(institutions[offset : offset + count]) if institutions is not None else []
            if departments is not None and len(rows) < count:
                start = max(0, offset - n_inst)
                rows += list(departments[start : start + count - len(rows)])
            return rows, n_inst + n_dept
        if name == "Patient":
            qs: Any = search.patient_queryset(user, params).select_related("home_institution")
        else:
            qs = search.staff_queryset(user, params, role=name == "PractitionerRole")
        return list(qs[offset : offset + count]), qs.count()

    def audit(self, ids: list[Any], *, single: bool) -> None:
        if self.resource is not search.PATIENT or not ids:
            return
        sensitive = self.sensitive()
        category = Category.REVEAL if sensitive else (Category.READ if single else Category.LIST)
        extra = "（含完整身份证号、电话、住址）" if sensitive else ""
        content = f"FHIR 读取患者{extra}" if single else f"FHIR 查询患者，返回 {len(ids)} 条{extra}"
        audit_read(instance_type="registry.resident", ids=ids, category=category, project=PROJECT, content=content)


def _params(request: Request) -> dict[str, str]:
    return {key: request.query_params.get(key, "") for key in request.query_params}


def _with_offset(request: Request, params: dict[str, str], offset: int) -> str:
    query = urllib.parse.urlencode({**params, "_offset": offset})
    return request.build_absolute_uri(request.path) + "?" + query


class FhirSearchView(FhirView):
    def get(self, request: Request) -> Response:
        params = _params(request)
        count, offset = search.check_params(self.resource, params)
        rows, total = self.page(params, count, offset)
        base = request.build_absolute_uri(request.path)
        links = [{"relation": "self", "url": request.build_absolute_uri()}]
        if offset + count < total:
            links.append({"relation": "next", "url": _with_offset(request, params, offset + count)})
        if offset > 0:
            links.append({"relation": "previous", "url": _with_offset(request, params, max(0, offset - count))})
        entries = []
        for row in rows:
            resource = self.to_fhir(row)
            entries.append({"fullUrl": f"{base}/{resource.id}", "resource": resource, "search": {"mode": "match"}})
        bundle = Bundle.model_validate(
            {
                "id": str(uuid.uuid4()),
                "meta": {"lastUpdated": timezone.now().isoformat()},
                "type": "searchset",
                "total": total,
                "link": links,
                "entry": entries or None,
            }
        )
        self.audit([row.pk for row in rows], single=False)
        return Response(dump(bundle))


class FhirReadView(FhirView):
    def get(self, request: Request, resource_id: str) -> Response:
        if not self.resource.read_id(resource_id):
            raise not_found()
        rows, _ = self.page({"_id": resource_id}, 1, 0)
        if not rows:
            raise not_found()
        resource = self.to_fhir(rows[0])
        self.audit([rows[0].pk], single=True)
        return Response(dump(resource))


PARAM_TYPES = {
    "_id": "token",
    "identifier": "token",
    "name": "string",
    "birthdate": "date",
    "type": "token",
    "partof": "reference",
    "practitioner": "reference",
    "organization": "reference",
    "practitioner.name": "string",
}
FHIR_RESPONSES = {(200, FHIR_JSON): OpenApiResponse(OpenApiTypes.OBJECT, description="FHIR R4B JSON")}
_PARAM_HELP = {
    "_id": "资源 id",
    "identifier": "标识，system|value（如 urn:oid:2.16.156.10011.1.3|身份证号），逗号分隔表示“或”",
    "name": "名称/姓名（包含）",
    "birthdate": "出生日期 YYYY-MM-DD",
    "type": "prov（机构）或 dept（科室）",
    "partof": "上级机构 Organization/<id>",
    "practitioner": "Practitioner/<id>",
    "organization": "Organization/<id> 或 Organization/dept-<id>",
    "practitioner.name": "人员姓名（包含）",
    "_count": "每页条数（1–100，默认 20）",
    "_offset": "跳过条数",
}


def views_for(resource: ResourceType) -> tuple[type[FhirView], type[FhirView]]:
    """The search and read views of one resource type, each with its own OpenAPI operation."""
    params = [
        OpenApiParameter(p, int if p in {"_count", "_offset"} else str, description=_PARAM_HELP.get(p, ""))
        for p in sorted(resource.params | {"_count", "_offset"})
    ]
    lower = resource.name.lower()
    search_view = extend_schema_view(
        get=extend_schema(
            operation_id=f"fhir_{lower}_search",
            summary=f"FHIR 查询 {resource.name}（Bundle searchset）",
            parameters=params,
            responses=FHIR_RESPONSES,
            tags=["fhir"],
        )
    )(type(f"Fhir{resource.name}SearchView", (FhirSearchView,), {"resource": resource}))
    read_view = extend_schema_view(
        get=extend_schema(
            operation_id=f"fhir_{lower}_read",
            summary=f"FHIR 读取 {resource.name}",
            responses=FHIR_RESPONSES,
            tags=["fhir"],
        )
    )(type(f"Fhir{resource.name}ReadView", (FhirReadView,), {"resource": resource}))
    return search_view, read_view


class FhirMetadataView(APIView):
    """CapabilityStatement of the facade (read and search only)."""

    renderer_classes = [FhirRenderer]
    content_negotiation_class = FhirNegotiation
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="fhir_metadata", responses=FHIR_RESPONSES, tags=["fhir"])
    def get(self, request: Request) -> Response:
        statement = CapabilityStatement.model_validate(
            {
                "status": "active",
                "date": timezone.now().isoformat(),
                "kind": "instance",
                "fhirVersion": "4.3.0",
                "format": ["json"],
                "implementation": {
                    "description": "医共体协同平台 FHIR 只读接口",
                    "url": request.build_absolute_uri(request.path[: -len("metadata")]),
                },
                "rest": [
                    {
                        "mode": "server",
                        "resource": [
                            {
                                "type": t.name,
                                "interaction": [{"code": "read"}, {"code": "search-type"}],
                                "searchParam": [{"name": p, "type": PARAM_TYPES[p]} for p in sorted(t.params)],
                            }
                            for t in search.TYPES.values()
                        ],
                    }
                ],
            }
        )
        return Response(dump(statement))
