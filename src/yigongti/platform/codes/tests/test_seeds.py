"""Standard code systems, example data elements and default parameters: present after migrate,
each row citing its source, and idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from yigongti.core.audit.models import AuditLog
from yigongti.platform.codes import selectors, services
from yigongti.platform.codes.models import DataElement, Dictionary, DictionaryEntry, Parameter
from yigongti.platform.codes.seeding import load_data, seed_standard_codes

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int]:
    return (
        Dictionary.all_objects.count(),
        DictionaryEntry.all_objects.count(),
        DataElement.objects.count(),
        Parameter.objects.count(),
    )


def test_sex_codes_gb_t_2261_1() -> None:
    sex = Dictionary.objects.get(code="GBT_2261_1")
    assert (sex.type, sex.version, sex.institution_id, sex.tree_level) == ("standard", "GB/T 2261.1-2003", None, 1)
    assert "GB/T 2261.1-2003" in sex.source and "[C]" in sex.source
    assert selectors.entry_choices("GBT_2261_1") == [
        ("0", "未知的性别"),
        ("1", "男性"),
        ("2", "女性"),
        ("5", "女性改（变）为男性"),
        ("6", "男性改（变）为女性"),
        ("9", "未说明的性别"),
    ]
    assert all(e.source == sex.source for e in sex.entries.all())


def test_marital_status_gb_t_2261_2_is_a_two_level_tree() -> None:
    marital = Dictionary.objects.get(code="GBT_2261_2")
    assert marital.tree_level == 2 and "[M]" in marital.source
    rows = {e.code: (e.name, e.parent.code if e.parent else None) for e in marital.entries.select_related("parent")}
    assert rows == {
        "10": ("未婚", None),
        "20": ("已婚", None),
        "21": ("初婚", "20"),
        "22": ("再婚", "20"),
        "23": ("复婚", "20"),
        "30": ("丧偶", None),
        "40": ("离婚", None),
        "90": ("未说明的婚姻状况", None),
    }


def test_ethnic_groups_gb_t_3304() -> None:
    rows = dict(selectors.entry_choices("GBT_3304"))
    assert len(rows) == 58
    assert [f"{n:02d}" for n in range(1, 57)] == [c for c in rows if c not in ("97", "98")]
    assert (rows["01"], rows["05"], rows["29"], rows["56"]) == ("汉族", "维吾尔族", "柯尔克孜族", "基诺族")
    assert (rows["97"], rows["98"]) == ("其他", "外国血统中国籍人士")
    assert len(set(rows.values())) == 58
    assert "GB/T 3304-1991" in Dictionary.objects.get(code="GBT_3304").source


def test_chronic_diseases_carry_icd10_and_source() -> None:
    chronic = Dictionary.objects.get(code="CHRONIC_DISEASE")
    assert chronic.type == "business" and "国家基本公共卫生服务规范" in chronic.source
    rows = {e.code: (e.name, e.extra["icd10"]) for e in chronic.entries.all()}
    assert rows == {
        "hypertension": ("高血压", "I10-I15"),
        "diabetes": ("2型糖尿病", "E11"),
        "chd": ("冠心病", "I25"),
        "stroke": ("脑卒中", "I60-I64"),
        "copd": ("慢阻肺", "J44"),
        "smi": ("严重精神障碍", ""),
        "tb": ("肺结核", "A15-A19"),
    }
    assert all("[M]" in e.source for e in chronic.entries.all())


def test_example_data_elements_of_section_9_3() -> None:
    rows = {e.identifier: e for e in DataElement.objects.select_related("value_domain")}
    assert len(rows) == 18
    name = rows["DE02.01.039.00"]
    assert (name.internal_id, name.name, name.data_type, name.format) == ("HDSD00.01.002", "本人姓名", "S1", "A..50")
    assert rows["DE02.01.040.00"].value_domain.code == "GBT_2261_1"
    assert rows["DE02.01.025.00"].value_domain.code == "GBT_3304"
    assert rows["DE02.01.018.00"].value_domain.code == "GBT_2261_2"
    assert (rows["DE06.00.095.00"].data_type, rows["DE06.00.095.00"].format) == ("DT", "DT15")
    for element in rows.values():
        assert "§9.3" in element.source and "[V" in element.source and "http://ws-t.icu/wst/492334" in element.source
        element.full_clean()


def test_default_parameters_with_sources() -> None:
    expected = {
        "security.password_max_age_days": 90,
        "security.idle_timeout_minutes": 30,
        "security.lockout_failures": 5,
        "security.lockout_minutes": 15,
        "export.max_rows": 50000,
    }
    assert {code: selectors.param_value(code) for code in expected} == expected
    for p in Parameter.objects.filter(code__in=expected):
        assert p.source and p.value_type == "int" and p.min_value is not None
    assert "GB/T 22239-2019" in Parameter.objects.get(code="security.password_max_age_days").source


def test_every_seeded_row_is_valid() -> None:
    for entry in DictionaryEntry.objects.select_related("dictionary", "parent"):
        entry.full_clean()
        assert entry.source
    for model in (Dictionary, Parameter):
        for row in model.objects.all():
            row.full_clean()


def test_seeding_is_idempotent() -> None:
    before = _counts()
    first = seed_standard_codes()
    second = seed_standard_codes(update=True)
    assert not first.changed and not second.changed
    assert _counts() == before
    data = load_data()
    assert before[1] >= sum(len(d["entries"]) for d in data["dictionaries"])


def test_missing_rows_come_back_and_local_edits_survive() -> None:
    DictionaryEntry.objects.filter(dictionary__code="GBT_3304", code="98").delete()
    Parameter.objects.filter(code="export.max_rows").delete()
    DictionaryEntry.objects.filter(dictionary__code="GBT_2261_1", code="9").update(is_enabled=False, name="未说明")
    report = seed_standard_codes()
    assert report.created == {"字典项": 1, "参数": 1}
    assert selectors.entry_name("GBT_3304", "98") == "外国血统中国籍人士"
    unstated = DictionaryEntry.objects.get(dictionary__code="GBT_2261_1", code="9")
    assert (unstated.name, unstated.is_enabled) == ("未说明", False)  # local edits kept by default
    report = seed_standard_codes(update=True)
    unstated.refresh_from_db()
    assert report.updated == {"字典项": 1}
    assert (unstated.name, unstated.is_enabled) == ("未说明的性别", False)  # wording restored, switch kept
    assert not seed_standard_codes(update=True).changed


def test_a_binned_standard_dictionary_stays_in_the_bin() -> None:
    chronic = Dictionary.objects.get(code="CHRONIC_DISEASE")
    services.dictionary_delete(dictionary=chronic, actor=None)
    before = _counts()
    report = seed_standard_codes()
    assert not report.changed and report.skipped == ["字典 CHRONIC_DISEASE 在回收站中"]
    assert _counts() == before and not Dictionary.objects.filter(code="CHRONIC_DISEASE").exists()
    services.dictionary_purge(dictionary=chronic, actor=None)
    seed_standard_codes()  # purged for good: the loader brings the standard list back
    assert len(selectors.entry_choices("CHRONIC_DISEASE")) == 7


def test_command_reports_and_audits_only_changes() -> None:
    out = io.StringIO()
    before = AuditLog.objects.count()
    call_command("load-standard-codes", stdout=out)
    assert "标准代码载入完成。新增：无；更新：无" in out.getvalue()
    assert AuditLog.objects.count() == before
    DictionaryEntry.objects.filter(dictionary__code="GBT_2261_1", code="0").delete()
    call_command("load-standard-codes", stdout=out)
    assert "新增：字典项 1 条" in out.getvalue()
    log = AuditLog.objects.latest("id")
    assert (log.category, log.action, log.after["created"]) == ("system", "codes.seed", {"字典项": 1})
