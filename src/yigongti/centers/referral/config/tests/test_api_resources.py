"""Declarative API matrix for the 双向转诊配置 resources (schedules, slots, rules, paths, 预约接口)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from yigongti.centers.referral.config.models import ReferralPath, ReferralRule
from yigongti.centers.referral.config.tests.helpers import make_schedule, make_slot, tomorrow
from yigongti.core.testing.api import ResourceAPITests


class TestScheduleAPI(ResourceAPITests):
    url = "/api/v1/referral/schedules"
    permission_base = "referral.schedule"
    supports_import = False

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        department = world.home_department if institution == world.home else world.other_department
        return make_schedule(institution, department, capacity=n + 1)

    def create_data(self, world: Any) -> dict[str, Any]:
        return {
            "institution": world.home.pk,
            "department": world.home_department.pk,
            "weekdays": [0, 3],
            "start_date": tomorrow().isoformat(),
            "period": "pm",
            "start_time": "14:00",
            "end_time": "17:00",
            "capacity": 4,
            "kind": "outpatient",
        }

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"capacity": 9}

    def create_data_elsewhere(self, world: Any) -> dict[str, Any] | None:
        return self.create_data(world) | {"institution": world.other.pk, "department": world.other_department.pk}


class TestSlotAPI(ResourceAPITests):
    url = "/api/v1/referral/slots"
    permission_base = "referral.schedule"
    supports_import = False

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        department = world.home_department if institution == world.home else world.other_department
        return make_slot(institution, department, start_time=dt.time(7, n % 60))

    def create_data(self, world: Any) -> dict[str, Any]:
        return {
            "institution": world.home.pk,
            "department": world.home_department.pk,
            "date": tomorrow().isoformat(),
            "period": "am",
            "start_time": "08:00",
            "end_time": "09:00",
            "capacity": 3,
            "kind": "exam",
        }

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"capacity": 4}

    def create_data_elsewhere(self, world: Any) -> dict[str, Any] | None:
        return self.create_data(world) | {"institution": world.other.pk, "department": world.other_department.pk}

    # Slots are changed through actions (open/close/capacity), never PATCHed: a PATCH would write a stale
    # ``booked`` over concurrent bookings. The generic update tests are replaced by these.
    def test_other_institution_is_not_found(self, api_world: Any) -> None:
        other = self.make_object(api_world, api_world.other, 2)
        client = self.client(api_world, "view", "slot", "delete")
        assert client.get(self.detail(other)).status_code == 404
        assert client.post(f"{self.detail(other)}/close").status_code == 404
        assert client.delete(self.detail(other)).status_code == 404

    def test_update_writes_audit_with_before_and_after(self, api_world: Any) -> None:
        obj = self.make_object(api_world, api_world.home)
        client = self.client(api_world, "view", "change")
        assert client.patch(self.detail(obj), {"capacity": 4}, format="json").status_code == 405


class TestRuleAPI(ResourceAPITests):
    url = "/api/v1/referral/rules"
    permission_base = "referral.rule"
    supports_import = False

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        return ReferralRule.objects.create(
            institution=institution,
            code=f"R{n}",
            name=f"规则{n}",
            severity="urgent",
            condition={"field": "vitals.spo2", "op": "<", "value": 90},
            reason="血氧饱和度低于90%",
            source="本院转诊制度",
            effective_from=dt.date(2026, 1, 1),
        )

    def create_data(self, world: Any) -> dict[str, Any]:
        return {
            "institution": world.home.pk,
            "code": "RR_HIGH",
            "name": "呼吸急促",
            "severity": "emergency",
            "condition": {"field": "vitals.rr", "op": ">", "value": 30},
            "reason": "呼吸频率>30次/分",
            "source": "本院转诊制度",
            "effective_from": "2026-01-01",
        }

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"reason": "血氧饱和度低于90%，吸氧无改善"}

    def create_data_elsewhere(self, world: Any) -> dict[str, Any] | None:
        return self.create_data(world) | {"institution": world.other.pk}


class TestPathAPI(ResourceAPITests):
    url = "/api/v1/referral/paths"
    permission_base = "referral.path"

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        target = world.other if institution == world.home else world.home
        return ReferralPath.objects.create(
            institution=institution, target_institution=target, diagnosis_code=f"I{10 + n}"
        )

    def create_data(self, world: Any) -> dict[str, Any]:
        return {
            "institution": world.home.pk,
            "target_institution": world.other.pk,
            "diagnosis_code": "E11",
            "priority": 3,
        }

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"priority": 7}

    def create_data_elsewhere(self, world: Any) -> dict[str, Any] | None:
        return {"institution": world.other.pk, "target_institution": world.home.pk, "diagnosis_code": "E11"}
