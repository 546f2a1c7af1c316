"""Organisation resources through the declarative API test base."""

from __future__ import annotations

from typing import Any

from yigongti.core.testing.api import ResourceAPITests
from yigongti.platform.org import models
from yigongti.platform.testing import make_department, make_institution, make_staff


class TestInstitutionAPI(ResourceAPITests):
    url = "/api/v1/org/institutions"
    permission_base = "org.institution"
    brief_fields = ["id", "code", "name", "type"]

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        # Institutions are themselves the scope unit: the home "object" is the home institution.
        if n <= 2:
            return institution
        return make_institution(world.community, parent=institution, code=f"X{n}{institution.pk}")

    def create_data(self, world: Any) -> dict[str, Any]:
        return {
            "community": world.community.pk,
            "code": "V001",
            "name": "新建村卫生室",
            "type": "village_clinic",
            "division_code": "320923",
            "uscc": "123200000000000018",
        }

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"address": "城关镇人民路1号"}

    def test_delete_removes_row_and_audits(self, api_world: Any) -> None:
        # A member institution with departments cannot be deleted (PROTECT) — 409 in Chinese.
        from yigongti.core.testing.api import assert_error

        client = self.client(api_world, "delete")
        assert_error(client.delete(self.detail(api_world.home)), 409, "IN_USE")
        assert models.Institution.objects.filter(pk=api_world.home.pk).exists()

    def test_list_query_count_does_not_grow_with_rows(self, api_world: Any) -> None:
        # Children of home are outside an 本机构 scope; measure with the 本医共体 scope instead.
        self.scope = "community"
        super().test_list_query_count_does_not_grow_with_rows(api_world)

    def test_create_writes_row_and_audit(self, api_world: Any) -> None:
        self.scope = "community"
        super().test_create_writes_row_and_audit(api_world)

    def test_import_xlsx(self, api_world: Any) -> None:
        self.scope = "community"
        super().test_import_xlsx(api_world)

    def test_uscc_checksum_is_enforced(self, api_world: Any) -> None:
        from yigongti.core.testing.api import assert_error

        data = self.create_data(api_world) | {"uscc": "91310115MA1H8R7C6D"}  # china-standards §10.2 invalid vector
        body = assert_error(self.client(api_world, "add").post(self.url, data, format="json"), 400, "VALIDATION_ERROR")
        assert "校验位" in body["fields"]["uscc"][0]


class TestDepartmentAPI(ResourceAPITests):
    url = "/api/v1/org/departments"
    permission_base = "org.department"
    brief_fields = ["id", "code", "name"]

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        return make_department(institution, code=f"K{n}")

    def create_data(self, world: Any) -> dict[str, Any]:
        return {"institution": world.home.pk, "code": "NK", "name": "内科", "kind": "clinical"}

    def create_data_elsewhere(self, world: Any) -> dict[str, Any]:
        return {"institution": world.other.pk, "code": "NK", "name": "内科", "kind": "clinical"}

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"name": "心血管内科"}

    def test_parent_must_be_same_institution(self, api_world: Any) -> None:
        from yigongti.core.testing.api import assert_error

        foreign = make_department(api_world.far)
        data = self.create_data(api_world) | {"parent": foreign.pk}
        body = assert_error(self.client(api_world, "add").post(self.url, data, format="json"), 400)
        assert "parent" in body["fields"]

    def test_parent_cycle_is_refused(self, api_world: Any) -> None:
        from yigongti.core.testing.api import assert_error

        top = make_department(api_world.home, code="TOP")
        child = make_department(api_world.home, code="CHILD", parent=top)
        client = self.client(api_world, "change", "view")
        body = assert_error(client.patch(self.detail(top), {"parent": child.pk}, format="json"), 400)
        assert "parent" in body["fields"]


