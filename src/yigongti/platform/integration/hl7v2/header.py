"""Reading the MSH segment without a full parse.

Used to file a raw message (type, control id, sender) before anything else happens, and to
address the ACK even when the rest of the message cannot be parsed.
"""

from __future__ import annotations

from dataclasses import dataclass

MLLP_CHARS = "\x0b\x1c"


def normalize_er7(text: str) -> str:
    """Strip MLLP framing and a BOM; segments end with CR whatever the sender used."""
    text = text.lstrip("\ufeff").strip(MLLP_CHARS + " \t\r\n")
    text = text.replace("\r\n", "\r").replace("\n", "\r")
    return "\r".join(line for line in text.split("\r") if line.strip())


@dataclass(frozen=True)
class Header:
    ok: bool = False
    field_sep: str = "|"
    component_sep: str = "^"
    sending_application: str = ""
    sending_facility: str = ""
    receiving_application: str = ""
    receiving_facility: str = ""
    message_code: str = ""  # MSH-9.1, e.g. ADT
    trigger_event: str = ""  # MSH-9.2, e.g. A04
    control_id: str = ""  # MSH-10
    processing_id: str = "P"  # MSH-11
    version: str = ""  # MSH-12
    charset: str = ""  # MSH-18

    @property
    def message_type(self) -> str:
        return f"{self.message_code}^{self.trigger_event}" if self.trigger_event else self.message_code

    @property
    def sender(self) -> str:
        return f"{self.sending_application}^{self.sending_facility}".strip("^")


def read_header(text: str) -> Header:
    """The MSH fields of ``text``; ``ok`` is False when there is no usable MSH segment."""
    segments = normalize_er7(text).split("\r")
    first = segments[0] if segments else ""
    if not first.startswith("MSH") or len(first) < 8:
        return Header()
    sep = first[3]
    encoding = first.split(sep)[1] if sep in first[4:] else ""
    component = encoding[0] if encoding else "^"
    # MSH-1 is the separator itself, so MSH-n is fields[n-1].
    fields = first.split(sep)

    def field(n: int) -> str:
        return fields[n - 1].strip() if len(fields) >= n else ""

    def first_component(value: str) -> str:
        return value.split(component)[0].strip()

    msg_type = field(9).split(component)
    processing = first_component(field(11)) or "P"
    return Header(
        ok=bool(field(9) and field(10)),
        field_sep=sep,
        component_sep=component,
        sending_application=first_component(field(3))[:80],
        sending_facility=first_component(field(4))[:80],
        receiving_application=first_component(field(5))[:80],
        receiving_facility=first_component(field(6))[:80],
        message_code=msg_type[0].strip()[:10] if msg_type else "",
        trigger_event=msg_type[1].strip()[:10] if len(msg_type) > 1 else "",
        control_id=field(10)[:64],
        processing_id=processing[:1],
        version=first_component(field(12))[:10],
        charset=field(18)[:40],
    )
