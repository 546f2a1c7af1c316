"""切换当前机构/角色 (see ``accounts.identity``)."""

from __future__ import annotations

from django.http import HttpRequest

from yigongti.core.audit.choices import Category
from yigongti.platform.accounts import identity
from yigongti.platform.accounts.models import Role, User
from yigongti.platform.accounts.services.common import user_log


def identity_switch(*, request: HttpRequest, user: User, institution_id: int | None, role_id: int | None) -> User:
    """Validate the choice against what the user holds, keep it in the session, audit it."""
    identity.validate(user, institution_id, role_id)
    before_institution, before_role = user.current_institution_id, user.current_identity()[1]
    stored_institution, stored_role = identity.normalise(user, institution_id, role_id)
    if stored_institution is None and stored_role is None:
        request.session.pop(identity.SESSION_KEY, None)
    else:
        request.session[identity.SESSION_KEY] = {"institution": stored_institution, "role": stored_role}
    user.apply_identity(stored_institution, stored_role)
    role_name = Role.objects.filter(pk=stored_role).values_list("name", flat=True).first() if stored_role else ""
    user_log(
        category=Category.UPDATE,
        action="accounts.identity.switch",
        content=f"切换到 {user._current_institution_name() or '无机构'}，角色：{role_name or '全部角色'}",
        target=user,
        before={"institution": before_institution, "role": before_role},
        after={"institution": user.current_institution_id, "role": stored_role},
    )
    return user
