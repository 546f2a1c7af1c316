"""Demo data of 双向转诊配置 (registered from ``apps.ready``, before the referrals): settings of the
county hospitals, referral schedules with two weeks of slots, and referral paths from every township
and community centre to the county hospitals by diagnosis (ICD-10 prefix) and by department."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from yigongti.centers.referral.config.models import ReferralPath, ReferralSchedule, ReferralSettings, ReferralSlot

# (county node, department code, kind, weekdays, periods, capacity)
SCHEDULES: list[tuple[str, str, str, list[int], list[tuple[str, dt.time, dt.time]], int]] = [
    ("lead", "1001", "outpatient", [0, 1, 2, 3, 4], [("am", dt.time(8, 0), dt.time(11, 30))], 6),
    ("lead", "1002", "outpatient", [0, 2, 4], [("am", dt.time(8, 0), dt.time(11, 30))], 5),
    (
        "lead",
        "1004",
        "outpatient",
        [1, 3],
        [("am", dt.time(8, 0), dt.time(11, 30)), ("pm", dt.time(14, 0), dt.time(17, 0))],
        4,
    ),
    ("lead", "1005", "outpatient", [0, 3], [("pm", dt.time(14, 0), dt.time(17, 0))], 5),
    ("lead", "2001", "inpatient", [0, 1, 2, 3, 4], [("am", dt.time(8, 0), dt.time(11, 30))], 2),
    (
        "lead",
        "5000",
        "exam",
        [0, 1, 2, 3, 4, 5],
        [("am", dt.time(8, 0), dt.time(11, 30)), ("pm", dt.time(14, 0), dt.time(17, 0))],
        8,
    ),
    ("tcm", "1000", "outpatient", [0, 1, 2, 3, 4], [("am", dt.time(8, 0), dt.time(11, 30))], 6),
    ("tcm", "1400", "outpatient", [1, 4], [("am", dt.time(8, 0), dt.time(11, 30))], 3),
]
# (ICD-10 prefix, name, county node, department code, priority)
PATHS: list[tuple[str, str, str, str, int]] = [
    ("I10", "原发性高血压", "lead", "1001", 10),
    ("I2", "缺血性心脏病", "lead", "1001", 10),
    ("I21", "急性心肌梗死", "lead", "3200", 1),
    ("I63", "脑梗死", "lead", "1004", 10),
    ("E11", "2型糖尿病", "lead", "1005", 10),
    ("J44", "慢性阻塞性肺疾病", "lead", "1002", 10),
    ("K80", "胆石症", "lead", "2001", 10),
    ("S72", "股骨骨折", "lead", "2002", 10),
    ("S72", "股骨骨折", "tcm", "1400", 20),
]


def seed_referral_config(org: Any, rng: random.Random, today: dt.date) -> dict[str, int]:
    county = {key: org.nodes[key] for key in ("lead", "tcm") if key in org.nodes}
    ReferralSettings.objects.bulk_create(
        [
            ReferralSettings(institution=county["lead"].institution, quota_mode=True, online_mode=True),
            ReferralSettings(institution=county["tcm"].institution, quota_mode=True, pinning="hospital"),
        ]
    )
    schedules: list[ReferralSchedule] = []
    for key, dept, kind, weekdays, periods, capacity in SCHEDULES:
        department = county[key].departments.get(dept)
        if department is None:
            continue
        for period, start, end in periods:
            schedules.append(
                ReferralSchedule(
                    institution=county[key].institution,
                    department=department,
                    kind=kind,
                    weekdays=weekdays,
                    start_date=today,
                    period=period,
                    start_time=start,
                    end_time=end,
                    capacity=capacity,
                    remark="转诊专用号源（绿色通道）",
                )
            )
    ReferralSchedule.objects.bulk_create(schedules)
    slots = [
        ReferralSlot(
            schedule=s,
            institution_id=s.institution_id,
            department_id=s.department_id,
            date=today + dt.timedelta(days=d),
            period=s.period,
            start_time=s.start_time,
            end_time=s.end_time,
            capacity=s.capacity,
            booked=rng.randint(0, max(s.capacity // 2, 0)),
            kind=s.kind,
        )
        for s in schedules
        for d in range(14)
        if (today + dt.timedelta(days=d)).weekday() in s.weekdays
    ]
    ReferralSlot.objects.bulk_create(slots)
    primary = [n for n in org.nodes.values() if n.tier == "township"]
    paths = [
        ReferralPath(
            institution=node.institution,
            diagnosis_code=code,
            diagnosis_name=name,
            target_institution=county[key].institution,
            target_department=county[key].departments.get(dept),
            priority=priority,
            remark="医共体牵头医院对口专科",
        )
        for node in primary
        for code, name, key, dept, priority in PATHS
        if key in county
    ]
    paths += [
        ReferralPath(
            institution=node.institution,
            department_code="0100",
            target_institution=county["lead"].institution,
            priority=50,
            remark="全科门诊常规上转",
        )
        for node in primary
    ]
    ReferralPath.objects.bulk_create(paths)
    return {"referral_schedules": len(schedules), "referral_slots": len(slots), "referral_paths": len(paths)}
