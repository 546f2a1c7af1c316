"""End-to-end scenarios of the console in Chromium against a real server (make test-browser)."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import VIEWPORT, ConsoleServer
from tests.browser.console import (
    TABLE_ROWS,
    choose,
    dialog,
    login,
    open_page,
    row_with,
    search,
    shot,
    submit_login,
    wait_idle,
)

pytestmark = pytest.mark.browser


def test_doctor_logs_in_and_sees_the_workbench(page: Page, console_server: ConsoleServer, screenshots: Path) -> None:
    login(page, "doctor_qingshi", console_server.facts["password"])

    welcome = page.locator(".home .welcome")
    expect(welcome).to_contain_text(console_server.facts["town_institution"])
    expect(welcome.locator(".el-tag", has_text="医生")).to_be_visible()
    expect(page.locator("[data-quick-link='registry.resident']")).to_be_visible()
    expect(page.locator(".crumbs")).to_contain_text("首页")
    shot(page, screenshots, "01-workbench")


def test_five_wrong_passwords_lock_the_account(page: Page, console_server: ConsoleServer) -> None:
    username = console_server.facts["lockout_username"]
    error = page.locator(".login-error")
    for attempt in range(1, 6):
        submit_login(page, username, f"Wrong@pass{attempt}")
        expect(error).to_be_visible()
    # The 5th failure locked the account: the right password is refused now, with the lockout message.
    submit_login(page, username, console_server.facts["password"])
    expect(error).to_contain_text("连续登录失败次数过多，账号已锁定")
    expect(error).to_contain_text("分钟后再试或联系管理员解锁")
    expect(page).to_have_url(f"{console_server.url}/login")


def uscc_for(rng: random.Random) -> str:
    from yigongti.core.validators import uscc_check_char

    # 12 = 事业单位 (institution, public), then the 6-digit division code and a 9-character body.
    first17 = "12320999" + "".join(rng.choice("0123456789") for _ in range(9))
    return first17 + uscc_check_char(first17)


def test_admin_creates_a_village_clinic_and_its_department(
    page: Page, console_server: ConsoleServer, screenshots: Path
) -> None:
    facts = console_server.facts
    rng = random.Random()
    suffix = f"{rng.randrange(10**5):05d}"
    clinic = f"青石镇测试{suffix}村卫生室"
    uscc = uscc_for(rng)
    login(page, "admin_county", facts["password"])

    # -- 成员机构: 新增 a village clinic under the township health centre ---------------------
    open_page(page, "/org/institutions", "成员机构")
    shot(page, screenshots, "02-institutions")
    page.locator(".btn-create").click()
    form = dialog(page, "新增成员机构")
    expect(form).to_be_visible()
    choose(page, form.locator(".field-community"), facts["community"])
    choose(page, form.locator(".field-parent"), facts["town_institution"], typed=facts["town_institution"][:3])
    form.locator(".field-code input").fill(f"V{suffix}")
    form.locator(".field-name input").fill(clinic)
    form.locator(".field-short_name input").fill(f"测试{suffix}村")
    choose(page, form.locator(".field-type"), "村卫生室")
    form.locator(".field-uscc input").fill(uscc)
    form.locator(".field-division_code input").fill(facts["division_code"][:6])
    form.locator(".field-contact_person input").fill("王测试")
    form.locator(".field-contact_phone input").fill("13900001111")
    form.get_by_role("button", name="保存").click()
    expect(page.locator(".el-message--success", has_text="新增成功")).to_be_visible()
    expect(form).to_be_hidden()

    page.locator(".search-bar input").first.fill(clinic)
    search(page)
    row = row_with(page, clinic)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("村卫生室")
    expect(row).to_contain_text(facts["town_institution"])

    # -- 科室: 新增 a department of the new clinic ------------------------------------------
    open_page(page, "/org/departments", "科室")
    shot(page, screenshots, "03-departments")
    page.locator(".btn-create").click()
    form = dialog(page, "新增科室")
    expect(form).to_be_visible()
    choose(page, form.locator(".field-institution"), clinic, typed=f"测试{suffix}")
    form.locator(".field-code input").fill(f"D{suffix}")
    form.locator(".field-name input").fill("全科诊室")
    form.locator(".field-phone input").fill("0519-88001234")
    form.get_by_role("button", name="保存").click()
    expect(page.locator(".el-message--success", has_text="新增成功")).to_be_visible()
    expect(form).to_be_hidden()

    choose(page, page.locator(".search-bar .search-institution"), clinic, typed=f"测试{suffix}")
    search(page)
    row = row_with(page, f"D{suffix}")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("全科诊室")
    expect(row).to_contain_text(clinic)


def masked(id_number: str) -> str:
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


def find_resident(page: Page, id_number: str) -> Any:
    open_page(page, "/registry/residents", "居民档案")
    page.locator(".search-bar .search-id_number input").fill(id_number)
    search(page)
    expect(page.locator(TABLE_ROWS)).to_have_count(1)
    return page.locator(TABLE_ROWS).first


def test_doctor_finds_a_resident_by_id_number_masked(page: Page, console_server: ConsoleServer) -> None:
    resident = console_server.facts["resident"]
    login(page, "doctor_qingshi", console_server.facts["password"])

    row = find_resident(page, resident["id_number"])

    expect(row).to_contain_text(resident["name"])
    expect(row).to_contain_text(masked(resident["id_number"]))
    assert masked(resident["id_number"]).startswith("320999********")
    expect(page.locator(".resource-table")).not_to_contain_text(resident["id_number"])
    # 显示完整 needs registry.resident.view_sensitive, which a doctor does not hold (v-perm hides it).
    expect(row.locator(".act-reveal")).to_be_hidden()


def test_reveal_is_shown_in_full_and_audited(
    page: Page, browser: Any, console_server: ConsoleServer, screenshots: Path
) -> None:
    facts = console_server.facts
    resident = facts["resident"]
    login(page, "gongwei_qingshi", facts["password"])
    row = find_resident(page, resident["id_number"])
    expect(row).to_contain_text(masked(resident["id_number"]))

    row.locator(".act-reveal").click()
    full = dialog(page, f"{resident['name']} 的完整信息")
    expect(full).to_be_visible()
    expect(full.locator(".el-descriptions")).to_contain_text(resident["id_number"])
    expect(full).to_contain_text("本次查看已记入审计日志")
    full.get_by_role("button", name="关闭", exact=True).click()
    expect(full).to_be_hidden()

    # The auditor (三员: TOTP required) finds the reveal in the 业务日志.
    context = browser.new_context(base_url=console_server.url, viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(15_000)
    try:
        audit = context.new_page()
        login(audit, "auditor", facts["password"], otp_key=facts["otp_keys"]["auditor"])
        open_page(audit, "/audit/logs", "审计日志")
        expect(audit.locator(".log-tabs .el-tabs__item.is-active")).to_have_text("业务日志")
        audit.locator(".search-bar .search-content input").fill(resident["name"])
        search(audit)
        reveal = row_with(audit, f"查看居民敏感信息：{resident['name']}（档案 {resident['id']}）")
        expect(reveal).to_have_count(1)
        expect(reveal).to_contain_text("gongwei_qingshi")
        expect(reveal).to_contain_text("成功")
        shot(audit, screenshots, "10-audit-logs")

        open_page(audit, "/audit/logins", "登录日志")
        expect(row_with(audit, "gongwei_qingshi").first).to_be_visible()
        shot(audit, screenshots, "11-login-logs")
    finally:
        context.close()


PAGES_OF = {
    # admin_county (医共体管理员): organisation, residents, and read-only accounts and dictionaries.
    "admin_county": [
        ("/org/staff", "医护人员", "04-staff"),
        ("/registry/residents", "居民档案", "05-residents"),
        ("/system/users", "用户管理", "06-users"),
        ("/codes/dictionaries", "字典配置", "08-dictionaries"),
        ("/codes/parameters", "参数限定配置", "09-parameters"),
    ],
    # secadmin (安全保密管理员, TOTP): roles and online sessions.
    "secadmin": [
        ("/system/roles", "角色与授权", "07-roles"),
        ("/system/online", "在线用户", "12-online-users"),
    ],
}


@pytest.mark.parametrize("username", list(PAGES_OF))
def test_main_pages_render(page: Page, console_server: ConsoleServer, screenshots: Path, username: str) -> None:
    facts = console_server.facts
    login(page, username, facts["password"], otp_key=facts["otp_keys"].get(username))
    for path, title, name in PAGES_OF[username]:
        open_page(page, path, title)
        expect(page.locator(".el-menu-item.is-active")).to_contain_text(title)
        # The table fits the 1366-pixel window: no horizontal scrolling of the page itself.
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
        wait_idle(page)
        shot(page, screenshots, name)


def send_notice(server: ConsoleServer, username: str, title: str, summary: str) -> None:
    """Send a message with the notify service from another process (as a background job would)."""
    sent = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("send_notice.py")), username, title, summary],
        cwd=Path(__file__).resolve().parents[2],
        env=server.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert sent.returncode == 0, f"发送消息失败：\n{sent.stdout}\n{sent.stderr[-3000:]}"


def test_realtime_notification_reaches_the_bell(page: Page, console_server: ConsoleServer, screenshots: Path) -> None:
    if not console_server.realtime_across_processes:
        pytest.skip("Redis 不可达：服务器使用进程内的 Channels 层，其他进程发送的消息到不了它的 WebSocket")
    login(page, "doctor_qingshi", console_server.facts["password"])
    open_page(page, "/org/staff", "医护人员")  # on another page than the workbench
    bell = page.locator(".notify-bell")
    expect(bell).to_have_attribute("data-state", "open")  # the socket is connected…
    expect(bell).to_have_attribute("data-unread", re.compile(r"^\d+$"))  # …and told the unread count
    before = int(bell.get_attribute("data-unread") or 0)

    title = f"关于开展家庭医生签约服务督查的通知 {random.randrange(10**4):04d}"
    send_notice(console_server, "doctor_qingshi", title, "请各卫生院于本周五前完成自查")

    popup = page.locator(".notify-popup", has_text=title)
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("县卫健委 发布了公告：请各卫生院于本周五前完成自查")
    expect(bell).to_have_attribute("data-unread", str(before + 1))
    expect(bell.locator(".el-badge__content")).to_have_text(str(before + 1))
    expect(page.locator(".crumbs")).to_contain_text("医护人员")  # still on the same page
    shot(page, screenshots, "13-notification")

    bell.click()
    expect(page.locator(".notify-panel:visible")).to_contain_text(title)
