"""Real, minimal files of every type the attachment service recognises (built in memory)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from openpyxl import Workbook


def png(width: int = 2, height: int = 2, color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A valid RGB PNG written by hand (IHDR, one IDAT, IEND)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(color) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def pillow_image(fmt: str, size: tuple[int, int] = (4, 3)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, format=fmt)
    return out.getvalue()


PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def dicom() -> bytes:
    """128-byte preamble, ``DICM``, and a File Meta group (explicit VR little endian)."""

    def element(group: int, elem: int, vr: bytes, value: bytes) -> bytes:
        if len(value) % 2:
            value += b"\x00"
        if vr in {b"OB", b"UN", b"SQ"}:
            return struct.pack("<HH", group, elem) + vr + b"\x00\x00" + struct.pack("<I", len(value)) + value
        return struct.pack("<HH", group, elem) + vr + struct.pack("<H", len(value)) + value

    meta = (
        element(0x0002, 0x0001, b"OB", b"\x00\x01")
        + element(0x0002, 0x0002, b"UI", b"1.2.840.10008.5.1.4.1.1.7")  # Secondary Capture
        + element(0x0002, 0x0003, b"UI", b"1.2.826.0.1.3680043.2.1125.1")
        + element(0x0002, 0x0010, b"UI", b"1.2.840.10008.1.2.1")  # Explicit VR Little Endian
    )
    group_length = element(0x0002, 0x0000, b"UL", struct.pack("<I", len(meta)))
    return b"\x00" * 128 + b"DICM" + group_length + meta


_WORD_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="{main}"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>病历摘要</w:t></w:r></w:p></w:body></w:document>"
)
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def docx(main: str = WORD_MAIN, *, macro: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _WORD_TYPES.format(main=main))
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", _DOCUMENT)
        if macro:
            archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    return out.getvalue()


def xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["项目", "结果"])
    sheet.append(["血红蛋白", 135])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return out.getvalue()


TEXT = "检验结果：血糖 5.6 mmol/L\n".encode()
CSV = "姓名,血压\n张三,120/80\n".encode()
GBK_TEXT = "检验结果：血糖正常\n".encode("gbk")
# MIT-BIH Arrhythmia Database record 100 header (PhysioNet), and a few format-212 samples.
WFDB_HEADER = (
    b"100 2 360 650000\n"
    b"100.dat 212 200 11 1024 995 21537 0 MLII\n"
    b"100.dat 212 200 11 1024 1011 -3962 0 V5\n"
    b"# 69 M 1085 1629 x1\n"
)
WFDB_SIGNAL = bytes([0xE3, 0x33, 0xF3, 0xE3, 0x33, 0xF3, 0xE2, 0x43, 0xF4]) * 40
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 44
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
SCRIPT = b"#!/bin/sh\nrm -rf /tmp/x\n"
