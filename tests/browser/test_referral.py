"""双向转诊 acceptance in Chromium (issue 5): a township doctor creates and submits an up-referral to
the county hospital; a second user, the community administrator at the county hospital, runs both
reviews, arranges, receives and feeds back; the doctor sees every step. Two users, two browser
contexts; the status tag and the timeline are checked after each step; screenshots go to
test-artifacts/screenshots/referral-*.png. A last scenario opens the list and the detail at phone
width (390×844, REF-22)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.browser.conftest import VIEWPORT, ConsoleServer
from tests.browser.console import choose, login, open_page, shot

pytestmark = pytest.mark.browser

DOCTOR = "doctor_qingshi"  # 青石镇卫生院 全科医疗科 (demo account)
HOSPITAL_USER = "admin_county"  # 医共体管理员 at the county hospital (demo account): review, arrange, receive, feedback
PHONE = {"width": 390, "height": 844}


def _context(browser: Any, server: ConsoleServer, viewport: dict[str, int] = VIEWPORT) -> BrowserContext:
    context: BrowserContext = browser.new_context(
        base_url=server.url, viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def second_page(browser: Any, console_server: ConsoleServer) -> Iterator[Page]:
    """The county hospital's user, in a browser context of its own (own cookies and session)."""
    context = _context(browser, console_server)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"页面脚本出错：{errors}"


def status_tag(page: Page) -> Locator:
    return page.locator(".referral-detail .status-tag")


def dismiss_notifications(page: Page) -> None:
    """Close the realtime message pop-ups (站内消息 of each step) that cover the top right corner."""
    closers = page.locator(".el-notification .el-notification__closeBtn")
    for _ in range(closers.count()):
        if closers.first.is_visible():
            closers.first.click()
    expect(page.locator(".el-notification:visible")).to_have_count(0)


def act(page: Page, path: str, label: str) -> Locator:
    """Click the action button `path` of the detail page and answer its dialog."""
    dismiss_notifications(page)
    button = page.locator(f".referral-detail .act-{path}")
    expect(button).to_have_text(label)
    button.click()
    dialog = page.locator(f".referral-action-dialog[data-action='{path}']")
    expect(dialog).to_be_visible()
    return dialog


def confirm(page: Page, dialog: Locator) -> None:
    dialog.locator(".btn-confirm").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".el-message--success").last).to_be_visible()


def timeline_transitions(page: Page) -> list[str]:
    page.locator(".detail-tabs .el-tabs__item", has_text="流转记录").click()
    items = page.locator(".referral-timeline .el-timeline-item")
    expect(items.first).to_be_visible()
    names = [items.nth(i).get_attribute("data-transition") or "" for i in range(items.count())]
    page.locator(".detail-tabs .el-tabs__item", has_text="转诊信息").click()
    return names


