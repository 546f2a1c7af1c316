"""Message templates: ``{{ name }}`` placeholders and nothing else.

A template is plain text with placeholders ``{{ variable }}`` (letters, digits and ``_``). There are
no tags, filters, attribute lookups or expressions, so a template an administrator edits in the
console can never run code or reach into objects. Values are inserted as text; the console shows
titles and bodies as text (never as HTML), so no escaping is applied here.

``check_template`` runs when a message type is saved: it refuses syntax errors and placeholders
that are not among the type's declared variables. ``render`` refuses a context that lacks a
variable the template uses (a programming error in the caller), with a clear Chinese message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
ANY_BRACES = re.compile(r"\{\{.*?\}\}", re.S)
FORBIDDEN = re.compile(r"\{%|%\}|\{#|#\}")
VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class TemplateError(ValueError):
    """The template text is not valid, or the context lacks a variable it needs."""


def variables_in(template: str) -> list[str]:
    """Names of the placeholders of ``template``, in order of first use."""
    seen: dict[str, None] = {}
    for match in PLACEHOLDER.finditer(template or ""):
        seen.setdefault(match.group(1), None)
    return list(seen)


def check_template(template: str, declared: Iterable[str], *, label: str = "模板") -> list[str]:
    """Validate ``template`` against the declared variable names; returns the names it uses."""
    text = template or ""
    if FORBIDDEN.search(text):
        raise TemplateError(f"{label}不支持 {{% %}} 或 {{# #}} 标签，只能使用 {{{{ 变量名 }}}} 占位符。")
    for match in ANY_BRACES.finditer(text):
        if not PLACEHOLDER.fullmatch(match.group(0)):
            raise TemplateError(f"{label}中的占位符 {match.group(0)} 写法有误，应为 {{{{ 变量名 }}}}。")
    leftover = ANY_BRACES.sub("", text)
    if "{{" in leftover or "}}" in leftover:
        raise TemplateError(f"{label}中有不成对的 {{{{ 或 }}}}。")
    used = variables_in(text)
    allowed = set(declared)
    unknown = [name for name in used if name not in allowed]
    if unknown:
        available = "、".join(sorted(allowed)) or "无"
        raise TemplateError(f"{label}引用了未声明的变量：{'、'.join(unknown)}（可用变量：{available}）。")
    return used


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def render(template: str, context: Mapping[str, Any], *, label: str = "模板") -> str:
    """Fill the placeholders of ``template`` from ``context``."""
    missing = [name for name in variables_in(template) if name not in context]
    if missing:
        raise TemplateError(f"发送消息时缺少{label}变量：{'、'.join(missing)}。")
    return PLACEHOLDER.sub(lambda m: _text(context[m.group(1)]), template or "")
