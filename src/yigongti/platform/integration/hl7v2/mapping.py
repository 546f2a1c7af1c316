"""HL7 v2 ADT → resident data: parse with hl7apy, read PID (and MRG for merges).

PID-3 identifiers: the 居民身份证 is the repetition whose type (CX.5) is NNCHN/NI/ID/SFZ or whose
assigning authority (CX.4) is the OID 2.16.156.10011.1.3; the institution's own numbers are those
typed PI (院内患者ID) or MR (病案号), or untyped; the first of them is the registration's local id.
PID-5 name (Chinese in XPN.1, family+given joined when split), PID-7 birth date, PID-8 sex
(M/F/U/O/A/N → GB/T 2261.1), PID-11 address (province, city, street; XAD.9 a 9/12-digit
township code), PID-13 phone (XTN.12, XTN.1 or XTN.7), PID-22 民族 (GB/T 3304 two digits).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.exceptions import HL7apyException, UnsupportedVersion
from hl7apy.parser import parse_message

from yigongti.core.validators import normalize_id_number
from yigongti.platform.integration import error_codes
from yigongti.platform.integration.hl7v2.ack import AckError
from yigongti.platform.integration.hl7v2.header import normalize_er7

ID_CARD_TYPES = {"NNCHN", "NI", "ID", "SFZ", "CID"}
ID_CARD_OID = "2.16.156.10011.1.3"
LOCAL_TYPES = ("PI", "MR", "")  # preference order for the local id
SEX = {"M": "1", "F": "2", "U": "0", "O": "9", "A": "9", "N": "9"}
_TOWNSHIP = re.compile(r"^[1-8]\d{5}(\d{3}|\d{6})$")
_ESCAPES = {"F": "|", "S": "^", "T": "&", "R": "~", "E": "\\"}


class Hl7Error(Exception):
    """A message refused: ``ack_code`` AR (rejected) or AE (application error)."""

    def __init__(self, code: str, text: str, *, ack_code: str = "AE", hl7_code: str = "207", location: str = ""):
        super().__init__(text)
        self.code = code
        self.text = text
        self.ack_code = ack_code
        self.ack_error = AckError(hl7_code=hl7_code, text=text, location=location)


@dataclass(frozen=True)
class Identifier:
    value: str
    authority: str = ""  # CX.4.1 namespace, or CX.4.2 universal id
    type_code: str = ""  # CX.5


@dataclass
class PatientData:
    identifiers: list[Identifier] = field(default_factory=list)
    id_number: str = ""  # normalized 18-character 居民身份证号码, if the message carried one
    name: str = ""
    birth_date: dt.date | None = None
    sex: str = ""
    address: str = ""
    division_code: str = ""
    phone: str = ""
    ethnicity: str = ""

    @property
    def local_ids(self) -> list[Identifier]:
        return local_ids(self.identifiers)

    @property
    def local_id(self) -> str:
        return self.local_ids[0].value if self.local_ids else ""

    @property
    def mrn(self) -> Identifier | None:
        return next((i for i in self.identifiers if i.type_code == "MR" and i.value), None)

    def submission(self) -> dict[str, Any]:
        """A registration for the master patient index (``registration_submit``)."""
        data: dict[str, Any] = {
            "local_id": self.local_id,
            "name": self.name,
            "id_number": self.id_number,
            "birth_date": self.birth_date,
            "sex": self.sex if self.sex in {"1", "2"} or not self.id_number else "",
            "phone": self.phone,
            "address": self.address,
            "division_code": self.division_code,
        }
        mrn = self.mrn
        if mrn is not None and mrn.value != self.local_id:
            data["identifiers"] = [{"type": "mrn", "value": mrn.value}]
        return data

    def demographics(self) -> dict[str, Any]:
        """Values for ``resident_update`` (only what the message carried)."""
        data: dict[str, Any] = {"name": self.name}
        for key in ("id_number", "birth_date", "address", "division_code", "phone", "ethnicity"):
            value = getattr(self, key)
            if value:
                data[key] = value
        if self.sex in {"1", "2"}:  # unknown/unstated: the registry keeps or derives it
            data["sex"] = self.sex
        return data


@dataclass
class AdtMessage:
    event: str
    version: str
    patient: PatientData
    prior: list[Identifier] = field(default_factory=list)  # MRG-1 (A40)
    prior_id_number: str = ""


def local_ids(identifiers: list[Identifier]) -> list[Identifier]:
    """The institution's own numbers, PI first, then MR, then untyped ones."""
    own = [i for i in identifiers if i.value and i.type_code in LOCAL_TYPES and not _is_id_card(i)]
    return sorted(own, key=lambda i: LOCAL_TYPES.index(i.type_code))


def _unescape(text: str) -> str:
    return re.sub(r"\\([FSTRE])\\", lambda m: _ESCAPES[m.group(1)], text)


def _parts(text: str, sep: str) -> list[str]:
    """Raw components (still escaped, sub-components not split)."""
    return text.split(sep)


def _raw(parts: list[str], n: int) -> str:
    return parts[n - 1] if len(parts) >= n else ""


def _get(parts: list[str], n: int) -> str:
    """Component ``n`` as text: its first sub-component, unescaped."""
    return _unescape(_raw(parts, n).split("&")[0]).strip()


def _fields(segment: Any, n: int) -> list[str]:
    return [str(f.to_er7()) for f in segment.children.get(f"{segment.name}_{n}")]


