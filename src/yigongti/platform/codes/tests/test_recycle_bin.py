"""字典回收站 (PLAT-04): delete → bin → restore, and purge only from the bin, each step audited."""

from __future__ import annotations

from typing import Any

import pytest

from yigongti.core.audit.models import AuditLog
from yigongti.core.testing.api import assert_error
from yigongti.platform.codes import selectors
from yigongti.platform.codes.models import DataElement, Dictionary, DictionaryEntry

pytestmark = pytest.mark.django_db

URL = "/api/v1/codes/dictionaries"
ALL = [
    "codes.dictionary.view",
    "codes.dictionary.delete",
    "codes.dictionary.restore",
    "codes.dictionary.purge",
    "codes.entry.view",
]


def _dictionary(institution: Any, code: str = "VISIT_WAY") -> Dictionary:
    d = Dictionary.objects.create(institution=institution, code=code, name="随访方式", tree_level=2)
    top = DictionaryEntry.objects.create(dictionary=d, code="HOME", name="上门随访")
    DictionaryEntry.objects.create(dictionary=d, code="HOME_NIGHT", name="夜间上门", parent=top)
    DictionaryEntry.objects.create(dictionary=d, code="PHONE", name="电话随访")
    return d


def _listed(client: Any, url: str, **params: Any) -> list[str]:
    return [row["code"] for row in client.get(url, {"page_size": 500, **params}).json()["results"]]


def test_delete_bin_restore_purge_flow(api_world: Any) -> None:
    d = _dictionary(api_world.home)
    client = api_world.client_for(ALL)
    user = api_world.last_user

    # delete: into the bin, entries kept, one audit row with the before/after of the move
    assert client.delete(f"{URL}/{d.pk}").status_code == 204
    row = Dictionary.all_objects.get(pk=d.pk)
    assert row.deleted_at is not None and row.deleted_by_id == user.pk
    assert DictionaryEntry.all_objects.filter(dictionary=d).count() == 3
    deleted = AuditLog.objects.get(object_type="codes.dictionary", object_id=str(d.pk), category="delete")
    assert deleted.before["deleted_at"] is None and deleted.after["deleted_by_id"] == user.pk
    assert deleted.content == f"删除字典（移入回收站）：{row}" and deleted.user_code == user.username

    # not in the normal lists, lookups or pickers any more
    assert "VISIT_WAY" not in _listed(client, URL)
    assert_error(client.get(f"{URL}/{d.pk}"), 404, "NOT_FOUND")
    assert _listed(client, "/api/v1/codes/entries", dictionary_code="VISIT_WAY") == []
    assert selectors.entry_choices("VISIT_WAY") == [] and selectors.dictionary_get("VISIT_WAY") is None

    # in the bin
    binned = client.get(f"{URL}/recycle-bin").json()
    mine = [r for r in binned["results"] if r["code"] == "VISIT_WAY"]
    assert binned["count"] == len(binned["results"])
    assert len(mine) == 1 and mine[0]["entry_count"] == 3 and mine[0]["deleted_by_name"] == user.name
    assert mine[0]["deleted_at"]

    # restore: back in the lists, with its entries; one 恢复 audit row
    response = client.post(f"{URL}/{d.pk}/restore")
    assert response.status_code == 200, response.content
    assert response.json()["code"] == "VISIT_WAY" and response.json()["entry_count"] == 3
    assert "VISIT_WAY" in _listed(client, URL)
    assert "VISIT_WAY" not in _listed(client, f"{URL}/recycle-bin")
    assert [c for c, _ in selectors.entry_choices("VISIT_WAY")] == ["HOME", "HOME_NIGHT", "PHONE"]
    restored = AuditLog.objects.get(object_id=str(d.pk), category="restore")
    assert restored.before["deleted_at"] is not None and restored.after["deleted_at"] is None

    # purge refuses a dictionary that is not in the bin
    before = AuditLog.objects.count()
    assert_error(client.delete(f"{URL}/{d.pk}/purge"), 409, "DICTIONARY_NOT_IN_RECYCLE_BIN")
    assert Dictionary.objects.filter(pk=d.pk).exists() and AuditLog.objects.count() == before

    # delete again, then purge: gone for good with its entries (children and parents together)
    assert client.delete(f"{URL}/{d.pk}").status_code == 204
    assert client.delete(f"{URL}/{d.pk}/purge").status_code == 204
    assert not Dictionary.all_objects.filter(pk=d.pk).exists()
    assert not DictionaryEntry.all_objects.filter(dictionary_id=d.pk).exists()
    purged = AuditLog.objects.filter(object_id=str(d.pk), category="delete").order_by("-id").first()
    assert purged is not None and purged.after is None and purged.content.startswith("彻底删除字典")
    assert sorted(e["code"] for e in purged.before["entries"]) == ["HOME", "HOME_NIGHT", "PHONE"]
    assert AuditLog.objects.filter(object_id=str(d.pk), object_type="codes.dictionary").count() == 4
    assert "VISIT_WAY" not in _listed(client, f"{URL}/recycle-bin")


