"""Steps shared by the browser scenarios: log in, open a page, pick from an Element Plus select."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

TABLE_ROWS = ".resource-table .el-table__body-wrapper tr.el-table__row"


def totp_token(key_hex: str) -> str:
    """The current code of a TOTP device with this hex key (django_otp's defaults: 30 s, 6 digits)."""
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(key_hex)):06d}"


def submit_login(page: Page, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_placeholder("用户名", exact=True).fill(username)
    page.get_by_placeholder("密码", exact=True).fill(password)
    page.get_by_role("button", name="登 录").click()


def login(page: Page, username: str, password: str, *, otp_key: str | None = None) -> None:
    """Log in through the login page and wait for the workbench (工作台)."""
    submit_login(page, username, password)
    if otp_key:
        page.get_by_placeholder("6 位动态验证码").fill(totp_token(otp_key))
        page.get_by_role("button", name="验 证").click()
    expect(page.locator(".home .welcome h2")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))


def open_page(page: Page, path: str, title: str, *, rows: bool = True) -> None:
    """Go to a console page and wait until its breadcrumb and (by default) its first rows are shown."""
    page.goto(path)
    expect(page.locator(".crumbs")).to_contain_text(title)
    if rows:
        expect(page.locator(TABLE_ROWS).first).to_be_visible()
    wait_idle(page)
    # Opening a page the menu offers must not greet the user with an error (e.g. a 403 of a picker):
    # once every request of the page is answered, no error message may be on screen (they last 3 s).
    # (Checked once, not with expect(), which would wait for the message to fade.)
    page.wait_for_load_state("networkidle")
    errors = page.locator(".el-message--error").all_inner_texts()
    assert not errors, f"打开 {path} 时出现错误提示：{errors}"


def wait_idle(page: Page) -> None:
    """No table is loading any more."""
    expect(page.locator(".resource-table .el-loading-mask")).to_have_count(0)


def search(page: Page) -> None:
    page.locator(".search-bar").get_by_role("button", name="查询").click()
    wait_idle(page)


def choose(page: Page, field: Locator, option: str, *, typed: str | None = None) -> None:
    """Pick `option` in the el-select inside `field` (typing `typed` first for remote pickers)."""
    field.locator(".el-select__wrapper").click()
    if typed:
        field.locator("input").fill(typed)
    # The options of THIS select (its input's aria-controls names its list), not those of a
    # dropdown that is still fading out.
    listbox = field.locator("input").first.get_attribute("aria-controls")
    item = page.locator(f"[id='{listbox}'] .el-select-dropdown__item", has_text=option).first
    expect(item).to_be_visible()
    item.click()
    expect(field.locator(".el-select__wrapper")).to_contain_text(option)


def dialog(page: Page, title: str) -> Locator:
    return page.locator(".el-dialog:visible", has=page.locator(".el-dialog__title", has_text=title))


def shot(page: Page, directory: Path, name: str) -> Path:
    """A screenshot of what the user sees (1366×768), after the transitions have settled."""
    page.wait_for_timeout(300)
    path = directory / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def row_with(page: Page, text: str) -> Locator:
    return page.locator(TABLE_ROWS, has_text=text)
