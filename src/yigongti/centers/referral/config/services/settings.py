"""转诊设置 (REF-12/13/14). Review on/off and reviewer roles are stored where the workflow engine reads
them — ``workflow.ApprovalSetting`` rows of workflow ``referral``: step ``applicant_review`` is the
转出审核 (outbound, decided by the applicant's institution), ``receiver_review`` the 转入审核 (inbound,
decided by the receiving institution). Without a row the engine requires the review (its default)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from yigongti.centers.referral.config import error_codes
from yigongti.centers.referral.config.models import ReferralSettings
from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_model_change, snapshot
from yigongti.core.errors import BusinessError
from yigongti.core.workflow.models import ApprovalSetting

WORKFLOW = "referral"
OUTBOUND_STEP = "applicant_review"
INBOUND_STEP = "receiver_review"
SETTING_FIELDS = ("quota_mode", "online_mode", "pinning", "no_show_grace_hours", "share_window_days", "remark")


def _apply_review(settings: ReferralSettings, institution_id: int) -> ReferralSettings:
    rows = {
        r["step"]: r
        for r in ApprovalSetting.objects.filter(
            workflow=WORKFLOW, step__in=[OUTBOUND_STEP, INBOUND_STEP], institution_id=institution_id
        ).values("step", "enabled", "approver_role_id")
    }
    outbound, inbound = rows.get(OUTBOUND_STEP), rows.get(INBOUND_STEP)
    settings.outbound_review = outbound["enabled"] if outbound else True
    settings.outbound_reviewer_role_id = outbound["approver_role_id"] if outbound else None
    settings.inbound_review = inbound["enabled"] if inbound else True
    settings.inbound_reviewer_role_id = inbound["approver_role_id"] if inbound else None
    return settings


def institution_settings(institution_id: int) -> ReferralSettings:
    """The effective settings of an institution: its row, or an unsaved row of defaults."""
    row = ReferralSettings.objects.filter(institution_id=institution_id).first()
    if row is None:
        row = ReferralSettings(institution_id=institution_id)
    return _apply_review(row, institution_id)


def _save_review(*, institution_id: int, step: str, enabled: bool, role_id: int | None, actor: Any) -> None:
    row = (
        ApprovalSetting.objects.select_for_update()
        .filter(workflow=WORKFLOW, step=step, institution_id=institution_id)
        .first()
    )
    before = snapshot(row) if row is not None else None
    if row is None:
        row = ApprovalSetting(workflow=WORKFLOW, step=step, institution_id=institution_id, created_by=actor)
    if before is not None and row.enabled == enabled and row.approver_role_id == role_id:
        return
    row.enabled = enabled
    row.approver_role_id = role_id
    row.updated_by = actor
    row.full_clean()
    row.save()
    audit_model_change(
        category=Category.UPDATE if before is not None else Category.CREATE,
        instance=row,
        before=before,
        after=snapshot(row),
        project="双向转诊",
    )


@transaction.atomic
def referral_settings_save(*, institution_id: int, data: dict[str, Any], actor: Any) -> ReferralSettings:
    """Create or update an institution's settings; review switches go to ``ApprovalSetting``."""
    row = ReferralSettings.objects.select_for_update().filter(institution_id=institution_id).first()
    before = snapshot(row) if row is not None else None
    if row is None:
        row = ReferralSettings(institution_id=institution_id, created_by=actor)
    for name in SETTING_FIELDS:
        if name in data:
            setattr(row, name, data[name])
    row.updated_by = actor
    try:
        row.full_clean()
    except ValidationError as exc:
        raise BusinessError(
            error_codes.SETTINGS_INVALID, "转诊设置有误，请检查后重新提交。", fields=exc.message_dict
        ) from None
    row.save()
    audit_model_change(
        category=Category.UPDATE if before is not None else Category.CREATE,
        instance=row,
        before=before,
        after=snapshot(row),
        project="双向转诊",
    )
    current = _apply_review(ReferralSettings(institution_id=institution_id), institution_id)
    for step, flag, role in (
        (OUTBOUND_STEP, "outbound_review", "outbound_reviewer_role_id"),
        (INBOUND_STEP, "inbound_review", "inbound_reviewer_role_id"),
    ):
        if flag in data or role in data:
            _save_review(
                institution_id=institution_id,
                step=step,
                enabled=bool(data.get(flag, getattr(current, flag))),
                role_id=data.get(role, getattr(current, role)),
                actor=actor,
            )
    return _apply_review(row, institution_id)
