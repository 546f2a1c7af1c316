"""Regional platform (全民健康信息平台) sync (PLAT-10): pull Organization, Practitioner,
PractitionerRole and Patient from a FHIR server and upsert institutions, departments, staff and
residents through the services (the generic resource services for the organisation, the
registry services for residents), each write audited with the actor "区域平台同步".

Matching: institutions by 统一社会信用代码, then 机构编码; departments by (institution, 科室编码);
staff by (institution, 工号); residents by 身份证号. Each resource is saved in its own savepoint: a
bad one is counted as failed with its error and the run goes on. A run record keeps the counts.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as DrfValidationError

from yigongti.core.audit.context import Actor, reset_actor, set_actor
from yigongti.core.crud import resource_create, resource_update
from yigongti.core.errors import BusinessError, ConflictError
from yigongti.platform.integration import error_codes, registry_bridge
from yigongti.platform.integration.choices import SyncStatus
from yigongti.platform.integration.models import SyncRun
from yigongti.platform.integration.regional import mapping
from yigongti.platform.integration.regional.client import FhirSource, RegionalError, describe
from yigongti.platform.org.api.serializers import DepartmentSerializer, InstitutionSerializer, StaffSerializer
from yigongti.platform.org.models import Community, Department, Institution, Staff, Title

logger = logging.getLogger(__name__)
PROJECT = "区域平台同步"
SYNC_ACTOR = Actor(user_code="regional-sync", user_name="区域平台同步")
MAX_ERRORS = 200
STALE_AFTER = dt.timedelta(hours=6)
DEFAULT_INSTITUTION_TYPE = "township_center"


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, DrfValidationError):
        detail = exc.detail
        if isinstance(detail, dict):
            return "；".join(f"{k}：{' '.join(map(str, v if isinstance(v, list) else [v]))}" for k, v in detail.items())
        return "；".join(map(str, detail if isinstance(detail, list) else [detail]))
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "；".join(f"{k}：{' '.join(v)}" for k, v in exc.message_dict.items())
        return "；".join(exc.messages)
    if isinstance(exc, BusinessError):
        return exc.message
    return str(exc) or type(exc).__name__


def _save(
    serializer_class: type[serializers.ModelSerializer[Any]], instance: Any, values: dict[str, Any]
) -> tuple[Any, str]:
    """Create or update one organisation row through its serializer and the generic services."""
    model: Any = serializer_class.Meta.model
    visible = model._default_manager.all()
    if instance is None:
        serializer = serializer_class(data=values)
        serializer.is_valid(raise_exception=True)
        return resource_create(serializer=serializer, user=None, visible=visible, project=PROJECT), "created"
    changes = {k: v for k, v in values.items() if _current(instance, k) != v}
    if not changes:
        return instance, "unchanged"
    serializer = serializer_class(instance, data=changes, partial=True)
    serializer.is_valid(raise_exception=True)
    return resource_update(serializer=serializer, user=None, visible=visible, project=PROJECT), "updated"


def _current(instance: Any, key: str) -> Any:
    value = getattr(instance, f"{key}_id", None) if hasattr(instance, f"{key}_id") else getattr(instance, key, None)
    return value


class Syncer:
    def __init__(self, run: SyncRun, source: FhirSource, community: Community | None) -> None:
        self.run = run
        self.source = source
        self.community = community
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.errors: list[dict[str, str]] = []
        self.institutions: dict[str, Institution] = {}  # "Organization/<their id>" → ours
        self.departments: dict[str, Department] = {}
        self.practitioners: dict[str, Any] = {}

    def _one(self, kind: str, resource: dict[str, Any], work: Any) -> Any:
        try:
            with transaction.atomic():
                result, action = work()
        except (mapping.MappingError, ValidationError, DrfValidationError, BusinessError, IntegrityError) as exc:
            self.counts[kind]["failed"] += 1
            if len(self.errors) < MAX_ERRORS:
                self.errors.append({"resource": describe(resource), "error": _error_text(exc)[:500]})
            return None
        self.counts[kind][action] += 1
        return result

    # -- organisation -------------------------------------------------------------------------
    def organizations(self) -> None:
        orgs = [r for page in self.source.pages("Organization") for r in page]
        departments = []
        for data in orgs:
            try:
                org = mapping.validate("Organization", data)
            except mapping.MappingError as exc:
                self.counts["institution"]["failed"] += 1
                self.errors.append({"resource": describe(data), "error": str(exc)})
                continue
            if mapping.is_department(org):
                departments.append((data, org))
                continue
            found = self._one("institution", data, lambda org=org: self._institution(org))
            if found is not None:
                self.institutions[f"Organization/{org.id}"] = found
        for data, org in departments:
            found = self._one("department", data, lambda org=org: self._department(org))
            if found is not None:
                self.departments[f"Organization/{org.id}"] = found

    def _institution(self, org: Any) -> tuple[Institution, str]:
        values = mapping.institution_values(org)
        existing = Institution.objects.filter(uscc=values["uscc"]).first() if values["uscc"] else None
        if existing is None and values["code"]:
            existing = Institution.objects.filter(code=values["code"]).first()
        if existing is not None:
            updatable = {k: values[k] for k in ("name", "short_name", "address", "contact_phone", "is_active")}
            if values["uscc"] and not existing.uscc:
                updatable["uscc"] = values["uscc"]
            return _save(InstitutionSerializer, existing, updatable)
        if self.community is None:
            raise mapping.MappingError("未配置同步目标医共体（YIGONGTI_REGIONAL_COMMUNITY），不能新建机构。")
        values.update(
            code=values["code"] or values["uscc"],
            community=self.community.pk,
            division_code=self.community.division_code,
            type=values.get("type", DEFAULT_INSTITUTION_TYPE),
        )
        return _save(InstitutionSerializer, None, values)

    def _parent(self, org: Any) -> Institution:
        key = mapping.reference_key(org.partOf)
        institution = self.institutions.get(key)
        if institution is None and org.partOf is not None and org.partOf.identifier is not None:
            ident = org.partOf.identifier
            institution = Institution.objects.filter(code=ident.value).first() if ident.value else None
        if institution is None:
            raise mapping.MappingError(f"科室的上级机构（{key or '未填写'}）未同步或不存在。")
        return institution

    def _department(self, org: Any) -> tuple[Department, str]:
        values = mapping.department_values(org)
        institution = self._parent(org)
        existing = Department.objects.filter(institution=institution, code=values["code"]).first()
        if existing is not None:
            return _save(DepartmentSerializer, existing, {k: values[k] for k in ("name", "phone", "is_active")})
        return _save(DepartmentSerializer, None, values | {"institution": institution.pk})

    # -- staff --------------------------------------------------------------------------------
    def practitioner_index(self) -> None:
        for page in self.source.pages("Practitioner"):
            for data in page:
                try:
                    self.practitioners[f"Practitioner/{data.get('id')}"] = mapping.validate("Practitioner", data)
                except mapping.MappingError as exc:
                    self.counts["staff"]["failed"] += 1
                    self.errors.append({"resource": describe(data), "error": str(exc)})

    def roles(self) -> None:
        for page in self.source.pages("PractitionerRole"):
            for data in page:
                self._one("staff", data, lambda data=data: self._staff(data))

    def _staff(self, data: dict[str, Any]) -> tuple[Staff, str]:
        role = mapping.validate("PractitionerRole", data)
        practitioner = self.practitioners.get(mapping.reference_key(role.practitioner))
        if practitioner is None:
            raise mapping.MappingError("人员角色引用的 Practitioner 未同步或不存在。")
        key = mapping.reference_key(role.organization)
        department = self.departments.get(key)
        institution = department.institution if department is not None else self.institutions.get(key)
        if institution is None:
            raise mapping.MappingError(f"人员角色的机构（{key or '未填写'}）未同步或不存在。")
        values = mapping.staff_values(practitioner, role)
        title_code = values.pop("title_code", None)
        if title_code:
            title = Title.objects.filter(code=title_code).first()
            if title is not None:
                values["title"] = title.pk
        values["department"] = department.pk if department is not None else None
        existing = Staff.objects.filter(institution=institution, code=values["code"]).first()
        if existing is not None:
            values.pop("code")
            return _save(StaffSerializer, existing, values)
        return _save(StaffSerializer, None, values | {"institution": institution.pk})

    # -- residents ----------------------------------------------------------------------------
    def patients(self) -> None:
        for page in self.source.pages("Patient"):
            for data in page:
                self._one("resident", data, lambda data=data: self._resident(data))

    def _resident(self, data: dict[str, Any]) -> tuple[Any, str]:
        patient = mapping.validate("Patient", data)
        values = mapping.resident_values(patient)
        key = mapping.reference_key(patient.managingOrganization)
        institution = self.institutions.get(key)
        if institution is None and key.startswith("Organization/"):
            institution = self.departments[key].institution if key in self.departments else None
        if institution is None:
            raise mapping.MappingError(f"患者的建档机构（{key or '未填写'}）未同步或不存在。")
        outcome = registry_bridge.upsert_from_platform(data=values, institution=institution)
        return outcome.resident, outcome.action

    def sync(self) -> None:
        self.organizations()
        self.practitioner_index()
        self.roles()
        self.patients()


def _community() -> Community | None:
    code = str(settings.REGIONAL_SYNC.get("COMMUNITY", ""))
    if code:
        return Community.objects.filter(code=code).first()
    only = list(Community.objects.all()[:2])
    return only[0] if len(only) == 1 else None


def _expire_stale() -> None:
    SyncRun.objects.filter(status=SyncStatus.RUNNING, started_at__lt=timezone.now() - STALE_AFTER).update(
        status=SyncStatus.FAILED, finished_at=timezone.now(), error="同步进程中断（超过 6 小时未结束）。"
    )


def regional_sync(*, trigger: str, base_url: str = "") -> SyncRun:
    """Run one sync and return its record (raises ConflictError when one is already running)."""
    config: dict[str, Any] = settings.REGIONAL_SYNC
    base = base_url or config.get("BASE_URL", "")
    if not base:
        raise BusinessError(error_codes.SYNC_NOT_CONFIGURED, "未配置区域平台地址（YIGONGTI_REGIONAL_FHIR_URL）。")
    _expire_stale()
    try:
        with transaction.atomic():
            run = SyncRun.objects.create(trigger=trigger, base_url=base[:300])
    except IntegrityError:
        raise ConflictError(error_codes.SYNC_RUNNING, "已有一次区域平台同步正在进行，请稍后再试。") from None
    source = FhirSource(
        base,
        token=config.get("TOKEN", ""),
        page_size=config.get("PAGE_SIZE", 100),
        max_pages=config.get("MAX_PAGES", 1000),
    )
    syncer = Syncer(run, source, _community())
    token = set_actor(SYNC_ACTOR)
    fatal = ""
    try:
        syncer.sync()
    except RegionalError as exc:
        fatal = str(exc)
    except Exception as exc:  # recorded on the run, then re-raised for the task's retry/failure log
        fatal = f"{type(exc).__name__}: {exc}"
        logger.exception("regional sync %s failed", run.pk)
        raise
    finally:
        reset_actor(token)
        failed = sum(c.get("failed", 0) for c in syncer.counts.values())
        run.status = SyncStatus.FAILED if fatal else SyncStatus.PARTIAL if failed else SyncStatus.SUCCEEDED
        run.finished_at = timezone.now()
        run.counts = {kind: dict(values) for kind, values in syncer.counts.items()}
        run.errors = syncer.errors
        run.error = fatal[:2000]
        run.save(update_fields=["status", "finished_at", "counts", "errors", "error"])
    return run
