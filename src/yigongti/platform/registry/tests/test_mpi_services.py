"""Master patient index services (PLAT-02): deterministic and probabilistic matching of Chinese
registrations, configurable thresholds, manual rules that beat the algorithm, review decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from yigongti.core.audit.models import AuditLog
from yigongti.platform.codes.models import Parameter, ParameterValue
from yigongti.platform.registry.models import (
    ManualLinkRule,
    MatchCandidate,
    PatientRegistration,
    Resident,
    ResidentIdentifier,
)
from yigongti.platform.registry.mpi import services as mpi
from yigongti.platform.registry.mpi.choices import IdentifierType, RuleKind
from yigongti.platform.registry.mpi.matching import IdentifierKey
from yigongti.platform.registry.testing import make_id_number, make_registration, make_resident

pytestmark = pytest.mark.django_db
BIRTH = dt.date(1980, 5, 6)


def zhang_wei(world: Any, **kw: Any) -> Resident:
    data = {
        "id_number": make_id_number(BIRTH, 11, sex="1"),
        "name": "张伟",
        "phone": "13800001111",
        "address": "江苏省云溪县河口镇幸福村3组12号",
    }
    return make_resident(world.home, **(data | kw))


def register(world: Any, **kw: Any) -> PatientRegistration:
    return make_registration(world.home, **kw)


# -- deterministic ------------------------------------------------------------------------------
def test_legacy_15_digit_number_matches_its_18_digit_upgrade(api_world: Any) -> None:
    resident = make_resident(api_world.other, id_number="320102198001010016", name="李四")
    reg = register(api_world, id_number="320102800101001", name="李 四", local_id="H-1", birth_date=None, sex="")
    assert (reg.outcome, reg.method, reg.status, reg.resident_id) == ("match", "id_number", "linked", resident.pk)
    assert not reg.created_resident and Resident.objects.count() == 1
    ids = ResidentIdentifier.objects.filter(resident=resident)
    assert [(i.type, i.issuer_id, i.value) for i in ids] == [("patient_id", api_world.home.pk, "H-1")]
    # the institution's patient ID now links deterministically, whatever the demographics say
    again = register(api_world, local_id="H-1", name="完全不同", birth_date=dt.date(2001, 1, 1), sex="2")
    assert (again.method, again.resident_id) == ("identifier", resident.pk)


def test_contradicting_sex_or_birth_date_is_a_chinese_validation_error(api_world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        register(api_world, id_number="320102198001010016", sex="2", birth_date=dt.date(1980, 1, 2))
    assert set(exc.value.message_dict) == {"sex", "birth_date"}
    with pytest.raises(ValidationError) as exc:
        register(api_world, birth_date=None, sex="")
    assert exc.value.message_dict["birth_date"] == ["无身份证号码时请填写出生日期。"]
    assert not PatientRegistration.objects.exists()


# -- probabilistic (Chinese) --------------------------------------------------------------------
def test_homophone_surname_with_same_birth_date_and_phone_is_a_match(api_world: Any) -> None:
    resident = zhang_wei(api_world)
    reg = register(api_world, name="章伟", sex="1", birth_date=BIRTH, phone="138-0000-1111", local_id="Z1")
    assert (reg.outcome, reg.method, reg.resident_id) == ("match", "probabilistic", resident.pk)
    assert reg.probability > 0.99 and reg.score > 30


def test_thresholds_from_settings_turn_the_same_pair_into_a_review(api_world: Any, settings: Any) -> None:
    settings.MPI_MATCH_THRESHOLD = 0.9999999
    resident = zhang_wei(api_world)
    reg = register(api_world, name="章伟", sex="1", birth_date=BIRTH, phone="13800001111")
    assert (reg.outcome, reg.status, reg.resident_id) == ("possible_match", "pending", None)
    candidate = MatchCandidate.objects.get(registration=reg)
    assert candidate.resident_id == resident.pk and candidate.status == "pending"
    details = {d["field"]: d for d in candidate.details}
    assert details["family"]["level"] == "homophone" and details["family"]["level_label"] == "同音"
    assert details["given"]["level"] == "exact" and details["phone"]["level"] == "agree"
    assert Resident.objects.count() == 1  # nothing created while the review is pending


def test_thresholds_from_a_codes_parameter_value(api_world: Any) -> None:
    parameter = Parameter.objects.get(code="mpi.match_threshold")
    ParameterValue.objects.create(
        parameter=parameter, value="0.999999", effective_from=timezone.now() - dt.timedelta(minutes=1)
    )
    zhang_wei(api_world)
    assert register(api_world, name="章伟", sex="1", birth_date=BIRTH, phone="13800001111").outcome == "possible_match"


def test_homophone_with_another_birth_year_is_not_a_match(api_world: Any) -> None:
    wang = make_resident(api_world.home, id_number=make_id_number(dt.date(1985, 3, 8), 20, sex="2"), name="王芳")
    reg = register(api_world, name="汪芳", sex="2", birth_date=dt.date(1983, 3, 8))
    assert reg.outcome != "match" and reg.resident_id != wang.pk
    far = register(api_world, name="汪芳", sex="2", birth_date=dt.date(1962, 11, 23))
    assert far.outcome == "no_match" and far.created_resident and far.resident_id not in (wang.pk, None)


def test_transposed_given_name_goes_to_review(api_world: Any) -> None:
    resident = make_resident(api_world.home, id_number=make_id_number(BIRTH, 31, sex="1"), name="张明伟")
    reg = register(api_world, name="张伟明", sex="1", birth_date=BIRTH)
    assert reg.outcome == "possible_match"
    candidate = reg.candidates.get()
    assert candidate.resident_id == resident.pk
    assert {d["field"]: d["level"] for d in candidate.details}["given"] == "transposed"


def test_twin_with_the_same_phone_and_address_is_never_linked_automatically(api_world: Any) -> None:
    zhang_wei(api_world, name="张大伟")
    reg = register(
        api_world, name="张小明", sex="1", birth_date=BIRTH, phone="13800001111", address="河口镇幸福村三组12号"
    )
    assert reg.outcome == "possible_match" and reg.resident_id is None


def test_no_match_without_id_number_creates_a_file_without_one(api_world: Any) -> None:
    reg = register(api_world, name="新生儿", sex="2", birth_date=dt.date(2026, 1, 2), local_id="NB-1")
    resident = reg.resident
    assert reg.outcome == "no_match" and reg.method == "new_resident" and reg.created_resident
    assert (resident.id_number, resident.name, resident.home_institution_id) == ("", "新生儿", api_world.home.pk)
    assert AuditLog.objects.filter(object_type="registry.resident", category="create").count() == 1
    assert AuditLog.objects.filter(object_type="registry.patientregistration", category="create").count() == 1


# -- manual rules win -------------------------------------------------------------------------------
def test_never_link_beats_a_perfect_score(api_world: Any) -> None:
    resident = zhang_wei(api_world)
    key = IdentifierKey(IdentifierType.PATIENT_ID, api_world.home.pk, "NEVER-1")
    mpi.link_rule_create(kind=RuleKind.NEVER_LINK, key=key, resident=resident, actor=None)
    same = {
        "name": "张伟",
        "sex": "1",
        "birth_date": BIRTH,
        "phone": "13800001111",
        "address": resident.address,
        "id_number": resident.id_number,
    }
    reg = register(api_world, local_id="NEVER-1", **same)
    assert reg.outcome == "no_match" and reg.resident_id != resident.pk and reg.created_resident
    assert reg.resident.id_number == ""  # the number stays with the file it belongs to
    assert register(api_world, local_id="OTHER", **same).resident_id == resident.pk  # the rule is per identifier


def test_force_link_beats_a_low_score(api_world: Any) -> None:
    resident = zhang_wei(api_world)
    key = IdentifierKey(IdentifierType.PATIENT_ID, api_world.home.pk, "FORCE-1")
    mpi.link_rule_create(kind=RuleKind.FORCE_LINK, key=key, resident=resident, actor=None, reason="病案室核实")
    reg = register(api_world, local_id="FORCE-1", name="赵六", sex="2", birth_date=dt.date(1999, 9, 9))
    assert (reg.outcome, reg.method, reg.resident_id) == ("match", "force_link", resident.pk)
    rule = ManualLinkRule.objects.get()
    assert "FORCE-1" not in rule.value_hint and len(rule.value_bidx) == 64


# -- review decisions ---------------------------------------------------------------------------------
def test_review_link_links_closes_the_other_candidates_and_remembers(api_world: Any, settings: Any) -> None:
    settings.MPI_MATCH_THRESHOLD = 0.9999999
    first = zhang_wei(api_world)
    second = zhang_wei(api_world, id_number=make_id_number(BIRTH, 13, sex="1"), phone="13900002222")
    reg = register(api_world, name="章伟", sex="1", birth_date=BIRTH, local_id="R-1")
    pending = {c.resident_id: c for c in reg.candidates.all()}
    assert set(pending) == {first.pk, second.pk}
    linked = mpi.review_link(candidate=pending[second.pk], actor=None)
    assert (linked.status, linked.method, linked.resident_id) == ("linked", "review", second.pk)
    assert sorted(reg.candidates.values_list("status", flat=True)) == ["linked", "rejected"]
    settings.MPI_MATCH_THRESHOLD = 0.99
    assert register(api_world, local_id="R-1", name="章伟", sex="1", birth_date=BIRTH).resident_id == second.pk


def test_rejecting_every_candidate_creates_the_file(api_world: Any, settings: Any) -> None:
    settings.MPI_MATCH_THRESHOLD = 0.9999999
    resident = zhang_wei(api_world)
    reg = register(api_world, name="章伟", sex="1", birth_date=BIRTH, local_id="R-2")
    done = mpi.review_reject(candidate=reg.candidates.get(), actor=None)
    assert done.status == "linked" and done.created_resident and done.resident_id != resident.pk
    assert ManualLinkRule.objects.filter(kind="never_link", resident=resident, is_active=True).count() == 1
    with pytest.raises(Exception, match="已处理"):
        mpi.review_link(candidate=reg.candidates.get(), actor=None)
