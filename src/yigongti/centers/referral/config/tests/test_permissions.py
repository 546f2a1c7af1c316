"""Grants of the built-in roles for 双向转诊配置."""

from __future__ import annotations

from yigongti.platform.accounts.builtin_roles import builtin_roles


def _codes(role: str) -> set[str]:
    return {
        c for c in next(r for r in builtin_roles() if r.code == role).permission_codes() if c.startswith("referral.")
    }


def test_doctor_views_schedules_and_evaluates_rules_and_paths_only() -> None:
    mine = {c for c in _codes("doctor") if c.split(".")[1] in {"settings", "schedule", "rule", "path"}}
    assert mine == {
        "referral.schedule",
        "referral.schedule.view",
        "referral.rule",
        "referral.rule.evaluate",
        "referral.path",
        "referral.path.recommend",
    }


def test_admins_hold_every_configuration_code() -> None:
    expected = {
        "referral.settings.view",
        "referral.settings.change",
        "referral.schedule.generate",
        "referral.schedule.slot",
        "referral.rule.add",
        "referral.rule.evaluate",
        "referral.path.import",
        "referral.path.recommend",
    }
    for role in ("institution_admin", "community_admin"):
        assert expected <= _codes(role), role
