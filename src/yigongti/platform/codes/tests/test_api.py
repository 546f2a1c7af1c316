"""Dictionaries, entries, parameters, parameter values and data elements through the declarative
API test base. Platform-wide reference rows (parameters, data elements) are readable by everyone
with the view code and writable only with the 全部 scope."""

from __future__ import annotations

from typing import Any

from yigongti.core.audit.models import AuditLog
from yigongti.core.testing.api import ResourceAPITests, assert_error
from yigongti.platform.codes import models


class SharedResourceTests(ResourceAPITests):
    """For models whose every row is platform-wide (``ScopeSpec(shared="*")``)."""

    scope = "all"

    def test_list_shows_only_rows_in_scope(self, api_world: Any) -> None:
        row = self.make_object(api_world, api_world.home, 1)
        client = api_world.client_for(self.codes("view"), scope="institution")
        body = client.get(self.url, {"page_size": 500}).json()
        assert row.pk in {r["id"] for r in body["results"]}
        assert body["count"] == len(body["results"])

    def test_other_institution_is_not_found(self, api_world: Any) -> None:
        row = self.make_object(api_world, api_world.other, 2)
        client = api_world.client_for(self.codes("view", "add", "change", "delete"), scope="institution")
        assert client.get(self.detail(row)).status_code == 200
        before = AuditLog.objects.count()
        assert_error(client.patch(self.detail(row), self.update_data(api_world, row), format="json"), 404, "NOT_FOUND")
        assert_error(client.delete(self.detail(row)), 404, "NOT_FOUND")
        assert_error(client.post(self.url, self.create_data(api_world), format="json"), 403, "OUT_OF_SCOPE")
        assert self.model(row).objects.filter(pk=row.pk).exists()
        assert AuditLog.objects.count() == before


class TestDictionaryAPI(ResourceAPITests):
    url = "/api/v1/codes/dictionaries"
    permission_base = "codes.dictionary"
    brief_fields = ["id", "code", "name"]

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        return models.Dictionary.objects.create(
            institution=institution, code=f"D{n}-{institution.pk}", name=f"本地字典{n}"
        )

    def create_data(self, world: Any) -> dict[str, Any]:
        return {
            "institution": world.home.pk,
            "code": "FOLLOW_UP_WAY",
            "name": "随访方式",
            "type": "business",
            "version": "1.0",
            "tree_level": 1,
            "source": "本院制定",
        }

    def create_data_elsewhere(self, world: Any) -> dict[str, Any]:
        return self.create_data(world) | {"institution": world.other.pk}

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"name": "随访方式（修订）"}

    def test_delete_removes_row_and_audits(self, api_world: Any) -> None:
        # DELETE moves the dictionary to the recycle bin: gone from the normal lists, kept in the table.
        obj = self.make_object(api_world, api_world.home)
        response = self.client(api_world, "delete").delete(self.detail(obj))
        assert response.status_code == 204, response.content
        assert not models.Dictionary.objects.filter(pk=obj.pk).exists()
        assert models.Dictionary.all_objects.get(pk=obj.pk).deleted_at is not None
        log = AuditLog.objects.get(category="delete", object_id=str(obj.pk))
        assert log.before["deleted_at"] is None and log.after["deleted_at"] is not None
        assert "回收站" in log.content

    def test_platform_dictionary_is_read_only_without_all_scope(self, api_world: Any) -> None:
        shared = models.Dictionary.objects.create(code="PLATFORM_X", name="平台字典")
        client = self.client(api_world, "view", "add", "change", "delete")
        assert client.get(self.detail(shared)).status_code == 200
        assert_error(client.patch(self.detail(shared), {"name": "改"}, format="json"), 404, "NOT_FOUND")
        assert_error(client.delete(self.detail(shared)), 404, "NOT_FOUND")
        body = assert_error(
            client.post(self.url, self.create_data(api_world) | {"institution": None}, format="json"), 403
        )
        assert body["code"] == "OUT_OF_SCOPE"
        everything = api_world.client_for(self.codes("change", "view"), scope="all")
        assert everything.patch(self.detail(shared), {"name": "平台字典（改）"}, format="json").status_code == 200

    def test_duplicate_code_is_a_chinese_400(self, api_world: Any) -> None:
        self.make_object(api_world, api_world.home, 7)
        data = self.create_data(api_world) | {"code": f"D7-{api_world.home.pk}"}
        body = assert_error(self.client(api_world, "add").post(self.url, data, format="json"), 400, "VALIDATION_ERROR")
        assert "已存在" in body["fields"]["code"][0]

    def test_tree_level_cannot_drop_below_existing_depth(self, api_world: Any) -> None:
        d = models.Dictionary.objects.create(institution=api_world.home, code="TREE", name="树", tree_level=2)
        top = models.DictionaryEntry.objects.create(dictionary=d, code="A", name="甲")
        models.DictionaryEntry.objects.create(dictionary=d, code="A1", name="甲一", parent=top)
        body = assert_error(
            self.client(api_world, "change").patch(self.detail(d), {"tree_level": 1}, format="json"), 400
        )
        assert "层级不能小于 2" in body["fields"]["tree_level"][0]


