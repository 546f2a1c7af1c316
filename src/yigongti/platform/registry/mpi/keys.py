"""Name, date and address normalisation for the master patient index (pure functions, no Django).

Chinese names are compared through their pinyin without tones, so homophones written with
different characters (张/章, 王/汪) agree at the "同音" level; every character keeps all of its
readings (曾 céng/zēng) so a heteronym never hides a match. Names without CJK characters (the
FEBRL benchmark) use lower-case letters and Metaphone instead of pinyin.

Blocking keys (stored as indexed columns on ``Resident``, see docs/services/mpi.md):

* ``name_key``: "fuzzy" pinyin (模糊音: zh/z, ch/c, sh/s, n/l, -ng/-n merged) of the surname, then
  the given-name syllables sorted, so 张明伟 and 张伟明, 张伟 and 章伟, 刘宁 and 牛林 share a key.
* ``initials_key``: sex + the pinyin initials of the name (``1zw``), searched with a birth-year
  window to catch a name typo and a date typo together.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import jellyfish

# 复姓 (compound surnames) that are still in use; everything else is a one-character surname.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "钟离",
        "澹台",
        "端木",
        "申屠",
        "太史",
        "闻人",
        "万俟",
        "单于",
        "公羊",
        "赫连",
        "独孤",
        "南宫",
        "西门",
        "百里",
        "呼延",
        "东郭",
        "拓跋",
        "左丘",
        "第五",
        "梁丘",
        "司空",
    ]
)
# Surnames read differently from the character's most common reading (姓氏异读).
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "仇": "qiu", "朴": "piao", "区": "ou", "乐": "yue", "查": "zha",
    "翟": "zhai", "盖": "ge", "解": "xie", "覃": "qin", "缪": "miao", "召": "shao", "种": "chong",
    "秘": "bi", "繁": "po", "员": "yun", "长": "chang", "重": "chong", "尉": "yu", "万": "mo", "俟": "qi",
    "于": "yu", "郇": "huan", "黑": "he", "隗": "wei", "眭": "sui", "蕃": "pi", "过": "guo",
}  # fmt: skip

_CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0002a6df]")
_NOT_NAME = re.compile(r"[\s·•．.\-_'’,，()（）]+")
_TONE_MARKS = str.maketrans("", "", "\u0300\u0301\u0304\u030c")


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text or ""))


def _strip_tone(reading: str) -> str:
    plain = unicodedata.normalize("NFD", reading).translate(_TONE_MARKS)
    return unicodedata.normalize("NFC", plain).replace("ü", "v").replace("u\u0308", "v")


@functools.lru_cache(maxsize=65536)
def char_readings(ch: str) -> tuple[str, ...]:
    """All readings of one character without tones, most common first; a non-Chinese character
    is its own lower-case "reading"."""
    from pypinyin.pinyin_dict import pinyin_dict

    raw = pinyin_dict.get(ord(ch))
    if not raw:
        return (ch.lower(),)
    readings: list[str] = []
    for item in raw.split(","):
        plain = _strip_tone(item)
        if plain not in readings:
            readings.append(plain)
    return tuple(readings)


def clean_name(value: str) -> str:
    return _NOT_NAME.sub("", unicodedata.normalize("NFKC", value or "")).lower()


def split_chinese_name(name: str) -> tuple[str, str]:
    """``("欧阳", "娜娜")`` for 欧阳娜娜; a one-character name is all surname."""
    name = clean_name(name)
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


@dataclass(frozen=True)
class NamePart:
    """One part of a name (surname or given name) in the forms the comparisons use."""

    raw: str
    syllables: tuple[str, ...]  # one reading per character (surname readings for the surname)
    readings: tuple[frozenset[str], ...]  # every reading per character
    phonetic: str  # Metaphone for Latin names, joined syllables for Chinese

    @property
    def text(self) -> str:
        """The string Jaro–Winkler runs on: pinyin for Chinese, letters otherwise."""
        return "".join(self.syllables)

    def __bool__(self) -> bool:
        return bool(self.raw)


EMPTY_PART = NamePart("", (), (), "")


@functools.lru_cache(maxsize=262144)
def name_part(value: str, *, surname: bool = False) -> NamePart:
    raw = clean_name(value)
    if not raw:
        return EMPTY_PART
    if not is_cjk(raw):
        letters = re.sub(r"[^a-z0-9]", "", raw)
        return NamePart(raw, (letters,), (frozenset({letters}),), jellyfish.metaphone(letters) if letters else "")
    syllables, readings = [], []
    for i, ch in enumerate(raw):
        options = char_readings(ch)
        first = options[0]
        if surname and (i == 0 or raw in COMPOUND_SURNAMES) and ch in SURNAME_READINGS:
            first = SURNAME_READINGS[ch]
        syllables.append(first)
        readings.append(frozenset((first, *options)))
    return NamePart(raw, tuple(syllables), tuple(readings), " ".join(syllables))


def chinese_name_parts(name: str) -> tuple[NamePart, NamePart]:
    family, given = split_chinese_name(name)
    return name_part(family, surname=True), name_part(given)


# -- fuzzy pinyin (模糊音) ---------------------------------------------------------------------
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"))
_FUZZY_FINALS = (("iang", "ian"), ("uang", "uan"), ("ang", "an"), ("eng", "en"), ("ing", "in"))


@functools.lru_cache(maxsize=8192)
def fuzzy_syllable(syllable: str) -> str:
    for long, short in _FUZZY_INITIALS:
        if syllable.startswith(long):
            syllable = short + syllable[len(long) :]
            break
    for long, short in _FUZZY_FINALS:
        if syllable.endswith(long):
            return syllable[: -len(long)] + short
    return syllable


def fuzzy_text(part: NamePart) -> str:
    if not part:
        return ""
    if not is_cjk(part.raw):
        return part.phonetic
    return "".join(fuzzy_syllable(s) for s in part.syllables)


def name_key(family: NamePart, given: NamePart) -> str:
    """Blocking key: fuzzy surname + sorted fuzzy given-name syllables (``zan|wei``)."""
    if not family and not given:
        return ""
    if is_cjk(family.raw + given.raw):
        given_key = "".join(sorted(fuzzy_syllable(s) for s in given.syllables))
        return f"{fuzzy_text(family)}|{given_key}"[:64]
    # Latin names: order-free, so swapped given name and surname share the key.
    return "|".join(sorted([family.phonetic, given.phonetic]))[:64]


def initials_key(family: NamePart, given: NamePart, sex: str = "") -> str:
    letters = "".join(s[:1] for s in family.syllables) + "".join(sorted(s[:1] for s in given.syllables))
    return f"{sex or '0'}{letters}"[:16] if letters else ""


def resident_name_keys(name: str, sex: str = "") -> tuple[str, str]:
    """``(name_key, initials_key)`` of a Chinese full name as stored on ``Resident``."""
    family, given = chinese_name_parts(name)
    return name_key(family, given), initials_key(family, given, sex)


# -- addresses ----------------------------------------------------------------------------------
_ADMIN_MARKERS = "省市县区旗州盟"
_LOCAL_START = re.compile(r"镇|乡|街道|村|路|街|巷|组|号|小区|社区")
_NUMBER = re.compile(r"\d+")
_CN_SEP = re.compile(r"[\s,，、;；()（）\-#]+")
_CN_DIGITS = "零一二三四五六七八九"
_CN_NUMBER = re.compile(r"([零一二三四五六七八九十]{1,3})(组|队|号|幢|栋|单元|室|楼)")


def _cn_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十三 → 23 (the group and house numbers of rural addresses)."""
    if "十" not in text:
        return int("".join(str(_CN_DIGITS.index(c)) for c in text))
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS.index(tens) if tens else 1) * 10 + (_CN_DIGITS.index(ones) if ones else 0)


