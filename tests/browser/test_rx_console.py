"""县域审方中心 in Chromium: a prescription submitted through the HIS API reaches the pharmacist's
queue; the pharmacist claims it, adds a quick reply and rejects it allowing a double signature;
the prescribing doctor double-signs it on the prescription page. Screenshots of the main pages."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import urllib.parse
import urllib.request
from base64 import b64encode
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ConsoleServer
from tests.browser.console import TABLE_ROWS, login, open_page, shot, wait_idle

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]

# Test setup in the server's database (what an administrator does once, not part of the scenario):
# a department of doctor_qingshi's clinic served by a scheme of its own, a demo pharmacist of the
# roster put on that scheme and on duty (so the queue holds this test's task only), and an HIS
# client (OAuth2 client credentials, scope rx.review) of the clinic.
SETUP = r"""
import json, sys
import django
django.setup()
import datetime as dt
from django.utils import timezone
from yigongti.platform.accounts.models import Role, User
from yigongti.platform.org.models import Department
from yigongti.centers.prescription_review.models import PharmacistDuty, ReviewScheme, ReviewSchemeItem
from yigongti.platform.integration.services.clients import api_client_create

password, suffix = sys.argv[1], sys.argv[2]
doctor = User.objects.select_related("institution").get(username="doctor_qingshi")
clinic = doctor.institution
dept = Department.objects.create(institution=clinic, code=f"RXB{suffix}", name=f"浏览器审方科{suffix}")
duty = PharmacistDuty.objects.select_related("pharmacist", "institution").order_by("id").first()
scheme = ReviewScheme.objects.create(
    institution=duty.institution, name=f"浏览器测试审方{suffix}", start_time=dt.time(0, 0), end_time=dt.time(23, 59, 59)
)
ReviewSchemeItem.objects.create(scheme=scheme, served_institution=clinic, department=dept)
PharmacistDuty.objects.filter(pk=duty.pk).update(scheme=scheme, on_duty=True, on_duty_at=timezone.now())
pharmacist = duty.pharmacist
pharmacist.set_password(password)
pharmacist.must_change_password = False
pharmacist.password_changed_at = timezone.now()
pharmacist.save()
pharmacist.roles.add(*Role.objects.filter(code="rx_pharmacist"))
client, secret = api_client_create(
    code=f"his-rx-{suffix}", name=f"浏览器测试 HIS {suffix}", institution=clinic, scopes=["rx.review"], actor=None
)
print(json.dumps({
    "pharmacist": pharmacist.username, "doctor_name": doctor.name, "dept_code": dept.code, "dept_name": dept.name,
    "client_id": client.application.client_id, "secret": secret,
}))
"""


def _setup(server: ConsoleServer, suffix: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", SETUP, server.facts["password"], suffix],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"审方测试准备失败：\n{done.stdout}\n{done.stderr[-3000:]}"
    facts: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return facts


def _http(url: str, data: bytes, headers: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        body: dict[str, Any] = json.loads(response.read().decode("utf-8"))
        return body


def submit_prescription(server: ConsoleServer, facts: dict[str, Any], his_id: str) -> dict[str, Any]:
    """The HIS: a token by client credentials, then POST /api/v1/rx/his/prescriptions. 依那普利 +
    氯沙坦 (ACEI + ARB, 不推荐联用 in the seeded knowledge base) goes to a pharmacist."""
    basic = b64encode(f"{facts['client_id']}:{facts['secret']}".encode()).decode()
    token = _http(
        f"{server.url}/oauth/token/",
        urllib.parse.urlencode({"grant_type": "client_credentials", "scope": "rx.review"}).encode(),
        {"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
    )["access_token"]
    payload = {
        "his_id": his_id,
        "patient": {"name": "审方测试患者", "age_days": 60 * 365, "sex": "M", "weight_kg": 68, "allergies": []},
        "record": {"chief_complaint": "高血压复诊"},
        "diagnoses": [{"code": "I10.x00", "name": "原发性高血压"}],
        "prescription": {
            "kind": "outpatient",
            "prescriber_id": "D-RX-BROWSER",
            "prescriber_name": facts["doctor_name"],
            "department_code": facts["dept_code"],
            "department_name": facts["dept_name"],
        },
        "items": [
            {"drug_code": "enalapril_t10", "name": "马来酸依那普利片", "dose": 10, "unit": "mg", "frequency": "qd",
             "route": "po", "days": 7, "quantity": 7},
            {"drug_code": "losartan_t50", "name": "氯沙坦钾片", "dose": 50, "unit": "mg", "frequency": "qd",
             "route": "po", "days": 7, "quantity": 7},
        ],
        "labs": [{"code": "K", "name": "血钾", "value": 4.2, "unit": "mmol/L"}],
    }  # fmt: skip
    return _http(
        f"{server.url}/api/v1/rx/his/prescriptions",
        json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )


def test_pharmacist_rejects_allowing_double_sign_and_the_doctor_double_signs(
    page: Page, console_server: ConsoleServer, screenshots: Path
) -> None:
    suffix = f"{random.randrange(10**6):06d}"
    facts = _setup(console_server, suffix)
    his_id = f"BRX{suffix}"
    answer = submit_prescription(console_server, facts, his_id)
    assert (answer["his_id"], answer["status"], answer["final"]) == (his_id, "pending_review", False), answer
    password = console_server.facts["password"]

    # 药师: the task is in the queue; 抢单 takes it (the queue of this scheme holds only it).
    login(page, facts["pharmacist"], password)
    open_page(page, "/rx/tasks", "药师审方", rows=False)
    queue = page.locator("[data-test=queue]")
    expect(queue).to_contain_text(his_id)
    expect(page.locator("[data-counter=pending] .num")).not_to_have_text("0")
    shot(page, screenshots, "rx-01-pharmacist-queue")
    page.locator("[data-action=claim]").click()
    detail = page.locator("[data-test=task-detail]")
    expect(detail).to_contain_text(his_id)
    expect(detail.locator("[data-test=items]")).to_contain_text("氯沙坦钾片")
    expect(detail.locator("[data-test=finding]").first).to_contain_text("依据")

    # A quick reply of its own, then used for the rejection.
    reply = f"ACEI 与 ARB 不推荐联用，请改为单药治疗 {suffix}"
    page.get_by_role("button", name="快捷回复维护").click()
    manager = page.locator("[data-test=quick-reply-manager]")
    manager.locator("[data-test=quick-reply-new]").fill(reply)
    manager.locator("[data-test=quick-reply-add]").click()
    expect(manager).to_contain_text(reply)
    page.keyboard.press("Escape")
    expect(manager).to_be_hidden()
    page.locator("[data-test=quick-replies] .el-tag", has_text=reply).click()
    expect(page.locator("[data-test=comment]")).to_have_value(reply)
    shot(page, screenshots, "rx-02-pharmacist-task")
    page.locator("[data-action=reject-allow-double-sign]").click()
    expect(page.locator(".el-message--success")).to_contain_text("已驳回（允许双签）")
    expect(page.locator(".rx-workstation .head")).to_contain_text("驳回（可双签）")

    for path, title, name in [
        ("/rx/quick-replies", "快捷回复", "rx-03-quick-replies"),
        ("/rx/knowledge/versions", "知识库版本", "rx-04-knowledge-versions"),
        ("/rx/knowledge/pairs", "相互作用与配伍", "rx-05-knowledge-pairs"),
        ("/rx/rule-configs", "AI审方配置", "rx-06-rule-configs"),
        ("/rx-comment/samples", "药师点评", "rx-07-comment-samples"),
    ]:
        open_page(page, path, title)
        shot(page, screenshots, name)
    open_page(page, "/rx-supervision", "前置审方成效监管", rows=False)
    expect(page.locator("[data-test=indicators] [data-indicator='23']")).to_be_visible()
    shot(page, screenshots, "rx-08-supervision")

    # 医生: the prescription waits for them; 双签 with a reason releases it.
    page.context.clear_cookies()
    login(page, "doctor_qingshi", password)
    open_page(page, "/rx/prescriptions", "处方查询", rows=False)
    waiting = page.locator("[data-test=waiting]")
    row = waiting.locator("tr.el-table__row", has_text=his_id)
    expect(row).to_contain_text(reply)
    shot(page, screenshots, "rx-09-doctor-double-sign")
    row.locator("[data-action=double-sign]").click()
    page.locator("[data-test=double-sign-reason]").fill("患者血压控制不佳，已充分告知风险，坚持联合用药")
    page.locator("[data-action=confirm-double-sign]").click()
    expect(page.locator(".el-message--success")).to_contain_text("已双签")
    expect(waiting.locator("tr.el-table__row", has_text=his_id)).to_have_count(0)

    page.get_by_role("tab", name="处方查询", exact=True).click()
    expect(page.locator(TABLE_ROWS, has_text=his_id)).to_contain_text("医生双签通过")
    wait_idle(page)
    shot(page, screenshots, "rx-10-prescriptions")