def parse(text: str) -> tuple[Any, AdtMessage]:
    """Parse an ADT message; raises ``Hl7Error`` (AR) when it cannot be understood."""
    try:
        message = parse_message(normalize_er7(text), validation_level=VALIDATION_LEVEL.TOLERANT, find_groups=False)
    except UnsupportedVersion:
        raise Hl7Error(
            error_codes.HL7_UNPARSEABLE,
            "不支持的 HL7 版本（MSH-12），请使用 v2.3–v2.8。",
            ack_code="AR",
            hl7_code="203",
        ) from None
    except (HL7apyException, ValueError, IndexError, KeyError, AttributeError):
        raise Hl7Error(
            error_codes.HL7_UNPARSEABLE,
            "消息无法解析：不是有效的 HL7 v2 ER7 报文（应以 MSH 段开头）。",
            ack_code="AR",
            hl7_code="100",
        ) from None
    segments: dict[str, Any] = {}
    for child in message.children:
        segments.setdefault(child.name, child)
    msh_type = _parts(_fields(segments["MSH"], 9)[0] if _fields(segments["MSH"], 9) else "", "^")
    event = _get(msh_type, 2) or _first_field(segments.get("EVN"), 1)
    if "PID" not in segments:
        raise Hl7Error(error_codes.HL7_INVALID_DATA, "缺少 PID 段。", ack_code="AR", hl7_code="100", location="PID")
    adt = AdtMessage(event=event, version=str(message.version), patient=read_pid(segments["PID"]))
    if "MRG" in segments:
        adt.prior = [_identifier(rep) for rep in _fields(segments["MRG"], 1) if rep.strip("^&")]
        adt.prior_id_number = _id_number(adt.prior, location="MRG^1^1")
    return message, adt


def _first_field(segment: Any, n: int) -> str:
    if segment is None:
        return ""
    values = _fields(segment, n)
    return _get(_parts(values[0], "^"), 1) if values else ""


def _identifier(rep: str) -> Identifier:
    comps = _parts(rep, "^")
    authority = [_unescape(p).strip() for p in _raw(comps, 4).split("&")]
    return Identifier(
        value=_get(comps, 1),
        authority=(authority[0] or _raw(authority, 2)) if authority else "",
        type_code=_get(comps, 5).upper(),
    )


def _is_id_card(ident: Identifier) -> bool:
    return ident.type_code in ID_CARD_TYPES or ident.authority == ID_CARD_OID


def _id_number(identifiers: list[Identifier], *, location: str) -> str:
    for ident in identifiers:
        if _is_id_card(ident):
            try:
                return normalize_id_number(ident.value)
            except ValidationError as exc:
                raise Hl7Error(
                    error_codes.HL7_INVALID_DATA, f"身份证号无效：{exc.messages[0]}", hl7_code="102", location=location
                ) from None
    return ""


def _date(value: str, location: str) -> dt.date | None:
    digits = value.strip()[:8]
    if not digits:
        return None
    try:
        return dt.datetime.strptime(digits, "%Y%m%d").date()
    except ValueError:
        raise Hl7Error(
            error_codes.HL7_INVALID_DATA,
            f"出生日期格式错误（{value}），应为 YYYYMMDD。",
            hl7_code="102",
            location=location,
        ) from None


def _name(reps: list[str]) -> str:
    for rep in reps:
        comps = _parts(rep, "^")
        family = _get(comps, 1)
        given = _get(comps, 2)
        name = family + given if family and given else family or given
        if name:
            return name
    return ""


def _address(reps: list[str]) -> tuple[str, str]:
    for rep in reps:
        comps = _parts(rep, "^")
        street = _get(comps, 1)
        text = "".join(p for p in (_get(comps, 4), _get(comps, 3), street, _get(comps, 2)) if p)
        county = _get(comps, 9)
        if text or county:
            return text[:200], county if _TOWNSHIP.fullmatch(county) else ""
    return "", ""


def _phone(reps: list[str]) -> str:
    for rep in reps:
        comps = _parts(rep, "^")
        for candidate in (_get(comps, 12), _get(comps, 1), _get(comps, 7)):
            digits = re.sub(r"[\s()]", "", candidate)
            if digits:
                return digits
    return ""


def read_pid(pid: Any) -> PatientData:
    raw_ids = _fields(pid, 3)
    identifiers = [_identifier(rep) for rep in raw_ids if rep.strip("^&")]
    patient = PatientData(identifiers=identifiers)
    patient.id_number = _id_number(identifiers, location="PID^1^3")
    patient.name = _name(_fields(pid, 5))
    if not patient.name:
        raise Hl7Error(error_codes.HL7_INVALID_DATA, "缺少患者姓名（PID-5）。", hl7_code="101", location="PID^1^5")
    births = _fields(pid, 7)
    patient.birth_date = _date(_get(_parts(births[0], "^"), 1), "PID^1^7") if births else None
    sexes = _fields(pid, 8)
    code = sexes[0].strip().upper() if sexes else ""
    if code and code not in SEX:
        raise Hl7Error(
            error_codes.HL7_INVALID_DATA,
            f"性别代码无效（{code}），应为 M/F/U/O/A/N。",
            hl7_code="103",
            location="PID^1^8",
        )
    patient.sex = SEX.get(code, "")
    patient.address, patient.division_code = _address(_fields(pid, 11))
    patient.phone = _phone(_fields(pid, 13))
    ethnic = _fields(pid, 22)
    ethnicity = _get(_parts(ethnic[0], "^"), 1) if ethnic else ""
    patient.ethnicity = ethnicity if re.fullmatch(r"\d{2}", ethnicity) and 1 <= int(ethnicity) <= 56 else ""
    return patient
