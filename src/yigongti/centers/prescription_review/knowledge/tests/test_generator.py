"""The scaled synthetic knowledge version for benchmarks."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from yigongti.centers.prescription_review.knowledge import selectors
from yigongti.centers.prescription_review.knowledge.generator import synthetic_data
from yigongti.centers.prescription_review.knowledge.models import DoseLimit, Drug, Interaction, KnowledgeVersion
from yigongti.centers.prescription_review.knowledge.snapshot import build_knowledge_base
from yigongti.core.errors import BusinessError

pytestmark = pytest.mark.django_db


def test_command_builds_a_marked_synthetic_version_with_the_requested_counts() -> None:
    seed_version = selectors.version_current()
    out = io.StringIO()
    call_command("rx-kb-generate", "--drugs", "600", "--interactions", "3000", "--seed", "7", stdout=out)
    version = KnowledgeVersion.objects.get(synthetic=True)
    assert version.number == 2
    assert "合成" in version.name and "seed=7" in version.name
    assert Drug.objects.filter(version=version).count() == 600
    assert Interaction.objects.filter(version=version).count() == 3000
    synthetic = Drug.objects.filter(version=version, code__startswith="SYN")
    assert synthetic.count() == 600 - Drug.objects.filter(version=seed_version).count()
    assert all("合成数据" in s for s in synthetic.values_list("source", flat=True))
    assert (
        DoseLimit.objects.filter(version=version, drug__code__startswith="SYN")
        .exclude(source__contains="合成数据")
        .count()
        == 0
    )
    assert f"V{version.number}" in out.getvalue()
    assert selectors.version_current() == seed_version  # never current by itself
    snapshot = build_knowledge_base(version)
    assert len(snapshot.drugs) == 600
    assert len(tuple(snapshot.interactions)) == 3000


def test_same_seed_gives_the_same_data_and_another_seed_differs() -> None:
    a = synthetic_data(drugs=400, interactions=1000, seed=3)
    b = synthetic_data(drugs=400, interactions=1000, seed=3)
    c = synthetic_data(drugs=400, interactions=1000, seed=4)
    assert [p["a_code"] + p["b_code"] for p in a["interactions"]] == [
        p["a_code"] + p["b_code"] for p in b["interactions"]
    ]
    assert [p["a_code"] + p["b_code"] for p in a["interactions"]] != [
        p["a_code"] + p["b_code"] for p in c["interactions"]
    ]
    assert len({(p["level"], p["a_code"], p["b_code"]) for p in a["interactions"]}) == 1000


def test_impossible_sizes_are_refused() -> None:
    with pytest.raises(BusinessError):
        synthetic_data(drugs=0, interactions=10, seed=1)
    with pytest.raises(BusinessError):
        synthetic_data(drugs=10, interactions=100, seed=1)  # 10 drugs make at most 45 pairs
