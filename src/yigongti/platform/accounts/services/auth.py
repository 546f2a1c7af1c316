"""Login with lockout (django-axes), TOTP second factor (django-otp), password expiry, logout.

These functions are deliberately *not* one transaction: a failed attempt must leave its audit row
and its axes failure record behind even though the request is refused.
"""

from __future__ import annotations

import base64
import time
from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from yigongti.core.audit.choices import Category
from yigongti.core.audit.middleware import actor_from_request
from yigongti.core.errors import BusinessError
from yigongti.platform.accounts import policy
from yigongti.platform.accounts.choices import SessionEndReason
from yigongti.platform.accounts.middleware import ACTIVITY_KEY
from yigongti.platform.accounts.models import User
from yigongti.platform.accounts.services.common import attempt_actor, user_log
from yigongti.platform.accounts.services.sessions import session_end, session_rekey, session_touch
from yigongti.platform.accounts.services.users import check_password_policy, password_set

PENDING_LOGIN_KEY = "yigongti_pending_login"
PENDING_LOGIN_SECONDS = 300
INVALID_CREDENTIALS = "用户名或密码错误"


def _result(status: str, message: str = "", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"status": status}
    if message:
        data["message"] = message
    data.update(extra)
    return data


def login_with_password(*, request: HttpRequest, username: str, password: str) -> dict[str, Any]:
    """First step of the login. Returns the login status or raises a ``BusinessError``."""
    request.session.pop(PENDING_LOGIN_KEY, None)
    user = authenticate(request=request, username=username, password=password)
    if user is None:
        _refuse(request, username, password)
    assert isinstance(user, User)
    if user.requires_otp():
        return _start_otp(request, user)
    return _complete_login(request, user, backend=str(getattr(user, "backend", "")))


def _refuse(request: HttpRequest, username: str, password: str) -> None:
    known = User.objects.filter(username=username).first()
    actor = attempt_actor(request, username, known)
    reason = "用户不存在" if known is None else "密码错误"
    if getattr(request, "axes_locked_out", False):
        if getattr(request, "axes_failures_since_start", None) is not None:  # this failure locked it
            failures = request.axes_failures_since_start  # type: ignore[attr-defined]
            user_log(
                category=Category.LOGIN_FAILED,
                action="accounts.login",
                content=f"登录失败：{reason}",
                actor=actor,
                success=False,
                target=known,
            )
            user_log(
                category=Category.LOCKED,
                action="accounts.lock",
                content=f"连续 {failures} 次登录失败，账号锁定 {policy.lockout_minutes()} 分钟",
                actor=actor,
                success=False,
                target=known,
            )
        else:
            user_log(
                category=Category.LOCKED,
                action="accounts.login",
                content="账号锁定期间尝试登录，已拒绝",
                actor=actor,
                success=False,
                target=known,
            )
        raise BusinessError(policy.ACCOUNT_LOCKED, policy.locked_message(), status_code=403)
    if known is not None and not known.is_active and known.check_password(password):
        user_log(
            category=Category.LOGIN_FAILED,
            action="accounts.login",
            content="登录失败：账号已停用",
            actor=actor,
            success=False,
            target=known,
        )
        raise BusinessError("ACCOUNT_DISABLED", "账号已停用，请联系管理员。", status_code=403)
    user_log(
        category=Category.LOGIN_FAILED,
        action="accounts.login",
        content=f"登录失败：{reason}",
        actor=actor,
        success=False,
        target=known,
    )
    raise BusinessError("INVALID_CREDENTIALS", INVALID_CREDENTIALS, status_code=400)


def _qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    return str(image.to_string(encoding="unicode"))


