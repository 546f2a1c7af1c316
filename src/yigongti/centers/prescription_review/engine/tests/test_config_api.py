"""RX-05 AI审方配置: per-institution configuration, versions by effective date, permissions, verdicts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from yigongti.centers.prescription_review.engine import api as rx_engine
from yigongti.centers.prescription_review.engine import services
from yigongti.centers.prescription_review.engine.checktypes import CHECK_TYPES
from yigongti.centers.prescription_review.engine.models import CheckTypeSetting, RuleConfig, SeverityLevel
from yigongti.centers.prescription_review.engine.selectors import effective_settings
from yigongti.centers.prescription_review.engine.tests.minikb import item, make_kb, rx
from yigongti.core.audit.models import AuditLog
from yigongti.core.testing.api import ResourceAPITests, assert_error

URL = "/api/v1/rx/rule-configs"
WARFARIN_IBUPROFEN = {
    "patient": {"age_years": 68, "sex": "男"},
    "diagnoses": [{"code": "I48.9", "name": "心房颤动"}, {"code": "M19.9", "name": "骨关节炎"}],
    "prescription": {"kind": "outpatient", "antibiotic_level": 1},
    "items": [
        {"drug_code": "WARF", "dose": 3, "unit": "mg", "frequency": "qd", "route": "po", "days": 7},
        {"drug_code": "IBU", "dose": 0.3, "unit": "g", "frequency": "bid", "route": "po", "days": 5},
    ],
}


class TestRuleConfigAPI(ResourceAPITests):
    url = URL
    permission_base = "rx.rule_config"
    supports_import = False

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        return RuleConfig.objects.create(
            community=institution.community,
            institution=institution,
            name=f"本院审方规则{n}",
            effective_from=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
        )

    def create_data(self, world: Any) -> dict[str, Any]:
        return {
            "community": world.community.pk,
            "institution": world.home.pk,
            "name": "本院审方规则2026",
            "effective_from": "2026-01-01",
        }

    def create_data_elsewhere(self, world: Any) -> dict[str, Any]:
        return self.create_data(world) | {"institution": world.other.pk}

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"name": "本院审方规则（修订）"}


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    rx_engine.invalidate_settings()
    yield
    rx_engine.invalidate_settings()


@pytest.mark.django_db
def test_new_config_copies_the_seeded_default(api_world: Any) -> None:
    """指南 §3.6.2.2 AI审方配置: a new institution version starts from the community default's rules."""
    default = services.rule_config_seed_default(community=api_world.community)
    CheckTypeSetting.objects.filter(config=default, check_type="norm_item_count").update(enabled=False)
    client = api_world.client_for(["rx.rule_config.add", "rx.rule_config.view"])
    response = client.post(
        URL,
        {
            "community": api_world.community.pk,
            "institution": api_world.home.pk,
            "name": "城关镇规则",
            "effective_from": "2026-01-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    config = RuleConfig.objects.get(pk=response.json()["id"])
    assert list(config.levels.values_list("code", "name", "action")) == [
        ("contraindicated", "禁忌", "intercept"),
        ("not_recommended", "不推荐", "pharmacist"),
        ("caution", "慎用", "pharmacist"),
        ("info", "提示", "inform"),
    ]
    assert config.checks.count() == len(CHECK_TYPES)
    assert list(config.checks.filter(enabled=False).values_list("check_type", flat=True)) == ["norm_item_count"]


@pytest.mark.django_db
def test_seed_default_is_idempotent_and_cites_the_2018_rules(api_world: Any) -> None:
    """《医疗机构处方审核规范》(国卫办医发〔2018〕14号) is the seeded default's source."""
    first = services.rule_config_seed_default(community=api_world.community)
    second = services.rule_config_seed_default(community=api_world.community)
    assert first.pk == second.pk
    assert RuleConfig.objects.filter(community=api_world.community).count() == 1
    assert "处方审核规范" in first.source
    assert first.levels.count() == 4


@pytest.mark.django_db
def test_institution_config_replaces_default_from_its_effective_date(api_world: Any) -> None:
    """Versions by effective date: the institution's own config applies from effective_from on."""
    default = services.rule_config_seed_default(community=api_world.community)
    own = RuleConfig.objects.create(
        community=api_world.community,
        institution=api_world.home,
        name="城关镇规则",
        effective_from=datetime.date(2026, 3, 1),
    )
    services.rule_config_populate(config=own, actor=None)
    SeverityLevel.objects.filter(config=own, code="not_recommended").update(action="double_sign")
    before = effective_settings(institution_id=api_world.home.pk, day=datetime.date(2026, 2, 28))
    after = effective_settings(institution_id=api_world.home.pk, day=datetime.date(2026, 3, 1))
    neighbour = effective_settings(institution_id=api_world.other.pk, day=datetime.date(2026, 3, 1))
    assert before.version == default.version
    assert after.version == own.version
    assert after.action["not_recommended"] == "double_sign"
    assert neighbour.version == default.version


@pytest.mark.django_db
def test_verdict_follows_the_configured_action(api_world: Any) -> None:
    """Verdict = strongest action over findings: 不推荐 → 药师 (default) or 医生双签 (configured)."""
    kb = make_kb()
    warfarin_nsaid = rx(item("WARF", 3), item("IBU", 300, frequency="bid"), diagnoses=(("I48.9", "心房颤动"),))
    default = services.rule_config_seed_default(community=api_world.community, effective_from=datetime.date(2020, 1, 1))
    assert rx_engine.check(warfarin_nsaid, institution_id=api_world.home.pk, kb=kb).verdict == "review"
    SeverityLevel.objects.filter(config=default, code="not_recommended").update(action="double_sign")
    SeverityLevel.objects.filter(config=default, code="caution").update(action="inform")
    rx_engine.invalidate_settings()
    result = rx_engine.check(warfarin_nsaid, institution_id=api_world.home.pk, kb=kb)
    assert result.verdict == "double_sign"
    assert result.max_severity == "not_recommended"
    assert result.config_version == default.version


@pytest.mark.django_db
def test_disabled_check_type_and_severity_override(api_world: Any) -> None:
    """Check types can be switched off or given a fixed severity per institution (RX-05)."""
    kb = make_kb()
    default = services.rule_config_seed_default(community=api_world.community, effective_from=datetime.date(2020, 1, 1))
    CheckTypeSetting.objects.filter(config=default, check_type="interaction").update(
        severity_override="contraindicated"
    )
    CheckTypeSetting.objects.filter(config=default, check_type="warning").update(enabled=False)
    result = rx_engine.check(
        rx(item("WARF", 3), item("IBU", 300, frequency="bid"), diagnoses=(("I48.9", "心房颤动"),)),
        institution_id=api_world.home.pk,
        kb=kb,
    )
    assert [(f.check_type, f.severity) for f in result.findings] == [("interaction", "contraindicated")]
    assert result.verdict == "intercept"


@pytest.mark.django_db
def test_pharmacist_cannot_change_the_community_default(api_world: Any) -> None:
    """Institution-scope users read the community default but cannot write it (数据权限)."""
    default = services.rule_config_seed_default(community=api_world.community)
    client = api_world.client_for(["rx.rule_config.view", "rx.rule_config.change"])
    assert client.get(f"{URL}/{default.pk}").status_code == 200
    before = AuditLog.objects.count()
    assert_error(client.patch(f"{URL}/{default.pk}", {"name": "改"}, format="json"), 404, "NOT_FOUND")
    level = default.levels.get(code="caution")
    assert_error(
        client.patch(f"/api/v1/rx/rule-severity-levels/{level.pk}", {"action": "inform"}, format="json"),
        404,
        "NOT_FOUND",
    )
    assert AuditLog.objects.count() == before
    assert SeverityLevel.objects.get(pk=level.pk).action == "pharmacist"


@pytest.mark.django_db
def test_community_admin_renames_a_severity_level(api_world: Any) -> None:
    """Configurable names on the ordered scale; the write is audited."""
    default = services.rule_config_seed_default(community=api_world.community)
    level = default.levels.get(code="not_recommended")
    client = api_world.client_for(["rx.rule_config.view", "rx.rule_config.change"], scope="community")
    response = client.patch(f"/api/v1/rx/rule-severity-levels/{level.pk}", {"name": "严重"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "严重"
    assert AuditLog.objects.filter(category="update", object_id=str(level.pk)).count() == 1


@pytest.mark.django_db
def test_override_must_be_a_level_of_the_config(api_world: Any) -> None:
    """统一警示级别 must be one of the config's levels: a Chinese 400 and nothing written."""
    default = services.rule_config_seed_default(community=api_world.community)
    setting = default.checks.get(check_type="interaction")
    client = api_world.client_for(["rx.rule_config.view", "rx.rule_config.change"], scope="community")
    body = assert_error(
        client.patch(f"/api/v1/rx/rule-check-settings/{setting.pk}", {"severity_override": "fatal"}, format="json"),
        400,
        "VALIDATION_ERROR",
    )
    assert "severity_override" in body["fields"]
    assert CheckTypeSetting.objects.get(pk=setting.pk).severity_override == ""


@pytest.mark.django_db
def test_check_types_endpoint(api_world: Any) -> None:
    """The console lists every check type with its source (指南 §3.6.2.1)."""
    assert_error(api_world.client_for([]).get("/api/v1/rx/check-types"), 403, "PERMISSION_DENIED")
    rows = api_world.client_for(["rx.rule_config.view"]).get("/api/v1/rx/check-types").json()
    assert len(rows) == len(CHECK_TYPES)
    assert rows[0] == {"code": "indication", "name": "适应症", "group": "suitability", "source": CHECK_TYPES[0].source}


@pytest.mark.django_db
def test_trial_run_and_bad_payload(api_world: Any, monkeypatch: Any) -> None:
    """试审: the console runs a prescription against a config; a bad payload is a Chinese 400."""
    from yigongti.centers.prescription_review.engine.api import views

    monkeypatch.setattr(views, "current_knowledge", make_kb)
    default = services.rule_config_seed_default(community=api_world.community)
    client = api_world.client_for(["rx.rule_config.view"])
    response = client.post(f"{URL}/{default.pk}/trial", {"payload": WARFARIN_IBUPROFEN}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["verdict"] == "review"
    assert [(f["check_type"], f["drug_codes"]) for f in body["findings"]] == [
        ("interaction", ["WARF", "IBU"]),
        ("warning", ["WARF"]),
    ]
    bad = client.post(f"{URL}/{default.pk}/trial", {"payload": {"items": []}}, format="json")
    assert assert_error(bad, 400, "RX_INVALID_PAYLOAD")["message"] == "处方至少应包含一条药品明细(items)"
