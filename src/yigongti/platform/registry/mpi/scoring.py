"""Fellegi–Sunter scoring of two person records (pure Python, no Django).

A comparison puts every field of a pair of records into one *level* (exact, homophone, typo,
different…). Each level has ``m`` = P(level | same person) and ``u`` = P(level | different
people); its weight is ``log2(m / u)``. The score of a pair is the sum of the weights of the fields
both records carry (a missing field weighs 0). Scores are compared with two thresholds: at or above
``match`` the pair is linked automatically, at or above ``review`` it goes to the review queue.

The same code scores Chinese residents (pinyin names, blind-indexed phone and ID number) and the
English FEBRL benchmark records (letters, Metaphone, raw social-security number).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jellyfish

from yigongti.platform.registry.mpi.keys import (
    EMPTY_PART,
    NamePart,
    address_tokens,
    chinese_name_parts,
    fuzzy_text,
    is_cjk,
    soft_overlap,
)

# field → level → (m, u). Defaults reasoned from the error and coincidence rates of each field
# (docs/services/mpi.md); override any of them with settings.MPI_WEIGHTS.
DEFAULT_WEIGHTS: dict[str, dict[str, tuple[float, float]]] = {
    "family": {
        "exact": (0.88, 0.02), "homophone": (0.04, 0.006), "fuzzy": (0.01, 0.006), "transposed": (0.005, 0.0005),
        "jw_high": (0.03, 0.005), "jw_mid": (0.015, 0.05), "else": (0.02, 0.91),
    },
    "given": {
        "exact": (0.85, 0.004), "homophone": (0.05, 0.003), "fuzzy": (0.01, 0.004), "transposed": (0.01, 0.0005),
        "jw_high": (0.04, 0.006), "jw_mid": (0.02, 0.05), "else": (0.02, 0.93),
    },
    "birth": {"exact": (0.92, 0.00004), "close": (0.05, 0.0015), "year": (0.01, 0.03), "else": (0.02, 0.97)},
    "sex": {"agree": (0.97, 0.5), "disagree": (0.03, 0.5)},
    "phone": {"agree": (0.6, 0.0002), "else": (0.4, 0.9998)},
    "national_id": {"exact": (0.85, 0.00001), "dl1": (0.08, 0.0003), "dl2": (0.02, 0.003), "else": (0.05, 0.9967)},
    "area": {"exact": (0.85, 0.01), "dl1": (0.08, 0.03), "else": (0.07, 0.96)},
    "address": {"high": (0.6, 0.001), "mid": (0.25, 0.02), "low": (0.1, 0.2), "else": (0.05, 0.779)},
}  # fmt: skip
# Thresholds are posterior probabilities that the best candidate is the same person. The prior
# is one in ``population`` (the people the registry covers: a county of about a million).
DEFAULT_MATCH_PROBABILITY = 0.99
DEFAULT_REVIEW_PROBABILITY = 0.3
DEFAULT_POPULATION = 1_000_000
# The twin guard: a pair whose sex disagrees, or whose given names differ outright, is never linked
# automatically unless an identifier agrees — twins share surname, birth date, address and the
# parents' phone; only the given name or sex tells them apart. Modes: "cjk" (default) applies the
# given-name rule to Chinese names only — a Chinese given name of one or two characters mistyped
# lands on the homophone/near-sound/typo levels, while a Latin one also varies by nickname
# (Bill/William) —, "all" to every name, "off" never.
TWIN_GUARD_MODES = ("cjk", "all", "off")

FIELD_LABELS = {
    "family": "姓", "given": "名", "birth": "出生日期", "sex": "性别", "phone": "联系电话",
    "national_id": "证件号", "area": "行政区划/邮编", "address": "住址",
}  # fmt: skip
LEVEL_LABELS = {
    "exact": "一致", "homophone": "同音", "fuzzy": "近音", "transposed": "字序颠倒", "swapped": "姓名互换",
    "jw_high": "近似（笔误）", "jw_mid": "部分相似", "close": "一处不同", "year": "同年或相差一年",
    "agree": "一致", "disagree": "不一致", "dl1": "相差一位", "dl2": "相差两位", "high": "高度相同",
    "mid": "部分相同", "low": "少量相同", "else": "不一致",
}  # fmt: skip


@dataclass(frozen=True)
class Person:
    """A record reduced to what the matcher compares. ``birth`` is ``YYYYMMDD`` (kept as text so a
    dirty date like 19650231 still compares); ``phone`` and ``national_id`` are comparison keys —
    blind indexes in the registry, where only equality can be told (``id_fuzzy`` False)."""

    family: NamePart = EMPTY_PART
    given: NamePart = EMPTY_PART
    birth: str = ""
    sex: str = ""
    phone: str = ""
    national_id: str = ""
    id_fuzzy: bool = False
    area: str = ""
    address: frozenset[str] = frozenset()
    ref: Any = None

    @classmethod
    def chinese(
        cls,
        *,
        name: str,
        birth_date: dt.date | None,
        sex: str = "",
        phone: str = "",
        national_id: str = "",
        address: str = "",
        area: str = "",
        ref: Any = None,
    ) -> Person:
        family, given = chinese_name_parts(name)
        return cls(
            family=family,
            given=given,
            birth=birth_date.strftime("%Y%m%d") if birth_date else "",
            sex=sex if sex in ("1", "2") else "",
            phone=phone,
            national_id=national_id,
            area=(area or "")[:9],  # township level of a 9- or 12-digit division code
            address=address_tokens(address),
            ref=ref,
        )


@dataclass(frozen=True)
class FieldResult:
    field: str
    level: str
    weight: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "field_label": FIELD_LABELS.get(self.field, self.field),
            "level": self.level,
            "level_label": LEVEL_LABELS.get(self.level, self.level),
            "weight": round(self.weight, 2),
        }


@dataclass(frozen=True)
class PairScore:
    score: float
    fields: tuple[FieldResult, ...]
    ref: Any = None
    cjk: bool = False  # both names are Chinese

    def details(self) -> list[dict[str, Any]]:
        return [f.as_dict() for f in self.fields]

    def level(self, name: str) -> str | None:
        return next((f.level for f in self.fields if f.field == name), None)

    def guard(self, mode: str) -> str:
        """Why this pair may not be linked automatically ("" when nothing stops it)."""
        if mode == "off" or self.level("national_id") in ("exact", "dl1"):
            return ""
        if self.level("sex") == "disagree":
            return "sex"
        if self.level("given") == "else" and (mode == "all" or self.cjk):
            return "given"
        return ""


@dataclass(frozen=True)
class Decision:
    """The verdict on one incoming record against all of its candidates (best first)."""

    outcome: str  # "match" | "possible_match" | "no_match"
    best: PairScore | None
    probability: float  # posterior of the best candidate, competing candidates included
    candidates: tuple[tuple[PairScore, float], ...]  # every candidate with its own probability
    review: tuple[tuple[PairScore, float], ...]  # the candidates a reviewer should see


# -- comparisons (each returns a level code, or None when a side lacks the value) ---------------
def _homophone(a: NamePart, b: NamePart) -> bool:
    if is_cjk(a.raw) != is_cjk(b.raw):
        return False
    if not is_cjk(a.raw):
        return bool(a.phonetic) and a.phonetic == b.phonetic
    return len(a.readings) == len(b.readings) and all(x & y for x, y in zip(a.readings, b.readings, strict=True))


def compare_name_part(a: NamePart, b: NamePart) -> str | None:
    if not a or not b:
        return None
    if a.raw == b.raw:
        return "exact"
    if _homophone(a, b):
        return "homophone"
    if is_cjk(a.raw) and is_cjk(b.raw):
        if len(a.raw) > 1 and (sorted(a.raw) == sorted(b.raw) or sorted(a.syllables) == sorted(b.syllables)):
            return "transposed"  # 张明伟 / 张伟明
        if fuzzy_text(a) == fuzzy_text(b):
            return "fuzzy"
    similarity = jellyfish.jaro_winkler_similarity(a.text, b.text)
    if similarity >= 0.92:
        return "jw_high"
    if similarity >= 0.80:
        return "jw_mid"
    return "else"


_NAME_RANK = {"exact": 0, "homophone": 1, "transposed": 2, "fuzzy": 3, "jw_high": 4, "jw_mid": 5, "else": 6}


def compare_names(a: Person, b: Person) -> tuple[str | None, str | None, bool]:
    """Levels of (family, given) and whether they were found with the two parts swapped."""
    family, given = compare_name_part(a.family, b.family), compare_name_part(a.given, b.given)
    if family in (None, "exact") and given in (None, "exact"):
        return family, given, False
    crossed_family = compare_name_part(a.family, b.given)
    crossed_given = compare_name_part(a.given, b.family)

    def cost(x: str | None, y: str | None) -> int:
        return _NAME_RANK.get(x or "else", 6) + _NAME_RANK.get(y or "else", 6)

    good = ("exact", "homophone")
    if crossed_family in good and crossed_given in good and cost(crossed_family, crossed_given) < cost(family, given):
        return crossed_family, crossed_given, True
    return family, given, False


def compare_birth(a: str, b: str) -> str | None:
    if not a or not b:
        return None
    if a == b:
        return "exact"
    ya, ma, da, yb, mb, db = a[:4], a[4:6], a[6:8], b[:4], b[4:6], b[6:8]
    same = (ya == yb) + (ma == mb) + (da == db)
    if same == 2 or (ya == yb and ma == db and da == mb) or jellyfish.damerau_levenshtein_distance(a, b) <= 1:
        return "close"
    if ya.isdigit() and yb.isdigit() and abs(int(ya) - int(yb)) <= 1:
        return "year"
    return "else"


def compare_equal(a: str, b: str, *, agree: str = "agree", differ: str = "else") -> str | None:
    if not a or not b:
        return None
    return agree if a == b else differ


def compare_code(a: str, b: str, *, fuzzy: bool, levels: tuple[str, ...]) -> str | None:
    """Exact, then (plain values only) one or two edits apart, else different."""
    if not a or not b:
        return None
    if a == b:
        return "exact"
    if fuzzy:
        distance = jellyfish.damerau_levenshtein_distance(a, b)
        if distance == 1 and "dl1" in levels:
            return "dl1"
        if distance == 2 and "dl2" in levels:
            return "dl2"
    return "else"


def compare_address(a: frozenset[str], b: frozenset[str]) -> str | None:
    if not a or not b:
        return None
    overlap = soft_overlap(a, b)
    if overlap >= 0.8:
        return "high"
    if overlap >= 0.5:
        return "mid"
    if overlap > 0:
        return "low"
    return "else"


# -- the model ----------------------------------------------------------------------------------
@dataclass
class MatchModel:
    """Weights per field and level, plus optional term frequencies for exact name agreement
    (``frequencies["family"]["smith"] = 0.004``: a common value agrees by chance more often)."""

    weights: Mapping[str, Mapping[str, tuple[float, float]]] = field(default_factory=lambda: DEFAULT_WEIGHTS)
    frequencies: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    match_probability: float = DEFAULT_MATCH_PROBABILITY
    review_probability: float = DEFAULT_REVIEW_PROBABILITY
    population: int = DEFAULT_POPULATION
    twin_guard: str = "cjk"  # one of TWIN_GUARD_MODES

    def __post_init__(self) -> None:
        merged = {f: dict(levels) for f, levels in DEFAULT_WEIGHTS.items()}
        for name, levels in self.weights.items():
            merged.setdefault(name, {}).update({k: (float(v[0]), float(v[1])) for k, v in levels.items()})
        self.weights = merged
        self._log = {f: {lv: math.log2(m / u) for lv, (m, u) in levels.items()} for f, levels in merged.items()}

    def weight(self, name: str, level: str, value: str = "") -> float:
        if level == "exact" and value and name in self.frequencies:
            frequency = self.frequencies[name].get(value)
            if frequency:
                m, u = self.weights[name]["exact"]
                return math.log2(m / max(frequency, u / 10))
        return self._log[name][level]

    def score(self, a: Person, b: Person) -> PairScore:
        results: list[FieldResult] = []

        def add(name: str, level: str | None, value: str = "") -> None:
            if level is not None:
                results.append(FieldResult(name, level, self.weight(name, level, value)))

        family, given, _swapped = compare_names(a, b)
        add("family", family, a.family.raw)
        add("given", given, a.given.raw)
        add("birth", compare_birth(a.birth, b.birth))
        add("sex", compare_equal(a.sex, b.sex, differ="disagree"))
        add("phone", compare_equal(a.phone, b.phone))
        fuzzy_id = a.id_fuzzy and b.id_fuzzy
        add("national_id", compare_code(a.national_id, b.national_id, fuzzy=fuzzy_id, levels=("dl1", "dl2")))
        add("area", compare_code(a.area, b.area, fuzzy=True, levels=("dl1",)))
        add("address", compare_address(a.address, b.address))
        cjk = is_cjk(a.family.raw + a.given.raw) and is_cjk(b.family.raw + b.given.raw)
        return PairScore(sum(r.weight for r in results), tuple(results), b.ref, cjk)

    # -- decisions ----------------------------------------------------------------------------
    @property
    def prior_bits(self) -> float:
        return math.log2(max(self.population, 2))

    def odds(self, score: float) -> float:
        return 2.0 ** min(score - self.prior_bits, 1000.0)

    def probability(self, score: float) -> float:
        """Posterior that a pair with this score is the same person (the pair considered alone)."""
        odds = self.odds(score)
        return odds / (1.0 + odds)

    def score_for(self, probability: float) -> float:
        """The score at which a lone candidate reaches ``probability``."""
        return self.prior_bits + math.log2(probability / (1.0 - probability))

    @property
    def match_threshold(self) -> float:
        return self.score_for(self.match_probability)

    @property
    def review_threshold(self) -> float:
        return self.score_for(self.review_probability)

    def blocks(self, pair: PairScore) -> bool:
        return bool(pair.guard(self.twin_guard))

    def decide(self, scored: Iterable[PairScore]) -> Decision:
        """MATCH when the best candidate, weighed against all the others, reaches the match
        probability and no guard level applies; POSSIBLE_MATCH when any candidate alone reaches the
        review probability; NO_MATCH otherwise."""
        ranked = sorted(scored, key=lambda s: s.score, reverse=True)
        if not ranked:
            return Decision("no_match", None, 0.0, (), ())
        odds = [self.odds(s.score) for s in ranked]
        total = 1.0 + sum(odds)
        best, probability = ranked[0], odds[0] / total
        candidates = tuple((s, self.probability(s.score)) for s in ranked)
        review = tuple((s, p) for s, p in candidates if p >= self.review_probability)
        if probability >= self.match_probability and not self.blocks(best):
            return Decision("match", best, probability, candidates, review)
        if review:
            return Decision("possible_match", best, probability, candidates, review)
        return Decision("no_match", best, probability, candidates, ())
