"""Browser scenarios of the console frame: page tabs, the workbench, the inbox, switching the current
institution/role, and screenshots of the platform pages added with them (make test-browser)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import VIEWPORT, ConsoleServer
from tests.browser.console import dialog, login, open_page, row_with, search, shot, wait_idle
from tests.browser.test_console import send_notice

pytestmark = pytest.mark.browser


def menu_item(page: Page, code: str) -> None:
    """Open a page from the side menu (inside the single-page app, so the open tabs survive)."""
    page.locator(f"[data-menu-code='{code}']").click()


def test_pages_open_as_tabs_that_keep_their_state(page: Page, console_server: ConsoleServer, screenshots: Path) -> None:
    login(page, "admin_county", console_server.facts["password"])
    tabs = page.locator(".page-tabs [data-tab]")
    expect(tabs).to_have_text(["工作台"])

    menu_item(page, "org.institution")
    expect(page.locator(".crumbs")).to_contain_text("成员机构")
    wait_idle(page)
    keyword = page.locator(".search-bar input").first
    keyword.fill(console_server.facts["town_institution"])
    search(page)
    menu_item(page, "org.staff")
    expect(page.locator(".crumbs")).to_contain_text("医护人员")
    expect(tabs).to_have_text(["工作台", "成员机构", "医护人员"])
    expect(page.locator(".page-tabs [data-tab='/org/staff']")).to_have_class("tab active")
    shot(page, screenshots, "14-page-tabs")

    # Back on the first tab: the page was kept alive, its search form still holds the keyword.
    page.locator(".page-tabs [data-tab='/org/institutions']").click()
    expect(page.locator(".crumbs")).to_contain_text("成员机构")
    expect(page.locator(".search-bar input").first).to_have_value(console_server.facts["town_institution"])
    expect(row_with(page, console_server.facts["town_institution"]).first).to_be_visible()

    # Closing the active tab shows its neighbour; 关闭其他 keeps the workbench and the current page.
    page.locator(".page-tabs [data-tab='/org/institutions'] .tab-close").click()
    expect(page.locator(".crumbs")).to_contain_text("医护人员")
    expect(tabs).to_have_text(["工作台", "医护人员"])
    menu_item(page, "org.department")
    expect(tabs).to_have_text(["工作台", "医护人员", "科室"])
    page.locator(".page-tabs .tabs-menu").click()
    page.locator(".el-dropdown-menu__item:visible", has_text="关闭其他").click()
    expect(tabs).to_have_text(["工作台", "科室"])


def test_workbench_lists_unread_messages_and_the_inbox_marks_them_read(
    page: Page, console_server: ConsoleServer, screenshots: Path
) -> None:
    title = f"关于医保目录调整的通知 {random.randrange(10**4):04d}"
    send_notice(console_server, "doctor_liuhe", title, "请于月底前完成核对")
    login(page, "doctor_liuhe", console_server.facts["password"])

    # -- 工作台: the counter of unread messages and the message itself --------------------------
    messages = page.locator("[data-section='messages']")
    expect(messages).to_contain_text(title)
    unread = int(page.locator("[data-stat='unread'] .stat-value").inner_text())
    assert unread >= 1
    expect(page.locator("[data-section='todos']")).to_be_visible()
    shot(page, screenshots, "15-workbench-todos")

    # -- 站内消息: mark it read -------------------------------------------------------------------
    messages.get_by_role("link", name=title).click()
    expect(page.locator(".crumbs")).to_contain_text("站内消息")
    drawer = page.locator(".detail-drawer:visible")
    expect(drawer).to_contain_text(title)  # opened from the workbench link: reading it marks it read
    drawer.locator(".el-drawer__close-btn").click()
    row = row_with(page, title)
    expect(row).to_contain_text("已读")
    expect(row.locator("[data-action='read']")).to_have_count(0)
    shot(page, screenshots, "16-inbox")

    # A second message is marked read with the row action, and leaves the 未读 filter.
    second = f"{title}（补充）"
    send_notice(console_server, "doctor_liuhe", second, "补充说明")
    page.locator(".el-radio-button", has_text="未读").click()
    wait_idle(page)
    row = row_with(page, second)
    expect(row).to_contain_text("未读")
    row.locator("[data-action='read']").click()
    expect(row_with(page, second)).to_have_count(0)
    page.locator(".page-tabs [data-tab='/']").click()
    expect(page.locator("[data-section='messages']")).not_to_contain_text(second)


def test_a_multi_site_doctor_switches_the_current_institution(
    page: Page, console_server: ConsoleServer, screenshots: Path
) -> None:
    facts = console_server.facts
    login(page, facts["multi_site_username"], facts["password"])
    expect(page.locator(".home .welcome")).to_contain_text(f"当前机构：{facts['town_institution']}")

    page.locator("[data-user-menu]").click()
    page.locator(".el-dropdown-menu__item:visible", has_text="切换机构/角色").click()
    form = dialog(page, "切换机构/角色")
    expect(form).to_be_visible()
    form.locator("[data-field='institution']").click()
    page.locator(".el-select-dropdown__item:visible", has_text=facts["lead_institution"]).click()
    form.locator("[data-field='role']").click()
    page.locator(".el-select-dropdown__item:visible", has_text="多点执业医生").click()
    shot(page, screenshots, "17-switch-identity")
    form.get_by_role("button", name="切换").click()

    expect(page.locator(".el-message--success", has_text=f"已切换到 {facts['lead_institution']}")).to_be_visible()
    expect(form).to_be_hidden()
    welcome = page.locator(".home .welcome")
    expect(welcome).to_contain_text(f"当前机构：{facts['lead_institution']}")
    expect(welcome.locator(".el-tag")).to_have_text(["多点执业医生"])
    # The server applies it on every request: a reload keeps the chosen institution.
    page.reload()
    expect(page.locator(".home .welcome")).to_contain_text(f"当前机构：{facts['lead_institution']}")


def test_the_console_collapses_at_phone_width(page: Page, console_server: ConsoleServer, screenshots: Path) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "doctor_qingshi", console_server.facts["password"])
    box = page.locator(".aside").bounding_box()
    assert box is not None and box["width"] == 0, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_label("展开菜单").click()
    expect(page.locator(".layout .mask")).to_be_visible()
    page.locator("[data-menu-code='org.staff']").click()
    expect(page.locator(".phone-title")).to_have_text("医护人员")
    expect(page.locator(".layout .mask")).to_have_count(0)
    shot(page, screenshots, "18-phone")
    page.set_viewport_size(VIEWPORT)


PAGES_OF = {
    "admin_county": [
        ("/registry/mpi", "主索引", "20-mpi", False),
        ("/notify/announcements", "公告管理", "21-announcements", False),
        ("/notify/contacts", "通讯录", "22-contacts", True),
        ("/notify/subscriptions", "消息订阅", "23-subscriptions", False),
        ("/notify/bulletins", "通知公告", "24-bulletins", False),
    ],
    "sysadmin": [
        ("/notify/types", "消息类型", "25-message-types", True),
        ("/notify/messages", "消息管理", "26-messages", False),
        ("/system/failed-tasks", "失败任务", "27-failed-tasks", False),
    ],
}


@pytest.mark.parametrize("username", list(PAGES_OF))
def test_platform_pages_render(page: Page, console_server: ConsoleServer, screenshots: Path, username: str) -> None:
    facts = console_server.facts
    login(page, username, facts["password"], otp_key=facts["otp_keys"].get(username))
    for path, title, name, rows in PAGES_OF[username]:
        open_page(page, path, title, rows=rows)
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
        shot(page, screenshots, name)
