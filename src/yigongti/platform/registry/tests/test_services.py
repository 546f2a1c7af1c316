"""Resident services: ID-number rules (GB 11643, china-standards §10.1), duplicates, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from yigongti.core.audit.models import AuditLog
from yigongti.core.errors import ConflictError
from yigongti.core.fields import blind_index_for
from yigongti.core.validators import normalize_id_number, upgrade_id_number
from yigongti.platform.registry import services
from yigongti.platform.registry.models import ChronicDisease, Resident
from yigongti.platform.registry.selectors import birth_date_range
from yigongti.platform.registry.testing import make_id_number, make_resident

pytestmark = pytest.mark.django_db


def create(world: Any, id_number: str, **kw: Any) -> Resident:
    data = {"id_number": id_number, "name": "王芳", "home_institution": world.home} | kw
    return services.resident_create(data=data, actor=None)


@pytest.mark.parametrize(
    ("number", "birth", "sex"),
    [
        ("360426199101010071", dt.date(1991, 1, 1), "1"),
        ("120103198806018241", dt.date(1988, 6, 1), "2"),
        ("11010519491231002X", dt.date(1949, 12, 31), "2"),
        ("11010519491231002x", dt.date(1949, 12, 31), "2"),  # lowercase check character accepted
    ],
)
def test_valid_numbers_derive_birth_date_and_sex(api_world: Any, number: str, birth: dt.date, sex: str) -> None:
    resident = create(api_world, number)
    resident.refresh_from_db()
    assert resident.id_number == number.upper()
    assert resident.birth_date == birth
    assert resident.sex == sex


def test_invalid_checksum_is_refused_in_chinese(api_world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        create(api_world, "360426199101010072")
    assert exc.value.message_dict == {"id_number": ["身份证号码校验位错误，请核对。"]}
    assert not Resident.objects.exists()
    assert not AuditLog.objects.filter(object_type="registry.resident").exists()


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("36042619910101007", "身份证号码应为 18 位（末位可为 X）或 15 位旧号码。"),
        ("360426199113010071", "身份证号码中的出生日期无效。"),
        ("", "请填写身份证号码。"),
    ],
)
def test_malformed_numbers_are_refused(api_world: Any, number: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        create(api_world, number)
    assert exc.value.message_dict["id_number"] == [message]


def test_legacy_15_digit_number_is_upgraded_to_18() -> None:
    upgraded = upgrade_id_number("320102800101001")
    assert upgraded == "320102198001010016"  # the §10.1 synthetic vector
    assert len(upgraded) == 18 and upgraded.startswith("32010219800101001")
    assert normalize_id_number(upgraded) == upgraded  # its check digit validates


def test_legacy_number_is_stored_in_18_digit_form(api_world: Any) -> None:
    resident = create(api_world, "320102800101001")
    resident.refresh_from_db()
    assert resident.id_number == "320102198001010016"
    assert resident.birth_date == dt.date(1980, 1, 1) and resident.sex == "1"
    assert resident.id_number_bidx == blind_index_for(Resident, "id_number_bidx", "320102198001010016")


def test_birth_date_or_sex_contradicting_the_number_is_refused(api_world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        create(api_world, "360426199101010071", birth_date=dt.date(1991, 1, 2), sex="2")
    errors = exc.value.message_dict
    assert errors["birth_date"] == ["出生日期与身份证号码不一致（身份证号码中的出生日期为 1991-01-01）。"]
    assert errors["sex"] == ["性别与身份证号码不一致（身份证号码第 17 位表示男性）。"]
    assert not Resident.objects.exists()


def test_matching_birth_date_and_sex_are_accepted(api_world: Any) -> None:
    resident = create(api_world, "120103198806018241", birth_date="1988-06-01", sex="2")
    assert resident.birth_date == dt.date(1988, 6, 1)


def test_phone_is_validated(api_world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        create(api_world, "360426199101010071", phone="1380000000x")
    assert exc.value.message_dict["phone"] == ["电话号码格式不正确（手机号 11 位，或区号-固话号码）。"]


def test_duplicate_number_is_a_409_even_in_another_institution(api_world: Any) -> None:
    create(api_world, "320102198001010016", home_institution=api_world.other)
    with pytest.raises(ConflictError) as exc:
        create(api_world, "320102800101001")  # the same person, legacy form, other institution
    assert exc.value.error_code == "RESIDENT_DUPLICATE"
    assert exc.value.message == "该身份证号已建档。"
    assert api_world.other.name not in str(exc.value.fields)
    assert Resident.objects.count() == 1


def test_update_rechecks_number_and_rederives_birth_date(api_world: Any) -> None:
    resident = create(api_world, "360426199101010071")
    updated = services.resident_update(resident=resident, data={"id_number": "120103198806018241"}, actor=None)
    updated.refresh_from_db()
    assert (updated.birth_date, updated.sex) == (dt.date(1988, 6, 1), "2")
    with pytest.raises(ValidationError):
        services.resident_update(resident=updated, data={"sex": "1"}, actor=None)
    other = create(api_world, "11010519491231002X")
    with pytest.raises(ConflictError):
        services.resident_update(resident=other, data={"id_number": "120103198806018241"}, actor=None)


def test_family_doctor_team_must_belong_to_home_institution(api_world: Any) -> None:
    from yigongti.platform.org.models import FamilyDoctorTeam

    team = FamilyDoctorTeam.objects.create(institution=api_world.other, code="T1", name="河口一队")
    with pytest.raises(ValidationError) as exc:
        create(api_world, "360426199101010071", family_doctor_team=team)
    assert exc.value.message_dict["family_doctor_team"] == ["家庭医生团队必须属于建档机构。"]


def test_audit_rows_carry_masked_values_only(api_world: Any) -> None:
    hypertension = ChronicDisease.objects.get(code="hypertension")
    resident = create(
        api_world,
        "360426199101010071",
        phone="13800000000",
        address="江苏省某县城关镇人民路1号",
        chronic_diseases=[hypertension],
    )
    services.resident_update(resident=resident, data={"phone": "13912345678"}, actor=None)
    created = AuditLog.objects.get(category="create", object_id=str(resident.pk))
    assert created.after["id_number"] == "360426********0071"
    assert created.after["phone"] == "138****0000"
    assert "人民路1号" not in created.after["address"]
    assert created.after["chronic_diseases"] == ["hypertension"]
    assert "id_number_bidx" not in created.after and "phone_bidx" not in created.after
    updated = AuditLog.objects.get(category="update", object_id=str(resident.pk))
    assert updated.before == {"phone": "138****0000"} | {k: updated.before[k] for k in updated.before if k != "phone"}
    assert updated.after["phone"] == "139****5678"


def test_bulk_create_computes_blind_indexes(api_world: Any) -> None:
    numbers = [make_id_number(dt.date(1960, 5, 5), n) for n in range(3)]
    Resident.objects.bulk_create(
        [
            Resident(
                id_number=n,
                name="批量",
                sex="1",
                birth_date=dt.date(1960, 5, 5),
                home_institution=api_world.home,
                phone=f"1370000000{i}",
            )
            for i, n in enumerate(numbers)
        ]
    )
    for i, number in enumerate(numbers):
        row = Resident.objects.get(id_number_bidx=blind_index_for(Resident, "id_number_bidx", number))
        assert row.id_number == number
        assert row.phone_bidx == blind_index_for(Resident, "phone_bidx", f"1370000000{i}")


def test_make_id_number_gives_valid_numbers() -> None:
    for n in range(50):
        number = make_id_number(dt.date(1930 + n, 1 + n % 12, 1 + n % 28), n, sex="2")
        assert normalize_id_number(number) == number and int(number[16]) % 2 == 0


def test_birth_date_range_for_ages() -> None:
    today = dt.date(2026, 3, 1)
    assert birth_date_range(60, None, today) == {"birth_date__lte": dt.date(1966, 3, 1)}
    assert birth_date_range(None, 64, today) == {"birth_date__gt": dt.date(1961, 3, 1)}
    leap = dt.date(2024, 2, 29)
    assert birth_date_range(1, None, leap) == {"birth_date__lte": dt.date(2023, 2, 28)}


def test_make_resident_helper(api_world: Any) -> None:
    resident = make_resident(api_world.home)
    assert resident.pk and resident.home_institution_id == api_world.home.pk
