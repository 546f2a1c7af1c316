"""Model fields for sensitive values: SM4-encrypted text and its HMAC-SM3 blind index."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from yigongti.core.crypto import blind_index, sm4_decrypt, sm4_encrypt
from yigongti.core.masking import mask_all_but_last4


class EncryptedTextField(models.TextField):
    """Stores ``sm4gcm1:<base64(nonce|ciphertext|tag)>``; Python code sees the plaintext.

    Encrypted values cannot be filtered on; search through a ``BlindIndexField`` instead.
    """

    description = "SM4-GCM encrypted text"

    def __init__(self, *args: Any, mask: Callable[[str], str | None] | None = None, **kwargs: Any) -> None:
        # How the value appears wherever it must be shown without permission (audit log, API).
        self.mask = mask or mask_all_but_last4
        super().__init__(*args, **kwargs)

    def masked(self, value: str | None) -> str | None:
        return self.mask(value) if value else value

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return sm4_decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return sm4_encrypt(str(value))


class BlindIndexField(models.CharField):
    """HMAC-SM3 of another field's normalized plaintext, recomputed on every save.

    ``BlindIndexField(source="id_number", purpose="resident.id_number", normalizer=str.upper)``
    """

    def __init__(
        self,
        *args: Any,
        source: str = "",
        purpose: str = "",
        normalizer: Callable[[str], str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.source = source
        self.purpose = purpose
        self.normalizer = normalizer
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["purpose"] = self.purpose
        for key, value in (
            ("max_length", 64),
            ("db_index", True),
            ("editable", False),
            ("blank", True),
            ("default", ""),
        ):
            if kwargs.get(key) == value:
                kwargs.pop(key)
        return name, path, args, kwargs

    def index_of(self, value: str | None) -> str:
        if not value:
            return ""
        normalized = self.normalizer(value) if self.normalizer else value.strip()
        return blind_index(normalized, purpose=self.purpose)

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.index_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def blind_index_for(model: type[models.Model], field_name: str, value: str) -> str:
    """The index a ``BlindIndexField`` would store for ``value`` (use it to filter)."""
    field = model._meta.get_field(field_name)
    assert isinstance(field, BlindIndexField)
    return field.index_of(value)
