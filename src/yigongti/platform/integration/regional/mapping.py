"""Regional FHIR resources → our field values. Every resource is validated with the
fhir.resources R4B model first (structure, dates); coded values are checked here."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole
from pydantic import ValidationError as PydanticError

from yigongti.platform.integration.fhir import systems
from yigongti.platform.org.choices import InstitutionType

MODELS: dict[str, Any] = {
    "Organization": Organization,
    "Practitioner": Practitioner,
    "PractitionerRole": PractitionerRole,
    "Patient": Patient,
}


class MappingError(Exception):
    pass


def validate(resource_type: str, data: dict[str, Any]) -> Any:
    if data.get("resourceType") != resource_type:
        raise MappingError(f"资源类型应为 {resource_type}，实际为 {data.get('resourceType')}。")
    try:
        return MODELS[resource_type].model_validate(data)
    except PydanticError as exc:
        errors = exc.errors()
        first: dict[str, Any] = dict(errors[0]) if errors else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise MappingError(f"FHIR 资源校验失败：{where} {first.get('msg', '')}".strip()) from None


def identifier(resource: Any, system: str) -> str:
    for ident in resource.identifier or []:
        if ident.system == system and ident.value:
            return str(ident.value).strip()
    return ""


def codes(concepts: Any, system: str) -> list[str]:
    found = []
    for concept in concepts or []:
        for coding in concept.coding or []:
            if coding.system == system and coding.code:
                found.append(str(coding.code))
    return found


def phone(resource: Any) -> str:
    for telecom in resource.telecom or []:
        if telecom.system == "phone" and telecom.value:
            return str(telecom.value).replace(" ", "")
    return ""


def address_text(resource: Any) -> str:
    addresses = (
        resource.address if isinstance(resource.address, list) else [resource.address] if resource.address else []
    )
    for address in addresses:
        if address is None:
            continue
        if address.text:
            return str(address.text)
        parts = [address.state, address.city, address.district, *(address.line or [])]
        text = "".join(str(p) for p in parts if p)
        if text:
            return text
    return ""


def name_text(resource: Any) -> str:
    for name in resource.name or []:
        if name.text:
            return str(name.text).strip()
        joined = (name.family or "") + "".join(name.given or [])
        if joined:
            return joined.strip()
    return ""


def reference_key(reference: Any) -> str:
    """``Organization/12`` of a Reference (relative or absolute URL), or ``""``."""
    if reference is None or not reference.reference:
        return ""
    parts = str(reference.reference).rstrip("/").split("/")
    return "/".join(parts[-2:]) if len(parts) >= 2 else ""


def is_department(org: Any) -> bool:
    return "dept" in codes(org.type, systems.ORGANIZATION_TYPE)


def institution_values(org: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": identifier(org, systems.INSTITUTION_CODE),
        "uscc": identifier(org, systems.USCC).upper() or None,
        "name": (org.name or "").strip(),
        "short_name": (org.alias or [""])[0][:50],
        "address": address_text(org)[:200],
        "contact_phone": phone(org),
        "is_active": org.active is not False,
    }
    kinds = [c for c in codes(org.type, systems.INSTITUTION_TYPE) if c in InstitutionType.values]
    if kinds:
        values["type"] = kinds[0]
    if not values["name"]:
        raise MappingError("机构缺少名称（Organization.name）。")
    if not values["code"] and not values["uscc"]:
        raise MappingError("机构缺少标识：需要机构编码（2.16.156.10011.1.5）或统一社会信用代码。")
    return values


def department_values(org: Any) -> dict[str, Any]:
    values = {
        "code": identifier(org, systems.DEPARTMENT_CODE),
        "name": (org.name or "").strip(),
        "phone": phone(org)[:20],
        "is_active": org.active is not False,
    }
    if not values["code"] or not values["name"]:
        raise MappingError("科室缺少科室编码（2.16.156.10011.1.26）或名称。")
    return values


def staff_values(practitioner: Any, role: Any) -> dict[str, Any]:
    code = identifier(role, systems.STAFF) or identifier(practitioner, systems.STAFF)
    name = name_text(practitioner)
    if not code or not name:
        raise MappingError("人员缺少工号（2.16.156.10011.1.4）或姓名。")
    values: dict[str, Any] = {
        "code": code,
        "name": name[:50],
        "sex": systems.GB_SEX_FROM_GENDER.get(str(practitioner.gender or "unknown"), "0"),
        "birth_date": practitioner.birthDate,
        "practising_cert_no": identifier(practitioner, systems.PRACTISING_CERT)[:30],
        "phone": phone(practitioner),
        "is_active": practitioner.active is not False and role.active is not False,
    }
    titles = [c for q in practitioner.qualification or [] for c in codes([q.code], systems.TITLE)]
    if titles:
        values["title_code"] = titles[0]
    return values


def _gb_sex(patient: Any) -> str:
    for extension in patient.extension or []:
        coding = getattr(extension, "valueCoding", None)
        if extension.url == systems.GB_SEX_EXTENSION and coding is not None and coding.code in {"0", "1", "2", "9"}:
            return str(coding.code)
    return systems.GB_SEX_FROM_GENDER.get(str(patient.gender or ""), "")


def resident_values(patient: Any) -> dict[str, Any]:
    number = identifier(patient, systems.ID_CARD)
    if not number:
        raise MappingError("患者缺少居民身份证号（urn:oid:2.16.156.10011.1.3）。")
    name = name_text(patient)
    if not name:
        raise MappingError("患者缺少姓名。")
    values: dict[str, Any] = {"id_number": number, "name": name[:50]}
    sex = _gb_sex(patient)
    if sex in {"1", "2"}:
        values["sex"] = sex
    if patient.birthDate:
        values["birth_date"] = patient.birthDate
    if phone(patient):
        values["phone"] = phone(patient)
    if address_text(patient):
        values["address"] = address_text(patient)
    if patient.active is False:
        values["is_active"] = False
    return values
