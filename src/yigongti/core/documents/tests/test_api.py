"""The document endpoints, mounted as config/urls.py will mount them (see ``tests/urls.py``)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from PIL import Image

from yigongti.core.documents.tests.pdftools import (
    needs_poppler,
    needs_weasyprint,
    page_count,
    pdftotext,
    squeeze,
)
from yigongti.core.testing.api import assert_error

pytestmark = [pytest.mark.django_db]
VIEW = ["org.staff.view"]


# -- barcode / QR image -------------------------------------------------------------------------
def test_barcode_png_svg_and_qr(api_world: Any) -> None:
    client = api_world.client_for([])
    png = client.get("/api/v1/documents/barcode", {"text": "SP2026000123"})
    assert png.status_code == 200
    assert png["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).format == "PNG"

    svg = client.get("/api/v1/documents/barcode", {"text": "SP2026000123", "format": "svg"})
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"SP2026000123" in svg.content
    assert "sandbox" in svg["Content-Security-Policy"]

    qr = client.get("/api/v1/documents/barcode", {"text": "城关镇卫生院", "kind": "qr"}, HTTP_ACCEPT="image/png")
    assert qr["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(qr.content)).size == (330, 330)  # version 2: (25 + 8) × 10 px

    qr_svg = client.get("/api/v1/documents/barcode", {"text": "SP-1", "kind": "qr", "format": "svg"})
    assert qr_svg.content.startswith(b"<svg ")


def test_barcode_errors(api_world: Any) -> None:
    client = api_world.client_for([])
    url = "/api/v1/documents/barcode"
    assert_error(api_world.anonymous().get(url, {"text": "SP1"}), 401, "NOT_AUTHENTICATED")
    assert_error(client.get(url, {"text": "标本001"}), 400, "BARCODE_TEXT_INVALID")
    assert "text" in assert_error(client.get(url), 400, "VALIDATION_ERROR")["fields"]
    assert "format" in assert_error(client.get(url, {"text": "SP1", "format": "gif"}), 400)["fields"]
    assert "kind" in assert_error(client.get(url, {"text": "SP1", "kind": "ean13"}), 400)["fields"]
    assert_error(client.get(url, {"text": "码" * 400, "kind": "qr"}), 400, "QR_TEXT_INVALID")


# -- label sheet --------------------------------------------------------------------------------
def labels_body(n: int, **extra: Any) -> dict[str, Any]:
    labels = [{"title": f"无菌包 · 换药包{i}", "code": f"ST2026{i:06d}", "qr": f"ST2026{i:06d}"} for i in range(n)]
    return {"labels": labels, **extra}


@needs_weasyprint
@needs_poppler
@pytest.mark.parametrize(("layout", "pages"), [(None, 2), ("a4-3x8", 2), ("a4-2x7", 3)])
def test_label_sheet_pdf(api_world: Any, layout: str | None, pages: int) -> None:
    body = labels_body(30, **({"layout": layout} if layout else {}))
    response = api_world.client_for([]).post("/api/v1/documents/label-sheet", body, format="json")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert page_count(response.content) == pages
    assert "ST2026000029" in squeeze(pdftotext(response.content))


def test_label_sheet_errors(api_world: Any) -> None:
    client = api_world.client_for([])
    url = "/api/v1/documents/label-sheet"
    assert_error(api_world.anonymous().post(url, labels_body(1), format="json"), 401, "NOT_AUTHENTICATED")
    assert "labels" in assert_error(client.post(url, {"labels": []}, format="json"), 400, "VALIDATION_ERROR")["fields"]
    bad = labels_body(3)
    bad["labels"][2]["code"] = "无菌包003"
    fields = assert_error(client.post(url, bad, format="json"), 400, "VALIDATION_ERROR")["fields"]
    assert fields["labels"] == {"2": {"code": ["条码内容只能是 1–80 个英文字母、数字或常用符号（不支持中文）。"]}}
    assert "layout" in assert_error(client.post(url, labels_body(1, layout="a3"), format="json"), 400)["fields"]
    too_many = client.post(url, labels_body(481), format="json")
    assert "labels" in assert_error(too_many, 400, "VALIDATION_ERROR")["fields"]
    crowded = labels_body(2)
    crowded["labels"][1]["code"] = "A" * 80  # fits Code 128, not 42 mm next to a QR code
    body = assert_error(client.post(url, crowded, format="json"), 400, "LABEL_CODE_TOO_LONG")
    assert body["fields"] == {"labels": {"1": {"code": ["条码内容过长"]}}}


# -- OpenAPI ------------------------------------------------------------------------------------
def test_openapi_documents_binary_answers() -> None:
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    roster = paths["/api/v1/org/institutions/{institution_id}/roster.pdf"]["get"]
    assert set(roster["responses"]["200"]["content"]) == {"application/pdf"}
    assert {p["name"] for p in roster["parameters"]} == {"institution_id", "page_size", "landscape"}
    barcode = paths["/api/v1/documents/barcode"]["get"]
    assert set(barcode["responses"]["200"]["content"]) == {"image/png", "image/svg+xml"}
    label_sheet = paths["/api/v1/documents/label-sheet"]["post"]
    assert set(label_sheet["responses"]["200"]["content"]) == {"application/pdf"}
    assert "404" in roster["responses"]
