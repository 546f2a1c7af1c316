"""Demo residents (居民健康档案主索引) of 云溪县: valid ID numbers, an older-skewed age pyramid,
names, marital status by age, addresses in the county's towns and villages, home institution,
family doctor team and chronic-disease labels at roughly realistic prevalence.

Everything is precomputed in plain Python and written with ``bulk_create`` in batches inside the
caller's transaction; the M2M rows to the chronic diseases too. All numbers below are
approximate and only meant to make the demo look like a real Jiangsu rural county.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from yigongti.demo import identifiers, places
from yigongti.demo.names import NameMaker
from yigongti.demo.org_builder import OrgResult
from yigongti.platform.registry.models import ChronicDisease, Resident

BATCH = 4000

# Age pyramid in 5-year bands (share in %), older-skewed like a Jiangsu rural county: after the
# 7th national census (2020) Jiangsu has 21.8% aged 60+ and 15.2% aged 0–14; rural counties,
# whose young adults work in the cities, are older still (here ≈ 29% aged 60+, ≈ 13% aged 0–14).
AGE_BANDS: tuple[float, ...] = (
    3.4, 4.4, 4.8, 4.3, 4.0, 4.5, 6.0, 5.8, 5.5, 7.5,  # 0–4 … 45–49
    9.0, 8.8, 7.0, 7.2, 6.0, 4.0, 2.6, 1.5, 0.6, 0.15,  # 50–54 … 95–99
)  # fmt: skip

# Ethnicity (GB/T 3304): nearly everyone is 汉族 in Jiangsu; 回族 is the largest minority.
ETHNICITIES: tuple[tuple[str, float], ...] = (
    ("01", 99.55), ("03", 0.17), ("06", 0.05), ("15", 0.05), ("11", 0.04), ("08", 0.04),
    ("02", 0.03), ("09", 0.03), ("10", 0.02), ("04", 0.02),
)  # fmt: skip

# Chronic-disease labels (diagnosed and under management — lower than screening prevalence),
# as (minimum age, rate) steps. Approximate; sources:
# * hypertension, diabetes: 《中国居民营养与慢性病状况报告（2020年）》 gives 27.5% hypertension and
#   11.9% diabetes among adults 18+; the age gradient after Wang Z et al., Circulation
#   2018;137:2344 (China Hypertension Survey). Tuned so ≈25% (hypertension) and ≈10% (diabetes)
#   of residents aged 35+ carry the label.
# * chd: 《中国心血管健康与疾病报告2022》 (prevalence rising steeply after 60).
# * stroke: 《中国脑卒中防治报告》 (≈2.6% of people aged 40+).
# * copd: Wang C et al., Lancet 2018;391:1706 finds 13.7% in 40+, mostly undiagnosed; only a
#   small diagnosed share is labelled here.
# * smi: 国家基本公共卫生服务 manages ≈4.5‰ of the population as 严重精神障碍 patients.
# * tb: notified incidence ≈ 55/100,000 a year (WHO Global TB Report, China).
Steps = tuple[tuple[int, float], ...]
HYPERTENSION: Steps = ((18, 0.02), (35, 0.08), (45, 0.17), (55, 0.29), (65, 0.38), (75, 0.42))
DIABETES: Steps = ((18, 0.008), (35, 0.04), (45, 0.08), (55, 0.12), (65, 0.15), (75, 0.14))
CHD: Steps = ((35, 0.003), (45, 0.01), (55, 0.03), (65, 0.06), (75, 0.09))
STROKE: Steps = ((40, 0.008), (55, 0.025), (65, 0.045), (75, 0.07))
COPD: Steps = ((40, 0.01), (55, 0.03), (65, 0.05), (75, 0.07))
SMI: Steps = ((15, 0.0055),)
TB: Steps = ((15, 0.0006),)
# Hypertensive residents are more likely to have diabetes, CHD and stroke; the rate of the others
# is lowered so that the overall rate stays as above.
HTN_RISK = {"diabetes": 1.5, "chd": 1.8, "stroke": 1.8}

FAMILY_DOCTOR_PRIORITY = 0.9  # 65+ or with a chronic disease: 重点人群 are signed first
FAMILY_DOCTOR_OTHERS = 0.6  # → ≈70% of all residents have a team


def _rate(steps: Steps, age: int) -> float:
    rate = 0.0
    for min_age, value in steps:
        if age >= min_age:
            rate = value
    return rate


def _table(steps: Steps) -> list[float]:
    return [_rate(steps, age) for age in range(120)]


@dataclass(frozen=True)
class Area:
    """A 街道 or 镇 with the institution and teams that serve its residents."""

    division_code: str
    institution_id: int
    team_ids: tuple[int, ...]
    weight: float
    address: Callable[[random.Random], str]


def _subdistrict_address(sub: places.Subdistrict) -> Callable[[random.Random], str]:
    prefix = places.county_prefix() + sub.name

    def make(rng: random.Random) -> str:
        if rng.random() < 0.6:
            return (
                f"{prefix}{rng.choice(sub.estates)}{rng.randint(1, 24)}幢{rng.randint(1, 3)}单元"
                f"{rng.randint(1, 18)}{rng.randint(1, 4):02d}室"
            )
        return f"{prefix}{rng.choice(sub.streets)}{rng.randint(1, 399)}号"

    return make


def _town_address(town: places.Town) -> Callable[[random.Random], str]:
    prefix = places.county_prefix() + town.name

    def make(rng: random.Random) -> str:
        if rng.random() < 0.2:  # 镇区
            return f"{prefix}{rng.choice(places.TOWN_STREETS)}{rng.randint(1, 299)}号"
        group = places.GROUP_NUMERALS[rng.randrange(len(places.GROUP_NUMERALS))]
        return f"{prefix}{rng.choice(town.villages)}{group}组{rng.randint(1, 60)}号"

    return make


def areas_of(org: OrgResult) -> list[Area]:
    areas = []
    for i, sub in enumerate(places.SUBDISTRICTS):
        inst = org.institution(f"sub:{i}")
        teams = tuple(t.pk for t in org.teams.get(inst.pk, []))
        areas.append(Area(sub.division_code, inst.pk, teams, sub.weight, _subdistrict_address(sub)))
    for i, town in enumerate(places.TOWNS):
        inst = org.institution(f"town:{i}")
        teams = tuple(t.pk for t in org.teams.get(inst.pk, []))
        areas.append(Area(town.division_code, inst.pk, teams, town.weight, _town_address(town)))
    return areas


def _marital_status(rng: random.Random, age: int, sex: str) -> str:
    male = sex == "1"
    if age < 20 or (male and age < 22):
        return "10"
    r = rng.random()
    if r < 0.01:
        return "90"
    if age < 25:
        single = 0.75 if male else 0.55
    elif age < 30:
        single = 0.45 if male else 0.25
    elif age < 35:
        single = 0.15 if male else 0.07
    elif age < 40:
        single = 0.06 if male else 0.03
    elif age < 60:
        single = 0.04 if male else 0.01
    else:
        single = 0.03 if male else 0.005
    if rng.random() < single:
        return "10"
    if age < 50:
        widowed = 0.005
    elif age < 60:
        widowed = 0.03 if male else 0.05
    elif age < 70:
        widowed = 0.08 if male else 0.15
    elif age < 80:
        widowed = 0.18 if male else 0.35
    else:
        widowed = 0.4 if male else 0.65
    r = rng.random()
    if r < widowed:
        return "30"
    if r < widowed + (0.01 if age < 30 else 0.04 if age < 60 else 0.02):
        return "40"
    return "22" if rng.random() < 0.04 else "20"


class ResidentMaker:
    def __init__(self, *, org: OrgResult, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.names = NameMaker(rng)
        self.areas = areas_of(org)
        self._area_cum = list(accumulate(a.weight for a in self.areas))
        self._age_cum = list(accumulate(AGE_BANDS))
        self._eth_codes = [c for c, _ in ETHNICITIES]
        self._eth_cum = list(accumulate(w for _, w in ETHNICITIES))
        self._used: set[tuple[int, int]] = set()
        self.tables = {
            "hypertension": _table(HYPERTENSION),
            "diabetes": _table(DIABETES),
            "chd": _table(CHD),
            "stroke": _table(STROKE),
            "copd": _table(COPD),
            "smi": _table(SMI),
            "tb": _table(TB),
        }

    def _pick(self, cum: Sequence[float]) -> int:
        return bisect(cum, self.rng.random() * cum[-1])

    def _birth(self) -> tuple[dt.date, int]:
        rng = self.rng
        band = self._pick(self._age_cum)
        days = int((band * 5 + rng.random() * 5) * 365.25)
        birth = self.today - dt.timedelta(days=max(days, 1))
        age = self.today.year - birth.year - ((self.today.month, self.today.day) < (birth.month, birth.day))
        return birth, age

    def _sex(self, age: int) -> str:
        male_share = 0.515 if age < 60 else 0.48 if age < 80 else 0.4  # women live longer
        return "1" if self.rng.random() < male_share else "2"

    def _sequence(self, birth: dt.date, sex: str) -> int:
        ordinal = birth.toordinal()
        while True:
            seq = self.rng.randrange(1, 500) * 2 + (1 if sex == "1" else 0)
            if seq < 1000 and (ordinal, seq) not in self._used:
                self._used.add((ordinal, seq))
                return seq

    def diseases(self, age: int) -> list[str]:
        rng, t = self.rng, self.tables
        labels = []
        h = t["hypertension"][age]
        htn = rng.random() < h
        if htn:
            labels.append("hypertension")
        for code in ("diabetes", "chd", "stroke"):
            p = t[code][age]
            if p:
                k = HTN_RISK[code]
                p = p * k if htn else p * (1 - k * h) / (1 - h)
                if rng.random() < p:
                    labels.append(code)
        for code in ("copd", "smi", "tb"):
            p = t[code][age]
            if p and rng.random() < p:
                labels.append(code)
        return labels

    def make(self) -> tuple[Resident, list[str]]:
        rng = self.rng
        area = self.areas[self._pick(self._area_cum)]
        birth, age = self._birth()
        sex = self._sex(age)
        labels = self.diseases(age)
        priority = age >= 65 or bool(labels)
        team_id = None
        if area.team_ids and rng.random() < (FAMILY_DOCTOR_PRIORITY if priority else FAMILY_DOCTOR_OTHERS):
            team_id = area.team_ids[rng.randrange(len(area.team_ids))]
        phone = "" if age >= 80 and rng.random() < 0.1 else identifiers.mobile(rng)
        resident = Resident(
            id_number=identifiers.id_number(places.COUNTY_CODE, birth, self._sequence(birth, sex)),
            name=self.names.full(sex, birth.year),
            sex=sex,
            birth_date=birth,
            ethnicity=self._eth_codes[self._pick(self._eth_cum)],
            marital_status=_marital_status(rng, age, sex),
            phone=phone,
            address=area.address(rng),
            division_code=area.division_code,
            home_institution_id=area.institution_id,
            family_doctor_team_id=team_id,
        )
        return resident, labels


def create_residents(
    *,
    org: OrgResult,
    count: int,
    rng: random.Random,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Create ``count`` residents; returns the number labelled with each chronic disease."""
    maker = ResidentMaker(org=org, rng=rng, today=today)
    disease_ids = dict(ChronicDisease.objects.values_list("code", "id"))
    through = Resident.chronic_diseases.through
    labelled = dict.fromkeys(disease_ids, 0)
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        batch = [maker.make() for _ in range(size)]
        Resident.objects.bulk_create([r for r, _ in batch], batch_size=1000)
        links = []
        for resident, labels in batch:
            for code in labels:
                links.append(through(resident_id=resident.pk, chronicdisease_id=disease_ids[code]))
                labelled[code] += 1
        through.objects.bulk_create(links, batch_size=1000)
        done += size
        if progress is not None:
            progress(done, count)
    return labelled
