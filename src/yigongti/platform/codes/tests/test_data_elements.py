"""WS/T 363 data-element formats (china-standards.md §9.3) and ``validate_value``."""

from __future__ import annotations

from typing import Any

import pytest

from yigongti.core.testing.api import assert_error
from yigongti.platform.codes import selectors, services
from yigongti.platform.codes.formats import FormatError, ValueFormat, check_value, parse_format
from yigongti.platform.codes.models import DataElement, Dictionary, DictionaryEntry


def _element(identifier: str) -> DataElement:
    return DataElement.objects.select_related("value_domain").get(identifier=identifier)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A..50", ValueFormat("A..50", "A", 0, 50)),
        ("N1", ValueFormat("N1", "N", 1, 1)),
        ("AN..18", ValueFormat("AN..18", "AN", 0, 18)),
        ("AN4..18", ValueFormat("AN4..18", "AN", 4, 18)),
        ("N6,2", ValueFormat("N6,2", "N", 0, 6, 2)),
        ("N..5,1", ValueFormat("N..5,1", "N", 0, 5, 1)),
        ("D8", ValueFormat("D8", "D")),
        ("DT15", ValueFormat("DT15", "DT")),
        ("T6", ValueFormat("T6", "T")),
        ("TF", ValueFormat("TF", "TF")),
    ],
)
def test_parse_format(text: str, expected: ValueFormat) -> None:
    assert parse_format(text) == expected


@pytest.mark.parametrize("text", ["", "B..5", "A..", "N0", "A5..2", "A6,2", "N2,2", "D6", "TF1"])
def test_bad_formats_are_refused(text: str) -> None:
    with pytest.raises(FormatError):
        parse_format(text)


@pytest.mark.parametrize(
    ("fmt", "value", "ok"),
    [
        ("A..50", "张三", True),
        ("A..50", "欧阳" * 25, True),
        ("A..50", "欧阳" * 25 + "娜", False),
        ("A..50", "张\n三", False),
        ("N1", "1", True),
        ("N1", "12", False),
        ("N2", "1", False),
        ("N2", "01", True),
        ("N2", "0a", False),
        ("N2", "１２", False),  # full-width digits are not N
        ("N..20", "13800000000", True),
        ("N..20", "025-12345678", False),
        ("AN..18", "11010519491231002X", True),
        ("AN..18", "110105194912310021X", False),
        ("AN..18", "110105-1949", False),
        ("AN4..18", "AB1", False),
        ("N6,2", "1234.56", True),
        ("N6,2", "1234", True),
        ("N6,2", "12345.6", False),
        ("N6,2", "1.234", False),
        ("N6,2", "-1.5", False),
        ("N6,2", "1.", False),
        ("D8", "20240229", True),
        ("D8", "20230229", False),
        ("D8", "2023-02-28", False),
        ("D8", "20231301", False),
        ("DT15", "20240101T235959", True),
        ("DT15", "20240101T240000", False),
        ("DT15", "20240101 120000", False),
        ("T6", "083000", True),
        ("T6", "086000", False),
        ("TF", "T", True),
        ("TF", "F", True),
        ("TF", "1", False),
        ("TF", "t", False),
        ("A..10", "", False),
    ],
)
def test_check_value(fmt: str, value: str, ok: bool) -> None:
    if ok:
        check_value(parse_format(fmt), value)
    else:
        with pytest.raises(FormatError) as err:
            check_value(parse_format(fmt), value)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value))


@pytest.mark.django_db
def test_section_9_3_vectors() -> None:
    name, sex, birth = _element("DE02.01.039.00"), _element("DE02.01.040.00"), _element("DE02.01.005.01")
    assert selectors.validate_value(name, "张三").valid
    refused = selectors.validate_value(sex, "3")
    assert not refused.valid and refused.message == "性别代码：「3」不在值域「人的性别代码」中。"
    accepted = selectors.validate_value(sex, "1")
    assert accepted.valid and "男性" in accepted.message
    invalid_date = selectors.validate_value(birth, "20230229")
    assert not invalid_date.valid and "不是有效的日期" in invalid_date.message
    assert selectors.validate_value(birth, "20240229").valid


@pytest.mark.django_db
def test_value_domains_of_seeded_elements() -> None:
    ethnic, marital, flag = _element("DE02.01.025.00"), _element("DE02.01.018.00"), _element("DE05.01.022.00")
    assert selectors.validate_value(ethnic, "56").valid
    assert not selectors.validate_value(ethnic, "57").valid  # right shape, not a GB/T 3304 code
    assert "应为 2 位" in selectors.validate_value(ethnic, "1").message  # N2 format comes first
    assert selectors.validate_value(marital, "22").valid  # a second-level code of the tree
    assert selectors.validate_value(flag, "F").valid and not selectors.validate_value(flag, "否").valid
    abo = _element("DE04.50.001.00")  # value domain not loaded: the format alone is checked
    assert abo.value_domain is None and selectors.validate_value(abo, "1").valid


@pytest.mark.django_db
def test_disabled_entries_and_binned_domains_are_refused() -> None:
    domain = Dictionary.objects.create(code="BLOOD_RH", name="Rh血型（测试）")
    DictionaryEntry.objects.create(dictionary=domain, code="1", name="阴性")
    DictionaryEntry.objects.create(dictionary=domain, code="3", name="不详", is_enabled=False)
    element = DataElement.objects.create(
        identifier="DE99.50.010.00", name="Rh血型代码", data_type="S2", format="N1", value_domain=domain
    )
    assert selectors.validate_value(element, "1").valid
    assert "已停用" in selectors.validate_value(element, "3").message
    domain.deleted_at = domain.created_at
    domain.save()
    assert "已被删除" in selectors.validate_value(element, "1").message
    # a dictionary still used as a value domain cannot be moved to the bin
    other = Dictionary.objects.create(code="USED", name="在用值域")
    element.value_domain = other
    element.save()
    from yigongti.core.errors import ConflictError

    with pytest.raises(ConflictError):
        services.dictionary_delete(dictionary=other, actor=None)


@pytest.mark.django_db
def test_validate_endpoint(api_world: Any) -> None:
    sex = _element("DE02.01.040.00")
    url = f"/api/v1/codes/data-elements/{sex.pk}/validate"
    client = api_world.client_for(["codes.data_element.view"])
    assert client.post(url, {"value": "2"}, format="json").json() == {
        "valid": True,
        "message": "符合性别代码的要求：2 女性。",
    }
    assert client.post(url, {"value": "3"}, format="json").json() == {
        "valid": False,
        "message": "性别代码：「3」不在值域「人的性别代码」中。",
    }
    assert client.post(url, {"value": ""}, format="json").json()["valid"] is False
    assert_error(client.post(url, {}, format="json"), 400, "VALIDATION_ERROR")
    assert_error(api_world.client_for(["codes.data_element.add"]).post(url, {"value": "1"}, format="json"), 403)
    assert_error(client.post("/api/v1/codes/data-elements/999999/validate", {"value": "1"}, format="json"), 404)
    birth = _element("DE02.01.005.01")
    body = client.post(f"/api/v1/codes/data-elements/{birth.pk}/validate", {"value": "20230229"}, format="json").json()
    assert body == {"valid": False, "message": "出生日期：「20230229」不是有效的日期。"}
