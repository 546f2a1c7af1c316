"""Versions: a draft copy is edited while the published version stays current; publishing switches;
a future effective date is not current yet."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from yigongti.centers.prescription_review.knowledge import selectors, services
from yigongti.centers.prescription_review.knowledge.models import (
    DoseLimit,
    Drug,
    Interaction,
    KnowledgeVersion,
    fact_models,
)
from yigongti.core.audit.models import AuditLog
from yigongti.core.errors import BusinessError

pytestmark = pytest.mark.django_db


def _clone() -> KnowledgeVersion:
    return services.version_clone(actor=None, name="2025 修订", notes="调整剂量")


def test_clone_copies_every_fact_of_the_current_version_into_a_draft() -> None:
    current = selectors.version_current()
    assert current is not None
    draft = _clone()
    assert (draft.number, draft.status, draft.based_on_id) == (2, "draft", current.pk)
    for model in fact_models():
        assert (
            model._default_manager.filter(version=draft).count()
            == model._default_manager.filter(version=current).count()
        )
    dose = DoseLimit.objects.get(version=draft, drug__code="amlodipine_t5")
    assert dose.drug.version_id == draft.pk
    assert AuditLog.objects.filter(action="rx.knowledge.clone", object_id=str(draft.pk)).count() == 1


def test_editing_the_draft_does_not_change_the_current_version() -> None:
    current = selectors.version_current()
    draft = _clone()
    Drug.objects.filter(version=draft, code="amlodipine_t5").update(max_course_days=30)
    Interaction.objects.filter(version=draft, a_code="clarithromycin_t025", b_code="simvastatin_t20").delete()
    assert selectors.version_current() == current
    assert Drug.objects.get(version=current, code="amlodipine_t5").max_course_days is None
    assert Interaction.objects.filter(version=current, a_code="clarithromycin_t025", b_code="simvastatin_t20").exists()


def test_publishing_today_makes_the_draft_current() -> None:
    draft = _clone()
    services.version_publish(version=draft, effective_date=timezone.localdate(), actor=None)
    current = selectors.version_current()
    assert current is not None and current.pk == draft.pk
    assert current.status == "published"


def test_a_future_effective_date_is_not_current_until_that_day() -> None:
    first = selectors.version_current()
    draft = _clone()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    services.version_publish(version=draft, effective_date=tomorrow, actor=None)
    assert selectors.version_current() == first
    assert selectors.version_current(day=tomorrow) == draft


def test_only_a_draft_can_be_published_and_not_in_the_past() -> None:
    current = selectors.version_current()
    assert current is not None
    with pytest.raises(BusinessError) as exc:
        services.version_publish(version=current, effective_date=timezone.localdate(), actor=None)
    assert exc.value.error_code == "RX_KB_NOT_DRAFT"
    draft = _clone()
    with pytest.raises(BusinessError) as exc:
        services.version_publish(
            version=draft, effective_date=timezone.localdate() - datetime.timedelta(days=1), actor=None
        )
    assert exc.value.error_code == "RX_KB_EFFECTIVE_PAST"
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_fact_of_a_published_version_refuses_validation() -> None:
    drug = Drug.objects.get(version=selectors.version_current(), code="warfarin_t25")
    with pytest.raises(Exception) as exc:
        drug.full_clean()
    assert "已发布的版本不能修改" in str(exc.value)


def test_deleting_a_draft_removes_its_facts_and_keeps_published_versions() -> None:
    draft = _clone()
    services.version_delete(version=draft, actor=None)
    assert not KnowledgeVersion.objects.filter(pk=draft.pk).exists()
    assert Drug.objects.filter(version_id=draft.pk).count() == 0
    with pytest.raises(BusinessError):
        services.version_delete(version=selectors.version_current(), actor=None)  # type: ignore[arg-type]


def test_diff_lists_added_removed_and_changed_rows_by_natural_key() -> None:
    current = selectors.version_current()
    assert current is not None
    draft = _clone()
    Drug.objects.filter(version=draft, code="amlodipine_t5").update(max_course_days=30)
    Interaction.objects.filter(version=draft, a_code="clarithromycin_t025", b_code="simvastatin_t20").delete()
    Interaction.objects.create(
        version=draft, level="drug", a_code="amlodipine_t5", b_code="clarithromycin_t025", severity="caution",
        mechanism="克拉霉素抑制 CYP3A4", management="监测血压", source="药品说明书【药物相互作用】",
    )  # fmt: skip
    diff = {d.model: d for d in selectors.version_diff(base=current, other=draft)}
    assert set(diff) == {"drug", "interaction"}
    assert (diff["drug"].added, diff["drug"].removed, diff["drug"].changed) == (0, 0, 1)
    assert diff["drug"].changed_keys == ["amlodipine_t5"]
    assert (diff["interaction"].added, diff["interaction"].removed, diff["interaction"].changed) == (1, 1, 0)
    assert diff["interaction"].added_keys == ["drug / amlodipine_t5 / clarithromycin_t025"]
    assert diff["interaction"].removed_keys == ["drug / clarithromycin_t025 / simvastatin_t20"]


def test_synthetic_versions_never_become_current_unless_allowed() -> None:
    seed = selectors.version_current()
    synthetic = KnowledgeVersion.objects.create(
        number=9, name="合成", status="published", effective_date=timezone.localdate(), synthetic=True
    )
    assert selectors.version_current() == seed
    with override_settings(RX_KNOWLEDGE_ALLOW_SYNTHETIC=True):
        assert selectors.version_current() == synthetic
    assert selectors.latest_synthetic_version() == synthetic
