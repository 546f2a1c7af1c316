"""审批设置 through the declarative resource tests, plus the declared-workflows endpoint."""

from __future__ import annotations

from typing import Any

from yigongti.core.testing.api import ResourceAPITests, assert_error
from yigongti.core.workflow.models import ApprovalSetting
from yigongti.platform.testing import make_role


class TestApprovalSettingAPI(ResourceAPITests):
    url = "/api/v1/workflow/approval-settings"
    permission_base = "workflow.approval_setting"

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        # Rows made directly (no clean()) may name any step: the query-count test needs many rows in
        # one institution, and the example declares a single step.
        step = "review" if n <= 2 else f"step{n}"
        return ApprovalSetting.objects.create(workflow="leave", step=step, institution=institution)

    def create_data(self, world: Any) -> dict[str, Any]:
        return {"workflow": "leave", "step": "review", "institution": world.home.pk, "enabled": False}

    def create_data_elsewhere(self, world: Any) -> dict[str, Any]:
        return {"workflow": "leave", "step": "review", "institution": world.other.pk, "enabled": False}

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"auto_approve": True}

    def test_labels_come_from_the_declaration(self, api_world: Any) -> None:
        role = make_role([], name="科主任")
        client = self.client(api_world, "add", "view")
        data = self.create_data(api_world) | {"enabled": True, "approver_role": role.pk}
        body = client.post(self.url, data, format="json").json()
        assert {k: body[k] for k in ("workflow_label", "step_label", "institution_name", "approver_role_name")} == {
            "workflow_label": "请假",
            "step_label": "科室审核",
            "institution_name": "城关镇卫生院",
            "approver_role_name": "科主任",
        }

    def test_undeclared_step_is_refused(self, api_world: Any) -> None:
        client = self.client(api_world, "add")
        data = self.create_data(api_world) | {"step": "nope"}
        body = assert_error(client.post(self.url, data, format="json"), 400, "VALIDATION_ERROR")
        assert body["fields"] == {"step": ["流程「请假」没有审批环节「nope」。"]}
        data = self.create_data(api_world) | {"workflow": "nope"}
        body = assert_error(client.post(self.url, data, format="json"), 400, "VALIDATION_ERROR")
        assert body["fields"] == {"workflow": ["流程「nope」不存在。"]}
        assert not ApprovalSetting.objects.exists()

    def test_one_setting_per_step_and_institution(self, api_world: Any) -> None:
        client = self.client(api_world, "add")
        assert client.post(self.url, self.create_data(api_world), format="json").status_code == 201
        assert_error(client.post(self.url, self.create_data(api_world), format="json"), 400, "VALIDATION_ERROR")
        assert ApprovalSetting.objects.count() == 1

    def test_approver_role_of_another_institution_is_refused(self, api_world: Any) -> None:
        foreign = make_role([], institution=api_world.other)
        client = self.client(api_world, "add")
        client_scope_all = api_world.client_for(self.codes("add"), scope="all")
        data = self.create_data(api_world) | {"approver_role": foreign.pk}
        assert_error(client.post(self.url, data, format="json"), 400, "VALIDATION_ERROR")
        body = assert_error(client_scope_all.post(self.url, data, format="json"), 400, "VALIDATION_ERROR")
        assert body["fields"] == {"approver_role": ["审批角色须为平台通用角色或本机构的角色。"]}
        assert not ApprovalSetting.objects.exists()


def test_definitions_list_the_declared_workflows(api_world: Any) -> None:
    assert_error(api_world.client_for([]).get("/api/v1/workflow/definitions"), 403, "PERMISSION_DENIED")
    body = api_world.client_for(["workflow.approval_setting.view"]).get("/api/v1/workflow/definitions").json()
    leave = next(flow for flow in body if flow["code"] == "leave")
    assert leave["label"] == "请假"
    assert leave["approval_steps"] == [{"code": "review", "label": "科室审核", "state": "submitted"}]
    assert [s["code"] for s in leave["states"] if s["final"]] == ["closed", "rejected", "cancelled", "expired"]
    expire = next(t for t in leave["transitions"] if t["name"] == "expire")
    assert expire == {
        "name": "expire",
        "label": "逾期作废",
        "source": ["arranged"],
        "target": "expired",
        "approval_step": None,
        "requires_comment": False,
        "system_only": True,
    }