class TestStaffAPI(ResourceAPITests):
    url = "/api/v1/org/staff"
    permission_base = "org.staff"
    brief_fields = ["id", "code", "name"]

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        return make_staff(institution, code=f"G{n}")

    def create_data(self, world: Any) -> dict[str, Any]:
        return {
            "institution": world.home.pk,
            "department": world.home_department.pk,
            "departments": [world.home_department.pk],
            "code": "0001",
            "name": "李明",
            "sex": "1",
            "practising_cert_no": "110320923000001",
        }

    def create_data_elsewhere(self, world: Any) -> dict[str, Any]:
        return {"institution": world.other.pk, "code": "0001", "name": "李明", "sex": "1"}

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"name": "李明华"}

    def test_department_of_another_institution_is_invisible(self, api_world: Any) -> None:
        from yigongti.core.testing.api import assert_error

        data = self.create_data(api_world) | {"department": api_world.other_department.pk}
        body = assert_error(self.client(api_world, "add").post(self.url, data, format="json"), 400)
        assert "不存在或无权使用" in body["fields"]["department"][0]


class TestBedAPI(ResourceAPITests):
    url = "/api/v1/org/beds"
    permission_base = "org.bed"

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        dept = world.home_department if institution == world.home else world.other_department
        return models.Bed.objects.create(institution=institution, department=dept, code=f"{n:03d}")

    def create_data(self, world: Any) -> dict[str, Any]:
        return {"institution": world.home.pk, "department": world.home_department.pk, "code": "101", "ward": "一病区"}

    def create_data_elsewhere(self, world: Any) -> dict[str, Any]:
        return {"institution": world.other.pk, "department": world.other_department.pk, "code": "101"}

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"status": "occupied"}


class TestEquipmentAPI(ResourceAPITests):
    url = "/api/v1/org/equipment"
    permission_base = "org.equipment"

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        return models.Equipment.objects.create(institution=institution, code=f"E{n}", name="心电图机", category="ecg")

    def create_data(self, world: Any) -> dict[str, Any]:
        return {"institution": world.home.pk, "code": "ZC-001", "name": "十二导联心电图机", "category": "ecg"}

    def create_data_elsewhere(self, world: Any) -> dict[str, Any]:
        return {"institution": world.other.pk, "code": "ZC-001", "name": "心电图机", "category": "ecg"}

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"status": "maintenance"}


class TestFamilyDoctorTeamAPI(ResourceAPITests):
    url = "/api/v1/org/doctor-teams"
    permission_base = "org.team"
    brief_fields = ["id", "code", "name"]

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        team = models.FamilyDoctorTeam.objects.create(institution=institution, code=f"T{n}", name=f"第{n}团队")
        team.members.add(make_staff(institution))
        return team

    def create_data(self, world: Any) -> dict[str, Any]:
        member = make_staff(world.home)
        return {
            "institution": world.home.pk,
            "code": "T01",
            "name": "城关第一团队",
            "leader": member.pk,
            "members": [member.pk],
        }

    def create_data_elsewhere(self, world: Any) -> dict[str, Any]:
        return {"institution": world.other.pk, "code": "T01", "name": "团队"}

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"name": "城关家庭医生团队"}


