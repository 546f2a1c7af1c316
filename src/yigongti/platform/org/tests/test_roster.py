"""机构花名册 PDF: content, page sizes, audit and the access matrix."""

from __future__ import annotations

from typing import Any

import pytest

from yigongti.core.audit.models import AuditLog
from yigongti.core.documents.tests.pdftools import (
    needs_poppler,
    needs_weasyprint,
    page_count,
    page_size_points,
    pdffonts,
    pdftotext,
    squeeze,
)
from yigongti.core.testing.api import assert_error
from yigongti.platform.org.models import Post, Title
from yigongti.platform.testing import make_department, make_staff

pytestmark = [pytest.mark.django_db]
VIEW = ["org.staff.view"]


def roster_url(institution: Any, **query: str) -> str:
    url = f"/api/v1/org/institutions/{institution.pk}/roster.pdf"
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def roster_audit_rows() -> list[AuditLog]:
    return list(AuditLog.objects.filter(object_type="org.institution", category="export"))


@pytest.fixture
def staffed(api_world: Any) -> Any:
    """The home institution with two departments and staff with titles; one staff elsewhere."""
    physician = Title.objects.create(code="T231", name="主治医师", category="physician", level="intermediate")
    nurse = Title.objects.create(code="T254", name="主管护师", category="nurse", level="intermediate")
    chief = Title.objects.create(code="T211", name="主任医师", category="physician", level="senior")
    post = Post.objects.create(code="P01", name="临床医生")
    world = api_world
    internal = make_department(world.home, name="内科", code="NK", sort=1)
    world.home_department.sort = 0
    world.home_department.save(update_fields=["sort"])
    make_staff(world.home, world.home_department, code="H001", name="周建国", title=chief, post=post)
    make_staff(world.home, world.home_department, code="H002", name="吴晓梅", title=nurse, sex="2")
    make_staff(world.home, internal, code="H003", name="郑海涛", title=physician, practising_cert_no="110320923000123")
    make_staff(world.home, None, code="H004", name="钱未分")
    make_staff(world.home, internal, code="H005", name="孙离职", is_active=False)
    make_staff(world.other, world.other_department, code="O001", name="冯外院", title=physician)
    return world


# -- institution roster -------------------------------------------------------------------------
@needs_weasyprint
@needs_poppler
def test_roster_prints_departments_staff_and_titles(staffed: Any) -> None:
    client = staffed.client_for(VIEW)
    response = client.get(roster_url(staffed.home), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; ")
    assert "%E5%9F%8E%E5%85%B3%E9%95%87%E5%8D%AB%E7%94%9F%E9%99%A2" in response["Content-Disposition"]  # 城关镇卫生院
    assert response["Cache-Control"] == "private, no-store"
    content = response.content
    assert content.startswith(b"%PDF-")
    assert page_size_points(content) == (595, 842)
    text = squeeze(pdftotext(content))
    assert "城关镇卫生院" in text
    assert "机构花名册" in text
    for expected in (
        "全科",
        "内科",
        "周建国",
        "主任医师",
        "吴晓梅",
        "主管护师",
        "郑海涛",
        "主治医师",
        "110320923000123",
    ):
        assert expected in text
    assert "未分配科室" in text
    assert "钱未分" in text
    assert text.index("全科") < text.index("周建国") < text.index("内科") < text.index("郑海涛")
    assert "孙离职" not in text  # not in service
    assert "冯外院" not in text  # another institution's staff
    # the world's test user is a staff member of home too: 4 named staff + that user's staff row
    assert "在职人员5人" in text
    assert "正高级1人" in text
    assert "中级2人" in text
    assert f"第1页/共{page_count(content)}页" in text
    assert all(font["emb"] for font in pdffonts(content))
    rows = roster_audit_rows()
    assert [(r.object_id, r.project, r.content) for r in rows] == [
        (str(staffed.home.pk), "文档打印", "打印机构花名册：城关镇卫生院（A4）")
    ]


@needs_weasyprint
@needs_poppler
@pytest.mark.parametrize(("page_size", "points"), [("A5", (420, 595)), ("b5", (499, 709))])
def test_roster_page_size(staffed: Any, page_size: str, points: tuple[int, int]) -> None:
    response = staffed.client_for(VIEW).get(roster_url(staffed.home, page_size=page_size))
    assert response.status_code == 200
    assert page_size_points(response.content) == points


@needs_weasyprint
@needs_poppler
def test_roster_landscape(staffed: Any) -> None:
    response = staffed.client_for(VIEW).get(roster_url(staffed.home, landscape="true"))
    assert page_size_points(response.content) == (842, 595)


def test_roster_rejects_an_unknown_page_size(staffed: Any) -> None:
    body = assert_error(staffed.client_for(VIEW).get(roster_url(staffed.home, page_size="Letter")), 400)
    assert body["code"] == "VALIDATION_ERROR"
    assert "page_size" in body["fields"]
    assert roster_audit_rows() == []


def test_roster_access_matrix(staffed: Any) -> None:
    world = staffed
    assert_error(world.anonymous().get(roster_url(world.home)), 401, "NOT_AUTHENTICATED")
    assert_error(world.client_for(["org.staff.add"]).get(roster_url(world.home)), 403, "PERMISSION_DENIED")
    own = world.client_for(VIEW)  # 本机构
    assert_error(own.get(roster_url(world.other)), 404, "NOT_FOUND")  # same community, other institution
    assert_error(own.get(roster_url(world.far)), 404, "NOT_FOUND")  # another community
    assert_error(own.get("/api/v1/org/institutions/999999/roster.pdf"), 404, "NOT_FOUND")
    # 本科室 scope does not cover the institution as a whole
    department_only = world.client_for(VIEW, scope="department")
    assert_error(department_only.get(roster_url(world.home)), 404, "NOT_FOUND")
    assert roster_audit_rows() == []


@needs_weasyprint
@needs_poppler
def test_roster_community_scope_reaches_the_community_only(staffed: Any) -> None:
    client = staffed.client_for(VIEW, scope="community")
    response = client.get(roster_url(staffed.other))
    assert response.status_code == 200
    text = squeeze(pdftotext(response.content))
    assert "河口镇卫生院" in text
    assert "冯外院" in text
    assert "周建国" not in text
    assert_error(client.get(roster_url(staffed.far)), 404, "NOT_FOUND")
