"""参数配置 and 参数限定 (PLAT-04): the value in force at a moment, limits, overlapping periods."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from yigongti.core.audit.models import AuditLog
from yigongti.core.testing.api import assert_error
from yigongti.platform.codes import selectors, services
from yigongti.platform.codes.models import Dictionary, DictionaryEntry, Parameter, ParameterValue

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(dt.datetime(2025, 3, 1, 8, 0))
DAY = dt.timedelta(days=1)
URL = "/api/v1/codes/parameter-values"
VALUE_CODES = [
    "codes.parameter_value.view",
    "codes.parameter_value.add",
    "codes.parameter_value.change",
    "codes.parameter_value.delete",
]


def _days(**kw: Any) -> Parameter:
    defaults = {
        "code": "followup.interval_days",
        "name": "随访间隔（天）",
        "value_type": "int",
        "default_value": "90",
        "min_value": Decimal(1),
        "max_value": Decimal(365),
        "allow_institution_override": True,
    }
    return Parameter.objects.create(**(defaults | kw))


@pytest.fixture
def timeline(api_world: Any) -> Parameter:
    """Platform 30 from T0 to T0+30d; 城关镇卫生院 14 from T0+10d to T0+20d; default 90."""
    p = _days()
    services.parameter_value_create(actor=None, parameter=p, value="30", effective_from=T0, expires_at=T0 + 30 * DAY)
    services.parameter_value_create(
        actor=None,
        parameter=p,
        institution=api_world.home,
        value=14,
        effective_from=T0 + 10 * DAY,
        expires_at=T0 + 20 * DAY,
    )
    return p


def test_value_in_force_at_each_moment(api_world: Any, timeline: Parameter) -> None:
    code, home, other = timeline.code, api_world.home, api_world.other
    assert selectors.param_value(code, at=T0 - dt.timedelta(seconds=1)) == 90  # before effective_from: default
    assert selectors.param_value(code, at=T0) == 30  # effective_from is inclusive
    assert selectors.param_value(code, at=T0 + 15 * DAY) == 30
    assert selectors.param_value(code, at=T0 + 30 * DAY - dt.timedelta(seconds=1)) == 30
    assert selectors.param_value(code, at=T0 + 30 * DAY) == 90  # expires_at is exclusive: back to the default
    assert selectors.param_value(code, at=T0 + 15 * DAY, institution=home) == 14  # override in force
    assert selectors.param_value(code, at=T0 + 15 * DAY, institution=other) == 30  # no override: platform value
    assert selectors.param_value(code, at=T0 + 5 * DAY, institution=home) == 30  # override not yet in force
    assert selectors.param_value(code, at=T0 + 25 * DAY, institution=home.pk) == 30  # override expired
    assert selectors.param_value(code, at=T0 + 40 * DAY, institution=home) == 90
    resolved = selectors.param_resolve(code, at=T0 + 15 * DAY, institution=home)
    assert (resolved.source, resolved.text, resolved.record.institution_id) == ("institution", "14", home.pk)
    assert selectors.param_resolve(code, at=(T0 + 15 * DAY).date()).source == "platform"
    assert selectors.param_resolve(code, at=T0 - DAY).source == "default"


def test_institution_values_count_only_while_overrides_are_allowed(api_world: Any, timeline: Parameter) -> None:
    Parameter.objects.filter(pk=timeline.pk).update(allow_institution_override=False)
    assert selectors.param_value(timeline.code, at=T0 + 15 * DAY, institution=api_world.home) == 30
    closed = _days(code="security.closed", allow_institution_override=False)
    with pytest.raises(ValidationError) as err:
        services.parameter_value_create(actor=None, parameter=closed, institution=api_world.home, value=5)
    assert "不允许机构覆盖" in str(err.value)
    assert not ParameterValue.objects.filter(parameter=closed).exists()


def test_typed_values() -> None:
    flag = Parameter.objects.create(code="t.flag", name="开关", value_type="bool", default_value="false")
    ratio = Parameter.objects.create(code="t.ratio", name="比例", value_type="decimal", default_value="0.50")
    rules = Parameter.objects.create(
        code="t.rules", name="规则", value_type="json", default_value='{"b": [1, 2], "a": "甲"}'
    )
    level = Parameter.objects.create(
        code="t.level", name="级别", value_type="choice", choices=["low", "high"], default_value="low"
    )
    assert selectors.param_value("t.flag") is False
    assert selectors.param_value("t.ratio") == Decimal("0.50")
    assert selectors.param_value("t.rules") == {"a": "甲", "b": [1, 2]}
    assert selectors.param_value("t.level") == "low"
    services.parameter_value_create(actor=None, parameter=flag, value="是")
    services.parameter_value_create(actor=None, parameter=rules, value={"x": 1})
    services.parameter_value_create(actor=None, parameter=level, value="high")
    services.parameter_value_create(actor=None, parameter=ratio, value=0.75)
    assert selectors.param_value("t.flag") is True
    assert ParameterValue.objects.get(parameter=flag).value == "true"  # stored canonically
    assert selectors.param_value("t.rules") == {"x": 1}
    assert selectors.param_value("t.level") == "high"
    assert selectors.param_value("t.ratio") == Decimal("0.75")


def test_unknown_parameter_is_a_404() -> None:
    from yigongti.core.errors import BusinessError

    with pytest.raises(BusinessError) as err:
        selectors.param_value("no.such.parameter")
    assert err.value.status_code == 404 and "不存在" in err.value.message


@pytest.mark.parametrize(
    ("kw", "value", "fragment"),
    [
        ({}, 500, "不能大于 365"),
        ({}, 0, "不能小于 1"),
        ({}, "十四", "应为整数"),
        ({}, 1.5, "应为整数"),
        (
            {
                "value_type": "string",
                "min_value": None,
                "max_value": None,
                "default_value": "A1",
                "regex": r"[A-Z]\d",
                "max_length": 2,
            },
            "a1",
            "格式不符合要求",
        ),
        (
            {"value_type": "string", "min_value": None, "max_value": None, "default_value": "", "max_length": 3},
            "abcd",
            "长度不能超过 3 个字符",
        ),
        (
            {
                "value_type": "choice",
                "min_value": None,
                "max_value": None,
                "choices": ["sms", "phone"],
                "default_value": "sms",
            },
            "mail",
            "应为以下选项之一：sms、phone",
        ),
        ({"value_type": "bool", "min_value": None, "max_value": None, "default_value": "true"}, "也许", "是”或“否"),
        (
            {"value_type": "json", "min_value": None, "max_value": None, "default_value": "{}"},
            "{bad",
            "不是有效的 JSON",
        ),
    ],
)
def test_limit_violations_are_refused_and_nothing_is_written(
    api_world: Any, kw: dict[str, Any], value: Any, fragment: str
) -> None:
    p = _days(**kw)
    client = api_world.client_for(VALUE_CODES, scope="all")
    before = (ParameterValue.objects.count(), AuditLog.objects.count())
    body = assert_error(client.post(URL, {"parameter": p.code, "value": value}, format="json"), 400, "VALIDATION_ERROR")
    assert fragment in body["fields"]["value"][0], body
    assert body["fields"]["value"][0].startswith(f"参数「{p.name}」")
    assert (ParameterValue.objects.count(), AuditLog.objects.count()) == before


def test_choices_can_come_from_a_dictionary() -> None:
    ways = Dictionary.objects.create(code="WAYS", name="随访方式")
    DictionaryEntry.objects.create(dictionary=ways, code="PHONE", name="电话")
    DictionaryEntry.objects.create(dictionary=ways, code="OLD", name="停用方式", is_enabled=False)
    p = Parameter.objects.create(
        code="followup.way", name="默认随访方式", value_type="choice", choice_dictionary=ways, default_value="PHONE"
    )
    assert p.value_source_type == "字典"
    services.parameter_value_create(actor=None, parameter=p, value="PHONE")
    with pytest.raises(ValidationError, match="应为以下选项之一：PHONE"):
        services.parameter_value_create(actor=None, parameter=p, value="OLD", effective_from=T0 + 400 * DAY)


def test_definition_limits_are_checked(api_world: Any) -> None:
    client = api_world.client_for(["codes.parameter.add", "codes.parameter.change"], scope="all")
    url = "/api/v1/codes/parameters"
    base = {"code": "t.limits", "name": "测试", "value_type": "int", "default_value": 5}
    body = assert_error(client.post(url, base | {"min_value": 10, "max_value": 1}, format="json"), 400)
    assert body["fields"]["max_value"] == ["最大值不能小于最小值。"]
    body = assert_error(client.post(url, base | {"min_value": 10}, format="json"), 400)
    assert "不能小于 10" in body["fields"]["default_value"][0]
    body = assert_error(client.post(url, base | {"regex": "[0-9]"}, format="json"), 400)
    assert "只有字符串类型" in body["fields"]["regex"][0]
    body = assert_error(client.post(url, base | {"value_type": "choice", "default_value": ""}, format="json"), 400)
    assert "可选项或选项来源字典" in body["fields"]["choices"][0]
    assert not Parameter.objects.filter(code="t.limits").exists()
    # tightening the limits below a value still in force is refused
    p = _days()
    services.parameter_value_create(actor=None, parameter=p, value=200)
    body = assert_error(client.patch(f"{url}/{p.pk}", {"max_value": 100}, format="json"), 400)
    assert "已有参数值「200」不满足修改后的限定" in body["message"]
    p.refresh_from_db()
    assert p.max_value == 365


def test_overlapping_periods_are_refused(api_world: Any, timeline: Parameter) -> None:
    client = api_world.client_for(VALUE_CODES, scope="all")
    before = (ParameterValue.objects.count(), AuditLog.objects.count())
    clash = {"parameter": timeline.code, "value": 45, "effective_from": (T0 + 29 * DAY).isoformat()}
    body = assert_error(client.post(URL, clash, format="json"), 400, "VALIDATION_ERROR")
    assert (
        "有效期重叠" in body["fields"]["effective_from"][0]
        and "2025-03-01 08:00 至 2025-03-31 08:00" in body["fields"]["effective_from"][0]
    )
    inside = clash | {"effective_from": (T0 + 2 * DAY).isoformat(), "expires_at": (T0 + 3 * DAY).isoformat()}
    assert_error(client.post(URL, inside, format="json"), 400, "VALIDATION_ERROR")
    around = clash | {"effective_from": (T0 - DAY).isoformat(), "expires_at": (T0 + 40 * DAY).isoformat()}
    assert_error(client.post(URL, around, format="json"), 400, "VALIDATION_ERROR")
    assert (ParameterValue.objects.count(), AuditLog.objects.count()) == before
    # touching periods are fine: the old one ends exactly when the new one starts
    touching = clash | {"effective_from": (T0 + 30 * DAY).isoformat()}
    response = client.post(URL, touching, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["value"] == "45" and response.json()["status"] == "生效中"
    # another institution's (or the platform's) periods do not clash with an institution's own
    own = {
        "parameter": timeline.code,
        "value": 7,
        "institution": api_world.other.pk,
        "effective_from": (T0 + 12 * DAY).isoformat(),
    }
    assert client.post(URL, own, format="json").status_code == 201
    # moving an existing value onto another is refused too
    mine = ParameterValue.objects.get(parameter=timeline, institution=api_world.home)
    assert_error(client.patch(f"{URL}/{mine.pk}", {"institution": api_world.other.pk}, format="json"), 400)
    mine.refresh_from_db()
    assert mine.institution_id == api_world.home.pk


def test_expiry_must_follow_start(api_world: Any) -> None:
    p = _days()
    client = api_world.client_for(VALUE_CODES, scope="all")
    data = {"parameter": p.code, "value": 10, "effective_from": T0.isoformat(), "expires_at": T0.isoformat()}
    body = assert_error(client.post(URL, data, format="json"), 400)
    assert "失效时间必须晚于生效时间" in str(body["fields"])


def test_override_ends_the_open_value_and_starts_the_new_one(api_world: Any) -> None:
    p = _days()
    first = services.parameter_value_create(actor=None, parameter=p, value=30, effective_from=T0)
    client = api_world.client_for(VALUE_CODES, scope="all")
    before = AuditLog.objects.count()
    at = T0 + 10 * DAY
    response = client.post(
        f"{URL}/override",
        {"parameter": p.code, "value": 60, "effective_from": at.isoformat(), "note": "按县卫健委要求调整"},
        format="json",
    )
    assert response.status_code == 201, response.content
    first.refresh_from_db()
    assert first.expires_at == at
    new = ParameterValue.objects.get(pk=response.json()["id"])
    assert (new.value, new.effective_from, new.expires_at, new.note) == ("60", at, None, "按县卫健委要求调整")
    assert list(AuditLog.objects.filter(id__gt=0).order_by("-id").values_list("category", flat=True)[:2]) == [
        "create",
        "update",
    ]
    assert AuditLog.objects.count() == before + 2
    assert selectors.param_value(p.code, at=at - DAY) == 30 and selectors.param_value(p.code, at=at) == 60
    # a bad value rolls the whole override back
    again = client.post(f"{URL}/override", {"parameter": p.code, "value": 999}, format="json")
    assert_error(again, 400, "VALIDATION_ERROR")
    new.refresh_from_db()
    assert new.expires_at is None and AuditLog.objects.count() == before + 2
    # the override needs both add and change
    adder = api_world.client_for(["codes.parameter_value.add"], scope="all")
    assert_error(adder.post(f"{URL}/override", {"parameter": p.code, "value": 70}, format="json"), 403)


def test_institution_user_sets_only_its_own_override(api_world: Any) -> None:
    p = _days()
    client = api_world.client_for(VALUE_CODES, scope="institution")
    own = client.post(URL, {"parameter": p.code, "value": 20, "institution": api_world.home.pk}, format="json")
    assert own.status_code == 201, own.content
    before = AuditLog.objects.count()
    assert_error(client.post(URL, {"parameter": p.code, "value": 20}, format="json"), 403, "OUT_OF_SCOPE")
    assert not ParameterValue.objects.filter(parameter=p, institution__isnull=True).exists()
    assert AuditLog.objects.count() == before


def test_lookup_endpoint(api_world: Any, timeline: Parameter) -> None:
    client = api_world.client_for(["codes.parameter.view"])
    url = "/api/v1/codes/parameters/lookup"
    at = (T0 + 15 * DAY).isoformat()
    body = client.get(url, {"code": timeline.code, "at": at, "institution": api_world.home.pk}).json()
    assert (body["value"], body["text"], body["source"], body["source_display"]) == (
        14,
        "14",
        "institution",
        "机构设置",
    )
    assert body["institution"] == api_world.home.pk and body["expires_at"].startswith("2025-03-21T08:00:00")
    body = client.get(url, {"code": timeline.code, "at": at}).json()
    assert (body["value"], body["source"]) == (30, "platform")
    body = client.get(url, {"code": timeline.code, "at": "2025-02-01"}).json()
    assert (body["value"], body["source"], body["value_id"]) == (90, "default", None)
    unencoded = client.get(f"{url}?code={timeline.code}&at=2025-03-16T08:00:00+08:00").json()
    assert unencoded["value"] == 30
    assert_error(client.get(url, {"code": "no.such"}), 404, "PARAMETER_NOT_FOUND")
    assert_error(client.get(url, {"code": timeline.code, "at": "昨天"}), 400, "VALIDATION_ERROR")
    assert_error(client.get(url, {}), 400, "VALIDATION_ERROR")
    assert_error(client.get(url, {"code": timeline.code, "institution": api_world.other.pk}), 404, "NOT_FOUND")
    assert_error(api_world.client_for([]).get(url, {"code": timeline.code}), 403, "PERMISSION_DENIED")
