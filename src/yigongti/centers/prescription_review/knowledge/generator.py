"""A scaled synthetic knowledge version for benchmarks (``yigongti rx-kb-generate``).

The seed drugs are kept; the rest are copies of seed drugs under synthetic codes (``SYN00001``…) and
names (``合成药00001（仿阿莫西林胶囊）``) with their facts, plus random drug–drug pairs until the requested
number of interactions. Every synthetic row says so in its ``source``; the version is marked
``synthetic`` and never becomes current unless the ``RX_KNOWLEDGE_ALLOW_SYNTHETIC`` setting is on
(benchmark environments only).
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from yigongti.centers.prescription_review.knowledge.choices import Severity, VersionStatus
from yigongti.centers.prescription_review.knowledge.models import KnowledgeVersion
from yigongti.centers.prescription_review.knowledge.seeding import DRUG_LISTS, build_rows, load_data
from yigongti.core.errors import BusinessError

SEVERITY_WEIGHTS = (
    (Severity.CONTRAINDICATED, 5),
    (Severity.NOT_RECOMMENDED, 25),
    (Severity.CAUTION, 50),
    (Severity.INFO, 20),
)
MAX_DRUGS = 200_000
MAX_INTERACTIONS = 2_000_000


@dataclass
class GenerateReport:
    version: KnowledgeVersion
    counts: dict[str, int]


def _marker(seed: int) -> str:
    return f"合成数据（rx-kb-generate --seed {seed}，仅用于性能测试，非临床知识）"


def synthetic_data(*, drugs: int, interactions: int, seed: int) -> dict[str, Any]:
    """The seed file scaled to ``drugs`` drugs and ``interactions`` pairs, reproducibly for ``seed``."""
    if drugs > MAX_DRUGS or interactions > MAX_INTERACTIONS or drugs < 1 or interactions < 0:
        raise BusinessError("RX_KB_GENERATE_RANGE", f"药品数应在 1~{MAX_DRUGS}，相互作用数应在 0~{MAX_INTERACTIONS}。")
    data = load_data()
    rng = random.Random(seed)
    marker = _marker(seed)
    templates = [d for d in data["drugs"] if not d.get("is_solvent")]
    rows = list(data["drugs"][:drugs])
    for i in range(1, drugs - len(rows) + 1):
        template = rng.choice(templates)
        row = copy.deepcopy(template)
        row["code"] = f"SYN{i:05d}"
        row["generic_name"] = f"合成药{i:05d}（仿{template['generic_name']}）"
        row["source"] = f"{marker}；仿 {template['code']}"
        for key in DRUG_LISTS:
            for fact in row.get(key, []):
                fact["source"] = marker
        rows.append(row)
    pairs = list(data["interactions"][:interactions])
    seen = {(p["level"], p["a_code"], p["b_code"]) for p in pairs}
    codes = [r["code"] for r in rows]
    severities = [s for s, _ in SEVERITY_WEIGHTS]
    weights = [w for _, w in SEVERITY_WEIGHTS]
    possible = len(codes) * (len(codes) - 1) // 2
    if interactions - len(pairs) > possible - len(seen):
        raise BusinessError("RX_KB_GENERATE_RANGE", f"{len(codes)} 种药品最多组成 {possible} 对相互作用。")
    while len(pairs) < interactions:
        a, b = sorted(rng.sample(codes, 2))
        if ("drug", a, b) in seen:
            continue
        seen.add(("drug", a, b))
        pairs.append(
            {
                "level": "drug",
                "a_code": a,
                "b_code": b,
                "severity": rng.choices(severities, weights)[0],
                "mechanism": "合成相互作用",
                "management": "合成数据，仅用于性能测试",
                "source": marker,
            }
        )
    return {**data, "drugs": rows, "interactions": pairs}


@transaction.atomic
def generate_synthetic(*, drugs: int, interactions: int, seed: int) -> GenerateReport:
    data = synthetic_data(drugs=drugs, interactions=interactions, seed=seed)
    head = KnowledgeVersion.objects.select_for_update().order_by("-number").values_list("number", flat=True).first()
    version = KnowledgeVersion.objects.create(
        number=(head or 0) + 1,
        name=f"合成知识库（{drugs} 药品 / {interactions} 相互作用，seed={seed}）",
        notes=_marker(seed),
        status=VersionStatus.PUBLISHED,
        effective_date=timezone.localdate(),
        published_at=timezone.now(),
        synthetic=True,
    )
    counts = build_rows(data, version, using="default")
    return GenerateReport(version, counts)
