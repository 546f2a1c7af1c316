"""Demo referrals of the demo county (issue 5; registered by ``apps.ready``):

    from yigongti.centers.referral.demo import seed_referrals
    register_demo("referral", seed_referrals, order=10)

A few hundred referrals between the township/community centres and the county hospitals, in every
state of the workflow, each made through the center's services and ``workflow_transition`` (so
every one has its timeline, audit rows, slot bookings and webhooks like a real one): applying and
receiving doctors are demo accounts of the two institutions, reviews are done by the community
administrator, 爽约 by the system timer transition. Afterwards the history is spread over the past
four months (timestamps of the referral and its timeline shifted back together, the stamps' order
kept) so the statistics pages have something to show; referrals still waiting for the patient
(待接诊) are not shifted, their no-show timer stays right.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from yigongti.centers.referral import services
from yigongti.centers.referral.effects import feedback_form
from yigongti.centers.referral.models import Referral
from yigongti.core.workflow.actors import SYSTEM
from yigongti.core.workflow.models import TimelineEntry
from yigongti.core.workflow.services import workflow_transition
from yigongti.platform.accounts.models import User
from yigongti.platform.org.models import Bed
from yigongti.platform.registry.models import Resident

DEFAULT_COUNT = 200  # ≈ 1,100 transitions; 240 took 48 s on a 2-CPU box at load ~10
# target state → weight (most referrals end normally; every branch appears)
STATES: list[tuple[str, int]] = [
    ("draft", 4), ("submitted", 8), ("applicant_reviewed", 5), ("receiver_reviewed", 6), ("arranged", 8),
    ("received", 6), ("feedback", 8), ("closed", 38), ("rejected", 4), ("refused", 5), ("cancelled", 5),
    ("no_show", 3),
]  # fmt: skip
PATH = ["submitted", "applicant_reviewed", "receiver_reviewed", "arranged", "received", "feedback", "closed"]
STAMPS = (
    "created_at", "updated_at", "submitted_at", "applicant_reviewed_at", "receiver_reviewed_at", "arranged_at",
    "received_at", "feedback_at", "closed_at", "cancelled_at", "planned_at",
)  # fmt: skip
DIAGNOSES = [
    ("I10.x00", "原发性高血压", "血压控制不佳，需上级医院调整治疗方案"),
    ("E11.900", "2型糖尿病", "血糖控制差，需评估并发症"),
    ("I25.103", "冠状动脉粥样硬化性心脏病", "活动后胸闷加重，需进一步检查"),
    ("J44.100", "慢性阻塞性肺疾病伴急性加重", "喘息加重，基层治疗效果不佳"),
    ("I63.900", "脑梗死", "肢体无力，需上级医院评估"),
    ("K80.200", "胆囊结石", "反复右上腹痛，需外科评估"),
    ("S72.000", "股骨颈骨折", "跌倒后髋部疼痛，需手术治疗"),
]
DOWN_REASONS = ["病情稳定，转回基层继续康复", "术后恢复期，转社区随访", "慢病稳定期，转基层管理"]


def _doctors(org: Any) -> dict[int, list[User]]:
    """Demo accounts of each institution that may apply for and receive referrals."""
    by_inst: dict[int, list[User]] = defaultdict(list)
    users = User.objects.filter(
        staff__institution__community=org.community, is_active=True, staff__department__isnull=False
    ).select_related("staff", "staff__department")
    for user in users.order_by("pk"):
        if user.has_code("referral.referral.submit") and user.has_code("referral.referral.arrange"):
            by_inst[user.staff.institution_id].append(user)  # type: ignore[union-attr]
    return by_inst


def _reviewer(org: Any) -> User | None:
    for user in User.objects.filter(username="admin_county", is_active=True):
        if user.has_code("referral.referral.review"):
            return user
    return None


def _feedback(direction: str, kind: str, diagnosis: str) -> dict[str, Any]:
    values: dict[str, Any] = {
        "diagnosis_name": diagnosis, "result": "经治疗症状缓解", "advice": "基层随访，按时复诊",
        "admitted_at": timezone.localdate() - dt.timedelta(days=1), "discharge_summary": "住院治疗后好转出院",
        "exam_findings": "未见明显异常", "exam_conclusion": "建议随访", "arrived": True, "recovery": "improving",
        "health_status": "一般情况可，生命体征平稳",
    }  # fmt: skip
    return {k: values[k] for k in feedback_form(direction, kind)}


def seed_referrals(org: Any, rng: random.Random, today: dt.date, *, count: int = DEFAULT_COUNT) -> dict[str, int]:
    doctors = _doctors(org)
    reviewer = _reviewer(org)
    counties = [n.institution for n in org.nodes.values() if n.tier == "county" and doctors.get(n.institution.pk)]
    towns = [n.institution for n in org.nodes.values() if n.tier == "township" and doctors.get(n.institution.pk)]
    if not counties or not towns or reviewer is None:
        return {"referrals": 0}
    residents: dict[int, list[Resident]] = defaultdict(list)
    for resident in Resident.objects.filter(home_institution__in=towns).order_by("pk")[: 40 * len(towns)]:
        residents[resident.home_institution_id].append(resident)
    beds: dict[int, list[Bed]] = defaultdict(list)
    for bed in Bed.objects.filter(institution__in=counties + towns, status="free").select_related("department"):
        beds[bed.institution_id].append(bed)
    states, weights = zip(*STATES, strict=True)
    made: list[tuple[Referral, str]] = []
    for _ in range(count):
        town = rng.choice([t for t in towns if residents.get(t.pk)] or towns)
        county = rng.choice(counties)
        up = rng.random() < 0.72
        source, target = (town, county) if up else (county, town)
        applicant, receiver = rng.choice(doctors[source.pk]), rng.choice(doctors[target.pk])
        pool = residents.get(town.pk)
        if not pool:
            continue
        kind = rng.choices(["outpatient", "exam", "inpatient"], [70, 20, 10])[0]
        if kind == "inpatient" and not beds.get(target.pk):
            kind = "outpatient"
        state = rng.choices(states, weights)[0]
        code, diagnosis, reason = rng.choice(DIAGNOSES)
        referral, _ = services.referral_create(
            resident=rng.choice(pool),
            data={
                "direction": "up" if up else "down",
                "kind": kind,
                "urgency": rng.choices(["normal", "urgent", "emergency"], [80, 16, 4])[0],
                "to_institution": target,
                "reason": reason if up else rng.choice(DOWN_REASONS),
                "condition_summary": f"{diagnosis}，病程 {rng.randint(1, 15)} 年",
                "diagnosis_code": code,
                "diagnosis_name": diagnosis,
                "treatment": "规律服药" if up else "住院治疗后好转",
            },
            actor=applicant,
        )
        _drive(referral, state, applicant=applicant, receiver=receiver, reviewer=reviewer, beds=beds, rng=rng)
        made.append((referral, state))
    _spread_history(made, rng)
    return {"referrals": len(made)}


def _drive(
    referral: Referral, state: str, *, applicant: User, receiver: User, reviewer: User, beds: dict[int, list[Bed]],
    rng: random.Random,
) -> None:  # fmt: skip
    if state == "draft":
        return
    goal = {"rejected": "submitted", "refused": "receiver_reviewed", "cancelled": "submitted", "no_show": "arranged"}
    last = goal.get(state, state)
    for step in PATH[: PATH.index(last) + 1]:
        if step == "submitted":
            workflow_transition(referral, "submit", actor=applicant)
        elif step == "applicant_reviewed":
            workflow_transition(referral, "applicant_approve", actor=reviewer, comment="同意转出")
        elif step == "receiver_reviewed":
            workflow_transition(referral, "receiver_approve", actor=reviewer, comment="同意接收")
        elif step == "arranged":
            data: dict[str, Any] = {
                "department": receiver.staff.department_id,  # type: ignore[union-attr]
                "planned_at": timezone.now() + dt.timedelta(days=rng.randint(1, 5), hours=rng.randint(1, 8)),
                "note": "请携带既往病历及检查资料",
            }
            if referral.kind == "inpatient":
                bed = beds[referral.to_institution_id].pop()
                data |= {"department": bed.department_id, "bed": bed.pk}
            workflow_transition(referral, "arrange", actor=receiver, data=data)
        elif step == "received":
            workflow_transition(referral, "receive", actor=receiver, data={"note": "患者已到院，完成接诊"})
        elif step == "feedback":
            data = _feedback(referral.direction, referral.kind, referral.diagnosis_name)
            workflow_transition(referral, "feedback", actor=receiver, data=data)
        elif step == "closed":
            workflow_transition(referral, "close", actor=receiver, comment="转诊完成")
    if state == "rejected":
        workflow_transition(referral, "applicant_reject", actor=reviewer, comment="资料不全，请补充后重新发起")
    elif state == "refused":
        workflow_transition(referral, "refuse", actor=receiver, data={"reason": "专科床位已满，建议转其他医院"})
    elif state == "cancelled":
        workflow_transition(referral, "cancel", actor=applicant, comment="患者决定暂不转诊")
    elif state == "no_show":
        workflow_transition(referral, "expire_no_show", actor=SYSTEM)


def _spread_history(made: list[tuple[Referral, str]], rng: random.Random) -> None:
    """Shift each finished referral (and its timeline) 1–120 days back; active ones 0–3 days."""
    if not made:
        return
    content_type = ContentType.objects.get_for_model(Referral)
    shifts: dict[int, dt.timedelta] = {}
    rows = {r.pk: r for r in Referral.objects.filter(pk__in=[r.pk for r, _ in made])}
    for referral, state in made:
        if state == "arranged":
            continue
        final = state in ("closed", "rejected", "refused", "cancelled", "no_show")
        days = rng.randint(1, 120) if final else rng.randint(0, 3)
        shifts[referral.pk] = dt.timedelta(days=days, minutes=rng.randint(0, 600))
    changed = []
    for pk, delta in shifts.items():
        row = rows[pk]
        for name in STAMPS:
            value = getattr(row, name)
            if value is not None:
                setattr(row, name, value - delta)
        changed.append(row)
    Referral.objects.bulk_update(changed, list(STAMPS), batch_size=500)
    entries = list(TimelineEntry.objects.filter(content_type=content_type, object_id__in=[str(pk) for pk in shifts]))
    for entry in entries:
        entry.at -= shifts[int(entry.object_id)]
    TimelineEntry.objects.bulk_update(entries, ["at"], batch_size=500)