def _local_dictionary(institution: Any, tree_level: int = 1) -> models.Dictionary:
    return models.Dictionary.objects.get_or_create(
        code=f"LOCAL-{institution.pk}",
        defaults={"institution": institution, "name": "本地字典", "tree_level": tree_level},
    )[0]


class TestDictionaryEntryAPI(ResourceAPITests):
    url = "/api/v1/codes/entries"
    permission_base = "codes.entry"
    brief_fields = ["id", "code", "name"]

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        return models.DictionaryEntry.objects.create(
            dictionary=_local_dictionary(institution), code=f"E{n}", name=f"项{n}"
        )

    def create_data(self, world: Any) -> dict[str, Any]:
        return {"dictionary": _local_dictionary(world.home).pk, "code": "PHONE", "name": "电话随访", "sort": 1}

    def create_data_elsewhere(self, world: Any) -> dict[str, Any]:
        return {"dictionary": _local_dictionary(world.other).pk, "code": "PHONE", "name": "电话随访"}

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"name": "电话随访（改）"}

    def test_filter_by_dictionary_code_and_parent(self, api_world: Any) -> None:
        client = self.client(api_world, "view")
        rows = client.get(self.url, {"dictionary_code": "GBT_2261_2", "page_size": 100}).json()["results"]
        assert [r["code"] for r in rows] == ["10", "20", "21", "22", "23", "30", "40", "90"]
        married = next(r for r in rows if r["code"] == "20")
        children = client.get(self.url, {"parent": married["id"]}).json()["results"]
        assert [(r["code"], r["parent_code"]) for r in children] == [("21", "20"), ("22", "20"), ("23", "20")]
        roots = client.get(self.url, {"dictionary_code": "GBT_2261_2", "root": "true"}).json()["results"]
        assert len(roots) == 5
        found = client.get(self.url, {"dictionary_code": "GBT_3304", "search": "基诺"}).json()["results"]
        assert [(r["code"], r["name"]) for r in found] == [("56", "基诺族")]

    def test_depth_is_limited_by_the_tree_level(self, api_world: Any) -> None:
        flat = _local_dictionary(api_world.home)
        top = models.DictionaryEntry.objects.create(dictionary=flat, code="T", name="顶级")
        client = self.client(api_world, "add")
        data = {"dictionary": flat.pk, "code": "C", "name": "下级", "parent": top.pk}
        body = assert_error(client.post(self.url, data, format="json"), 400)
        assert "不分级" in body["fields"]["parent"][0]
        flat.tree_level = 2
        flat.save()
        assert client.post(self.url, data, format="json").status_code == 201
        child = models.DictionaryEntry.objects.get(dictionary=flat, code="C")
        body = assert_error(client.post(self.url, data | {"code": "G", "parent": child.pk}, format="json"), 400)
        assert "最多 2 级" in body["fields"]["parent"][0]

    def test_parent_from_another_dictionary_and_duplicate_code_are_refused(self, api_world: Any) -> None:
        mine = _local_dictionary(api_world.home, tree_level=3)
        foreign = models.DictionaryEntry.objects.get(dictionary__code="GBT_2261_1", code="1")
        client = self.client(api_world, "add")
        body = assert_error(
            client.post(
                self.url, {"dictionary": mine.pk, "code": "X", "name": "甲", "parent": foreign.pk}, format="json"
            ),
            400,
        )
        assert "同一字典" in body["fields"]["parent"][0]
        models.DictionaryEntry.objects.create(dictionary=mine, code="X", name="甲")
        body = assert_error(
            client.post(self.url, {"dictionary": mine.pk, "code": "X", "name": "乙"}, format="json"), 400
        )
        assert body["message"] == "该字典中已存在相同编码的字典项。"

    def test_entry_with_children_cannot_be_deleted(self, api_world: Any) -> None:
        d = _local_dictionary(api_world.home, tree_level=2)
        top = models.DictionaryEntry.objects.create(dictionary=d, code="P", name="父")
        models.DictionaryEntry.objects.create(dictionary=d, code="C", name="子", parent=top)
        assert_error(self.client(api_world, "delete").delete(self.detail(top)), 409, "IN_USE")
        assert models.DictionaryEntry.objects.filter(pk=top.pk).exists()


