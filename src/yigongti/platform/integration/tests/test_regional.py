"""Regional platform sync against a local fake FHIR server (127.0.0.1, fixture Bundles with paging)."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yigongti.core.audit.models import AuditLog
from yigongti.core.errors import ConflictError
from yigongti.core.testing.api import assert_error
from yigongti.platform.integration.choices import SyncStatus
from yigongti.platform.integration.models import SyncRun
from yigongti.platform.integration.regional.sync import regional_sync
from yigongti.platform.integration.tests.fake_fhir import FIXTURES, serve
from yigongti.platform.org.models import Department, Institution, Staff
from yigongti.platform.registry.models import Resident
from yigongti.platform.registry.selectors import id_number_index

pytestmark = pytest.mark.django_db
HOME_USCC = "123209234670056789"  # 阜宁县城关镇中心卫生院 in the fixtures


@pytest.fixture
def world(api_world: Any, settings: Any) -> Any:
    api_world.home.uscc = HOME_USCC
    api_world.home.save(update_fields=["uscc"])
    settings.REGIONAL_SYNC = {
        **settings.REGIONAL_SYNC,
        "COMMUNITY": api_world.community.code,
        "TOKEN": "platform-token",
    }
    return api_world


def by_id_number(number: str) -> Resident:
    return Resident.objects.get(id_number_bidx=id_number_index(number))


def test_sync_creates_and_updates_through_services_with_paging(world: Any) -> None:
    with serve() as fake:
        run = regional_sync(trigger="command", base_url=fake.base)
    assert run.status == SyncStatus.PARTIAL, (run.error, run.errors)
    assert run.counts == {
        "institution": {"created": 2, "updated": 1, "failed": 1},
        "department": {"created": 2},
        "staff": {"created": 3, "failed": 1},
        "resident": {"created": 4, "failed": 2},
    }
    assert {e["resource"] for e in run.errors} == {
        "Organization/rp-org-bad",
        "PractitionerRole/rp-r-4",
        "Patient/rp-pt-4",
        "Patient/rp-pt-6",
    }
    assert any("校验位" in e["error"] for e in run.errors if e["resource"] == "Patient/rp-pt-4")
    # paging: page 2 of Organization and Patient were followed; the platform's token was sent
    pages = [(r["path"], r["query"].get("_page", "1")) for r in fake.requests]
    assert ("/fhir/Organization", "2") in pages and ("/fhir/Patient", "2") in pages
    assert {r["auth"] for r in fake.requests} == {"Bearer platform-token"}

    home = Institution.objects.get(pk=world.home.pk)
    assert (home.name, home.short_name, home.code) == ("阜宁县城关镇中心卫生院", "城关卫生院", world.home.code)
    county = Institution.objects.get(uscc="123209234670012345")
    assert (county.code, county.type, county.community_id) == ("FNXRMYY", "lead_hospital", world.community.pk)
    assert county.division_code == world.community.division_code
    cardio = Department.objects.get(institution=county, code="0302")
    doctor = Staff.objects.get(institution=county, code="RM0789")
    assert (doctor.name, doctor.sex, doctor.department_id) == ("周强", "1", cardio.pk)
    assert doctor.practising_cert_no == "110320923000789" and str(doctor.birth_date) == "1975-04-18"
    assert Staff.objects.get(institution=home, code="CG0031").department_id is None
    qian = by_id_number("320923195208170027")
    assert (qian.name, qian.sex, qian.home_institution_id) == ("钱桂芳", "2", home.pk)
    assert qian.phone == "13901112222"
    assert by_id_number("320923199309120043").home_institution_id == county.pk
    assert by_id_number("320923194505200064").home_institution.name == "阜宁县新华村卫生室"

    logs = AuditLog.objects.filter(user_code="regional-sync")
    assert logs.filter(object_type="org.institution", category="create").count() == 2
    assert logs.filter(object_type="org.institution", category="update", object_id=str(home.pk)).count() == 1
    assert logs.filter(object_type="registry.resident", category="create").count() == 4
    assert logs.filter(object_type="org.staff", category="create").count() == 3
    assert "320923195208170027" not in str(list(logs.values_list("after", flat=True)))


def test_second_run_changes_nothing(world: Any) -> None:
    with serve() as fake:
        regional_sync(trigger="command", base_url=fake.base)
        audits = AuditLog.objects.count()
        run = regional_sync(trigger="schedule", base_url=fake.base)
    assert run.counts == {
        "institution": {"unchanged": 3, "failed": 1},
        "department": {"unchanged": 2},
        "staff": {"unchanged": 3, "failed": 1},
        "resident": {"unchanged": 4, "failed": 2},
    }
    assert AuditLog.objects.count() == audits
    assert Resident.objects.count() == 4


def test_changed_demographics_are_updated(world: Any) -> None:
    with serve() as fake:
        regional_sync(trigger="command", base_url=fake.base)
    patient_page = json.loads((FIXTURES / "patient_1.json").read_text(encoding="utf-8"))
    patient_page["entry"][0]["resource"]["telecom"] = [{"system": "phone", "value": "13900000000"}]
    patient_page["link"] = patient_page["link"][:1]
    with serve({"Patient_1": patient_page}) as fake:
        run = regional_sync(trigger="command", base_url=fake.base)
    assert run.counts["resident"] == {"updated": 1, "unchanged": 2}
    assert by_id_number("320923195208170027").phone == "13900000000"


@pytest.mark.parametrize(
    ("overrides", "base", "message"),
    [
        ({"Organization_1": 500}, None, "HTTP 500"),
        (
            {
                "Organization_1": {
                    "resourceType": "Bundle",
                    "type": "searchset",
                    "link": [{"relation": "next", "url": "http://127.0.0.2:9/fhir/x"}],
                }
            },
            None,
            "其他服务器",
        ),
        ({}, "http://127.0.0.1:9/fhir", "无法连接"),
        ({}, "http://fhir.example.org/fhir", "白名单"),
    ],
)
def test_transport_failures_end_the_run_with_the_reason(world: Any, overrides: Any, base: Any, message: str) -> None:
    with serve(overrides) as fake:
        run = regional_sync(trigger="command", base_url=base or fake.base)
    assert run.status == SyncStatus.FAILED
    assert message in run.error
    assert run.finished_at is not None
    assert not Resident.objects.exists()


def test_one_run_at_a_time(world: Any) -> None:
    SyncRun.objects.create(trigger="schedule", base_url="http://127.0.0.1/fhir")
    with pytest.raises(ConflictError):
        regional_sync(trigger="command", base_url="http://127.0.0.1:9/fhir")


def test_not_configured(world: Any, settings: Any) -> None:
    settings.REGIONAL_SYNC = {**settings.REGIONAL_SYNC, "BASE_URL": ""}
    with pytest.raises(CommandError, match="未配置"):
        call_command("regional-sync", "--once")
    admin = world.client_for(["integration.sync.view", "integration.sync.run"])
    assert_error(admin.post("/api/v1/integration/regional-sync/runs/run"), 400, "REGIONAL_SYNC_NOT_CONFIGURED")


def test_management_command_once(world: Any) -> None:
    out = io.StringIO()
    with serve() as fake:
        call_command("regional-sync", "--once", "--base-url", fake.base, stdout=out)
    text = out.getvalue()
    assert "部分失败" in text and "resident：created 4，failed 2" in text
    with pytest.raises(CommandError, match="--once"):
        call_command("regional-sync")


def test_run_from_the_api_and_list_runs(world: Any, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    admin = world.client_for(["integration.sync.view", "integration.sync.run"])
    with serve() as fake:
        settings.REGIONAL_SYNC = {**settings.REGIONAL_SYNC, "BASE_URL": fake.base}
        with django_capture_on_commit_callbacks(execute=True):
            response = admin.post("/api/v1/integration/regional-sync/runs/run")
    assert response.status_code == 202, response.content
    rows = admin.get("/api/v1/integration/regional-sync/runs").json()["results"]
    assert len(rows) == 1 and rows[0]["trigger"] == "manual" and rows[0]["status"] == "partial"
    assert rows[0]["counts"]["resident"]["created"] == 4
    viewer = world.client_for(["integration.sync.view"])
    assert_error(viewer.post("/api/v1/integration/regional-sync/runs/run"), 403, "PERMISSION_DENIED")


def test_scheduled_task_runs_on_the_configured_schedule(world: Any, settings: Any) -> None:
    from yigongti.platform.integration import tasks

    settings.REGIONAL_SYNC = {**settings.REGIONAL_SYNC, "BASE_URL": "", "SCHEDULE": "15 3 * * 1"}
    schedule = tasks._schedule()
    assert schedule(dt.datetime(2026, 11, 30, 3, 15))  # a Monday, 03:15
    assert not schedule(dt.datetime(2026, 11, 30, 2, 30))
    tasks.regional_sync_scheduled()  # no URL configured: nothing happens
    assert not SyncRun.objects.exists()
    with serve() as fake:
        settings.REGIONAL_SYNC = {**settings.REGIONAL_SYNC, "BASE_URL": fake.base}
        tasks.regional_sync_scheduled()  # Huey runs immediately in the tests
    run = SyncRun.objects.get()
    assert (run.trigger, run.status) == ("schedule", "partial")
