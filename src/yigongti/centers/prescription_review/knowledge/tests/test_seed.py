"""The seed knowledge base: present after migrate, large enough, every fact citing its source."""

from __future__ import annotations

import pytest

from yigongti.centers.prescription_review.knowledge.models import (
    Drug,
    Interaction,
    KnowledgeVersion,
    LabRule,
    fact_models,
)
from yigongti.centers.prescription_review.knowledge.seeding import load_data, seed_knowledge
from yigongti.centers.prescription_review.knowledge.selectors import version_current

pytestmark = pytest.mark.django_db


def test_seed_is_loaded_after_migrate_as_the_current_published_version() -> None:
    current = version_current()
    assert current is not None
    assert (current.number, current.status, current.synthetic) == (1, "published", False)
    assert KnowledgeVersion.objects.count() == 1


def test_seed_has_at_least_150_drugs_and_200_interaction_pairs() -> None:
    version = version_current()
    data = load_data()
    assert Drug.objects.filter(version=version).count() == len(data["drugs"]) >= 150
    assert Interaction.objects.filter(version=version).count() == len(data["interactions"]) >= 200


def test_every_fact_of_every_table_cites_a_source() -> None:
    version = version_current()
    for model in fact_models():
        total = model._default_manager.filter(version=version).count()
        assert total > 0, model
        assert model._default_manager.filter(version=version, source="").count() == 0, model


def test_seed_covers_the_grades_and_classes_the_review_needs() -> None:
    drugs = Drug.objects.filter(version=version_current())
    assert drugs.filter(antibiotic_grade="non_restricted").count() >= 10
    assert drugs.filter(antibiotic_grade="restricted").count() >= 5
    assert drugs.filter(antibiotic_grade="special").count() >= 3
    assert set(drugs.exclude(narcotic_class="").values_list("narcotic_class", flat=True)) == {
        "narcotic",
        "psychotropic_2",
    }
    assert drugs.filter(is_ppi=True).count() >= 5
    classes = [set(c) for c in drugs.values_list("pharm_classes", flat=True)]
    assert sum("INSULIN" in c for c in classes) == 4
    assert sum("TCM_INJECTION" in c for c in classes) == 10


def test_seeding_again_changes_nothing() -> None:
    before = Drug.objects.count()
    report = seed_knowledge()
    assert report.version is None
    assert report.summary() == "已有知识库版本，未重复载入。"
    assert Drug.objects.count() == before


def test_real_lab_contraindications_metformin_egfr_and_spironolactone_potassium() -> None:
    version = version_current()
    metformin = LabRule.objects.get(version=version, drug__code="metformin_t05", lab_code="EGFR")
    assert (metformin.comparator, str(metformin.threshold), metformin.severity) == ("<", "30.0000", "contraindicated")
    spiro = LabRule.objects.get(version=version, drug__code="spironolactone_t20", lab_code="K")
    assert (spiro.comparator, str(spiro.threshold), spiro.severity) == (">", "5.0000", "contraindicated")
    assert "说明书" in spiro.source


def test_pairs_are_stored_in_canonical_order() -> None:
    pair = Interaction.objects.get(version=version_current(), a_code="clarithromycin_t025", b_code="simvastatin_t20")
    assert pair.severity == "contraindicated"
    assert Interaction.objects.filter(a_code__gt="zzzz").count() == 0
    for a, b in Interaction.objects.values_list("a_code", "b_code"):
        assert a <= b