class TestParameterAPI(SharedResourceTests):
    url = "/api/v1/codes/parameters"
    permission_base = "codes.parameter"
    brief_fields = ["id", "code", "name"]

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        return models.Parameter.objects.create(
            code=f"test.p{n}_{institution.pk}", name=f"参数{n}", value_type="int", default_value="1"
        )

    def create_data(self, world: Any) -> dict[str, Any]:
        return {
            "code": "followup.remind_days",
            "name": "随访提醒提前天数",
            "group": "随访",
            "value_type": "int",
            "default_value": 3,
            "min_value": "0",
            "max_value": "30",
        }

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"name": "改名后的参数"}

    def test_default_is_stored_as_canonical_text(self, api_world: Any) -> None:
        client = self.client(api_world, "add")
        data = {"code": "feature.enabled", "name": "启用新功能", "value_type": "bool", "default_value": True}
        assert client.post(self.url, data, format="json").status_code == 201
        assert models.Parameter.objects.get(code="feature.enabled").default_value == "true"


class TestParameterValueAPI(ResourceAPITests):
    url = "/api/v1/codes/parameter-values"
    permission_base = "codes.parameter_value"
    supports_import = False

    def _parameter(self, code: str) -> models.Parameter:
        return models.Parameter.objects.get_or_create(
            code=code,
            defaults={
                "name": "随访间隔（天）",
                "value_type": "int",
                "default_value": "30",
                "min_value": 1,
                "max_value": 365,
                "allow_institution_override": True,
            },
        )[0]

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        return models.ParameterValue.objects.create(
            parameter=self._parameter(f"test.pv{n}_{institution.pk}"), institution=institution, value=str(n + 1)
        )

    def create_data(self, world: Any) -> dict[str, Any]:
        return {"parameter": self._parameter("followup.interval_days").code, "institution": world.home.pk, "value": 14}

    def create_data_elsewhere(self, world: Any) -> dict[str, Any]:
        return self.create_data(world) | {"institution": world.other.pk}

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"value": 90}


class TestDataElementAPI(SharedResourceTests):
    url = "/api/v1/codes/data-elements"
    permission_base = "codes.data_element"

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        return models.DataElement.objects.create(
            identifier=f"DE99.{institution.pk % 100:02d}.{n:03d}.00",
            name=f"测试数据元{n}",
            data_type="S1",
            format="A..20",
            standard_version="测试",
        )

    def create_data(self, world: Any) -> dict[str, Any]:
        return {
            "identifier": "DE99.99.001.00",
            "internal_id": "TEST.01",
            "name": "测试数据元",
            "data_type": "N",
            "format": "N6,2",
            "standard_version": "测试",
        }

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"definition": "用于测试的数据元"}

    def test_format_must_parse_and_suit_the_type(self, api_world: Any) -> None:
        client = self.client(api_world, "add")
        body = assert_error(client.post(self.url, self.create_data(api_world) | {"format": "X9"}, format="json"), 400)
        assert "无法识别的表示格式" in body["fields"]["format"][0]
        body = assert_error(client.post(self.url, self.create_data(api_world) | {"format": "D8"}, format="json"), 400)
        assert "不符" in body["fields"]["format"][0]
        body = assert_error(
            client.post(self.url, self.create_data(api_world) | {"identifier": "DE1.2"}, format="json"), 400
        )
        assert "DE02.01.039.00" in body["fields"]["identifier"][0]