def _local_start(text: str) -> int:
    """Index just past the province/city/county prefix (``江苏省云溪县`` of ``江苏省云溪县城关镇…``)."""
    first_local = _LOCAL_START.search(text)
    limit = first_local.start() if first_local else len(text)
    cut = 0
    for i, ch in enumerate(text[:limit]):
        if ch in _ADMIN_MARKERS:
            cut = i + 1
    return cut


def address_tokens(address: str) -> frozenset[str]:
    """Tokens of the township/village part of an address.

    Chinese: the province/city/county prefix is dropped; what is left (镇、村、组、路、门牌…) becomes
    character bigrams plus the numbers. Latin: lower-case words."""
    text = unicodedata.normalize("NFKC", address or "").strip().lower()
    if not text:
        return frozenset()
    if not is_cjk(text):
        return frozenset(w for w in re.split(r"[^a-z0-9]+", text) if w)
    rest = text[_local_start(text) :] or text
    rest = _CN_NUMBER.sub(lambda m: str(_cn_number(m.group(1))) + m.group(2), rest)
    numbers = set(_NUMBER.findall(rest))
    bigrams: set[str] = set()
    for chunk in _CN_SEP.split(_NUMBER.sub(" ", rest)):
        bigrams.update(chunk[i : i + 2] for i in range(len(chunk) - 1))
    return frozenset(bigrams | {f"#{n}" for n in numbers})


def soft_overlap(left: frozenset[str], right: frozenset[str], threshold: float = 0.9) -> float:
    """Share of tokens (of the smaller side) that agree, a typo (Jaro–Winkler ≥ threshold) counting."""
    if not left or not right:
        return 0.0
    small, large = (left, right) if len(left) <= len(right) else (right, left)
    hits = 0.0
    for token in small:
        if token in large:
            hits += 1
        elif len(token) > 3 and any(jellyfish.jaro_winkler_similarity(token, other) >= threshold for other in large):
            hits += 0.8
    return hits / len(small)
