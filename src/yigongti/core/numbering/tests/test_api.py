"""Number rules through the declarative API tests, and the preview action."""

from __future__ import annotations

from typing import Any

from yigongti.core.audit.models import AuditLog
from yigongti.core.numbering.models import NumberRule, NumberSequence
from yigongti.core.numbering.services import next_number
from yigongti.core.testing.api import ResourceAPITests, assert_error

URL = "/api/v1/numbering/rules"


def make_rule(n: int = 0, **kw: Any) -> NumberRule:
    defaults: dict[str, Any] = {
        "code": f"rule{n}",
        "name": f"规则{n}",
        "prefix": "ZZ",
        "include_institution_code": True,
    }
    return NumberRule.objects.create(**(defaults | kw))


class TestNumberRuleAPI(ResourceAPITests):
    url = URL
    permission_base = "numbering.rule"
    brief_fields = ["id", "code", "name"]
    scope = "all"  # platform-wide rows: written only with the 全部 scope

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        return make_rule(n)

    def create_data(self, world: Any) -> dict[str, Any]:
        return {
            "code": "referral",
            "name": "转诊单号",
            "prefix": "ZZ",
            "include_institution_code": True,
            "date_part": "YYYYMMDD",
            "width": 4,
            "reset": "daily",
            "separator": "-",
        }

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"name": "转诊单号（修订）"}

    def test_list_shows_only_rows_in_scope(self, api_world: Any) -> None:
        shared = set(NumberRule.objects.values_list("pk", flat=True))  # platform-wide rules seeded by the centers
        row = make_rule(1)
        client = api_world.client_for(self.codes("view"), scope="institution")
        body = client.get(self.url, {"page_size": 500}).json()
        assert [r["id"] for r in body["results"] if r["id"] not in shared] == [row.pk]
        assert next(r for r in body["results"] if r["id"] == row.pk)["example"] == "ZZ-3209230001-20261125-0001"

    def test_other_institution_is_not_found(self, api_world: Any) -> None:
        row = make_rule(2)
        client = api_world.client_for(self.codes("view", "add", "change", "delete"), scope="institution")
        assert client.get(self.detail(row)).status_code == 200
        before = AuditLog.objects.count()
        assert_error(client.patch(self.detail(row), self.update_data(api_world, row), format="json"), 404, "NOT_FOUND")
        assert_error(client.delete(self.detail(row)), 404, "NOT_FOUND")
        assert_error(client.post(self.url, self.create_data(api_world), format="json"), 403, "OUT_OF_SCOPE")
        assert NumberRule.objects.filter(pk=row.pk, name="规则2").exists()
        assert AuditLog.objects.count() == before

    def test_inconsistent_date_and_reset_is_refused(self, api_world: Any) -> None:
        data = self.create_data(api_world) | {"date_part": "YYYYMM", "reset": "daily"}
        before = NumberRule.objects.count()
        body = assert_error(self.client(api_world, "add").post(self.url, data, format="json"), 400, "VALIDATION_ERROR")
        assert "日期部分" in body["fields"]["date_part"][0]
        assert NumberRule.objects.count() == before

    def test_reset_cannot_change_once_numbers_were_issued(self, api_world: Any) -> None:
        row = make_rule(3, include_institution_code=False)
        next_number(row.code)
        client = self.client(api_world, "change")
        body = assert_error(client.patch(self.detail(row), {"reset": "yearly"}, format="json"), 400, "VALIDATION_ERROR")
        assert "重置周期" in body["fields"]["reset"][0]
        row.refresh_from_db()
        assert row.reset == "daily"

    def test_a_used_rule_cannot_be_deleted(self, api_world: Any) -> None:
        row = make_rule(4, include_institution_code=False)
        next_number(row.code)
        assert_error(self.client(api_world, "delete").delete(self.detail(row)), 409, "IN_USE")
        assert NumberRule.objects.filter(pk=row.pk).exists()


class TestPreview:
    def test_preview_uses_the_users_institution_and_consumes_nothing(self, api_world: Any) -> None:
        row = make_rule(1)
        client = api_world.client_for(["numbering.rule.view"], scope="institution")
        body = client.post(f"{URL}/{row.pk}/preview", {"at": "2026-11-24T16:30:00Z"}, format="json").json()
        assert body == {"number": f"ZZ-{api_world.home.code}-20261125-0001", "period": "20261125", "sequence": 1}
        next_number(row.code, institution=api_world.home)
        body = client.post(f"{URL}/{row.pk}/preview", {}, format="json").json()
        assert body["sequence"] == 2
        assert NumberSequence.objects.get().last_value == 1

    def test_preview_for_a_named_institution(self, api_world: Any) -> None:
        row = make_rule(2)
        client = api_world.client_for(["numbering.rule.view"], scope="community")
        response = client.post(f"{URL}/{row.pk}/preview", {"institution": api_world.other.pk}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["number"].startswith(f"ZZ-{api_world.other.code}-")

    def test_preview_outside_the_scope_is_refused(self, api_world: Any) -> None:
        row = make_rule(3)
        client = api_world.client_for(["numbering.rule.view"], scope="institution")
        body = assert_error(
            client.post(f"{URL}/{row.pk}/preview", {"institution": api_world.far.pk}, format="json"),
            400,
            "VALIDATION_ERROR",
        )
        assert "institution" in body["fields"]

    def test_preview_of_an_exhausted_counter(self, api_world: Any) -> None:
        row = make_rule(4, include_institution_code=False, width=1, reset="never", date_part="none")
        for _ in range(9):
            next_number(row.code)
        client = api_world.client_for(["numbering.rule.view"], scope="institution")
        assert_error(client.post(f"{URL}/{row.pk}/preview", {}, format="json"), 400, "NUMBER_SEQUENCE_OVERFLOW")

    def test_preview_needs_the_view_code(self, api_world: Any) -> None:
        row = make_rule(5)
        client = api_world.client_for([], scope="all")
        assert_error(client.post(f"{URL}/{row.pk}/preview", {}, format="json"), 403, "PERMISSION_DENIED")
