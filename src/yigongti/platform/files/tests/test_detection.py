"""Type detection from content (magic bytes) and the upload policy built on it."""

from __future__ import annotations

import io

import pytest

from yigongti.core.errors import BusinessError
from yigongti.platform.files.detection import check_upload, detect, extension_of, is_wfdb_header
from yigongti.platform.files.services import clean_filename
from yigongti.platform.files.tests import samples

ECG = "ecg_waveform"
OTHER = "other"

ACCEPTED = [
    # (what, bytes, filename, category, kind, mime)
    ("pdf", samples.PDF, "报告.pdf", OTHER, "pdf", "application/pdf"),
    ("png", samples.png(), "心电图.png", OTHER, "png", "image/png"),
    ("jpeg", samples.pillow_image("JPEG"), "photo.JPG", OTHER, "jpeg", "image/jpeg"),
    ("gif", samples.pillow_image("GIF"), "a.gif", OTHER, "gif", "image/gif"),
    ("webp", samples.pillow_image("WEBP"), "a.webp", OTHER, "webp", "image/webp"),
    ("bmp", samples.pillow_image("BMP"), "a.bmp", OTHER, "bmp", "image/bmp"),
    ("tiff", samples.pillow_image("TIFF"), "scan.tif", OTHER, "tiff", "image/tiff"),
    ("dicom", samples.dicom(), "IM0001.dcm", "imaging", "dicom", "application/dicom"),
    ("dicom without extension", samples.dicom(), "IM0001", "imaging", "dicom", "application/dicom"),
    (
        "docx",
        samples.docx(),
        "病历.docx",
        OTHER,
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        samples.xlsx(),
        "检验.xlsx",
        OTHER,
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("text", samples.TEXT, "说明.txt", OTHER, "text", "text/plain"),
    ("text with BOM", b"\xef\xbb\xbf" + samples.TEXT, "说明.txt", OTHER, "text", "text/plain"),
    ("csv", samples.CSV, "血压.csv", OTHER, "csv", "text/csv"),
    ("wfdb header", samples.WFDB_HEADER, "100.hea", ECG, "wfdb_header", "text/plain"),
    ("wfdb signal", samples.WFDB_SIGNAL, "100.dat", ECG, "wfdb_signal", "application/octet-stream"),
    ("png without extension", samples.png(), "scan", OTHER, "png", "image/png"),
]


@pytest.mark.parametrize(
    ("what", "content", "name", "category", "kind", "mime"), ACCEPTED, ids=[a[0] for a in ACCEPTED]
)
def test_accepted_types(what: str, content: bytes, name: str, category: str, kind: str, mime: str) -> None:
    stream = io.BytesIO(content)
    found = check_upload(stream, name, category)
    assert (found.kind, found.mime) == (kind, mime)
    assert stream.tell() == 0  # detection leaves the stream ready for storing


REFUSED = [
    # (what, bytes, filename, category, code)
    ("png renamed .pdf", samples.png(), "报告.pdf", OTHER, "FILE_TYPE_MISMATCH"),
    ("pdf renamed .jpg", samples.PDF, "photo.jpg", OTHER, "FILE_TYPE_MISMATCH"),
    ("docx renamed .xlsx", samples.docx(), "a.xlsx", OTHER, "FILE_TYPE_MISMATCH"),
    ("text renamed .html", b"<script>alert(1)</script>", "a.html", OTHER, "FILE_TYPE_MISMATCH"),
    ("text renamed .hea but not a header", samples.TEXT, "100.hea", ECG, "FILE_TYPE_MISMATCH"),
    ("elf named .pdf", samples.ELF, "报告.pdf", OTHER, "FILE_TYPE_FORBIDDEN"),
    ("pe named .jpg", samples.PE, "photo.jpg", OTHER, "FILE_TYPE_FORBIDDEN"),
    ("script named .txt", samples.SCRIPT, "notes.txt", OTHER, "FILE_TYPE_FORBIDDEN"),
    ("script after BOM", b"\xef\xbb\xbf" + samples.SCRIPT, "notes.txt", OTHER, "FILE_TYPE_FORBIDDEN"),
    ("macro docx", samples.docx(samples.WORD_MAIN, macro=True), "a.docx", OTHER, "FILE_TYPE_FORBIDDEN"),
    ("docm main part", samples.docx(samples.WORD_MACRO_MAIN), "a.docx", OTHER, "FILE_TYPE_NOT_ALLOWED"),
    ("plain zip named .docx", samples.plain_zip(), "a.docx", OTHER, "FILE_TYPE_NOT_ALLOWED"),
    ("broken zip", b"PK\x03\x04" + b"\x00" * 40, "a.docx", OTHER, "FILE_TYPE_NOT_ALLOWED"),
    ("gbk text", samples.GBK_TEXT, "a.txt", OTHER, "FILE_TYPE_NOT_ALLOWED"),
    ("utf-16 text", "血糖".encode("utf-16"), "a.txt", OTHER, "FILE_TYPE_NOT_ALLOWED"),
    ("unknown binary", b"\x00\x01\x02\x03garbage", "a.bin", OTHER, "FILE_TYPE_NOT_ALLOWED"),
    ("wfdb header outside 心电波形", samples.WFDB_HEADER, "100.hea", OTHER, "FILE_TYPE_NOT_ALLOWED"),
    ("wfdb signal outside 心电波形", samples.WFDB_SIGNAL, "100.dat", "imaging", "FILE_TYPE_NOT_ALLOWED"),
    ("empty", b"", "a.txt", OTHER, "FILE_EMPTY"),
]


@pytest.mark.parametrize(("what", "content", "name", "category", "code"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_types(what: str, content: bytes, name: str, category: str, code: str) -> None:
    with pytest.raises(BusinessError) as caught:
        check_upload(io.BytesIO(content), name, category)
    assert caught.value.error_code == code
    assert caught.value.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.message)
    assert caught.value.fields["file"]


def test_mismatch_message_names_both_sides() -> None:
    with pytest.raises(BusinessError) as caught:
        check_upload(io.BytesIO(samples.png()), "报告.pdf", OTHER)
    assert caught.value.message == "文件内容与扩展名不符"
    assert caught.value.fields == {"file": ["文件内容识别为PNG 图片，扩展名却是 .pdf。"]}


def test_dicom_preamble_may_hold_a_tiff_header() -> None:
    dual = b"II*\x00" + samples.dicom()[4:]
    assert detect(io.BytesIO(dual)).kind == "dicom"


def test_bmp_needs_a_dib_header() -> None:
    assert detect(io.BytesIO(b"BM is the start of this sentence.")).kind == "text"


def test_wfdb_header_rules() -> None:
    assert is_wfdb_header(io.BytesIO(samples.WFDB_HEADER))
    assert is_wfdb_header(io.BytesIO(b"# comment first\n\nrec_1 0\n"))
    assert is_wfdb_header(io.BytesIO(b"multi/2 1 250 1000\nseg1 500\nseg2 500\n"))
    assert not is_wfdb_header(io.BytesIO(b"100 2 360\n100.dat 212\n"))  # one signal line missing
    assert not is_wfdb_header(io.BytesIO(b"100 two 360\n"))
    assert not is_wfdb_header(io.BytesIO(b"100 1 fast\n100.dat 16\n"))
    assert not is_wfdb_header(io.BytesIO(b"100 1 360\n100.dat sixteen\n"))
    assert not is_wfdb_header(io.BytesIO(b"# only comments\n"))


@pytest.mark.parametrize(
    ("name", "ext"),
    [
        ("a.PDF", "pdf"),
        ("a.tar.gz", "gz"),
        ("noext", ""),
        (".hidden", ""),
        ("dir.v1/file", ""),
        ("c:\\x\\y.png", "png"),
    ],
)
def test_extension_of(name: str, ext: str) -> None:
    assert extension_of(name) == ext


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\张三\\心电图.pdf", "心电图.pdf"),
        ("re\x00port\u202e.pdf", "report.pdf"),
        ("", "未命名"),
        ("...", "未命名"),
    ],
)
def test_clean_filename(raw: str, clean: str) -> None:
    assert clean_filename(raw) == clean


def test_clean_filename_keeps_extension_when_truncating() -> None:
    name = clean_filename("长" * 300 + ".pdf")
    assert len(name) == 255
    assert name.endswith(".pdf")
