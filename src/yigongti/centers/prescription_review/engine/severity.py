"""The ordered severity scale and the action taken per severity (RX-05 AI审方配置).

Default scale 禁忌 > 不推荐 > 慎用 > 提示 (industry convention of 审方 systems, china-standards §4
"Warning-level conventions"; the national text fixes no scale).  Default actions follow
《医疗机构处方审核规范》(国卫办医发〔2018〕14号): 严重不合理用药或用药错误应拒绝调配 (→ intercept);
guide §3.6.3.1(2): 药师对系统判断为"慎用""不推荐使用"级别的处方进行人工审核 (→ pharmacist).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yigongti.centers.prescription_review.engine.types import (
    VERDICT_DOUBLE_SIGN,
    VERDICT_INTERCEPT,
    VERDICT_PASS,
    VERDICT_REVIEW,
)

CONTRAINDICATED = "contraindicated"
NOT_RECOMMENDED = "not_recommended"
CAUTION = "caution"
INFO = "info"

ACTION_INTERCEPT = "intercept"  # 自动拦截，医生必须修改
ACTION_PHARMACIST = "pharmacist"  # 转药师审核
ACTION_DOUBLE_SIGN = "double_sign"  # 医生双签可放行
ACTION_INFORM = "inform"  # 仅提示
ACTIONS: dict[str, str] = {
    ACTION_INTERCEPT: "自动拦截",
    ACTION_PHARMACIST: "转药师审核",
    ACTION_DOUBLE_SIGN: "医生双签可放行",
    ACTION_INFORM: "仅提示",
}
# Strength of an action; the verdict is the strongest action over all findings.
ACTION_RANK: dict[str, int] = {
    ACTION_INFORM: 0,
    ACTION_DOUBLE_SIGN: 1,
    ACTION_PHARMACIST: 2,
    ACTION_INTERCEPT: 3,
}
VERDICT_OF_ACTION: dict[str, str] = {
    ACTION_INFORM: VERDICT_PASS,
    ACTION_DOUBLE_SIGN: VERDICT_DOUBLE_SIGN,
    ACTION_PHARMACIST: VERDICT_REVIEW,
    ACTION_INTERCEPT: VERDICT_INTERCEPT,
}

SEVERITY_SOURCE = (
    "《医疗机构处方审核规范》(国卫办医发〔2018〕14号) 审核结果处理; 指南 §3.6.3.1(2) 慎用/不推荐使用级别人工审核"
)


@dataclass(frozen=True, slots=True)
class SeverityLevel:
    code: str
    name: str
    rank: int  # higher = more severe
    action: str
    color: str = ""


DEFAULT_SCALE: tuple[SeverityLevel, ...] = (
    SeverityLevel(CONTRAINDICATED, "禁忌", 40, ACTION_INTERCEPT, "#000000"),
    SeverityLevel(NOT_RECOMMENDED, "不推荐", 30, ACTION_PHARMACIST, "#d4380d"),
    SeverityLevel(CAUTION, "慎用", 20, ACTION_PHARMACIST, "#faad14"),
    SeverityLevel(INFO, "提示", 10, ACTION_INFORM, "#1677ff"),
)
DEFAULT_RANK: dict[str, int] = {level.code: level.rank for level in DEFAULT_SCALE}


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """The effective rule configuration of one institution (in memory, built from RuleConfig)."""

    version: str = "default"
    scale: tuple[SeverityLevel, ...] = DEFAULT_SCALE
    disabled_checks: frozenset[str] = frozenset()
    severity_overrides: dict[str, str] = field(default_factory=dict)
    # Prescriptions of these kinds skip the 规范性 checks meant for 门急诊 (none by default).
    rank: dict[str, int] = field(init=False, repr=False, compare=False)
    action: dict[str, str] = field(init=False, repr=False, compare=False)
    names: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rank", {lvl.code: lvl.rank for lvl in self.scale})
        object.__setattr__(self, "action", {lvl.code: lvl.action for lvl in self.scale})
        object.__setattr__(self, "names", {lvl.code: lvl.name for lvl in self.scale})

    def enabled(self, check_type: str) -> bool:
        return check_type not in self.disabled_checks


DEFAULT_SETTINGS = EngineSettings()
