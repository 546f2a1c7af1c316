"""The bridge to the in-process engine (``engine.api.check``): payload → input → stored findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yigongti.centers.prescription_review.choices import Severity, Verdict
from yigongti.core.errors import BusinessError


@dataclass(frozen=True)
class EngineOutcome:
    max_severity: str  # "none" when nothing was found
    verdict: str
    findings: list[dict[str, Any]]
    elapsed_us: int
    kb_version: str


_VERDICTS = {v.value for v in Verdict}


def outcome_of(result: Any) -> EngineOutcome:
    """A ``CheckResult`` as stored: findings as plain JSON, an unknown verdict sent to a pharmacist."""
    findings = [f.as_dict() if hasattr(f, "as_dict") else dict(f) for f in result.findings]
    verdict = str(result.verdict)
    return EngineOutcome(
        max_severity=str(result.max_severity or Severity.NONE),
        verdict=verdict if verdict in _VERDICTS else Verdict.REVIEW,
        findings=findings,
        elapsed_us=max(0, int(result.elapsed_us)),
        kb_version=str(result.kb_version or "")[:50],
    )


def run_engine(payload: dict[str, Any], *, institution_id: int, his_id: str) -> EngineOutcome:
    """Check ``payload`` (the HIS JSON, identifying fields removed) with the institution's rules.

    Bad input answers 400 ``RX_PAYLOAD_INVALID`` with the engine's Chinese reason."""
    from yigongti.centers.prescription_review.engine import api as rx_engine

    try:
        rx = rx_engine.input_from_payload(payload)
    except ValueError as exc:
        raise BusinessError("RX_PAYLOAD_INVALID", f"处方数据有误：{exc}") from None
    if hasattr(rx, "prescription_id") and not rx.prescription_id:
        rx.prescription_id = his_id
    return outcome_of(rx_engine.check(rx, institution_id=institution_id))
