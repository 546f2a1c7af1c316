"""National cryptography (国密) for data at rest: SM4-GCM encryption, SM3 digests, HMAC-SM3.

Keys come from settings (``YIGONGTI_SM4_KEY`` and ``YIGONGTI_BLIND_INDEX_KEY``, generated into
``var/`` for the embedded deployment, supplied by environment in production).
"""

from __future__ import annotations

import base64
import functools
import hmac as std_hmac
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

_PREFIX = "sm4gcm1:"
_NONCE_BYTES = 12
_TAG_BYTES = 16


class DecryptionError(Exception):
    """Stored ciphertext could not be authenticated (tampered, or encrypted with another key)."""


@functools.cache
def _keys(sm4_hex: str, index_hex: str) -> tuple[bytes, bytes]:
    sm4_key = bytes.fromhex(sm4_hex)
    if len(sm4_key) != 16:
        raise ValueError("SM4 key must be 128 bits")
    return sm4_key, bytes.fromhex(index_hex)


def _sm4_key() -> bytes:
    return _keys(settings.YIGONGTI_SM4_KEY, settings.YIGONGTI_BLIND_INDEX_KEY)[0]


def _index_key() -> bytes:
    return _keys(settings.YIGONGTI_SM4_KEY, settings.YIGONGTI_BLIND_INDEX_KEY)[1]


def sm4_encrypt(plaintext: str) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(_sm4_key()), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    return _PREFIX + base64.b64encode(nonce + body + encryptor.tag).decode("ascii")


def sm4_decrypt(token: str) -> str:
    if not token.startswith(_PREFIX):
        raise DecryptionError("unknown ciphertext format")
    raw = base64.b64decode(token[len(_PREFIX) :])
    nonce, body, tag = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:-_TAG_BYTES], raw[-_TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(_sm4_key()), modes.GCM(nonce, tag)).decryptor()
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")
    except Exception as exc:  # InvalidTag
        raise DecryptionError("ciphertext failed authentication") from exc


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def hmac_sm3_hex(data: bytes, key: bytes | None = None) -> str:
    mac = crypto_hmac.HMAC(key if key is not None else _index_key(), hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed, deterministic index of a normalized value for exact-match search.

    ``purpose`` separates domains, so the same phone number gives different indexes in different
    columns and an index from one column cannot be used to probe another.
    """
    return hmac_sm3_hex(f"{purpose}\x1f{value}".encode())


def constant_time_equal(a: str, b: str) -> bool:
    return std_hmac.compare_digest(a.encode(), b.encode())
