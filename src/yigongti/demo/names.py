"""Chinese personal names for demo data: surnames by frequency, given names by sex and generation.

Surname weights are approximate shares (per mille) of the national population, after the Ministry
of Public Security's 《2020年全国姓名报告》 for the top of the list, nudged towards the surnames
that are common in central and northern Jiangsu (陈, 徐, 朱, 周, 陆, 顾, 沈, 蒋, 丁, 葛, 缪, 仲…).
They are illustrative, not statistics to quote.

Given-name characters are grouped by birth cohort because Chinese naming fashion changed a lot:
建国/秀英 for people born before 1960, 伟/丽 for the 1960s–1970s, 浩/婷 for the 1980s–1990s,
梓/涵/睿 after 2000.
"""

from __future__ import annotations

import random
from bisect import bisect
from itertools import accumulate

# (surname, weight ‰) — approximate.
SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 72), ("张", 66), ("陈", 62), ("李", 58), ("刘", 48), ("徐", 30), ("朱", 24), ("周", 22),
    ("吴", 20), ("孙", 18), ("杨", 20), ("黄", 14), ("赵", 14), ("陆", 12), ("顾", 11), ("沈", 10),
    ("胡", 11), ("马", 10), ("郭", 9), ("何", 7), ("高", 9), ("林", 6), ("罗", 5), ("蒋", 9),
    ("姚", 8), ("夏", 7), ("许", 9), ("丁", 9), ("葛", 6), ("钱", 6), ("曹", 7), ("袁", 6),
    ("戴", 6), ("卞", 3), ("季", 5), ("邵", 5), ("冯", 5), ("薛", 5), ("仲", 3), ("缪", 3),
    ("殷", 3), ("吉", 3), ("梁", 4), ("宋", 5), ("郑", 5), ("谢", 4), ("韩", 5),
    ("唐", 5), ("董", 5), ("汤", 4), ("潘", 4), ("范", 4), ("蔡", 4), ("施", 4), ("倪", 3),
    ("严", 3), ("汪", 3), ("田", 3), ("任", 3), ("姜", 4), ("彭", 3), ("鲁", 2), ("花", 2),
    ("谈", 2), ("单", 3), ("庄", 3), ("秦", 3), ("于", 3), ("俞", 3), ("程", 3), ("魏", 3),
    ("储", 2), ("江", 3), ("史", 3), ("邱", 2), ("吕", 3), ("苏", 2), ("成", 2), ("翟", 2),
    ("欧阳", 0.3), ("诸葛", 0.1), ("司马", 0.1), ("上官", 0.1),
)  # fmt: skip

# Given-name characters per cohort and sex: (first-character pool, second-character pool).
_COHORTS: dict[str, dict[str, tuple[str, str]]] = {
    "pre1960": {
        "1": ("建国庆国志德福永长金宝根友学振文玉桂洪家兆广如", "国华明林生才荣民山春宝富贵发成忠德祥海田堂和年兴"),
        "2": ("秀桂玉凤兰美淑翠素金月巧爱来春菊彩腊英冬", "英兰珍芳华兰凤琴梅花香英云娥霞芬秀荣娣"),
    },
    "1960s": {
        "1": ("建卫红志国永海德宏晓立新小春爱振跃", "军国平民华伟东明强林斌忠宏兵勇刚峰生"),
        "2": ("秀红桂丽美玉海晓春小爱建卫立巧", "华英梅芳琴红霞萍兰珍凤云玲娟艳敏"),
    },
    "1970s": {
        "1": ("建志海晓永国卫红小春伟立宏德新", "军华伟明平东强斌峰勇刚林波辉杰亮"),
        "2": ("丽红晓海春秀小美玉艳桂燕雪亚", "华梅芳琴霞萍丽娟艳敏玲燕红静英"),
    },
    "1980s": {
        "1": ("伟志文晓建海俊家明成永浩小宇鹏云", "伟杰涛斌超鹏辉磊强峰军勇亮明飞波"),
        "2": ("丽晓静雪婷春海秀玉小文佳慧亚丹", "丽娟静燕敏婷艳玲霞芳萍琳洁莉颖蕾"),
    },
    "1990s": {
        "1": ("浩俊宇子家志明晨鹏文天思嘉佳一", "杰涛宇鹏浩磊晨阳帅楠龙飞鑫豪然昊"),
        "2": ("婷思佳雨晓雪欣梦静文嘉慧月诗", "婷怡琪雯倩琳颖悦瑶茜佳蕾晨敏洁璐"),
    },
    "post2000": {
        "1": ("子梓浩宇俊一晨皓睿博嘉天沐铭奕昊亦", "轩涵宇睿辰泽航阳然霖铭杰豪诚瑞逸恒"),
        "2": ("子梓欣雨可诗思语一佳依若紫梦沐语", "涵萱彤怡琪诺妍瑶菲汐悦然馨晴桐宁"),
    },
}

# Share of single-character given names by cohort (peaked around the 1980s–1990s).
_SINGLE_SHARE = {"pre1960": 0.12, "1960s": 0.2, "1970s": 0.25, "1980s": 0.3, "1990s": 0.22, "post2000": 0.08}


def cohort_of(birth_year: int) -> str:
    if birth_year < 1960:
        return "pre1960"
    if birth_year < 1970:
        return "1960s"
    if birth_year < 1980:
        return "1970s"
    if birth_year < 1990:
        return "1980s"
    if birth_year < 2000:
        return "1990s"
    return "post2000"


class NameMaker:
    """Draws names from one ``random.Random`` so a seed always gives the same names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        pairs = [(s, w) for s, w in SURNAMES if w > 0]
        self._surnames = [s for s, _ in pairs]
        self._cum = list(accumulate(w for _, w in pairs))
        self._total = self._cum[-1]

    def surname(self) -> str:
        return self._surnames[bisect(self._cum, self.rng.random() * self._total)]

    def given(self, sex: str, birth_year: int) -> str:
        cohort = cohort_of(birth_year)
        first, second = _COHORTS[cohort]["1" if sex == "1" else "2"]
        rng = self.rng
        if rng.random() < _SINGLE_SHARE[cohort]:
            return rng.choice(second)
        a, b = rng.choice(first), rng.choice(second)
        if a == b and rng.random() < 0.7:  # 叠字 names (婷婷) exist, but not that often
            b = rng.choice(second)
        return a + b

    def full(self, sex: str, birth_year: int) -> str:
        return self.surname() + self.given(sex, birth_year)
