"""Test helpers for the platform: a small world of two institutions and clients with chosen
permission codes and data scope. Used by every app's tests (fixture ``api_world``)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from rest_framework.test import APIClient

from yigongti.core.scope import DataScope
from yigongti.platform.accounts.models import Role, User
from yigongti.platform.org.models import Community, Department, Institution, Staff

_seq = itertools.count(1)


def make_community(**kw: Any) -> Community:
    n = next(_seq)
    defaults = {"code": f"C{n:03d}", "name": f"测试医共体{n}", "division_code": "320923"}
    return Community.objects.create(**(defaults | kw))


def make_institution(community: Community, **kw: Any) -> Institution:
    n = next(_seq)
    defaults = {
        "community": community,
        "code": f"I{n:04d}",
        "name": f"测试卫生院{n}",
        "type": "township_center",
        "division_code": "320923",
    }
    return Institution.objects.create(**(defaults | kw))


def make_department(institution: Institution, **kw: Any) -> Department:
    n = next(_seq)
    defaults = {"institution": institution, "code": f"D{n:04d}", "name": f"内科{n}"}
    return Department.objects.create(**(defaults | kw))


def make_staff(institution: Institution, department: Department | None = None, **kw: Any) -> Staff:
    n = next(_seq)
    defaults = {
        "institution": institution,
        "department": department,
        "code": f"S{n:05d}",
        "name": f"医生{n}",
        "sex": "1",
    }
    return Staff.objects.create(**(defaults | kw))


def make_role(codes: list[str], scope: str = DataScope.INSTITUTION, **kw: Any) -> Role:
    n = next(_seq)
    defaults = {"code": f"role{n}", "name": f"角色{n}", "data_scope": scope, "permission_codes": codes}
    return Role.objects.create(**(defaults | kw))


def make_user(
    institution: Institution | None,
    codes: list[str] | None = None,
    scope: str = DataScope.INSTITUTION,
    department: Department | None = None,
    password: str = "Yigongti#2026",  # noqa: S107 — test accounts only
    **kw: Any,
) -> User:
    n = next(_seq)
    staff = make_staff(institution, department) if institution is not None else None
    user = User.objects.create_user(
        username=kw.pop("username", f"user{n}"),
        password=password,
        name=kw.pop("name", f"用户{n}"),
        institution=institution,
        department=department,
        staff=staff,
        must_change_password=kw.pop("must_change_password", False),
        **kw,
    )
    if codes is not None:
        user.roles.add(make_role(codes, scope))
    return user


@dataclass
class ApiWorld:
    """Two township centres (home, other) in one community, a third in another community."""

    community: Community
    home: Institution
    other: Institution
    far: Institution
    home_department: Department
    other_department: Department
    last_user: Any = None
    _clients: list[APIClient] = field(default_factory=list)

    def client_for(
        self, codes: list[str], scope: str = DataScope.INSTITUTION, department: Department | None = None
    ) -> APIClient:
        user = make_user(self.home, codes, scope, department=department or self.home_department)
        self.last_user = user
        client = APIClient()
        client.force_login(user)
        return client

    def anonymous(self) -> APIClient:
        return APIClient()


def build_world() -> ApiWorld:
    community = make_community()
    home = make_institution(community, name="城关镇卫生院")
    other = make_institution(community, name="河口镇卫生院")
    far = make_institution(make_community(), name="邻县卫生院")
    return ApiWorld(
        community=community,
        home=home,
        other=other,
        far=far,
        home_department=make_department(home, name="全科"),
        other_department=make_department(other, name="全科"),
    )