def test_up_referral_from_township_to_county_hospital(
    page: Page, second_page: Page, console_server: ConsoleServer, screenshots: Path
) -> None:
    facts = console_server.facts
    resident = facts["resident"]["name"]
    hospital = facts["lead_institution"]
    doctor, county = page, second_page

    # -- 1. the township doctor: 新建转诊 wizard ---------------------------------------------
    login(doctor, DOCTOR, facts["password"])
    doctor.goto("/referral/referrals")
    expect(doctor.locator(".crumbs")).to_contain_text("转诊管理")
    doctor.locator(".btn-new-referral").click()
    expect(doctor).to_have_url(re.compile(r"/referral/referrals/new$"))

    choose(doctor, doctor.locator(".field-resident"), resident, typed=resident)
    doctor.locator(".btn-next").click()

    doctor.locator(".field-diagnosis_code input").fill("I10")
    doctor.locator(".field-diagnosis_name input").fill("原发性高血压")
    doctor.locator(".field-reason textarea").fill("血压控制不佳，需专科调整降压方案")
    doctor.locator(".field-condition_summary textarea").fill("头晕 3 天，血压 185/110 mmHg")
    doctor.locator(".field-sbp input").fill("185")
    doctor.locator(".field-dbp input").fill("110")
    doctor.locator(".btn-next").click()

    doctor.locator(".pkg-chief_complaint textarea").fill("头晕 3 天")
    doctor.locator(".pkg-initial_opinion textarea").fill("高血压 3 级，建议上级医院调整用药")
    shot(doctor, screenshots, "referral-01-wizard-package")
    doctor.locator(".btn-next").click()

    # path recommendation (I10 → the county hospital) fills the target; the rules give their advice
    expect(doctor.locator(".recommendations")).to_contain_text(hospital)
    expect(doctor.locator(".field-to_institution .el-select__wrapper")).to_contain_text(hospital)
    expect(doctor.locator(".rules-advice")).to_be_visible()
    slots = doctor.locator(".step-target .slot")
    expect(doctor.locator(".step-target .slots .el-loading-mask")).to_have_count(0)
    booked = slots.count() > 0
    if booked:
        slots.first.click()
        expect(slots.first).to_have_class(re.compile("is-checked"))
    shot(doctor, screenshots, "referral-02-wizard-target")
    doctor.locator(".btn-save-draft").click()

    review = doctor.locator(".step-review .review")
    expect(review).to_contain_text(resident)
    expect(review).to_contain_text(hospital)
    number = review.locator(".el-descriptions__cell", has_text=re.compile(r"^ZZ\d+")).first.inner_text().strip()
    assert re.fullmatch(r"ZZ\d{12}", number), number
    doctor.locator(".btn-submit").click()

    expect(doctor).to_have_url(re.compile(r"/referral/referrals/\d+$"))
    referral_url = doctor.url
    expect(doctor.locator(".referral-detail h2")).to_have_text(number)
    expect(status_tag(doctor)).to_have_text("待转出审核")
    # the applicant has nothing left to do but 撤销 (no review right)
    expect(doctor.locator(".referral-detail .buttons [data-action]")).to_have_count(1)
    expect(doctor.locator(".referral-detail .act-cancel")).to_have_text("撤销")
    assert timeline_transitions(doctor)[-1:] == ["submit"]
    shot(doctor, screenshots, "referral-03-submitted")

    # -- 2. the county hospital's user: reviews, arrangement, reception, feedback -------------
    login(county, HOSPITAL_USER, facts["password"])
    county.goto("/referral/referrals?view=inbound")
    county.locator(".search-bar input").first.fill(number)
    county.locator(".search-bar").get_by_role("button", name="查询").click()
    row = county.locator(".resource-table tr.el-table__row", has_text=number)
    expect(row).to_be_visible()
    expect(row).to_contain_text("待转出审核")
    row.locator(".referral-number").click()
    expect(county).to_have_url(referral_url)
    expect(status_tag(county)).to_have_text("待转出审核")

    dialog = act(county, "applicant-approve", "转出审核通过")
    dialog.locator(".field-comment textarea").fill("同意转出")
    confirm(county, dialog)
    expect(status_tag(county)).to_have_text("待接收审核")

    dialog = act(county, "receiver-approve", "接收审核通过")
    confirm(county, dialog)
    expect(status_tag(county)).to_have_text("待安排")
    shot(county, screenshots, "referral-04-reviewed")

    dialog = act(county, "arrange", "接收安排")
    expect(county.locator(".referral-detail .act-refuse")).to_have_text("拒收")
    if not booked:
        planned = (dt.datetime.now() + dt.timedelta(days=2)).replace(hour=9, minute=0, second=0)
        field = dialog.locator(".field-planned_at input")
        field.fill(planned.strftime("%Y-%m-%d %H:%M:%S"))
        field.press("Enter")
    choose(county, dialog.locator(".field-department"), "心血管内科", typed="心血管")
    dialog.locator(".field-note textarea").fill("请携带既往检查资料，直接到心血管内科转诊窗口")
    shot(county, screenshots, "referral-05-arrange-form")
    confirm(county, dialog)
    expect(status_tag(county)).to_have_text("待接诊")
    expect(county.locator(".arrangement")).to_contain_text("心血管内科")

    # the doctor sees the arrangement in the other context
    doctor.reload()
    expect(status_tag(doctor)).to_have_text("待接诊")
    expect(doctor.locator(".arrangement")).to_contain_text("请携带既往检查资料")

    dialog = act(county, "receive", "接诊")
    dialog.locator(".field-note textarea").fill("患者已到院，收入门诊诊治")
    confirm(county, dialog)
    expect(status_tag(county)).to_have_text("已接诊")

    dialog = act(county, "feedback", "反馈")
    dialog.locator(".field-diagnosis_name input").fill("高血压 3 级（高危）")
    dialog.locator(".field-result textarea").fill("调整为氨氯地平 + 缬沙坦，血压降至 138/86 mmHg")
    dialog.locator(".field-advice textarea").fill("回基层随访，每周测血压 2 次")
    confirm(county, dialog)
    expect(status_tag(county)).to_have_text("已反馈")
    expect(county.locator(".feedback-entry")).to_contain_text("回基层随访")
    shot(county, screenshots, "referral-06-feedback")

    # -- 3. the doctor: the feedback, the full timeline, 结束转诊 ------------------------------
    doctor.reload()
    expect(status_tag(doctor)).to_have_text("已反馈")
    expect(doctor.locator(".feedback-entry")).to_contain_text("高血压 3 级（高危）")
    dialog = act(doctor, "close", "结束转诊")
    confirm(doctor, dialog)
    expect(status_tag(doctor)).to_have_text("已结束")
    expect(doctor.locator(".referral-detail .buttons [data-action]")).to_have_count(0)
    transitions = timeline_transitions(doctor)
    assert transitions[-7:] == [
        "submit",
        "applicant_approve",
        "receiver_approve",
        "arrange",
        "receive",
        "feedback",
        "close",
    ], transitions
    doctor.locator(".detail-tabs .el-tabs__item", has_text="流转记录").click()
    expect(doctor.locator(".referral-timeline")).to_contain_text("同意转出")
    shot(doctor, screenshots, "referral-07-closed-timeline")

    # the county hospital sees the end as well
    county.reload()
    expect(status_tag(county)).to_have_text("已结束")


