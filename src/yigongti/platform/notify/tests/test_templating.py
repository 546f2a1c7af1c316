"""Templates ({{ name }} only) and the announcement HTML sanitizer."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from yigongti.core.testing.api import assert_error
from yigongti.platform.notify.declarations import declared
from yigongti.platform.notify.models import MessageType, MessageTypeGroup
from yigongti.platform.notify.sanitize import plain_text, sanitize_html
from yigongti.platform.notify.templating import TemplateError, check_template, render, variables_in
from yigongti.platform.notify.tests.conftest import make_type

URL = "/api/v1/notify/message-types"


def test_render_fills_every_placeholder_with_text() -> None:
    text = render("{{ institution }} 转来患者 {{patient}}，{{ patient }} 需要 {{ days }} 天", {
        "institution": "城关镇卫生院", "patient": "张三", "days": 3,
    })  # fmt: skip
    assert text == "城关镇卫生院 转来患者 张三，张三 需要 3 天"
    assert variables_in("{{ a }}{{b}}{{ a }}") == ["a", "b"]


def test_render_never_evaluates_anything() -> None:
    assert render("{{ name }}", {"name": "{{ secret }} <b>x</b>"}) == "{{ secret }} <b>x</b>"
    assert render("{{ name }}", {"name": None}) == ""


def test_missing_context_variable_is_a_clear_error() -> None:
    with pytest.raises(TemplateError, match="发送消息时缺少标题模板变量：patient"):
        render("{{ patient }}", {}, label="标题模板")


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ patient }} {{ doctor }}", "引用了未声明的变量：doctor（可用变量：institution、patient）"),
        ("{% if x %}", "不支持"),
        ("{{ patient.name }}", "写法有误"),
        ("{{ patient }", "不成对"),
        ("{{ 1 + 1 }}", "写法有误"),
    ],
)
def test_check_template_refuses_bad_templates(template: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_template(template, ["patient", "institution"])


@pytest.mark.django_db
def test_type_with_undeclared_variable_is_refused_at_save_time() -> None:
    with pytest.raises(ValidationError) as caught:
        make_type(title_template="{{ patient }} 由 {{ doctor }} 接诊")
    assert caught.value.message_dict["title_template"] == [
        "标题模板引用了未声明的变量：doctor（可用变量：institution、patient）。"
    ]
    assert not MessageType.objects.filter(code="test.notice").exists()


@pytest.mark.django_db
def test_api_refuses_undeclared_variable_with_chinese_400(api_world: Any) -> None:
    group = MessageTypeGroup.objects.create(code="t", name="测试")
    client = api_world.client_for(["notify.message_type.add"], scope="all")
    body = assert_error(
        client.post(
            URL,
            {
                "code": "t.notice",
                "name": "测试",
                "group": group.code,
                "channels": ["in_app", "sms"],
                "variables": {"patient": "患者"},
                "title_template": "{{ patient }}",
                "sms_template": "{{ patient }} 的检查结果 {{ result }} 已出",
            },
            format="json",
        ),
        400,
        "VALIDATION_ERROR",
    )
    assert body["fields"]["sms_template"] == ["短信内容模板引用了未声明的变量：result（可用变量：patient）。"]
    assert not MessageType.objects.filter(code="t.notice").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"persisted": False}, "channels"),
        ({"channels": ["realtime"]}, "channels"),
        ({"unique_handling": True}, "unique_handling"),
        ({"channels": ["in_app", "sms"]}, "sms_template"),
        ({"recipient_roles": ["no_such_role"]}, "recipient_roles"),
        ({"recipient_parties": ["neighbour"]}, "recipient_parties"),
        ({"code": "NoDots"}, "code"),
    ],
)
def test_inconsistent_type_settings_are_refused(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        make_type(**change)
    assert field in caught.value.message_dict


@pytest.mark.django_db
def test_every_declared_platform_type_is_valid() -> None:
    """The seeded types (created after migrate) pass the same validation as an administrator's edit."""
    codes = {t.code for _, types in declared().values() for t in types}
    assert {"system.announcement", "security.password_expiring", "security.account_locked"} <= codes
    for mtype in MessageType.objects.filter(code__in=codes):
        mtype.full_clean()
    assert MessageType.objects.filter(code__in=codes, is_builtin=True).count() == len(codes)


def test_sanitizer_keeps_the_safe_subset() -> None:
    dirty = (
        '<p style="color:red" onclick="x()">通知<script>alert(1)</script><b>重要</b></p>'
        '<a href="javascript:alert(1)">坏链接</a><a href="https://example.org/a?b=1&c=2" target="x">好链接</a>'
        '<img src=x onerror=alert(1)><iframe src="https://evil"></iframe><table><tr><td colspan="2">格'
        "<!-- 注释 -->&lt;script&gt;"
    )
    assert sanitize_html(dirty) == (
        "<p>通知<b>重要</b></p><a>坏链接</a>"
        '<a href="https://example.org/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">好链接</a>'
        '<table><tr><td colspan="2">格&lt;script&gt;</td></tr></table>'
    )


@pytest.mark.parametrize("href", ["JaVa\tScript:alert(1)", " data:text/html,x", "//evil.example", "vbscript:x"])
def test_sanitizer_drops_dangerous_links(href: str) -> None:
    assert sanitize_html(f'<a href="{href}">x</a>') == "<a>x</a>"


def test_plain_text_summary() -> None:
    assert plain_text("<p>第一行</p><p>第二&amp;三</p>", 100) == "第一行 第二&三"
    assert plain_text("<p>" + "字" * 300 + "</p>", 10) == "字" * 9 + "…"
