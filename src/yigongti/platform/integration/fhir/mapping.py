"""Our rows → FHIR R4B resources, constructed through the fhir.resources models (so they validate).

* Patient ← Resident: 身份证 (full only with view-sensitive, otherwise masked), internal id,
  name, gender (+ the GB/T 2261.1 code as an extension), birthDate, phone and address (masked
  likewise), managingOrganization.
* Organization ← Institution (id ``<pk>``, type prov) and Department (id ``dept-<pk>``, type dept,
  partOf its institution).
* Practitioner ← Staff; PractitionerRole ← Staff (organization = department, else institution).
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole

from yigongti.core.masking import mask_address, mask_id_number, mask_phone
from yigongti.platform.integration.fhir import systems
from yigongti.platform.org.choices import Sex
from yigongti.platform.org.models import Department, Institution, Staff
from yigongti.platform.registry.models import Resident

DEPARTMENT_PREFIX = "dept-"


def organization_id(institution_id: int) -> str:
    return str(institution_id)


def department_id(department_id_: int) -> str:
    return f"{DEPARTMENT_PREFIX}{department_id_}"


def _ident(system: str, value: Any, *, use: str | None = None, text: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"system": system, "value": str(value)}
    if use:
        data["use"] = use
    if text:
        data["type"] = {"text": text}
    return data


def _gb_sex(code: str) -> dict[str, Any]:
    label = dict(Sex.choices).get(code, "未知的性别")
    return {"url": systems.GB_SEX_EXTENSION, "valueCoding": {"system": systems.GB_SEX, "code": code, "display": label}}


def patient_resource(resident: Resident, *, sensitive: bool) -> Patient:
    number = resident.id_number or ""
    identifiers = [
        _ident(
            systems.ID_CARD,
            number if sensitive else mask_id_number(number),
            use="official",
            text="居民身份证" if sensitive else "居民身份证（已脱敏）",
        ),
        _ident(systems.RESIDENT, resident.pk, use="secondary", text="居民档案编号"),
    ]
    for number in getattr(resident, "local_numbers", []):  # prefetched: issued in the caller's scope
        identifiers.append(
            _ident(systems.MRN, number.value, use="usual", text=number.get_type_display())
            | {"assigner": {"reference": f"Organization/{number.issuer_id}", "display": str(number.issuer or "")}}
        )
    data: dict[str, Any] = {
        "id": str(resident.pk),
        "meta": {"lastUpdated": resident.updated_at.isoformat()},
        "identifier": identifiers,
        "active": resident.is_active,
        "name": [{"use": "official", "text": resident.name}],
        "gender": systems.FHIR_GENDER.get(resident.sex, "unknown"),
        "birthDate": resident.birth_date.isoformat(),
        "managingOrganization": {
            "reference": f"Organization/{organization_id(resident.home_institution_id)}",
            "display": resident.home_institution.name,
        },
        "extension": [_gb_sex(resident.sex)],
    }
    if resident.phone:
        data["telecom"] = [
            {"system": "phone", "value": resident.phone if sensitive else mask_phone(resident.phone), "use": "mobile"}
        ]
    if resident.address:
        data["address"] = [{"use": "home", "text": resident.address if sensitive else mask_address(resident.address)}]
    return Patient.model_validate(data)


def institution_resource(institution: Institution) -> Organization:
    identifiers = [
        _ident(systems.INSTITUTION_CODE, institution.code, use="official", text="医疗卫生机构编码"),
        _ident(systems.INSTITUTION_ID, institution.pk, use="secondary"),
    ]
    if institution.uscc:
        identifiers.insert(0, _ident(systems.USCC, institution.uscc, use="official", text="统一社会信用代码"))
    data: dict[str, Any] = {
        "id": organization_id(institution.pk),
        "identifier": identifiers,
        "active": institution.is_active,
        "type": [
            {"coding": [{"system": systems.ORGANIZATION_TYPE, "code": "prov", "display": "Healthcare Provider"}]},
            {
                "coding": [
                    {
                        "system": systems.INSTITUTION_TYPE,
                        "code": institution.type,
                        "display": institution.get_type_display(),
                    }
                ]
            },
        ],
        "name": institution.name,
    }
    if institution.short_name:
        data["alias"] = [institution.short_name]
    if institution.contact_phone:
        data["telecom"] = [{"system": "phone", "value": institution.contact_phone, "use": "work"}]
    if institution.address:
        data["address"] = [{"use": "work", "text": institution.address}]
    if institution.parent_id:
        data["partOf"] = {"reference": f"Organization/{organization_id(institution.parent_id)}"}
    return Organization.model_validate(data)


def department_resource(department: Department) -> Organization:
    data: dict[str, Any] = {
        "id": department_id(department.pk),
        "identifier": [
            _ident(systems.DEPARTMENT_CODE, department.code, use="official", text="科室编码"),
            _ident(systems.DEPARTMENT_ID, department.pk, use="secondary"),
        ],
        "active": department.is_active,
        "type": [{"coding": [{"system": systems.ORGANIZATION_TYPE, "code": "dept", "display": "Hospital Department"}]}],
        "name": department.name,
        "partOf": {
            "reference": f"Organization/{organization_id(department.institution_id)}",
            "display": department.institution.name,
        },
    }
    if department.phone:
        data["telecom"] = [{"system": "phone", "value": department.phone, "use": "work"}]
    return Organization.model_validate(data)


def _staff_identifiers(staff: Staff) -> list[dict[str, Any]]:
    identifiers = [
        _ident(systems.STAFF, staff.code, use="official", text="工号") | {"assigner": _institution_ref(staff)},
        _ident(systems.STAFF_ID, staff.pk, use="secondary"),
    ]
    if staff.practising_cert_no:
        identifiers.append(_ident(systems.PRACTISING_CERT, staff.practising_cert_no, text="执业证书编码"))
    return identifiers


def _institution_ref(staff: Staff) -> dict[str, Any]:
    return {"reference": f"Organization/{organization_id(staff.institution_id)}", "display": staff.institution.name}


def practitioner_resource(staff: Staff) -> Practitioner:
    data: dict[str, Any] = {
        "id": str(staff.pk),
        "identifier": _staff_identifiers(staff),
        "active": staff.is_active,
        "name": [{"use": "official", "text": staff.name}],
        "gender": systems.FHIR_GENDER.get(staff.sex, "unknown"),
    }
    if staff.birth_date:
        data["birthDate"] = staff.birth_date.isoformat()
    if staff.phone:
        data["telecom"] = [{"system": "phone", "value": staff.phone, "use": "work"}]
    title = staff.title if staff.title_id else None
    if title is not None:
        data["qualification"] = [
            {"code": {"coding": [{"system": systems.TITLE, "code": title.code, "display": title.name}]}}
        ]
    return Practitioner.model_validate(data)


def practitioner_role_resource(staff: Staff) -> PractitionerRole:
    organization = (
        {"reference": f"Organization/{department_id(staff.department_id)}", "display": staff.department.name}
        if staff.department_id and staff.department is not None
        else _institution_ref(staff)
    )
    data: dict[str, Any] = {
        "id": str(staff.pk),
        "identifier": _staff_identifiers(staff)[:2],
        "active": staff.is_active,
        "practitioner": {"reference": f"Practitioner/{staff.pk}", "display": staff.name},
        "organization": organization,
    }
    post = staff.post if staff.post_id else None
    if post is not None:
        data["code"] = [{"text": post.name}]
    if staff.specialty:
        data["specialty"] = [{"text": staff.specialty}]
    return PractitionerRole.model_validate(data)
