"""Writes for accounts (every one audited): sessions, logins and 2FA, passwords, users, roles.

Split by subject; import from here: ``from yigongti.platform.accounts.services import user_set_roles``.
"""

from yigongti.platform.accounts.services.auth import (
    PENDING_LOGIN_KEY,
    login_verify_otp,
    login_with_password,
    logout_user,
    password_change,
)
from yigongti.platform.accounts.services.identity import identity_switch
from yigongti.platform.accounts.services.sessions import (
    session_end,
    session_end_idle,
    session_force_logout,
    session_rekey,
    session_touch,
    sessions_end_for_user,
)
from yigongti.platform.accounts.services.users import (
    password_set,
    role_delete,
    user_create,
    user_reset_password,
    user_set_roles,
    user_unlock,
)

__all__ = [
    "PENDING_LOGIN_KEY",
    "identity_switch",
    "login_verify_otp",
    "login_with_password",
    "logout_user",
    "password_change",
    "password_set",
    "role_delete",
    "session_end",
    "session_end_idle",
    "session_force_logout",
    "session_rekey",
    "session_touch",
    "sessions_end_for_user",
    "user_create",
    "user_reset_password",
    "user_set_roles",
    "user_unlock",
]