def test_restoring_twice_and_deleting_twice_are_conflicts(api_world: Any) -> None:
    d = _dictionary(api_world.home)
    client = api_world.client_for(ALL)
    assert_error(client.post(f"{URL}/{d.pk}/restore"), 409, "DICTIONARY_NOT_DELETED")
    assert client.delete(f"{URL}/{d.pk}").status_code == 204
    assert_error(client.delete(f"{URL}/{d.pk}"), 404, "NOT_FOUND")  # no longer in the normal list


def test_bin_needs_restore_or_purge_rights(api_world: Any) -> None:
    d = _dictionary(api_world.home)
    d.deleted_at = d.created_at
    d.save()
    viewer = api_world.client_for(["codes.dictionary.view", "codes.dictionary.delete"])
    assert_error(viewer.get(f"{URL}/recycle-bin"), 403, "PERMISSION_DENIED")
    assert_error(viewer.post(f"{URL}/{d.pk}/restore"), 403, "PERMISSION_DENIED")
    assert_error(viewer.delete(f"{URL}/{d.pk}/purge"), 403, "PERMISSION_DENIED")
    purger = api_world.client_for(["codes.dictionary.purge"])
    assert "VISIT_WAY" in _listed(purger, f"{URL}/recycle-bin")
    assert_error(purger.post(f"{URL}/{d.pk}/restore"), 403, "PERMISSION_DENIED")
    assert_error(api_world.anonymous().get(f"{URL}/recycle-bin"), 401, "NOT_AUTHENTICATED")
    assert Dictionary.all_objects.filter(pk=d.pk).exists()


def test_bin_respects_the_data_scope(api_world: Any) -> None:
    theirs = _dictionary(api_world.other, code="THEIRS")
    shared = _dictionary(None, code="SHARED")
    for d in (theirs, shared):
        d.deleted_at = d.created_at
        d.save()
    client = api_world.client_for(ALL)
    listed = _listed(client, f"{URL}/recycle-bin")
    assert "THEIRS" not in listed
    assert_error(client.post(f"{URL}/{theirs.pk}/restore"), 404, "NOT_FOUND")
    assert_error(client.delete(f"{URL}/{theirs.pk}/purge"), 404, "NOT_FOUND")
    assert_error(client.post(f"{URL}/{shared.pk}/restore"), 404, "NOT_FOUND")  # platform rows need 全部 scope
    admin = api_world.client_for(ALL, scope="all")
    assert admin.post(f"{URL}/{shared.pk}/restore").status_code == 200
    assert Dictionary.all_objects.get(pk=theirs.pk).deleted_at is not None


def test_dictionary_in_use_cannot_be_deleted(api_world: Any) -> None:
    d = _dictionary(None, code="IN_USE")
    DataElement.objects.create(
        identifier="DE99.00.001.00", name="测试数据元", data_type="S3", format="AN..20", value_domain=d
    )
    client = api_world.client_for(ALL, scope="all")
    before = AuditLog.objects.count()
    body = assert_error(client.delete(f"{URL}/{d.pk}"), 409, "DICTIONARY_IN_USE")
    assert "测试数据元" in body["message"]
    assert Dictionary.objects.filter(pk=d.pk).exists() and AuditLog.objects.count() == before


def test_code_of_a_binned_dictionary_cannot_be_reused(api_world: Any) -> None:
    d = _dictionary(api_world.home)
    client = api_world.client_for([*ALL, "codes.dictionary.add"])
    assert client.delete(f"{URL}/{d.pk}").status_code == 204
    body = assert_error(
        client.post(URL, {"institution": api_world.home.pk, "code": "VISIT_WAY", "name": "新随访方式"}, format="json"),
        400,
        "VALIDATION_ERROR",
    )
    assert "回收站" in body["fields"]["code"][0]


def test_entries_of_a_binned_dictionary_cannot_be_edited(api_world: Any) -> None:
    d = _dictionary(api_world.home)
    entry = DictionaryEntry.objects.get(dictionary=d, code="PHONE")
    client = api_world.client_for([*ALL, "codes.entry.change", "codes.entry.add"])
    assert client.delete(f"{URL}/{d.pk}").status_code == 204
    assert_error(client.patch(f"/api/v1/codes/entries/{entry.pk}", {"name": "改"}, format="json"), 404, "NOT_FOUND")
    body = assert_error(
        client.post("/api/v1/codes/entries", {"dictionary": d.pk, "code": "NEW", "name": "新"}, format="json"), 400
    )
    assert "不存在或无权使用" in body["fields"]["dictionary"][0]
