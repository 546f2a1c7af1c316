"""机构花名册: an institution's departments and in-service staff with their titles, as a PDF.

The template lives in this app (``templates/documents/institution_roster.html``) on the shared
document base of ``core.documents``.

Everything shown goes through the data scope: the institution, its departments and its staff are
each filtered with ``apply_scope`` for the requesting user.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from yigongti.core.documents.pdf import render_pdf
from yigongti.core.errors import not_found
from yigongti.core.scope import ScopedUser, apply_scope, model_scope
from yigongti.platform.org.choices import TitleLevel
from yigongti.platform.org.models import Department, Institution, Staff

TEMPLATE = "org/institution_roster.html"
NO_TITLE = "无职称"


def access_roster_institution(user: ScopedUser, institution_id: int) -> Institution:
    """The institution if it lies in the user's data scope; otherwise 404 (never 403, so the
    answer does not reveal whether another institution's id exists)."""
    visible = apply_scope(
        Institution.objects.select_related("community", "parent"), model_scope(Institution), user.scope_context()
    )
    institution = visible.filter(pk=institution_id).first()
    if institution is None:
        raise not_found()
    return institution


def _staff_row(staff: Staff) -> dict[str, str]:
    return {
        "code": staff.code,
        "name": staff.name,
        "sex": staff.get_sex_display(),
        "title": staff.title.name if staff.title else "",
        "post": staff.post.name if staff.post else "",
        "cert": staff.practising_cert_no,
        "phone": staff.phone,
    }


def roster_context(*, institution: Institution, user: ScopedUser) -> dict[str, Any]:
    """Departments (active, in console order) with their in-service staff; staff whose main
    department is missing, inactive or out of scope are listed under 未分配科室. Two queries."""
    ctx = user.scope_context()
    departments = list(
        apply_scope(
            Department.objects.filter(institution=institution, is_active=True).select_related("parent"),
            model_scope(Department),
            ctx,
        ).order_by("sort", "code")
    )
    staff = list(
        apply_scope(
            Staff.objects.filter(institution=institution, is_active=True).select_related("title", "post"),
            model_scope(Staff),
            ctx,
        ).order_by("code")
    )
    by_department: dict[int | None, list[Staff]] = {}
    for person in staff:
        by_department.setdefault(person.department_id, []).append(person)
    shown = {d.pk for d in departments}
    unassigned = [p for dept_id, people in by_department.items() if dept_id not in shown for p in people]
    levels = Counter(p.title.level if p.title else "" for p in staff)
    title_levels = [(label, levels[value]) for value, label in TitleLevel.choices if levels[value]]
    if levels[""]:
        title_levels.append((NO_TITLE, levels[""]))
    return {
        "institution": {
            "code": institution.code,
            "name": institution.name,
            "community": institution.community.name,
            "type": institution.get_type_display(),
            "level": institution.get_level_display(),
            "parent": institution.parent.name if institution.parent else "",
            "address": institution.address,
            "contact": " ".join(v for v in (institution.contact_person, institution.contact_phone) if v),
        },
        "departments": [
            {
                "code": d.code,
                "name": d.name,
                "kind": d.get_kind_display(),
                "parent": d.parent.name if d.parent else "",
                "phone": d.phone,
                "location": d.location,
                "staff": [_staff_row(p) for p in by_department.get(d.pk, [])],
            }
            for d in departments
        ],
        "unassigned": [_staff_row(p) for p in sorted(unassigned, key=lambda p: p.code)],
        "totals": {"departments": len(departments), "staff": len(staff)},
        "title_levels": title_levels,
    }


def institution_roster_pdf(
    *, institution: Institution, user: ScopedUser, page_size: str = "A4", landscape: bool = False
) -> bytes:
    return render_pdf(
        TEMPLATE,
        roster_context(institution=institution, user=user),
        page_size=page_size,
        landscape=landscape,
        title="机构花名册",
        institution_name=institution.name,
        qr_text=f"yigongti:org.institution:{institution.code}",
        qr_caption="扫码核对机构",
    )
