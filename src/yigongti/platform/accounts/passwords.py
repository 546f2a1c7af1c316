"""Password policy (SEC-03): length, character classes, no username, history of five."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError


class LengthValidator:
    def __init__(self, min_length: int = 8) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(f"密码长度至少 {self.min_length} 位。", code="password_too_short")

    def get_help_text(self) -> str:
        return f"密码长度至少 {self.min_length} 位。"


class CharacterClassValidator:
    CLASSES = (("大写字母", r"[A-Z]"), ("小写字母", r"[a-z]"), ("数字", r"\d"), ("特殊字符", r"[^A-Za-z0-9]"))

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        present = sum(1 for _, pattern in self.CLASSES if re.search(pattern, password))
        if present < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、特殊字符中的至少 {self.min_classes} 类。", code="password_classes"
            )

    def get_help_text(self) -> str:
        return f"密码须包含大写字母、小写字母、数字、特殊字符中的至少 {self.min_classes} 类。"


class NotContainingUsernameValidator:
    def validate(self, password: str, user: Any = None) -> None:
        username = getattr(user, "username", "") or ""
        if username and username.lower() in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_contains_username")

    def get_help_text(self) -> str:
        return "密码不能包含用户名。"


class HistoryValidator:
    """The new password may not be the current one nor any of the last ``history`` passwords.

    ``PasswordHistory`` records every password set (the current one included), so the check is the
    current hash plus the newest ``history`` rows: with 5, the sixth-most-recent password is
    accepted again.
    """

    def __init__(self, history: int = 5) -> None:
        self.history = history

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or getattr(user, "pk", None) is None:
            return
        hashes: list[str] = [user.password] if user.password else []
        recent = user.password_history.order_by("-created_at", "-id").values_list("password", flat=True)
        hashes += [h for h in recent[: self.history] if h not in hashes]
        for encoded in hashes:
            if encoded and check_password(password, encoded):
                raise ValidationError(f"新密码不能与最近 {self.history} 次使用过的密码相同。", code="password_reused")

    def get_help_text(self) -> str:
        return f"新密码不能与最近 {self.history} 次使用过的密码相同。"
