"""What a file is, decided from its bytes (magic numbers), never from its name.

``detect`` classifies the content; ``check_upload`` then applies the upload policy: the declared
extension must agree with the content, executables and scripts are always refused, WFDB files only
go into 心电波形. A plain ZIP is not an office document: the ``[Content_Types].xml`` part must name a
Word or Excel main part, and macro-enabled variants are refused.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from yigongti.core.errors import BusinessError
from yigongti.platform.files import error_codes as E
from yigongti.platform.files.choices import AttachmentCategory

HEAD_BYTES = 8192
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    kind: str
    mime: str
    label: str
    extensions: frozenset[str]
    image: bool = False
    ecg_only: bool = False


def _t(kind: str, mime: str, label: str, *exts: str, image: bool = False, ecg_only: bool = False) -> FileType:
    return FileType(kind, mime, label, frozenset(exts), image=image, ecg_only=ecg_only)


PDF = _t("pdf", "application/pdf", "PDF 文档", "pdf")
PNG = _t("png", "image/png", "PNG 图片", "png", image=True)
JPEG = _t("jpeg", "image/jpeg", "JPEG 图片", "jpg", "jpeg", "jpe", "jfif", image=True)
GIF = _t("gif", "image/gif", "GIF 图片", "gif", image=True)
WEBP = _t("webp", "image/webp", "WebP 图片", "webp", image=True)
BMP = _t("bmp", "image/bmp", "BMP 图片", "bmp", "dib", image=True)
TIFF = _t("tiff", "image/tiff", "TIFF 图片", "tif", "tiff", image=True)
DICOM = _t("dicom", "application/dicom", "DICOM 文件", "dcm", "dicom")
DOCX = _t("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word 文档", "docx")
XLSX = _t("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel 表格", "xlsx")
TEXT = _t("text", "text/plain", "文本文件", "txt", "text", "log", "xml", "json")
CSV = _t("csv", "text/csv", "CSV 表格", "csv", "tsv")
WFDB_HEADER = _t("wfdb_header", "text/plain", "WFDB 头文件", "hea", ecg_only=True)
WFDB_SIGNAL = _t("wfdb_signal", "application/octet-stream", "WFDB 信号文件", "dat", ecg_only=True)
BINARY = _t("binary", "application/octet-stream", "未知二进制文件")

ALL_TYPES = (PDF, PNG, JPEG, GIF, WEBP, BMP, TIFF, DICOM, DOCX, XLSX, TEXT, CSV, WFDB_HEADER, WFDB_SIGNAL)
BY_KIND = {t.kind: t for t in ALL_TYPES}

_EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",  # Linux ELF
    b"#!",  # scripts
    b"\xfe\xed\xfa\xce",  # Mach-O 32-bit
    b"\xfe\xed\xfa\xcf",  # Mach-O 64-bit
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
)
_BMP_DIB_SIZES = {12, 40, 52, 56, 64, 108, 124}
_WORD_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_EXCEL_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_CONTENT_TYPES_LIMIT = 1024 * 1024


def _refuse(code: str, message: str, detail: str | None = None) -> BusinessError:
    return BusinessError(code, message, fields={"file": [detail or message]})


def not_allowed(detail: str = "") -> BusinessError:
    text = "不支持的文件类型。可上传 PDF、图片（PNG/JPEG/GIF/WebP/BMP/TIFF）、DICOM、Word/Excel（docx/xlsx）、UTF-8 文本/CSV，心电波形另可上传 WFDB（.hea/.dat）。"
    return _refuse(E.FILE_TYPE_NOT_ALLOWED, text, detail or None)


def _is_executable(head: bytes) -> bool:
    body = head[3:] if head.startswith(codecs.BOM_UTF8) else head
    return head.startswith(_EXECUTABLE_MAGIC) or body.startswith(b"#!")


def _magic(head: bytes) -> FileType | None:
    if len(head) >= 132 and head[128:132] == b"DICM":
        return DICOM  # before TIFF: the 128-byte preamble may legally hold a TIFF header
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"BM") and len(head) >= 18 and int.from_bytes(head[14:18], "little") in _BMP_DIB_SIZES:
        return BMP
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return TIFF
    return None


def _office(stream: BinaryIO) -> FileType:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            info = archive.getinfo("[Content_Types].xml") if "[Content_Types].xml" in names else None
            if info is None or info.file_size > _CONTENT_TYPES_LIMIT:
                raise not_allowed("ZIP 压缩包不是 Word/Excel 文档（缺少 [Content_Types].xml）。")
            content_types = archive.read(info)
    except zipfile.BadZipFile:
        raise not_allowed("ZIP 文件已损坏，无法识别。") from None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise _refuse(E.FILE_TYPE_FORBIDDEN, "不允许上传含宏的 Office 文档。")
    if _WORD_MAIN in content_types:
        return DOCX
    if _EXCEL_MAIN in content_types:
        return XLSX
    raise not_allowed("只接受 Word（.docx）或 Excel（.xlsx）文档，不接受其他 ZIP 压缩包或含宏文档。")


def _is_utf8_text(stream: BinaryIO) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    try:
        while chunk := stream.read(CHUNK):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect(stream: BinaryIO) -> FileType:
    """The type of a seekable stream's content; leaves the stream at position 0.

    Returns ``TEXT`` for any UTF-8 text without NUL bytes and ``BINARY`` for unknown binary
    content; refuses empty files and executables."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    try:
        if not head:
            raise _refuse(E.FILE_EMPTY, "文件为空，不能上传。")
        if _is_executable(head):
            raise _refuse(E.FILE_TYPE_FORBIDDEN, "不允许上传可执行文件或脚本。")
        found = _magic(head)
        if found is not None:
            return found
        if head.startswith(b"PK\x03\x04"):
            return _office(stream)
        return TEXT if _is_utf8_text(stream) else BINARY
    finally:
        stream.seek(0)


