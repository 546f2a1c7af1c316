"""Inbound ADT handler: A04/A28 register (master patient index), A08/A31 update, A40 merge.

Runs inside ``inbound_process``'s transaction: any refusal rolls back everything it wrote.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from yigongti.core.errors import BusinessError
from yigongti.platform.integration import error_codes, registry_bridge
from yigongti.platform.integration.choices import Protocol
from yigongti.platform.integration.hl7v2.ack import AckError, build_ack
from yigongti.platform.integration.hl7v2.header import Header, read_header
from yigongti.platform.integration.hl7v2.mapping import Hl7Error, local_ids, parse
from yigongti.platform.integration.models import InboundMessage
from yigongti.platform.integration.services.inbound import Processed, Rejected, control_id_taken, register_handler

EVENTS = {"A04": "register", "A28": "register", "A08": "update", "A31": "update", "A40": "merge"}
_STATUS = {"AR": 400, "AE": 422}
_FIELD_LOCATION = {
    "id_number": "PID^1^3",
    "name": "PID^1^5",
    "birth_date": "PID^1^7",
    "sex": "PID^1^8",
    "address": "PID^1^11",
    "division_code": "PID^1^11",
    "phone": "PID^1^13",
    "ethnicity": "PID^1^22",
    "local_id": "PID^1^3",
    "identifiers": "PID^1^3",
}


def _validation_text(exc: ValidationError) -> tuple[str, str]:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            return "；".join(errors), _FIELD_LOCATION.get(name, "PID")
    return "；".join(exc.messages), "PID"


def _reject(header: Header, error: Hl7Error) -> Rejected:
    status = 409 if error.code == error_codes.HL7_CONTROL_ID_REUSED else _STATUS.get(error.ack_code, 422)
    return Rejected(error.code, error.text, response=build_ack(header, error.ack_code, error.ack_error), status=status)


class AdtHandler:
    def process(self, message: InboundMessage, actor: Any) -> Processed:
        header = read_header(message.payload)
        try:
            return self._process(message, header, actor)
        except Hl7Error as exc:
            raise _reject(header, exc) from None

    def _process(self, message: InboundMessage, header: Header, actor: Any) -> Processed:
        if not header.ok:
            raise Hl7Error(
                error_codes.HL7_UNPARSEABLE,
                "消息无法解析：缺少 MSH 段或 MSH-9/MSH-10。",
                ack_code="AR",
                hl7_code="100",
                location="MSH",
            )
        if control_id_taken(message):
            raise Hl7Error(
                error_codes.HL7_CONTROL_ID_REUSED,
                f"消息控制号 {header.control_id} 已用于另一条内容不同的消息（MSH-10 须唯一）。",
                ack_code="AR",
                hl7_code="205",
                location="MSH^1^10",
            )
        if header.message_code != "ADT":
            raise Hl7Error(
                error_codes.HL7_UNSUPPORTED_TYPE,
                f"不支持的消息类型 {header.message_type}：本接口只接收 ADT^A04/A08/A40。",
                ack_code="AR",
                hl7_code="200",
                location="MSH^1^9",
            )
        _, adt = parse(message.payload)
        event = header.trigger_event or adt.event
        kind = EVENTS.get(event)
        if kind is None:
            raise Hl7Error(
                error_codes.HL7_UNSUPPORTED_TYPE,
                f"不支持的 ADT 事件 {event or '（空）'}：本接口只接收 A04/A08/A40（及 A28/A31）。",
                ack_code="AR",
                hl7_code="201",
                location="MSH^1^9",
            )
        if message.institution is None:
            raise Hl7Error(error_codes.HL7_OUT_OF_SCOPE, "无法确定消息的来源机构。", hl7_code="207")
        patient = adt.patient
        keys = registry_bridge.PatientKeys(local=tuple(i.value for i in patient.local_ids), id_number=patient.id_number)
        if not keys.local and (kind == "register" or not keys.id_number):
            raise Hl7Error(
                error_codes.HL7_INVALID_DATA,
                "缺少院内患者ID：PID-3 中应有类型（CX.5）为 PI 或 MR 的标识。",
                hl7_code="101",
                location="PID^1^3",
            )
        try:
            if kind == "register":
                outcome = registry_bridge.register(
                    submission=patient.submission(),
                    institution=message.institution,
                    actor=actor,
                    external_ref=header.control_id,
                )
            elif kind == "update":
                outcome = registry_bridge.update(
                    keys=keys, data=patient.demographics(), institution=message.institution, actor=actor
                )
            else:
                if not adt.prior:
                    raise Hl7Error(
                        error_codes.HL7_INVALID_DATA, "合并消息缺少 MRG 段（MRG-1 原患者标识）。", location="MRG"
                    )
                prior = registry_bridge.PatientKeys(
                    local=tuple(i.value for i in local_ids(adt.prior)), id_number=adt.prior_id_number
                )
                outcome = registry_bridge.merge(
                    keys=keys,
                    prior=prior,
                    institution=message.institution,
                    actor=actor,
                    reason=f"HL7 ADT^A40（{header.sender} {header.control_id}）",
                )
        except registry_bridge.PatientNotFound as exc:
            location = "MRG^1^1" if "MRG" in exc.text else "PID^1^3"
            raise Hl7Error(exc.code, exc.text, hl7_code="204", location=location) from None
        except registry_bridge.OutOfScope as exc:
            raise Hl7Error(exc.code, exc.text, hl7_code="207", location="PID^1^3") from None
        except ValidationError as exc:
            text, location = _validation_text(exc)
            raise Hl7Error(error_codes.HL7_INVALID_DATA, text, hl7_code="102", location=location) from None
        except BusinessError as exc:
            raise Hl7Error(exc.error_code, exc.message, hl7_code="207") from None
        mrn = patient.mrn
        result = {
            "event": event,
            "action": outcome.action,
            "resident_id": outcome.resident.pk if outcome.resident is not None else None,
            "registration_id": outcome.registration_id,
            "local_id": patient.local_id,
            "mrn": {"value": mrn.value, "authority": mrn.authority} if mrn else None,
        }
        return Processed(response=build_ack(header, "AA"), result=result)

    def error_response(self, message: InboundMessage, text: str) -> str:
        return build_ack(read_header(message.payload), "AE", AckError(hl7_code="207", text=text))


register_handler(Protocol.HL7V2, AdtHandler())
