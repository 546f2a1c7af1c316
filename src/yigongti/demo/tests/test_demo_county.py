"""The demo county generator: structure, valid identifiers, prevalence, accounts, idempotence,
determinism."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import RequestFactory

from yigongti.core.audit.models import AuditLog
from yigongti.core.audit.services import audit_verify
from yigongti.core.fields import blind_index_for
from yigongti.core.validators import (
    id_number_birth_date,
    id_number_sex,
    normalize_id_number,
    validate_uscc,
)
from yigongti.demo import places
from yigongti.demo.accounts import DEMO_PASSWORD, DEMO_USERNAMES, demo_accounts
from yigongti.demo.generator import REFERENCE_DATE, DemoExists, generate_county
from yigongti.platform.accounts.models import User
from yigongti.platform.org.models import (
    Bed,
    Community,
    Department,
    Equipment,
    FamilyDoctorTeam,
    Institution,
    Staff,
)
from yigongti.platform.registry.models import Resident

pytestmark = pytest.mark.django_db

MOBILE = re.compile(r"^1[3-9]\d{9}$")


def _age(birth: dt.date, on: dt.date = REFERENCE_DATE) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@pytest.fixture
def county(db: Any) -> Any:
    return generate_county(residents=300, seed=2026)


def test_institutions_by_type_and_tree(county: Any) -> None:
    assert Community.objects.get().name == "云溪县医共体"
    by_type = Counter(Institution.objects.values_list("type", flat=True))
    assert by_type == {
        "lead_hospital": 1, "county_hospital": 1, "township_center": 12, "community_center": 3, "village_clinic": 60,
    }  # fmt: skip
    lead = Institution.objects.get(type="lead_hospital")
    assert lead.name == "云溪县人民医院" and lead.level == "2"
    for village in Institution.objects.filter(type="village_clinic").select_related("parent"):
        assert village.parent is not None and village.parent.type == "township_center"
        assert village.name.startswith(village.parent.name.removeprefix("云溪县")[:3])  # same town
    assert set(
        Institution.objects.filter(type__in=["township_center", "community_center"]).values_list("parent", flat=True)
    ) == {lead.pk}

    # Departments: a hospital-sized tree at the lead hospital, one 诊室 per village clinic.
    lead_departments = Department.objects.filter(institution=lead)
    assert 30 <= lead_departments.count() <= 40
    internal = lead_departments.get(name="内科")
    assert set(internal.children.values_list("name", flat=True)) == {
        "心血管内科", "呼吸内科", "消化内科", "神经内科", "内分泌科", "肾内科",
    }  # fmt: skip
    assert lead_departments.get(name="心血管内科").standard_code == "03.04"
    assert Department.objects.filter(institution__type="village_clinic").count() == 60

    # Staff: ≈800, most at the county hospitals; one doctor per village clinic.
    assert 780 <= Staff.objects.count() <= 900
    assert 350 <= Staff.objects.filter(institution=lead).count() <= 400
    assert Staff.objects.filter(institution__type="village_clinic").count() == 60
    assert Staff.objects.filter(department__isnull=True).count() == 0
    assert Staff.objects.values("code").distinct().count() == Staff.objects.count()  # 工号 unique county-wide
    physicians = Staff.objects.filter(
        post__code__in=["clinician", "family_doctor", "public_health"], title__isnull=False
    )
    assert all(re.fullmatch(r"\d{15}", s.practising_cert_no) for s in physicians)

    # Family doctor teams: 2–4 at every township and community centre, led by one of its doctors.
    for inst in Institution.objects.filter(type__in=["township_center", "community_center"]):
        teams = FamilyDoctorTeam.objects.filter(institution=inst)
        assert 2 <= teams.count() <= 4
        for team in teams:
            assert team.leader is not None and team.leader.institution_id == inst.pk
            assert team.members.filter(pk=team.leader.pk).exists()
            assert team.members.count() >= 3

    # Beds and equipment in plausible places.
    assert Bed.objects.filter(institution=lead).count() == 400
    assert Bed.objects.filter(institution__type="county_hospital").count() == 120
    assert Bed.objects.filter(institution__type="village_clinic").count() == 0
    assert Equipment.objects.filter(institution=lead, category="ct").count() == 2
    assert Equipment.objects.filter(institution__type="township_center", category="dr").count() == 12
    assert county.counts["residents"] == Resident.objects.count() == 300


def test_every_org_row_is_valid(county: Any) -> None:
    usccs = list(Institution.objects.values_list("uscc", flat=True))
    assert len(set(usccs)) == len(usccs) == 77
    for code in usccs:
        validate_uscc(code)
        assert code.startswith("12" + places.COUNTY_CODE)
    for model in (Institution, Department, Staff, Bed, Equipment, FamilyDoctorTeam):
        for row in model.objects.all():
            row.full_clean()


def test_resident_identifiers_are_valid_and_consistent(county: Any) -> None:
    residents = list(Resident.objects.all())
    numbers = set()
    for r in residents:
        number = normalize_id_number(r.id_number)  # decrypted by the field
        assert number == r.id_number and number.startswith(places.COUNTY_CODE)
        assert id_number_birth_date(number) == r.birth_date
        assert id_number_sex(number) == r.sex
        numbers.add(number)
        assert r.division_code[:6] == places.COUNTY_CODE and len(r.division_code) == 9
        assert r.home_institution.type in ("township_center", "community_center")
        if r.family_doctor_team_id is not None:
            assert r.family_doctor_team.institution_id == r.home_institution_id
        if r.phone:
            assert MOBILE.fullmatch(r.phone)
        assert r.address.startswith("江苏省云溪县")
        r.full_clean()
    assert len(numbers) == len(residents)
    # Blind indexes were filled by bulk_create: exact search works.
    sample = residents[0]
    assert Resident.objects.get(id_number_bidx=blind_index_for(Resident, "id_number_bidx", sample.id_number)) == sample
    # Raw column holds ciphertext, not the number.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id_number, phone, address FROM {Resident._meta.db_table} WHERE id = %s", [sample.pk])
        raw = cursor.fetchone()
    assert all(value.startswith("sm4gcm1:") for value in raw if value)
    assert sample.id_number not in "".join(raw)


def test_chronic_disease_prevalence_is_realistic(db: Any) -> None:
    generate_county(residents=3000, seed=99, staff_accounts=False)
    adults = Resident.objects.filter(
        birth_date__lte=dt.date(REFERENCE_DATE.year - 35, REFERENCE_DATE.month, REFERENCE_DATE.day)
    )
    n = adults.count()
    assert 1700 <= n <= 2300  # older-skewed pyramid: ≈2/3 aged 35+
    hypertension = adults.filter(chronic_diseases__code="hypertension").count() / n
    diabetes = adults.filter(chronic_diseases__code="diabetes").count() / n
    assert 0.18 <= hypertension <= 0.32
    assert 0.06 <= diabetes <= 0.14
    young = Resident.objects.exclude(pk__in=adults)
    assert young.filter(chronic_diseases__code="hypertension").count() / young.count() < 0.03
    with_team = Resident.objects.filter(family_doctor_team__isnull=False).count() / 3000
    assert 0.62 <= with_team <= 0.78
    elderly = sum(1 for b in Resident.objects.values_list("birth_date", flat=True) if _age(b) >= 60)
    assert 0.22 <= elderly / 3000 <= 0.36


def test_demo_users_authenticate_with_the_demo_password(county: Any) -> None:
    request = RequestFactory().post("/api/v1/auth/login")
    for username in DEMO_USERNAMES:
        user = authenticate(request, username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert user.must_change_password is False
        assert authenticate(request, username=username, password="wrong-Password1") is None
    roles = {u.username: {r.code for r in u.roles.all()} for u in User.objects.prefetch_related("roles")}
    assert roles["sysadmin"] == {"sysadmin"} and roles["secadmin"] == {"secadmin"} and roles["auditor"] == {"auditor"}
    assert roles["admin_county"] == {"community_admin"} and roles["supervisor"] == {"supervisor"}
    assert roles["gongwei_qingshi"] == {"public_health"}
    assert User.objects.get(username="gongwei_qingshi").has_code("registry.resident.view_sensitive")
    assert not User.objects.get(username="doctor_county").has_code("registry.resident.view_sensitive")
    assert all(User.objects.get(username=u).requires_otp() for u in ("sysadmin", "secadmin", "auditor"))

    doctor = User.objects.get(username="doctor_county")
    assert doctor.institution.name == "云溪县人民医院" and doctor.department.name == "心血管内科"
    assert doctor.staff is not None and doctor.name == doctor.staff.name
    assert User.objects.get(username="doctor_qingshi").institution.name == "云溪县青石镇中心卫生院"
    assert User.objects.get(username="doctor_liuhe").institution.name == "云溪县柳河镇中心卫生院"
    assert User.objects.get(username="supervisor").institution is None

    staff_users = User.objects.filter(username__startswith="u")
    assert abs(staff_users.count() - round(Staff.objects.count() * 0.1)) <= 1
    for user in staff_users.select_related("staff"):
        assert user.username == "u" + user.staff.code and user.institution_id == user.staff.institution_id
    assert [row[0] for row in demo_accounts()] == list(DEMO_USERNAMES)


def test_one_audit_row_summarises_the_generation(county: Any) -> None:
    rows = AuditLog.objects.filter(action="demo.county.generate")
    assert rows.count() == 1
    row = rows.get()
    assert row.category == "system" and row.user_code == "system"
    assert row.after["counts"]["residents"] == 300 and row.after["seed"] == 2026
    assert "居民 300 人" in row.content
    assert audit_verify().ok


def test_command_if_empty_does_nothing_the_second_time(db: Any) -> None:
    out = io.StringIO()
    call_command("demo-county", "--residents", "50", "--seed", "3", "--if-empty", stdout=out)
    text = out.getvalue()
    assert "Yigongti@2026" in text and "doctor_county" in text and "TOTP" in text
    counts = (Institution.objects.count(), Staff.objects.count(), Resident.objects.count(), User.objects.count())
    assert counts[2] == 50

    out = io.StringIO()
    call_command("demo-county", "--residents", "50", "--if-empty", stdout=out)
    assert "已有医共体" in out.getvalue()
    assert (
        Institution.objects.count(),
        Staff.objects.count(),
        Resident.objects.count(),
        User.objects.count(),
    ) == counts
    assert AuditLog.objects.filter(action="demo.county.generate").count() == 1

    out = io.StringIO()
    call_command("demo-accounts", "--url", "http://127.0.0.1:8000/", stdout=out)
    listing = out.getvalue()
    assert "http://127.0.0.1:8000/" in listing and DEMO_PASSWORD in listing
    assert all(username in listing for username in DEMO_USERNAMES)

    with pytest.raises(CommandError):
        call_command("demo-county", "--residents", "50", stdout=io.StringIO())
    with pytest.raises(DemoExists):
        generate_county(residents=10)


class _Rollback(Exception):
    pass


def _snapshot(seed: int) -> dict[str, list[Any]]:
    data: dict[str, list[Any]] = {}
    try:
        with transaction.atomic():
            generate_county(residents=200, seed=seed)
            data["residents"] = list(
                Resident.objects.order_by("id").values_list("name", "birth_date", "sex", "division_code")
            )
            data["ids"] = [r.id_number for r in Resident.objects.order_by("id")]
            data["staff"] = list(Staff.objects.order_by("id").values_list("code", "name", "birth_date", "title__name"))
            data["uscc"] = list(Institution.objects.order_by("id").values_list("uscc", flat=True))
            data["users"] = list(User.objects.order_by("username").values_list("username", "staff__code"))
            raise _Rollback
    except _Rollback:
        pass
    return data


def test_same_seed_gives_the_same_county(db: Any) -> None:
    first, again, other = _snapshot(7), _snapshot(7), _snapshot(8)
    assert first == again
    assert first["residents"] != other["residents"]
    assert first["staff"] != other["staff"]
