"""转诊消息提醒 (REF-02; guide §3.1.1.2): one message type per step, Chinese templates, delivered
by ``platform/notify`` through its workflow hook; administrators switch each type on/off, edit its
templates and channels (消息类型管理).

* Staff (reviewers, the receiving doctor, the applying doctor) get in-app/realtime messages and,
  where the type says so, an SMS to their account's mobile — all through ``notify()``.
* Patients are not users: their SMS types (``referral.patient_*``, SMS channel only) are sent by
  this module's ``on_transition`` receiver to the resident's (encrypted) phone with the type's
  own SMS template, and only while the type is enabled.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Q
from django.utils import timezone

from yigongti.core.workflow.hooks import TransitionEvent, on_transition
from yigongti.platform.notify.declarations import GroupSpec, TypeSpec, declare_message_types
from yigongti.platform.notify.hooks import Delivery, register_recipient_resolver

logger = logging.getLogger("yigongti.referral")

VARIABLES = {
    "number": "转诊单号",
    "patient": "患者",
    "direction": "转诊方向",
    "kind": "转诊类型",
    "from_institution": "转出机构",
    "to_institution": "转入机构",
    "department": "接诊科室",
    "planned_at": "计划就诊时间",
    "actor": "操作人",
    "comment": "意见",
    "reason": "拒收原因",
}

STAFF_TYPES = (
    # code, name, title, body, parties, must handle
    ("referral.submitted", "转诊申请待转出审核", "{{ patient }}的{{ direction }}申请待审核",
     "转诊单号 {{ number }}，申请医生 {{ actor }}，转入 {{ to_institution }}。", ("reviewer",), True),
    ("referral.applicant_approved", "转诊申请待接收审核", "{{ from_institution }}转来{{ patient }}的{{ direction }}申请",
     "转诊单号 {{ number }}，{{ kind }}，请审核是否接收。", ("reviewer",), True),
    ("referral.receiver_approved", "转诊申请待安排", "{{ patient }}的转诊已同意接收，请安排",
     "转诊单号 {{ number }}，来自 {{ from_institution }}。", ("receiver",), True),
    ("referral.rejected", "转诊申请被驳回", "{{ patient }}的转诊申请被驳回",
     "转诊单号 {{ number }}，驳回意见：{{ comment }}", ("applicant",), False),
    ("referral.arranged", "转诊已安排", "{{ patient }}的转诊已安排",
     "{{ to_institution }}{{ department }}，计划就诊时间 {{ planned_at }}，转诊单号 {{ number }}。",
     ("applicant", "receiver"), False),
    ("referral.refused", "转诊被拒收", "{{ to_institution }}拒收了{{ patient }}的转诊",
     "转诊单号 {{ number }}，拒收原因：{{ reason }}", ("applicant",), False),
    ("referral.received", "转诊患者已接诊", "{{ patient }}已在{{ to_institution }}接诊", "转诊单号 {{ number }}。",
     ("applicant",), False),
    ("referral.feedback", "转诊反馈", "{{ to_institution }}反馈了{{ patient }}的诊疗/康复情况",
     "转诊单号 {{ number }}，请查看反馈。", ("applicant",), False),
    ("referral.closed", "转诊已结束", "{{ patient }}的转诊已结束", "转诊单号 {{ number }}，结束人 {{ actor }}。",
     ("applicant", "receiver"), False),
    ("referral.cancelled", "转诊已撤销", "{{ from_institution }}撤销了{{ patient }}的转诊",
     "转诊单号 {{ number }}，撤销原因：{{ comment }}", ("receiver",), False),
    ("referral.no_show", "转诊患者爽约", "{{ patient }}未按时到{{ to_institution }}就诊，已标记爽约",
     "转诊单号 {{ number }}，计划就诊时间 {{ planned_at }}。", ("applicant", "receiver"), False),
)  # fmt: skip

# Patient SMS per transition (the patient's own mobile on the resident file).
PATIENT_SMS = {
    "arrange": ("referral.patient_arranged", "转诊安排短信（患者）",
                "【医共体】{{ patient }}您好，您的转诊已安排：请于{{ planned_at }}到{{ to_institution }}{{ department }}就诊，转诊单号{{ number }}。"),
    "refuse": ("referral.patient_refused", "转诊拒收短信（患者）",
               "【医共体】{{ patient }}您好，{{ to_institution }}暂时无法接收您的转诊，请联系{{ from_institution }}的医生另行安排。"),
    "applicant_reject": ("referral.patient_rejected", "转诊驳回短信（患者）",
                         "【医共体】{{ patient }}您好，您的转诊申请未通过审核，请联系{{ from_institution }}的医生。"),
    "cancel": ("referral.patient_cancelled", "转诊撤销短信（患者）",
               "【医共体】{{ patient }}您好，您的转诊（{{ number }}）已撤销。"),
}  # fmt: skip
PATIENT_SMS["receiver_reject"] = PATIENT_SMS["applicant_reject"]


def declare() -> None:
    specs: list[Any] = [GroupSpec("referral", "双向转诊", sort=30)]
    for code, name, title, body, parties, must_handle in STAFF_TYPES:
        specs.append(
            TypeSpec(
                code,
                name,
                title=title,
                body=body,
                variables=VARIABLES,
                recipient_parties=parties,
                display_mode="popup" if must_handle else "toast",
                handling_mode="must_handle" if must_handle else "none",
                unique_handling=must_handle and "reviewer" in parties,
                sound=must_handle,
                topic="referral",
            )
        )
    seen: set[str] = set()
    for code, name, sms in PATIENT_SMS.values():
        if code in seen:
            continue
        seen.add(code)
        specs.append(
            TypeSpec(
                code, name, title=name, sms=sms, variables=VARIABLES, channels=("sms",), persisted=False,
                display_mode="inbox", topic="referral",
                description="发送给患者本人（居民档案中的手机号）",
            )
        )  # fmt: skip
    declare_message_types(*specs)


# -- context and recipients ----------------------------------------------------------------------
def context_of(referral: Any) -> dict[str, Any]:
    department = referral.arranged_department or referral.to_department
    planned = f"{timezone.localtime(referral.planned_at):%Y-%m-%d %H:%M}" if referral.planned_at else "待定"
    return {
        "number": referral.number,
        "patient": referral.patient_name,
        "direction": referral.get_direction_display(),
        "kind": referral.get_kind_display(),
        "from_institution": referral.from_institution.name,
        "to_institution": referral.to_institution.name,
        "department": department.name if department is not None else "",
        "planned_at": planned,
    }


def _holders(institution_id: int, code: str) -> list[Any]:
    from yigongti.platform.accounts.models import Role, User

    # in SQL: the roles granting ``code`` (a small table; codes are a JSON list, read in Python
    # because SQLite has no JSON containment), then the institution's active users holding one of
    # them or superusers — two queries instead of loading every user's roles (User.has_code)
    role_ids = [pk for pk, codes in Role.objects.values_list("pk", "permission_codes") if code in (codes or ())]
    holders = Q(is_superuser=True) | Q(roles__in=role_ids) if role_ids else Q(is_superuser=True)
    users = User.objects.filter(holders, institution_id=institution_id, is_active=True).distinct().order_by("id")
    return list(users[:500])


def recipients_for(message_code: str, parties: list[str], referral: Any) -> list[Any]:
    users: list[Any] = []
    if "reviewer" in parties:
        side = referral.from_institution_id if message_code == "referral.submitted" else referral.to_institution_id
        users += _holders(side, "referral.referral.review")
    if "applicant" in parties:
        users.append(referral.from_doctor)
    if "receiver" in parties:
        doctor = referral.arranged_doctor or referral.to_doctor
        users += [doctor] if doctor is not None else _holders(referral.to_institution_id, "referral.referral.arrange")
    unique: dict[int, Any] = {}
    for u in users:
        if u is not None and u.is_active:
            unique.setdefault(u.pk, u)
    return list(unique.values())


# must-handle messages ask someone to act in the state the transition reached; when the system
# passed that state in the same transaction (a review step switched off, 免审) nobody has to act
WAITING_STATE = {
    "referral.submitted": "submitted",
    "referral.applicant_approved": "applicant_reviewed",
    "referral.receiver_approved": "receiver_reviewed",
}


def passed_by_system(event: TransitionEvent, record: Any) -> bool:
    """The waiting state of a must-handle message was left by the system (免审, auto-approve) —
    the timeline row after this one, out of that state, has no actor. A person acting later (even
    before a delayed delivery) does not suppress the message."""
    waiting = WAITING_STATE.get(event.message)
    if waiting is None or record.status == waiting:  # still waiting: someone must act
        return False
    from yigongti.core.workflow.models import TimelineEntry

    row = (
        TimelineEntry.objects.filter(
            workflow=event.workflow, object_id=event.object_id, id__gt=event.timeline_id, from_state=waiting
        )
        .order_by("id")
        .values_list("actor_id", "actor_name")
        .first()
    )
    return row is not None and row[0] is None


def resolve(event: TransitionEvent, message_type: Any, record: Any) -> Delivery | None:
    if record is None:
        return None
    if passed_by_system(event, record):
        return None
    users = recipients_for(event.message, list(message_type.recipient_parties or []), record)
    if not users:
        return None
    institution = (
        record.from_institution_id if "applicant" in message_type.recipient_parties else record.to_institution_id
    )
    return Delivery(recipients=users, context=context_of(record), institution_id=institution)


def send_patient_sms(event: TransitionEvent) -> None:
    """After commit: the patient's SMS for this step, if its type is enabled and the file has a mobile."""
    if event.workflow != "referral" or event.transition not in PATIENT_SMS:
        return
    from yigongti.centers.referral.models import Referral
    from yigongti.platform.notify.models import MessageType
    from yigongti.platform.notify.services.sms import is_mobile, sms_queue
    from yigongti.platform.notify.templating import render, variables_in

    code = PATIENT_SMS[event.transition][0]
    mtype = MessageType.objects.filter(code=code, enabled=True).first()
    referral = (
        Referral.objects.select_related("resident", "from_institution", "to_institution")
        .filter(pk=event.object_id)
        .first()
    )
    if mtype is None or referral is None or not mtype.sms_template:
        return
    phone = referral.resident.phone or ""
    if not is_mobile(phone):
        return
    ctx = {**context_of(referral), "actor": event.actor_name, "comment": event.comment}
    sms_queue(
        phone=phone,
        text=render(mtype.sms_template, ctx, label="短信内容模板"),
        template_code=mtype.sms_template_code,
        params={name: str(ctx[name]) for name in variables_in(mtype.sms_template)},
        institution_id=referral.from_institution_id,
    )


def connect() -> None:
    declare()
    register_recipient_resolver("referral", resolve)
    on_transition(send_patient_sms)
