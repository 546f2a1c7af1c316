"""Referral messages (REF-02): declared types with Chinese templates, configurable per type, and
race-safety of submission with booking on PostgreSQL."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from yigongti.centers.referral.models import Referral
from yigongti.centers.referral.tests.conftest import create_draft, make_slot, post
from yigongti.core.errors import BusinessError
from yigongti.core.workflow.services import workflow_transition
from yigongti.platform.notify.models import Message, MessageType, SmsMessage


def test_message_types_are_declared_with_chinese_templates(db: Any) -> None:
    types = dict(MessageType.objects.filter(group__code="referral").values_list("code", "name"))
    assert types["referral.submitted"] == "转诊申请待转出审核"
    assert types["referral.patient_arranged"] == "转诊安排短信（患者）"
    assert len(types) == 15
    patient = MessageType.objects.get(code="referral.patient_arranged")
    assert (patient.channels, patient.persisted) == (["sms"], False)


def test_a_disabled_type_sends_nothing(county: Any, django_capture_on_commit_callbacks: Any) -> None:
    MessageType.objects.filter(code__in=["referral.submitted", "referral.patient_cancelled"]).update(enabled=False)
    referral = create_draft(county)
    with django_capture_on_commit_callbacks(execute=True):
        post(county.town_doctor, referral, "submit")
        post(county.town_doctor, referral, "cancel", {"comment": "患者拒绝"})
    assert not Message.objects.filter(type__code="referral.submitted").exists()
    assert SmsMessage.objects.count() == 0
    cancelled = Message.objects.get(type__code="referral.cancelled")
    assert list(cancelled.recipients.values_list("user_id", flat=True)) == [county.hosp_doctor.pk]
    assert cancelled.title == "城关镇卫生院撤销了孙大明的转诊"
    referral.refresh_from_db()
    assert referral.status == "cancelled"


def test_patient_sms_is_not_sent_without_a_mobile(county: Any, django_capture_on_commit_callbacks: Any) -> None:
    county.resident.phone = ""
    county.resident.save(update_fields=["phone"])
    referral = create_draft(county)
    with django_capture_on_commit_callbacks(execute=True):
        post(county.town_doctor, referral, "submit")
        post(county.town_officer, referral, "applicant-reject", {"comment": "资料不全"})
    assert SmsMessage.objects.count() == 0
    assert Message.objects.filter(type__code="referral.rejected").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_never_hold_two_slots_or_overbook() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL")
    from yigongti.centers.referral.tests.conftest import County
    from yigongti.platform.accounts.builtin_roles import ensure_builtin_roles
    from yigongti.platform.registry.testing import make_resident
    from yigongti.platform.testing import build_world, make_department, make_user

    world = build_world()
    roles = ensure_builtin_roles()
    doctor = make_user(world.home, None, department=world.home_department)
    doctor.roles.add(roles["doctor"])
    setup = County(
        world=world, roles=roles, town_doctor=doctor, town_officer=doctor, hosp_doctor=doctor, hosp_officer=doctor,
        far_doctor=doctor, resident=make_resident(world.home), hosp_department=make_department(world.other),
    )  # fmt: skip
    slot = make_slot(setup, capacity=3)
    drafts = [create_draft(setup) for _ in range(5)]
    barrier, outcomes = threading.Barrier(6), []

    def submit(referral: Referral) -> None:
        try:
            barrier.wait()
            workflow_transition(Referral.objects.get(pk=referral.pk), "submit", actor=doctor, data={"slot": slot.pk})
            outcomes.append("ok")
        except BusinessError as exc:
            outcomes.append(exc.error_code)
        finally:
            connection.close()

    # five referrals race for three places, and the first referral is submitted twice at once
    threads = [threading.Thread(target=submit, args=(r,)) for r in [*drafts, drafts[0]]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    slot.refresh_from_db()
    assert outcomes.count("ok") == 3 and slot.booked == 3
    assert Referral.objects.filter(slot=slot).count() == 3
    assert Referral.objects.filter(status="submitted").count() == 3


def test_skipped_review_steps_send_no_must_handle_review_message(
    county: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from yigongti.core.workflow.models import ApprovalSetting

    # 转出审核 switched off at the town clinic; 接收审核 still on at the hospital
    ApprovalSetting.objects.create(workflow="referral", step="applicant_review", institution=county.town, enabled=False)
    referral = create_draft(county)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(county.town_doctor, referral, "submit")
    assert response.json()["status"] == "applicant_reviewed"
    assert not Message.objects.filter(type__code="referral.submitted").exists()
    inbound = Message.objects.get(type__code="referral.applicant_approved")
    assert list(inbound.recipients.values_list("user_id", flat=True)) == [county.hosp_officer.pk]


def test_review_step_kept_sends_the_must_handle_review_message(
    county: Any, django_capture_on_commit_callbacks: Any
) -> None:
    referral = create_draft(county)
    with django_capture_on_commit_callbacks(execute=True):
        post(county.town_doctor, referral, "submit")
    submitted = Message.objects.get(type__code="referral.submitted")
    assert list(submitted.recipients.values_list("user_id", flat=True)) == [county.town_officer.pk]
    assert not Message.objects.filter(type__code="referral.applicant_approved").exists()
