"""Clinical data shared with the receiving side (REF-19 … REF-21; guide §3.1.4).

``ClinicalSource`` is the adapter interface to the regional platforms (区域全民健康信息平台: 居民健康
档案, 区域影像 viewer, 区域检验 reports). ``LocalClinicalSource`` is the working implementation
for a county without those services wired yet: it answers from what the platform itself holds —
the resident file, the referral's package (检验/检查 items the applicant entered or the HIS
pushed) and the referral's attachments (影像, 检验报告). A deployment swaps the adapter with the
setting ``REFERRAL_CLINICAL_SOURCE`` (dotted path of a class with this interface).
"""

from __future__ import annotations

import functools
from typing import Any, Protocol

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils.module_loading import import_string

from yigongti.centers.referral.models import Referral

API = "/api/v1/referral/referrals"


class ClinicalSource(Protocol):
    def health_record(self, referral: Referral) -> dict[str, Any]: ...

    def images(self, referral: Referral) -> list[dict[str, Any]]: ...

    def lab_reports(self, referral: Referral) -> list[dict[str, Any]]: ...

    def exam_reports(self, referral: Referral) -> list[dict[str, Any]]: ...


def referral_attachments(referral: Referral) -> Any:
    from yigongti.platform.files.models import Attachment

    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(Referral), object_id=str(referral.pk), is_deleted=False
    ).order_by("-created_at", "-id")


def attachment_row(referral: Referral, a: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "name": a.original_name,
        "category": a.category,
        "category_display": a.get_category_display(),
        "mime_type": a.mime_type,
        "size": a.size,
        "uploaded_at": a.created_at.isoformat(),
        "url": f"{API}/{referral.pk}/shared/attachments/{a.pk}",
    }


class LocalClinicalSource:
    """Answers from the platform's own data (no external call)."""

    def health_record(self, referral: Referral) -> dict[str, Any]:
        resident = referral.resident
        return {
            "source": "本平台居民健康档案",
            "url": f"/registry/residents/{resident.pk}",
            "home_institution": resident.home_institution.name,
            "chronic_diseases": sorted(resident.chronic_diseases.values_list("name", flat=True)),
            "age": resident.age,
            "sex": resident.get_sex_display(),
        }

    def images(self, referral: Referral) -> list[dict[str, Any]]:
        return [attachment_row(referral, a) for a in referral_attachments(referral).filter(category="imaging")]

    def lab_reports(self, referral: Referral) -> list[dict[str, Any]]:
        entered = [{"source": "转诊信息包", **item} for item in referral.package.get("lab", [])]
        files = [
            {"source": "报告附件", **attachment_row(referral, a)}
            for a in referral_attachments(referral).filter(category="lab_report")
        ]
        return entered + files

    def exam_reports(self, referral: Referral) -> list[dict[str, Any]]:
        return [{"source": "转诊信息包", **item} for item in referral.package.get("exam", [])]


@functools.cache
def _source_class() -> type[ClinicalSource]:
    path = getattr(settings, "REFERRAL_CLINICAL_SOURCE", "")
    return import_string(path) if path else LocalClinicalSource


def clinical_source() -> ClinicalSource:
    return _source_class()()


def shared_view(referral: Referral) -> dict[str, Any]:
    """Everything the receiving side may read about the patient for this referral."""
    source = clinical_source()
    return {
        "referral": referral.pk,
        "number": referral.number,
        "package": referral.package,
        "attachments": [attachment_row(referral, a) for a in referral_attachments(referral)],
        "lab_reports": source.lab_reports(referral),
        "exam_reports": source.exam_reports(referral),
        "images": source.images(referral),
        "health_record": source.health_record(referral),
    }
