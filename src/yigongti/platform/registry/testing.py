"""Test and benchmark helpers: valid synthetic ID numbers and residents."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from yigongti.core.validators import id_check_char

_seq = itertools.count(1)


def make_id_number(
    birth: dt.date = dt.date(1980, 1, 1), sequence: int | None = None, *, area: str = "320923", sex: str | None = None
) -> str:
    """A checksum-valid 18-digit 居民身份证号码 (GB 11643). ``sequence`` 0..999 is the 顺序码;
    ``sex`` "1"/"2" forces an odd/even 顺序码."""
    seq = (next(_seq) if sequence is None else sequence) % 1000
    if sex is not None and seq % 2 != (1 if sex == "1" else 0):
        seq = (seq + 1) % 1000
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + id_check_char(body)


def make_resident(institution: Any, **kw: Any) -> Any:
    """A resident created through the service (as a system job, no actor)."""
    from yigongti.platform.registry.services import resident_create

    n = next(_seq)
    data = {
        "id_number": make_id_number(dt.date(1950 + n % 50, 1 + n % 12, 1 + n % 28), n),
        "name": f"居民{n}",
        "home_institution": institution,
        "phone": f"139{n:08d}",
        "address": f"江苏省某县城关镇人民路{n}号",
    }
    return resident_create(data=data | kw, actor=None)


def make_registration(institution: Any, **kw: Any) -> Any:
    """A patient registration submitted to the master patient index (system job, no actor)."""
    from yigongti.platform.registry.mpi.services import registration_submit

    n = next(_seq)
    data: dict[str, Any] = {"local_id": f"P{n:06d}", "name": f"患者{n}"}
    if not kw.get("id_number"):  # otherwise sex and birth date come from the number
        data |= {"sex": "1", "birth_date": dt.date(1930 + n % 70, 1 + n % 12, 1 + n % 28)}
    data |= kw
    return registration_submit(institution=institution, data=data, actor=None)