_RECORD_NAME = re.compile(r"^[A-Za-z0-9_\-]+(/\d+)?$")
_FREQUENCY = re.compile(r"^\d+(\.\d+)?(/\d+(\.\d+)?)?(\(\d+(\.\d+)?\))?$")
_FORMAT = re.compile(r"^\d+(x\d+)?(:\d+)?(\+\d+)?$")


def is_wfdb_header(stream: BinaryIO) -> bool:
    """A WFDB header (PhysioNet ``.hea``): a record line, then one line per signal."""
    stream.seek(0)
    text = stream.read().decode("utf-8-sig", errors="replace")
    stream.seek(0)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        return False
    record = lines[0].split()
    if len(record) < 2 or not _RECORD_NAME.match(record[0]) or not record[1].isdigit():
        return False
    if len(record) >= 3 and not _FREQUENCY.match(record[2]):
        return False
    signals = int(record[1])
    if "/" in record[0]:  # multi-segment record: the following lines name segments
        return len(lines) - 1 >= int(record[0].split("/")[1])
    specs = lines[1 : 1 + signals]
    return len(specs) == signals and all(len(s.split()) >= 2 and _FORMAT.match(s.split()[1]) for s in specs)


def extension_of(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def _mismatch(detected: FileType, ext: str) -> BusinessError:
    return _refuse(E.FILE_TYPE_MISMATCH, E.MISMATCH_MESSAGE, f"文件内容识别为{detected.label}，扩展名却是 .{ext}。")


def check_upload(stream: BinaryIO, filename: str, category: str) -> FileType:
    """Detect the type and apply the upload policy; raise a Chinese 400 when refused."""
    detected = detect(stream)
    ext = extension_of(filename)
    if detected is TEXT:
        if ext == "hea":
            if not is_wfdb_header(stream):
                raise _mismatch(detected, ext)
            detected = WFDB_HEADER
        elif ext in CSV.extensions:
            detected = CSV
        elif ext and ext not in TEXT.extensions:
            raise _mismatch(detected, ext)
    elif detected is BINARY:
        if ext != "dat":
            raise not_allowed("无法识别文件内容（文本文件须为 UTF-8 编码）。")
        detected = WFDB_SIGNAL
    elif ext and ext not in detected.extensions:
        raise _mismatch(detected, ext)
    if detected.ecg_only and category != AttachmentCategory.ECG_WAVEFORM:
        raise not_allowed("WFDB 心电波形文件（.hea/.dat）只能以“心电波形”类别上传。")
    return detected