def test_doctor_reads_referrals_at_phone_width(browser: Any, console_server: ConsoleServer, screenshots: Path) -> None:
    context = _context(browser, console_server, PHONE)
    page = context.new_page()
    try:
        login(page, DOCTOR, console_server.facts["password"])
        page.goto("/referral/referrals?view=outbound")
        row = page.locator(".resource-table tr.el-table__row").first
        expect(row).to_be_visible()
        # only number, patient, urgency and status remain, all inside the screen
        headers = page.locator(".resource-table .el-table__header-wrapper th .cell").all_inner_texts()
        assert [h for h in headers if h.strip()] == ["序号", "转诊单号", "患者", "紧急", "状态", "操作"], headers
        shot(page, screenshots, "referral-08-phone-list")
        row.locator(".referral-number").click()
        expect(page).to_have_url(re.compile(r"/referral/referrals/\d+$"))
        expect(status_tag(page)).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"详情页在手机宽度下出现横向滚动：{width}px"
        shot(page, screenshots, "referral-09-phone-detail")
    finally:
        context.close()


@pytest.mark.parametrize(
    ("path", "title", "first_column_text"),
    [
        ("/referral/settings", "转诊设置", "云溪县人民医院"),
        ("/referral/schedules", "转诊排班", "云溪县人民医院"),
        ("/referral/rules", "转诊规则", "血压"),
        ("/referral/paths", "转诊路径", "原发性高血压"),
    ],
)
def test_referral_configuration_pages_open_without_errors(
    page: Page, console_server: ConsoleServer, screenshots: Path, path: str, title: str, first_column_text: str
) -> None:
    login(page, HOSPITAL_USER, console_server.facts["password"])
    open_page(page, path, title)
    expect(page.locator(".resource-table").first).to_contain_text(first_column_text)
    shot(page, screenshots, f"referral-config-{path.rsplit('/', 1)[-1]}")
