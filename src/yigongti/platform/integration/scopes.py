"""OAuth2 scopes a hospital system may hold, and the permission codes each one grants.

A client's token carries scopes; its principal holds exactly the permission codes below, so the
generic viewsets, the FHIR facade and the HL7 endpoint check hospital systems with the same
``has_code`` as console users. This module imports nothing from Django (settings may read it).
"""

from __future__ import annotations

from collections.abc import Iterable

HL7_SUBMIT = "integration.hl7.submit"

# scope → (中文说明, permission codes)
SCOPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "registry.read": ("读取居民档案（脱敏）", ("registry.resident.view",)),
    "registry.write": (
        "新增、修改居民档案",
        ("registry.resident.view", "registry.resident.add", "registry.resident.change"),
    ),
    "registry.sensitive": ("查看居民完整身份证号、电话、住址", ("registry.resident.view_sensitive",)),
    "org.read": ("读取机构、科室、医护人员", ("org.institution.view", "org.department.view", "org.staff.view")),
    "hl7.adt": ("提交 HL7 v2 ADT 消息（患者登记、更新、合并）", (HL7_SUBMIT,)),
    "fhir.read": (
        "通过 FHIR 接口读取患者、机构、医护人员",
        ("registry.resident.view", "org.institution.view", "org.department.view", "org.staff.view"),
    ),
}


def register_scope(name: str, label: str, codes: Iterable[str]) -> None:
    """A center declares the OAuth2 scope its client endpoints need (from its ``permissions.py``)."""
    if name in SCOPES and SCOPES[name] != (label, tuple(codes)):
        raise ValueError(f"OAuth2 scope {name} is declared twice with different codes")
    SCOPES[name] = (label, tuple(codes))


def scope_labels() -> dict[str, str]:
    return {name: label for name, (label, _) in SCOPES.items()}


def unknown_scopes(scopes: Iterable[str]) -> list[str]:
    return sorted(set(scopes) - set(SCOPES))


def codes_for_scopes(scopes: Iterable[str]) -> frozenset[str]:
    return frozenset(code for scope in scopes if scope in SCOPES for code in SCOPES[scope][1])
