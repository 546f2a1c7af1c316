"""SM4/SM3 against the standard vectors; ID number and USCC checksums (china-standards.md §10)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.exceptions import ValidationError

from yigongti.core import crypto, masking, validators


def test_sm4_matches_the_gbt_32907_vector() -> None:
    # GB/T 32907-2016 example 1 (also in dependencies.md): key = plaintext = 0123456789abcdeffedcba9876543210
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    assert (encryptor.update(key) + encryptor.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"


def test_sm3_matches_the_gbt_32905_vector() -> None:
    assert crypto.sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm4_gcm_round_trip_uses_fresh_nonces_and_detects_tampering() -> None:
    a, b = crypto.sm4_encrypt("江苏省云溪县青石镇"), crypto.sm4_encrypt("江苏省云溪县青石镇")
    assert a != b  # random nonce
    assert crypto.sm4_decrypt(a) == "江苏省云溪县青石镇"
    raw = bytearray(a.encode())
    raw[-5] = ord("A") if raw[-5] != ord("A") else ord("B")
    with pytest.raises(crypto.DecryptionError):
        crypto.sm4_decrypt(raw.decode())


def test_blind_index_is_deterministic_keyed_and_separated_by_purpose() -> None:
    one = crypto.blind_index("320102198001010016", purpose="resident.id")
    assert one == crypto.blind_index("320102198001010016", purpose="resident.id")
    assert one != crypto.blind_index("320102198001010016", purpose="staff.id")
    assert one != crypto.hmac_sm3_hex(b"resident.id\x1f320102198001010016", key=b"another key")
    assert len(one) == 64


@pytest.mark.parametrize(
    "number",
    ["360426199101010071", "120103198806018241", "11010519491231002X", "320102198001010016", "320102198001010024"],
)
def test_valid_id_numbers(number: str) -> None:
    assert validators.normalize_id_number(number) == number


def test_lowercase_x_is_normalised() -> None:
    assert validators.normalize_id_number("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("360426199101010072", "校验位"),
        ("3604261991010100", "18 位"),
        ("360426199113010071", "出生日期"),
        ("ABCDEFGHIJKLMNOPQR", "18 位"),
    ],
)
def test_invalid_id_numbers_have_chinese_messages(number: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        validators.normalize_id_number(number)
    assert fragment in info.value.messages[0]


def test_fifteen_digit_numbers_are_upgraded() -> None:
    upgraded = validators.normalize_id_number("320102800101001")
    assert upgraded[:17] == "32010219800101001"
    assert upgraded[17] == validators.id_check_char(upgraded[:17])
    assert validators.id_number_sex(upgraded) == "1"
    assert str(validators.id_number_birth_date(upgraded)) == "1980-01-01"


@pytest.mark.parametrize("code", ["91110108551385082Q", "91350100M000100Y43", "123200000000000018"])
def test_valid_uscc(code: str) -> None:
    validators.validate_uscc(code)


@pytest.mark.parametrize("code", ["91310115MA1H8R7C6D", "9111010855138508", "91110108551385082I"])
def test_invalid_uscc(code: str) -> None:
    with pytest.raises(ValidationError):
        validators.validate_uscc(code)


def test_masks() -> None:
    assert masking.mask_id_number("320102198001010016") == "320102********0016"
    assert masking.mask_phone("13800000000") == "138****0000"
    assert masking.mask_name("张三丰") == "张*丰"
    assert masking.mask_address("江苏省云溪县青石镇石桥村3组12号").startswith("江苏省云溪县")
    assert "12号" not in masking.mask_address("江苏省云溪县青石镇石桥村3组12号")
