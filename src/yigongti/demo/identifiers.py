"""Valid-looking, checksum-correct identifiers for demo data (never real people or units)."""

from __future__ import annotations

import datetime as dt
import random

from yigongti.core.validators import USCC_ALPHABET, id_check_char, uscc_check_char

# GB 11714-1997 全国组织机构代码: weights of the 8 body characters, MOD 11 check (10 → X).
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Mobile number prefixes in use by the three carriers (subset).
MOBILE_PREFIXES = (
    "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158", "159", "178",
    "182", "183", "184", "187", "188", "198", "130", "131", "132", "155", "156", "166", "175", "176",
    "185", "186", "133", "153", "173", "177", "180", "181", "189", "199",
)  # fmt: skip


def org_code(rng: random.Random) -> str:
    """A 9-character 组织机构代码: 8 digits (事业单位 style, starting with 4) + GB 11714 check."""
    body = "4" + "".join(rng.choice("0123456789") for _ in range(7))
    value = 11 - sum(int(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    check = "X" if value == 10 else "0" if value == 11 else str(value)
    return body + check


def uscc(rng: random.Random, division_code: str) -> str:
    """统一社会信用代码 (GB 32100-2015) of a public institution (事业单位, 登记管理部门 1 + 类别 2)."""
    first17 = "12" + division_code + org_code(rng)
    assert all(c in USCC_ALPHABET for c in first17)
    return first17 + uscc_check_char(first17)


def id_number(division_code: str, birth: dt.date, sequence: int) -> str:
    """居民身份证号码 (GB 11643-1999); ``sequence`` is 0–999, odd for men, even for women."""
    first17 = f"{division_code}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_char(first17)


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"


def landline(rng: random.Random, area_code: str) -> str:
    return f"{area_code}-8{rng.randrange(10_000_000):07d}"


def practising_cert_no(rng: random.Random, *, level: str, category: str, division_code: str, year: int) -> str:
    """A 15-digit 执业证书编码, modelled on the physicians' certificate layout:
    level (1 执业医师 / 2 执业助理医师) + category (1 临床 2 中医 3 口腔 4 公共卫生) + 6-digit
    division code + 4-digit year + 3-digit serial. Illustrative only; not an official format spec."""
    return f"{level}{category}{division_code}{year:04d}{rng.randrange(1000):03d}"
