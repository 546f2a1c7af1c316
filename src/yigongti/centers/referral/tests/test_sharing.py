"""Clinical sharing (REF-19 … REF-21): the receiving side reads the package, attachments and
reports while the referral is active plus the share window; every read is audited; afterwards 403."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone

from yigongti.centers.referral.config.models import ReferralSettings
from yigongti.centers.referral.models import Referral
from yigongti.centers.referral.tests.conftest import URL, client, create_draft, post
from yigongti.core.audit.models import AuditLog
from yigongti.platform.files.access import access_owner
from yigongti.platform.files.services import attachment_upload

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def shared_reads(referral: Referral) -> list[str]:
    rows = AuditLog.objects.filter(object_type="referral.referral", object_id=str(referral.pk), category="read")
    return list(rows.order_by("id").values_list("content", flat=True))


def sent_referral_with_image(county: Any) -> tuple[Referral, Any]:
    referral = create_draft(county)
    owner = access_owner(county.town_doctor, "referral.referral", referral.pk, for_write=True)
    image = attachment_upload(
        owner=owner, category="imaging", filename="胸片.png", stream=io.BytesIO(PNG), actor=county.town_doctor
    )
    post(county.town_doctor, referral, "submit")
    return referral, image


def test_receiving_side_reads_package_reports_and_attachments_with_audit(county: Any) -> None:
    referral, image = sent_referral_with_image(county)
    response = client(county.hosp_doctor).get(f"{URL}/{referral.pk}/shared")
    assert response.status_code == 200
    body = response.json()
    assert body["package"]["record_summary"]["allergy_history"] == "青霉素过敏"
    assert [a["name"] for a in body["attachments"]] == ["胸片.png"]
    assert [i["url"] for i in body["images"]] == [f"{URL}/{referral.pk}/shared/attachments/{image.pk}"]
    assert [r["item"] for r in body["lab_reports"]] == ["肌钙蛋白I"]
    assert [r["conclusion"] for r in body["exam_reports"]] == ["心肌缺血"]
    assert body["health_record"]["home_institution"] == "城关镇卫生院"
    assert county.resident.id_number not in response.content.decode()
    download = client(county.hosp_doctor).get(f"{URL}/{referral.pk}/shared/attachments/{image.pk}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG  # type: ignore[attr-defined]
    assert shared_reads(referral)[-2:] == [
        f"查看转诊单 {referral.number}（孙大明）的共享诊疗资料",
        f"查看转诊单 {referral.number} 的共享附件“胸片.png”",
    ]
    read = AuditLog.objects.filter(content__startswith="查看转诊单", object_id=str(referral.pk)).first()
    assert read is not None and read.user_id == county.hosp_doctor.pk


def test_after_the_share_window_the_receiving_side_gets_403_and_the_applicant_still_reads(county: Any) -> None:
    ReferralSettings.objects.create(institution=county.hospital, share_window_days=7)
    referral, image = sent_referral_with_image(county)
    closed_at = timezone.now() - dt.timedelta(days=8)
    Referral.objects.filter(pk=referral.pk).update(status="closed", closed_at=closed_at)
    before = AuditLog.objects.count()
    for path in ("shared", f"shared/attachments/{image.pk}"):
        response = client(county.hosp_doctor).get(f"{URL}/{referral.pk}/{path}")
        assert (response.status_code, response.json()["code"]) == (403, "REFERRAL_SHARE_CLOSED")
        until = timezone.localtime(closed_at + dt.timedelta(days=7))
        assert response.json()["message"] == (
            f"转诊已结束且超过共享期限（至 {until:%Y-%m-%d %H:%M}），不能再查看转出机构共享的诊疗资料。"
        )
    assert AuditLog.objects.count() == before
    # the detail no longer carries the package for the receiving side
    assert client(county.hosp_doctor).get(f"{URL}/{referral.pk}").json()["package"] == {}
    # within the window it is readable
    Referral.objects.filter(pk=referral.pk).update(closed_at=timezone.now() - dt.timedelta(days=6))
    assert client(county.hosp_doctor).get(f"{URL}/{referral.pk}/shared").status_code == 200
    # the applicant side reads its own data at any time
    Referral.objects.filter(pk=referral.pk).update(closed_at=closed_at)
    assert client(county.town_doctor).get(f"{URL}/{referral.pk}/shared").status_code == 200


def test_attachment_of_another_referral_is_not_found(county: Any) -> None:
    referral, _ = sent_referral_with_image(county)
    _, foreign = sent_referral_with_image(county)
    response = client(county.hosp_doctor).get(f"{URL}/{referral.pk}/shared/attachments/{foreign.pk}")
    assert response.status_code == 404