class TestCommunityAPI(ResourceAPITests):
    url = "/api/v1/org/communities"
    permission_base = "org.community"
    brief_fields = ["id", "code", "name"]
    scope = "community"

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        return institution.community

    def create_data(self, world: Any) -> dict[str, Any]:
        return {"code": "YX2", "name": "云溪县第二医共体", "division_code": "320999"}

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"description": "紧密型县域医共体"}

    def test_other_institution_is_not_found(self, api_world: Any) -> None:
        # "other" shares home's community; the far institution's community is the foreign one.
        from yigongti.core.testing.api import assert_error

        client = self.client(api_world, "view", "change", "delete")
        far = api_world.far.community
        assert_error(client.get(self.detail(far)), 404, "NOT_FOUND")
        assert_error(client.patch(self.detail(far), {"name": "x"}, format="json"), 404, "NOT_FOUND")

    def test_list_shows_only_rows_in_scope(self, api_world: Any) -> None:
        body = self.client(api_world, "view").get(self.url).json()
        assert [row["id"] for row in body["results"]] == [api_world.community.pk]
        assert body["results"][0]["institution_count"] == 2

    def test_create_writes_row_and_audit(self, api_world: Any) -> None:
        # A new community has no member institution yet: only the 全部 scope may create one.
        self.scope = "all"
        super().test_create_writes_row_and_audit(api_world)

    def test_import_xlsx(self, api_world: Any) -> None:
        self.scope = "all"
        super().test_import_xlsx(api_world)

    def test_delete_removes_row_and_audits(self, api_world: Any) -> None:
        from yigongti.core.testing.api import assert_error

        assert_error(self.client(api_world, "delete").delete(self.detail(api_world.community)), 409, "IN_USE")

    def test_export_xlsx(self, api_world: Any) -> None:
        self.scope = "community"
        super().test_export_xlsx(api_world)

    def test_list_query_count_does_not_grow_with_rows(self, api_world: Any) -> None:
        from yigongti.platform.testing import make_community, make_institution

        self.scope = "all"
        client = self.client(api_world, "view")
        client.get(self.url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            client.get(self.url)
        for _ in range(4):
            make_institution(make_community())
        with CaptureQueriesContext(connection) as many:
            client.get(self.url)
        assert len(many) == len(few)


class TestPostAPI(ResourceAPITests):
    url = "/api/v1/org/posts"
    permission_base = "org.post"
    brief_fields = ["id", "code", "name"]

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        return models.Post.objects.create(institution=institution, code=f"P{n}-{institution.pk}", name=f"岗位{n}")

    def create_data(self, world: Any) -> dict[str, Any]:
        return {"institution": world.home.pk, "code": "GW01", "name": "家庭医生"}

    def create_data_elsewhere(self, world: Any) -> dict[str, Any]:
        return {"institution": world.other.pk, "code": "GW02", "name": "家庭医生"}

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"name": "签约家庭医生"}

    def test_shared_posts_are_readable_but_not_writable(self, api_world: Any) -> None:
        from yigongti.core.testing.api import assert_error

        shared = models.Post.objects.create(code="SHARED", name="临床医生")
        client = self.client(api_world, "view", "change")
        assert client.get(self.detail(shared)).status_code == 200
        assert_error(client.patch(self.detail(shared), {"name": "改名"}, format="json"), 404, "NOT_FOUND")
        shared.refresh_from_db()
        assert shared.name == "临床医生"


class TestTitleAPI(ResourceAPITests):
    """Titles are a national list: everyone with the view code reads all; only 全部 may write."""

    url = "/api/v1/org/titles"
    permission_base = "org.title"
    brief_fields = ["id", "code", "name"]
    scope = "all"

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        return models.Title.objects.create(
            code=f"T{n}-{institution.pk}",
            name=f"主治医师{n}-{institution.pk}",
            category="physician",
            level="intermediate",
        )

    def create_data(self, world: Any) -> dict[str, Any]:
        return {"code": "231", "name": "主任医师", "category": "physician", "level": "senior"}

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"sort": 5}

    def test_list_shows_only_rows_in_scope(self, api_world: Any) -> None:
        mine = self.make_object(api_world, api_world.home, 1)
        other = self.make_object(api_world, api_world.other, 2)
        ids = {
            r["id"]
            for r in api_world.client_for(self.codes("view"), scope="institution").get(self.url).json()["results"]
        }
        assert {mine.pk, other.pk} <= ids

    def test_other_institution_is_not_found(self, api_world: Any) -> None:
        from yigongti.core.testing.api import assert_error

        title = self.make_object(api_world, api_world.other, 2)
        client = api_world.client_for(self.codes("view", "change", "delete"), scope="institution")
        assert client.get(self.detail(title)).status_code == 200
        assert_error(client.patch(self.detail(title), {"sort": 9}, format="json"), 404, "NOT_FOUND")
        assert_error(client.delete(self.detail(title)), 404, "NOT_FOUND")
