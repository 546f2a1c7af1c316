"""Pure-Python engine core: run every enabled checker over one prescription (no DB access)."""

from __future__ import annotations

import time

from yigongti.centers.prescription_review.engine.checkers import CHECKERS
from yigongti.centers.prescription_review.engine.context import build_context
from yigongti.centers.prescription_review.engine.kb import KnowledgeBase
from yigongti.centers.prescription_review.engine.severity import (
    ACTION_INFORM,
    ACTION_RANK,
    DEFAULT_SETTINGS,
    VERDICT_OF_ACTION,
    EngineSettings,
)
from yigongti.centers.prescription_review.engine.types import (
    VERDICT_PASS,
    CheckResult,
    Finding,
    PrescriptionInput,
)


def derive_verdict(findings: list[Finding], settings: EngineSettings) -> tuple[str | None, str]:
    """Highest severity and the verdict: the strongest configured action over all findings."""
    rank = settings.rank
    best: str | None = None
    best_rank = -1
    action = ACTION_INFORM
    for finding in findings:
        r = rank.get(finding.severity, 0)
        if r > best_rank:
            best, best_rank = finding.severity, r
        act = settings.action.get(finding.severity, ACTION_INFORM)
        if ACTION_RANK[act] > ACTION_RANK[action]:
            action = act
    if best is None:
        return None, VERDICT_PASS
    return best, VERDICT_OF_ACTION[action]


def run(kb: KnowledgeBase, rx: PrescriptionInput, settings: EngineSettings = DEFAULT_SETTINGS) -> CheckResult:
    started = time.perf_counter_ns()
    ctx = build_context(kb, rx)
    findings: list[Finding] = []
    overrides = settings.severity_overrides
    for code, fn in CHECKERS.items():
        if not settings.enabled(code):
            continue
        produced = list(fn(ctx))
        if not produced:
            continue
        override = overrides.get(code)
        if override:
            for f in produced:
                f.severity = override
        findings.extend(produced)
    rank = settings.rank
    # Deterministic order (index lookups iterate frozensets): severity, items, type, rule, text.
    findings.sort(key=lambda f: (-rank.get(f.severity, 0), f.item_indexes, f.check_type, f.rule_id, f.message))
    max_severity, verdict = derive_verdict(findings, settings)
    elapsed_us = (time.perf_counter_ns() - started) // 1000
    return CheckResult(
        findings=findings,
        max_severity=max_severity,
        verdict=verdict,
        elapsed_us=int(elapsed_us),
        kb_version=kb.version,
        config_version=settings.version,
        severity_names=settings.names,
    )
