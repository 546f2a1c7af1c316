"""The loader from the database into the engine's in-memory knowledge base, on the seed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yigongti.centers.prescription_review.engine import kb
from yigongti.centers.prescription_review.knowledge import selectors, services
from yigongti.centers.prescription_review.knowledge.models import Drug, Interaction
from yigongti.centers.prescription_review.knowledge.snapshot import (
    build_knowledge_base,
    current_version_key,
    unit_factors,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def base() -> kb.KnowledgeBase:
    return build_knowledge_base()


def test_snapshot_holds_every_drug_and_interaction_of_the_current_version(base: kb.KnowledgeBase) -> None:
    version = selectors.version_current()
    assert version is not None
    assert base.version == "V1"
    assert base.effective_from == str(version.effective_date)
    assert len(base.drugs) == Drug.objects.filter(version=version).count()
    assert len(tuple(base.interactions)) == Interaction.objects.filter(version=version).count()


def test_drug_attributes_are_mapped(base: kb.KnowledgeBase) -> None:
    amox = base.drugs["amoxicillin_c025"]
    assert (amox.antibiotic_grade, amox.skin_test, amox.dose_unit) == (kb.ANTIBIOTIC_UNRESTRICTED, True, "mg")
    assert {"PENICILLIN", "penicillin", "BETA_LACTAM"} <= amox.classes
    assert amox.unit_factors == {"粒": 250.0}
    assert base.drugs["imipenem_i1"].antibiotic_grade == kb.ANTIBIOTIC_SPECIAL
    assert base.drugs["morphine_i10"].control == kb.CONTROL_NARCOTIC
    assert base.drugs["estazolam_t1"].control == kb.CONTROL_PSYCHO_2
    assert base.drugs["omeprazole_c20"].is_ppi is True
    assert base.drugs["kcl_i15"].high_alert is True
    assert base.drugs["ns_250"].is_solvent is True
    assert base.drugs["tamsulosin_c02"].sex == "M"
    assert base.drugs["ibuprofen_susp"].unit_factors == {"ml": 20.0}
    assert base.drugs["metformin_t05"].unit_factors == {"片": 500.0}


def test_real_clinical_rules_are_findable_through_the_indexes(base: kb.KnowledgeBase) -> None:
    # 克拉霉素 + 辛伐他汀：禁忌（说明书）
    pair = base.interaction_pairs[frozenset(("clarithromycin_t025", "simvastatin_t20"))]
    assert [r.severity for r in pair] == ["contraindicated"]
    # 华法林 + NSAIDs (class–class)
    assert base.interaction_pairs[frozenset(("ANTICOAG", "NSAID"))][0].severity == "not_recommended"
    # 西地那非 + 硝酸酯 (class–class): contraindicated
    assert base.interaction_pairs[frozenset(("NITRATE", "PDE5I"))][0].severity == "contraindicated"
    # 二甲双胍 eGFR < 30
    labs = base.lab_index.for_keys(base.keys_of("metformin_t05"))
    assert [(r.analyte, r.op, r.value, r.severity) for r in labs] == [("EGFR", "<", 30.0, "contraindicated")]
    renal = sorted(base.renal_index.for_keys(["metformin_t05"]), key=lambda r: r.below)
    assert [(r.below, r.max_daily_dose) for r in renal] == [(30.0, None), (45.0, 1000.0)]
    # 螺内酯 K+ > 5.0
    assert [(r.analyte, r.op, r.value) for r in base.lab_index.for_keys(["spironolactone_t20"])] == [("K", ">", 5.0)]
    # 青霉素过敏 → 头孢菌素 交叉过敏
    crosses = {(c.allergy, c.target) for c in base.allergy_cross_by_allergy["penicillin"]}
    assert ("penicillin", "CEPHALOSPORIN") in crosses
    assert ("penicillin", "amoxicillin_c025") in crosses
    # 氯化钾：1 g = 1000/74.55 mmol K⁺；上限 = 说明书 0.3%（3 g/L）= 40.2414 mmol/L（存 40.242）
    assert base.ions_by_drug["kcl_i15"][0].mmol_per_unit == 13.413816
    assert base.ion_limit_by_ion["K"].max_mmol_per_l == 40.242
    # 儿童：可待因 12 岁以下禁用；老年：Beers
    child = [r for r in base.age_index.for_keys(["codeine_t30"]) if r.kind == "child"]
    assert [(r.max_age_days, r.severity) for r in child] == [(12 * 365, "contraindicated")]
    assert [r.kind for r in base.age_index.for_keys(["diazepam_t25"])] == ["age"]
    # 妊娠：华法林禁用
    assert [(r.population, r.severity) for r in base.population_index.for_keys(["warfarin_t25"])] == [
        ("pregnancy", "contraindicated")
    ]


def test_dictionaries_feed_the_alias_tables(base: kb.KnowledgeBase) -> None:
    assert base.times_per_day("q8h") == 3.0
    assert base.times_per_day("每日三次") == 3.0
    assert base.canonical_route("静滴") == "ivgtt"
    assert base.canonical_analyte("", "谷丙转氨酶") == "ALT"
    assert base.canonical_analyte("Scr") == "CR"
    assert "K21" in base.ppi_indication_prefixes
    assert {"NSAID", "ANTIPLATELET", "ANTICOAG", "GLUCOCORTICOID"} == base.ppi_prophylaxis_classes
    assert "I10" in base.chronic_disease_prefixes
    assert base.classes["NSAID"].kind == "duplication"
    assert base.classes["penicillin"].kind == "allergy"
    assert base.classes_in_text("青霉素皮试阳性") == {"penicillin"}


def test_loading_uses_one_query_per_table_whatever_the_size() -> None:
    version = selectors.version_current()
    with CaptureQueriesContext(connection) as first:
        build_knowledge_base(version)
    draft = services.version_clone(actor=None)
    with CaptureQueriesContext(connection) as second:
        build_knowledge_base(draft)
    assert len(first) == len(second) <= 25


def test_a_draft_can_be_snapshotted_and_the_cache_key_follows_the_current_version() -> None:
    key = current_version_key()
    draft = services.version_clone(actor=None)
    Drug.objects.filter(version=draft, code="warfarin_t25").delete()
    assert "warfarin_t25" not in build_knowledge_base(draft).drugs
    assert "warfarin_t25" in build_knowledge_base().drugs
    assert current_version_key() == key
    from django.utils import timezone

    draft = services.version_publish(version=draft, effective_date=timezone.localdate(), actor=None)
    assert draft.published_at is not None
    assert current_version_key() == f"{draft.pk}:{draft.number}:{draft.published_at.isoformat()}"


def test_unit_factor_conversion() -> None:
    assert unit_factors(None, "mg", "mg", "片") == {}
    assert unit_factors(__import__("decimal").Decimal("0.25"), "g", "mg", "片") == {"片": 250.0}
    assert unit_factors(__import__("decimal").Decimal("50"), "ug", "mg", "片") == {"片": 0.05}
    assert unit_factors(__import__("decimal").Decimal("400"), "U", "mg", "支") == {}


def test_follow_up_fields_are_mapped(base: kb.KnowledgeBase) -> None:
    """Fields K's model stores that the snapshot used to drop (renal measure, sex severity/message, vague
    frequencies, infuse-alone, IV-PPI group)."""
    metformin = {r.below: r.measure for r in base.renal_index.for_keys(["metformin_t05"])}
    assert metformin == {30.0: "egfr", 45.0: "egfr"}
    measures = {r.measure for r in base.renal_rules}
    assert measures == {"egfr", "crcl"}
    sild = base.drugs["sildenafil_t100"]
    assert (sild.sex, sild.sex_severity, sild.sex_source) == ("M", "not_recommended", "药品说明书【适应症】")
    assert sild.sex_message == "西地那非（勃起功能障碍适应症）限男性使用。"
    assert base.drugs["finasteride_t5"].sex_severity == "contraindicated"
    assert base.drugs["warfarin_t25"].sex == base.drugs["warfarin_t25"].sex_severity == ""
    assert base.vague_frequencies == frozenset({"ysz", "遵医嘱"})
    assert base.drugs["danshen_i10"].infuse_alone is True
    assert "中药注射剂临床使用基本原则" in base.drugs["danshen_i10"].infuse_alone_source
    assert base.drugs["ceftriaxone_i1"].infuse_alone is False
    assert {"K92.2", "K25.0", "Z99.1", "A41"} <= set(base.ppi_iv_indication_prefixes)
    assert "K21" not in base.ppi_iv_indication_prefixes  # 反流病: oral PPI
    apap = base.indication_index.for_keys(["apap_t500"])[0].icd_prefixes
    assert {"M15", "M16", "M17", "M18", "M19"} <= set(apap)


def test_dose_limit_course_total_reaches_the_engine() -> None:
    """DoseLimit.max_course_total (疗程总量上限) is carried into kb.DoseLimit; empty stays None."""
    from decimal import Decimal

    from yigongti.centers.prescription_review.knowledge.models import DoseLimit

    version = selectors.version_current()
    assert version is not None
    row = DoseLimit.objects.filter(version=version, drug__code="ibuprofen_sr300").first()
    assert row is not None
    row.max_course_total = Decimal("12000")
    row.save()
    limits = build_knowledge_base().dose_limits_by_drug["ibuprofen_sr300"]
    assert [lim.max_course_total for lim in limits if lim.rule_id == f"dose:{row.pk}"] == [12000.0]
    assert build_knowledge_base().dose_limits_by_drug["warfarin_t25"][0].max_course_total is None
