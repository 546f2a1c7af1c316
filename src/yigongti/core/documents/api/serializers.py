"""Input of the document endpoints (query parameters and the label-sheet body)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yigongti.core.documents.labels import LAYOUTS, MAX_LABELS, validate_code128, validate_qr_text
from yigongti.core.documents.paper import PAGE_SIZES
from yigongti.core.errors import BusinessError


class PageSizeField(serializers.ChoiceField):
    """A4 / A5 / B5, case-insensitive."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[(size, size) for size in PAGE_SIZES], **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        return super().to_internal_value(str(data).strip().upper())


class PdfOptionsSerializer(serializers.Serializer[Any]):
    page_size = PageSizeField(default="A4", label="纸张大小", help_text="A4、A5 或 B5（ISO 216）")
    landscape = serializers.BooleanField(default=False, label="横向")


class BarcodeQuerySerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=1000, trim_whitespace=False, label="内容")
    kind = serializers.ChoiceField(
        choices=[("code128", "Code 128 条码"), ("qr", "二维码")], default="code128", label="码制"
    )
    format = serializers.ChoiceField(choices=[("png", "PNG"), ("svg", "SVG")], default="png", label="图片格式")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # BusinessError keeps the stable codes BARCODE_TEXT_INVALID / QR_TEXT_INVALID.
        if attrs["kind"] == "code128":
            validate_code128(attrs["text"])
        else:
            validate_qr_text(attrs["text"])
        return attrs


class LabelSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=40, label="标题行", help_text="如 血常规 · 张三")
    code = serializers.CharField(max_length=80, label="条码内容", help_text="Code 128：英文字母、数字和常用符号")
    text = serializers.CharField(
        max_length=80, required=False, allow_blank=True, default="", label="条码下方文字", help_text="默认同条码内容"
    )
    qr = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="", label="二维码内容", help_text="为空则不印二维码"
    )
    note = serializers.CharField(max_length=60, required=False, allow_blank=True, default="", label="备注行")

    def validate_code(self, value: str) -> str:
        try:
            return validate_code128(value)
        except BusinessError as exc:
            raise serializers.ValidationError(exc.message) from None

    def validate_qr(self, value: str) -> str:
        if not value:
            return value
        try:
            return validate_qr_text(value)
        except BusinessError as exc:
            raise serializers.ValidationError(exc.message) from None


class LabelSheetSerializer(serializers.Serializer[Any]):
    layout = serializers.ChoiceField(
        choices=[(layout.name, layout.description) for layout in LAYOUTS.values()],
        default="a4-3x8",
        label="版式",
    )
    title = serializers.CharField(max_length=50, required=False, default="标签", label="文档标题")
    labels = serializers.ListField(child=LabelSerializer(), min_length=1, max_length=MAX_LABELS, label="标签")
