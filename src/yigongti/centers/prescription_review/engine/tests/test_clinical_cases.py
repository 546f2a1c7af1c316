"""≥60 realistic county prescriptions (cases/*.json) against the SEEDED knowledge base of engineer K.

Each case lists findings that must be present (check type + severity + drug), findings that must
not be present, and optionally the verdict under the seeded default configuration.  The seeded
knowledge base is loaded into the test database once per process (inside the first test's rolled-back
transaction) and mapped by ``knowledge.snapshot.build_knowledge_base()``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from yigongti.centers.prescription_review.engine.core import run
from yigongti.centers.prescription_review.engine.kb import KnowledgeBase
from yigongti.centers.prescription_review.engine.payload import input_from_payload
from yigongti.centers.prescription_review.engine.types import CheckResult

CASES_DIR = Path(__file__).parent / "cases"


def load_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in sorted(CASES_DIR.glob("*.json")):
        cases.extend(json.loads(path.read_text(encoding="utf-8")))
    return cases


CASES = load_cases()


def describe(result: CheckResult) -> str:
    return "\n".join(
        f"  {f.check_type:<18}{f.severity:<16}{','.join(f.drug_codes):<40}{f.message}" for f in result.findings
    )


def test_suite_size_and_unique_ids() -> None:
    """Acceptance (issue 6): a suite of at least 60 realistic prescriptions with their expected findings."""
    ids = [c["id"] for c in CASES]
    assert len(ids) >= 60
    assert len(set(ids)) == len(ids)
    assert all(c["expect"] or c["absent"] for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_clinical_case(case: dict[str, Any], seeded_kb: KnowledgeBase) -> None:
    result = run(seeded_kb, input_from_payload(case["payload"]))
    listing = f"{case['id']} {case['title']}\n{describe(result)}"
    for want in case["expect"]:
        hit = [
            f
            for f in result.findings
            if f.check_type == want["check_type"]
            and f.severity == want["severity"]
            and (want["drug"] is None or want["drug"] in f.drug_codes)
        ]
        assert hit, f"missing {want}\n{listing}"
    for unwanted in case["absent"]:
        hit = [
            f
            for f in result.findings
            if f.check_type == unwanted["check_type"] and (unwanted["drug"] is None or unwanted["drug"] in f.drug_codes)
        ]
        assert not hit, f"unexpected {unwanted}\n{listing}"
    if "verdict" in case:
        assert result.verdict == case["verdict"], listing
