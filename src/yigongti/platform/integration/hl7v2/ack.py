"""HL7 v2 acknowledgements built with hl7apy (original-mode ACK).

MSA-1 is AA (accepted), AE (application error: the message was understood but refused, e.g. an
invalid ID number) or AR (rejected: unparseable, unsupported type or version, control id reused);
MSA-2 echoes MSH-10. On error an ERR segment carries an HL7 table 0357 code and the Chinese reason
(ERR-1 for v2.3/2.4, ERR-2/3/4/8 from v2.5). The ACK is always UNICODE UTF-8 (MSH-18).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.utils import timezone
from hl7apy import SUPPORTED_LIBRARIES
from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.core import Message

from yigongti.platform.integration.hl7v2.header import Header

DEFAULT_VERSION = "2.5"
OUR_APPLICATION = "YIGONGTI"
OUR_FACILITY = "YGT"
CHARSET = "UNICODE UTF-8"

# HL7 table 0357 (message error condition codes)
ERROR_TEXT = {
    "0": "Message accepted",
    "100": "Segment sequence error",
    "101": "Required field missing",
    "102": "Data type error",
    "103": "Table value not found",
    "200": "Unsupported message type",
    "201": "Unsupported event code",
    "203": "Unsupported version id",
    "204": "Unknown key identifier",
    "205": "Duplicate key identifier",
    "207": "Application internal error",
}
_OLD_ERR = {"2.1", "2.2", "2.3", "2.3.1", "2.4"}
_UNSAFE = str.maketrans({"|": "｜", "^": "＾", "~": "～", "\\": "＼", "&": "＆", "\r": " ", "\n": " "})


@dataclass(frozen=True)
class AckError:
    hl7_code: str  # table 0357
    text: str  # Chinese, for ERR-8 / MSA-3
    location: str = ""  # "PID^1^3" (segment^sequence^field)


def _clean(text: str, limit: int = 200) -> str:
    return text.translate(_UNSAFE)[:limit]


def ack_version(header: Header) -> str:
    return header.version if header.version in SUPPORTED_LIBRARIES else DEFAULT_VERSION


def build_ack(header: Header, code: str, error: AckError | None = None) -> str:
    """The ER7 text of the ACK answering ``header`` with MSA-1 = ``code``."""
    version = ack_version(header)
    ack = Message("ACK", version=version, validation_level=VALIDATION_LEVEL.TOLERANT)
    msh = ack.msh
    msh.msh_3 = _clean(header.receiving_application or OUR_APPLICATION, 20)
    msh.msh_4 = _clean(header.receiving_facility or OUR_FACILITY, 20)
    if header.sending_application:
        msh.msh_5 = _clean(header.sending_application, 20)
    if header.sending_facility:
        msh.msh_6 = _clean(header.sending_facility, 20)
    msh.msh_7 = timezone.localtime().strftime("%Y%m%d%H%M%S%z")
    trigger = _clean(header.trigger_event, 3)
    msh.msh_9 = f"ACK^{trigger}^ACK" if trigger else "ACK"
    msh.msh_10 = "YGT" + uuid.uuid4().hex[:17]
    msh.msh_11 = header.processing_id if header.processing_id in {"P", "T", "D"} else "P"
    msh.msh_18 = CHARSET
    msa = ack.msa
    msa.msa_1 = code
    if header.control_id:
        msa.msa_2 = _clean(header.control_id, 64)
    if error is not None:
        text = _clean(error.text)
        if version not in {"2.7", "2.8", "2.8.1", "2.8.2"}:
            msa.msa_3 = text
        err = ack.add_segment("ERR")
        label = ERROR_TEXT.get(error.hl7_code, ERROR_TEXT["207"])
        if version in _OLD_ERR:
            err.err_1 = f"{error.location or '^^'}^{error.hl7_code}&{label}&HL70357"
        else:
            if error.location:
                err.err_2 = error.location
            err.err_3 = f"{error.hl7_code}^{label}^HL70357"
            err.err_4 = "E"
            err.err_8 = text
    return str(ack.to_er7())
