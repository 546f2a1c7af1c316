from __future__ import annotations

from yigongti.centers.prescription_review.engine.core import run
from yigongti.centers.prescription_review.engine.kb import KnowledgeBase
from yigongti.centers.prescription_review.engine.tests.minikb import make_kb
from yigongti.centers.prescription_review.engine.types import CheckResult, Finding, PrescriptionInput

KB = make_kb()


def review(rx: PrescriptionInput, kb: KnowledgeBase | None = None) -> CheckResult:
    return run(kb or KB, rx)


def of_type(rx: PrescriptionInput, check_type: str, kb: KnowledgeBase | None = None) -> list[Finding]:
    return [f for f in review(rx, kb).findings if f.check_type == check_type]


def brief(findings: list[Finding]) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.severity, f.drug_codes) for f in findings]
