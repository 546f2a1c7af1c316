"""The matcher core without a database: pinyin keys, comparison levels, decisions, and the reduced
FEBRL4 benchmark (entities rec-0 … rec-999 of both files, with their 1,000 true links)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from yigongti.platform.registry.mpi import febrl
from yigongti.platform.registry.mpi.keys import (
    address_tokens,
    chinese_name_parts,
    resident_name_keys,
    split_chinese_name,
)
from yigongti.platform.registry.mpi.scoring import MatchModel, Person, compare_birth, compare_name_part

D = dt.date(1980, 5, 6)


def person(name: str, birth: dt.date | None = D, **kw: object) -> Person:
    return Person.chinese(name=name, birth_date=birth, **kw)  # type: ignore[arg-type]


def levels(a: Person, b: Person) -> dict[str, str]:
    return {f.field: f.level for f in MatchModel().score(a, b).fields}


# -- keys ---------------------------------------------------------------------------------------
def test_surnames_compound_and_heteronym_readings() -> None:
    assert split_chinese_name("欧阳娜娜") == ("欧阳", "娜娜")
    assert split_chinese_name("张 伟") == ("张", "伟")
    family, given = chinese_name_parts("曾国藩")
    assert family.syllables == ("zeng",) and given.syllables == ("guo", "fan")  # 曾 as a surname is zēng
    assert chinese_name_parts("单田芳")[0].syllables == ("shan",)


def test_name_keys_collect_homophones_transpositions_and_near_sounds() -> None:
    assert resident_name_keys("张伟", "1") == resident_name_keys("章伟", "1") == ("zan|wei", "1zw")
    assert resident_name_keys("王芳", "2")[0] == resident_name_keys("汪芳", "2")[0] == "wan|fan"
    assert resident_name_keys("张明伟")[0] == resident_name_keys("张伟明")[0]  # given names transposed
    assert resident_name_keys("刘宁")[0] == resident_name_keys("牛林")[0]  # n/l, -ng/-n (模糊音)
    assert resident_name_keys("张明伟", "1")[1] == resident_name_keys("张伟明", "1")[1] == "1zmw"


def test_address_tokens_keep_the_township_and_village_part() -> None:
    long = address_tokens("江苏省云溪县河口镇幸福村三组12号")
    short = address_tokens("云溪县河口镇幸福村3组12号")
    assert long == short  # province/county prefix dropped, 三组 == 3组
    assert {"河口", "幸福", "#3", "#12"} <= long and "江苏" not in long and "云溪" not in long


# -- comparison levels --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b", "family", "given"),
    [
        ("张伟", "张伟", "exact", "exact"),
        ("张伟", "章伟", "homophone", "exact"),
        ("王芳", "汪芳", "homophone", "exact"),
        ("曾国藩", "增国藩", "homophone", "exact"),  # any reading of 曾 counts
        ("张明伟", "张伟明", "exact", "transposed"),
        ("陈静", "陈进", "exact", "fuzzy"),  # jing / jin
        ("李娜", "李小龙", "exact", "else"),
    ],
)
def test_chinese_name_levels(a: str, b: str, family: str, given: str) -> None:
    found = levels(person(a), person(b))
    assert (found["family"], found["given"]) == (family, given)


def test_latin_names_use_letters_metaphone_and_jaro_winkler() -> None:
    left = Person(family=febrl.name_part("neumann", surname=True), given=febrl.name_part("michaela"))
    assert compare_name_part(left.given, febrl.name_part("michaella")) == "homophone"  # same Metaphone
    assert compare_name_part(left.family, febrl.name_part("neumnan")) == "jw_high"


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("19800506", "19800506", "exact"),
        ("19800506", "19800605", "close"),  # day and month swapped
        ("19800506", "19810506", "close"),  # one field different
        ("19800506", "19800507", "close"),
        ("19800506", "19811111", "year"),
        ("19800506", "19550101", "else"),
        ("", "19800506", None),
    ],
)
def test_birth_date_levels(a: str, b: str, level: str | None) -> None:
    assert compare_birth(a, b) == level


def test_missing_fields_weigh_nothing_and_phone_is_compared_by_key_only() -> None:
    scored = MatchModel().score(person("张伟", phone="k1"), person("张伟", phone="k1", birth=None))
    assert {f.field for f in scored.fields} == {"family", "given", "phone"}


# -- decisions ----------------------------------------------------------------------------------
def test_thresholds_are_probabilities_with_a_population_prior() -> None:
    model = MatchModel(population=1_000_000)
    assert model.match_threshold == pytest.approx(19.93 + 6.63, abs=0.01)
    assert MatchModel(population=5000).match_threshold < model.match_threshold
    strong = model.score(person("张伟", sex="1", phone="p"), person("章伟", sex="1", phone="p"))
    assert model.decide([strong]).outcome == "match"
    strict = MatchModel(match_probability=0.9999999)
    assert strict.decide([strong]).outcome == "possible_match"


def test_competing_candidates_lower_the_best_ones_probability() -> None:
    model = MatchModel()
    probe = person("张伟", sex="1", address="城关镇人民路1号")
    twin_a = model.score(probe, person("张伟", sex="1", address="城关镇人民路1号", ref=1))
    twin_b = model.score(probe, person("张伟", sex="1", address="城关镇人民路1号", ref=2))
    assert model.decide([twin_a]).outcome == "match"
    decision = model.decide([twin_a, twin_b])
    assert decision.outcome == "possible_match" and len(decision.review) == 2


def test_twin_guard_keeps_a_different_given_name_out_of_automatic_links() -> None:
    model = MatchModel()
    probe = person("张大伟", sex="1", phone="p", address="河口镇幸福村3组12号")
    twin = model.score(probe, person("张小明", sex="1", phone="p", address="河口镇幸福村3组12号", ref=7))
    assert twin.score >= model.match_threshold and twin.guard("cjk") == "given"
    assert model.decide([twin]).outcome == "possible_match"
    assert MatchModel(twin_guard="off").decide([twin]).outcome == "match"
    other_sex = model.score(person("张伟", sex="1", phone="p"), person("张伟", sex="2", phone="p", ref=8))
    assert other_sex.guard("cjk") == "sex" and model.decide([other_sex]).outcome != "match"


# -- FEBRL4, reduced -----------------------------------------------------------------------------
def test_febrl4_reduced_benchmark_f1_floor() -> None:
    """Measured on rec-0…rec-999: precision 1.000, recall 0.993, F1 0.9965 at the default match
    probability (0.99) with the 1,000 records of file A as the population. Floor: 0.98."""
    began = time.perf_counter()
    data = febrl.load(limit=1000)
    assert len(data.left) == len(data.right) == len(data.truth) == 1000
    result = febrl.link(MatchModel(population=len(data.left)), data.left, data.right)
    metrics = febrl.metrics(result.links, data.truth)
    assert metrics.precision >= 0.99
    assert metrics.f1 >= 0.98, metrics
    assert time.perf_counter() - began < 20


@pytest.mark.django_db
def test_keys_are_computed_on_save_bulk_create_and_by_the_rebuild_command(api_world: object) -> None:
    import io

    from django.core.management import call_command

    from yigongti.platform.registry.models import Resident
    from yigongti.platform.registry.testing import make_id_number, make_resident

    resident = make_resident(api_world.home, name="章伟", id_number=make_id_number(D, 7, sex="1"))  # type: ignore[attr-defined]
    assert (resident.mpi_name_key, resident.mpi_initials_key) == ("zan|wei", "1zw")
    Resident.objects.filter(pk=resident.pk).update(name="王芳", mpi_name_key="")
    out = io.StringIO()
    call_command("mpi-rebuild-keys", stdout=out)
    resident.refresh_from_db()
    assert resident.mpi_name_key == "wan|fan" and "更新拼音键 1 人" in out.getvalue()
