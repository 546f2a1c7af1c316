"""Incremental master-patient-index match of one new registration against N residents (PLAT-02).

Loads N synthetic residents (valid GB 11643 ID numbers; surnames with a skewed, Chinese-like
frequency; one- and two-character given names drawn from a Zipf-like pool, so common names form
large name-key blocks; birth dates 1930–2024; ~80% with a phone; rural addresses; SM4-encrypted ID
number/phone/address with blind indexes and the pinyin blocking keys, all computed by the model
fields exactly as in production) into its own PostgreSQL database, then times:

* ``find_match`` — the whole read side of a registration: manual rules, ID number, identifiers,
  the indexed blocking queries, scoring, the decision (target: p95 < 50 ms at 1M residents);
* ``registration_submit`` — the same plus every write (registration, identifiers, audit rows,
  a new resident for a NO_MATCH), committed.

Probes are registrations of existing residents written differently (homophone surname, swapped
day/month, transposed given name, no phone…), registrations with the ID number, and new people.

    .venv/bin/python benchmarks/mpi_incremental.py --residents 1000000
    DATABASE_URL=postgres://root@127.0.0.1:5432/yigongti_mpi_bench  (the default)

Loading resumes where it stopped; keys come from ``YIGONGTI_VAR_DIR`` (default /tmp/yg-mpi-bench):
keep it between runs, or ``--reset``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

DEFAULT_URL = "postgres://root@127.0.0.1:5432/yigongti_mpi_bench"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任"
    "卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧阳"
)
GIVEN_ONE = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华霞平刚桂兰玉萍红梅鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳"
GIVEN_TWO = [
    "建国",
    "建华",
    "志强",
    "志明",
    "海燕",
    "海峰",
    "春梅",
    "秋菊",
    "冬梅",
    "小红",
    "小燕",
    "晓东",
    "晓明",
    "晓燕",
    "文博",
    "文杰",
    "佳怡",
    "子涵",
    "梓轩",
    "浩然",
    "雨桐",
    "欣怡",
    "思远",
    "嘉怡",
    "一诺",
    "诗涵",
]
TOWNS = ("城关镇", "河口镇", "新桥镇", "白马镇", "东湖乡", "西山乡", "南岗镇", "北岭乡")
VILLAGES = ("幸福村", "光明村", "红旗村", "新华村", "永安村", "太平村", "张庄村", "李家村", "王营村")
SPAN_DAYS = 34675  # 95 years; coprime with 7919
HOMOPHONES = {"张": "章", "王": "汪", "李": "理", "陈": "程", "杨": "阳", "黄": "皇", "吴": "伍", "徐": "许"}


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = psycopg.conninfo.conninfo_to_dict(url).get("dbname")
    with psycopg.connect(psycopg.conninfo.make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def _weights(n: int, skew: float) -> list[float]:
    return [1 / (i + 1) ** skew for i in range(n)]


class People:
    """The i-th synthetic resident, reproducibly."""

    def __init__(self) -> None:
        self.surnames = [*SURNAMES[:-2], "欧阳"]
        self.given = [*GIVEN_ONE, *GIVEN_TWO]
        self.sw, self.gw = _weights(len(self.surnames), 0.8), _weights(len(self.given), 0.7)

    def row(self, i: int) -> dict[str, Any]:
        from yigongti.core.validators import id_check_char

        rng = random.Random(i * 7919 + 17)
        # (birth day, 顺序码) is unique for i < 17M: the day walks a permutation of 95 years
        birth = dt.date(1930, 1, 1) + dt.timedelta(days=(i * 7919) % SPAN_DAYS)
        sex = rng.choice("12")
        seq = 2 * (i // SPAN_DAYS) + (1 if sex == "1" else 0)
        body = f"320923{birth:%Y%m%d}{seq:03d}"
        given = rng.choices(self.given, self.gw)[0]
        if len(given) == 1 and rng.random() < 0.6:
            given += rng.choices(GIVEN_ONE, self.gw[: len(GIVEN_ONE)])[0]
        return {
            "id_number": body + id_check_char(body),
            "name": rng.choices(self.surnames, self.sw)[0] + given,
            "sex": sex,
            "birth_date": birth,
            "phone": f"1{rng.choice('3578')}{rng.randrange(10**9):09d}" if rng.random() < 0.8 else "",
            "address": f"江苏省云溪县{rng.choice(TOWNS)}{rng.choice(VILLAGES)}{rng.randint(1, 12)}组{rng.randint(1, 80)}号",
        }


def load(people: People, institution: Any, start: int, stop: int, batch: int) -> None:
    from django.db import transaction

    from yigongti.platform.registry.models import Resident

    began = time.perf_counter()
    for first in range(start, stop, batch):
        rows = [Resident(home_institution=institution, **people.row(i)) for i in range(first, min(first + batch, stop))]
        with transaction.atomic():
            Resident.objects.bulk_create(rows, batch_size=batch)
        done = first + len(rows)
        print(
            f"  loaded {done:>9,} / {stop:,}  ({(done - start) / (time.perf_counter() - began):,.0f} rows/s)",
            flush=True,
        )


def probe(
    people: People, rng: random.Random, n: int, institution_id: int, serial: int
) -> tuple[str, dict[str, Any], int | None]:
    """A registration: (kind, data, index of the resident it belongs to or None)."""
    kind = rng.choices(
        ["id", "same", "homophone", "swapped_date", "transposed", "no_phone", "new"], [2, 2, 2, 1, 1, 1, 2]
    )[0]
    index = rng.randrange(n)
    person = people.row(index if kind != "new" else n + 10_000_000 + serial)
    data = {k: person[k] for k in ("name", "sex", "birth_date", "phone", "address")} | {"local_id": f"B{serial:07d}"}
    if kind == "id" or kind == "new":
        data["id_number"] = person["id_number"] if kind == "id" else ""
    if kind == "homophone" and person["name"][0] in HOMOPHONES:
        data["name"] = HOMOPHONES[person["name"][0]] + person["name"][1:]
    elif kind == "swapped_date":
        try:
            data["birth_date"] = person["birth_date"].replace(
                month=person["birth_date"].day, day=person["birth_date"].month
            )
        except ValueError:
            data["birth_date"] = person["birth_date"] + dt.timedelta(days=1)
    elif kind == "transposed" and len(person["name"]) == 3:
        data["name"] = person["name"][0] + person["name"][2] + person["name"][1]
    elif kind == "no_phone":
        data["phone"] = ""
    return kind, data, (None if kind == "new" else index)


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--probes", type=int, default=1000)
    parser.add_argument("--submits", type=int, default=200, help="full registration_submit calls (writes)")
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--reset", action="store_true")
    args = parser.parse_args()

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yigongti.config.settings")
    os.environ.setdefault("YIGONGTI_VAR_DIR", "/tmp/yg-mpi-bench")
    Path(os.environ["YIGONGTI_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    if url.startswith("postgres"):
        ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from yigongti.platform.org.models import Community, Institution
    from yigongti.platform.registry.models import PatientRegistration, Resident
    from yigongti.platform.registry.mpi import config
    from yigongti.platform.registry.mpi.matching import blocking_queries, find_match
    from yigongti.platform.registry.mpi.services import clean_submission, registration_submit
    from yigongti.platform.registry.selectors import filter_by_id_number

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    community, _ = Community.objects.get_or_create(
        code="MPIB", defaults={"name": "主索引基准医共体", "division_code": "320923"}
    )
    institution, _ = Institution.objects.get_or_create(
        code="MPIB-01",
        defaults={
            "community": community,
            "name": "主索引基准卫生院",
            "type": "township_center",
            "division_code": "320923",
        },
    )
    if args.reset:
        PatientRegistration.objects.all().delete()
        Resident.objects.all().delete()
    people = People()
    present = Resident.objects.count()
    if present and not filter_by_id_number(Resident.objects.all(), people.row(0)["id_number"]).exists():
        print("已有数据无法用当前密钥检索（YIGONGTI_VAR_DIR 变了？）。请使用 --reset。", file=sys.stderr)
        return 2
    if present < args.residents:
        print(f"loading residents {present:,} → {args.residents:,}")
        started = time.perf_counter()
        load(people, institution, present, args.residents, args.batch)
        print(f"loaded in {time.perf_counter() - started:.0f}s; ANALYZE")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE registry_resident")
    n = min(Resident.objects.filter(is_active=True).count(), args.residents)
    rng = random.Random(2026)
    model = config.match_model(institution.pk)
    sample = clean_submission(institution_id=institution.pk, data=probe(people, rng, n, institution.pk, 0)[1])
    if connection.vendor == "postgresql":
        for block in blocking_queries(sample, sample.person()):
            plan = block.queryset.order_by()[: block.limit].explain().splitlines()
            print(f"plan {block.label:<14}", next((x.strip() for x in plan if "Index" in x), plan[0])[:100])

    times: dict[str, list[float]] = defaultdict(list)
    verdicts: Counter[str] = Counter()
    for serial in range(1, args.probes + 1):
        kind, data, index = probe(people, rng, n, institution.pk, serial)
        submission = clean_submission(institution_id=institution.pk, data=data)
        began = time.perf_counter()
        result = find_match(submission, model=model)
        times[kind].append((time.perf_counter() - began) * 1000)
        expected = None
        if index is not None:
            owner = filter_by_id_number(Resident.objects.all(), people.row(index)["id_number"]).first()
            expected = owner.pk if owner is not None else None
        right = result.resident is not None and result.resident.pk == expected
        verdicts[
            f"{kind}:{result.outcome}{'' if result.outcome != 'match' else (':right' if right else ':WRONG')}"
        ] += 1
    every = [t for samples in times.values() for t in samples]
    print(f"\nfind_match against {n:,} residents ({len(every)} probes; population prior {model.population:,}):")
    print(f"  all probes       p50 {pct(every, 50):6.2f} ms  p95 {pct(every, 95):6.2f} ms  max {max(every):7.2f} ms")
    for kind, samples in sorted(times.items()):
        print(f"  {kind:<16} p50 {pct(samples, 50):6.2f} ms  p95 {pct(samples, 95):6.2f} ms  (n={len(samples)})")
    print("outcomes:", ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))

    submit_ms = []
    for serial in range(args.probes + 1, args.probes + 1 + args.submits):
        _, data, _ = probe(people, rng, n, institution.pk, serial)
        began = time.perf_counter()
        registration_submit(institution=institution, data=data | {"local_id": f"S{time.time_ns()}"}, actor=None)
        submit_ms.append((time.perf_counter() - began) * 1000)
    if submit_ms:
        print(f"\nregistration_submit (match + writes + audit, committed), {len(submit_ms)} calls:")
        print(f"  p50 {pct(submit_ms, 50):6.2f} ms  p95 {pct(submit_ms, 95):6.2f} ms  max {max(submit_ms):7.2f} ms")
    goal = pct(every, 95) < 50
    print(f"\n目标 p95 < 50 ms（{n:,} 位居民）：{'达到' if goal else '未达到'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