def _start_otp(request: HttpRequest, user: User) -> dict[str, Any]:
    """Password accepted for a user who needs 2FA: remember a pending login, do not log in yet."""
    pending = {"user_id": user.pk, "backend": str(getattr(user, "backend", "")), "at": time.time()}
    actor = actor_from_request(request, user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if device is not None:
        request.session[PENDING_LOGIN_KEY] = pending | {"device_id": device.pk, "setup": False}
        user_log(
            category=Category.OTP,
            action="accounts.otp.challenge",
            content="密码验证通过，等待动态验证码",
            actor=actor,
            target=user,
        )
        return _result("otp_required", "请输入身份验证器（手机令牌）上的 6 位动态验证码。")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
        user_log(
            category=Category.OTP,
            action="accounts.otp.setup",
            content="首次使用双因素认证，生成身份验证器绑定二维码",
            actor=actor,
            target=user,
        )
    request.session[PENDING_LOGIN_KEY] = pending | {"device_id": device.pk, "setup": True}
    uri = device.config_url
    return _result(
        "otp_setup_required",
        "您的角色要求双因素认证：请用身份验证器扫描二维码（或输入密钥）完成绑定，再输入 6 位动态验证码。",
        otp_uri=uri,
        otp_secret=base64.b32encode(device.bin_key).decode("ascii"),
        qr_svg=_qr_svg(uri),
    )


def login_verify_otp(*, request: HttpRequest, token: str) -> dict[str, Any]:
    """Second step: check the TOTP token of the pending login and complete it."""
    pending = request.session.get(PENDING_LOGIN_KEY)
    if not pending or time.time() - float(pending.get("at", 0)) > PENDING_LOGIN_SECONDS:
        request.session.pop(PENDING_LOGIN_KEY, None)
        raise BusinessError("OTP_NOT_PENDING", "登录已超时或尚未输入用户名和密码，请重新登录。")
    user = User.objects.filter(pk=pending["user_id"], is_active=True).first()
    device = TOTPDevice.objects.filter(pk=pending["device_id"], user_id=pending["user_id"]).first()
    if user is None or device is None:
        request.session.pop(PENDING_LOGIN_KEY, None)
        raise BusinessError("OTP_NOT_PENDING", "登录已超时或尚未输入用户名和密码，请重新登录。")
    actor = actor_from_request(request, user)
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        user_log(
            category=Category.OTP,
            action="accounts.otp.verify",
            content="动态验证码尝试过于频繁，已拒绝",
            actor=actor,
            success=False,
            target=user,
        )
        raise BusinessError("OTP_THROTTLED", "动态验证码错误次数过多，请稍后再试。", status_code=429)
    token = "".join(str(token or "").split())
    verified = None
    if token.isdigit() and len(token) == device.digits:
        verified = django_otp.verify_token(user, device.persistent_id, token)
    else:
        device.throttle_increment(commit=True)
    if verified is None:
        user_log(
            category=Category.OTP,
            action="accounts.otp.verify",
            content="双因素认证失败：动态验证码错误",
            actor=actor,
            success=False,
            target=user,
        )
        raise BusinessError("OTP_INVALID", "动态验证码错误，请重新输入。", fields={"token": ["动态验证码错误。"]})
    if pending.get("setup"):
        with transaction.atomic():
            TOTPDevice.objects.filter(pk=verified.pk).update(confirmed=True)
            TOTPDevice.objects.filter(user=user).exclude(pk=verified.pk).delete()
        verified.confirmed = True
    user_log(
        category=Category.OTP,
        action="accounts.otp.verify",
        content="双因素认证通过" + ("，已绑定身份验证器" if pending.get("setup") else ""),
        actor=actor,
        target=user,
    )
    return _complete_login(request, user, backend=str(pending.get("backend", "")), device=verified)


def _complete_login(request: HttpRequest, user: User, *, backend: str, device: Any = None) -> dict[str, Any]:
    """Log in (rotates the session key), bind the OTP device, open the online-session row."""
    previous_key = request.session.session_key
    if previous_key:
        request.session.cycle_key()  # a new key on every login, even over the same user's session
    login(request, user, backend=backend or None)
    if device is not None:
        django_otp.login(request, device)
    request.session.pop(PENDING_LOGIN_KEY, None)
    request.session[ACTIVITY_KEY] = time.time()
    if not request.session.session_key:
        request.session.save()
    if previous_key and previous_key != request.session.session_key:
        session_end(session_key=previous_key, reason=SessionEndReason.LOGOUT)  # logged in again over it
    session_touch(request=request, user=user)
    user_log(
        category=Category.LOGIN,
        action="accounts.login",
        content="登录成功" + ("（双因素认证）" if device is not None else ""),
        actor=actor_from_request(request, user),
        target=user,
    )
    if policy.password_change_required(user):
        return _result("password_change_required", policy.password_change_message(user))
    return _result("ok")


def logout_user(*, request: HttpRequest) -> None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        session_end(session_key=request.session.session_key, reason=SessionEndReason.LOGOUT)
        user_log(
            category=Category.LOGOUT,
            action="accounts.logout",
            content="退出登录",
            actor=actor_from_request(request, user),
            target=user,
        )
    logout(request)


def password_change(*, request: HttpRequest, user: User, old_password: str, new_password: str) -> dict[str, Any]:
    """The user changes their own password; the session stays valid."""
    actor = actor_from_request(request, user)
    if not user.check_password(old_password):
        user_log(
            category=Category.PASSWORD,
            action="accounts.password.change",
            content="修改密码失败：原密码错误",
            actor=actor,
            success=False,
            target=user,
        )
        raise BusinessError("OLD_PASSWORD_INCORRECT", "原密码错误。", fields={"old_password": ["原密码错误。"]})
    try:
        check_password_policy(new_password, user, field="new_password")
    except Exception as exc:
        messages = getattr(exc, "message_dict", {}).get("new_password", [])
        raise BusinessError(
            "PASSWORD_POLICY", "".join(messages) or "新密码不符合密码策略。", fields={"new_password": messages}
        ) from None
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        password_set(user=locked, raw_password=new_password, must_change=False)
        user.password = locked.password
        user.must_change_password = False
        user.password_changed_at = locked.password_changed_at
        user_log(
            category=Category.PASSWORD, action="accounts.password.change", content="修改密码", actor=actor, target=user
        )
    previous_key = request.session.session_key
    update_session_auth_hash(request, user)  # rotates the session key; the online row follows it
    session_rekey(old_key=previous_key, new_key=request.session.session_key)
    return _result("ok", "密码已修改。")
