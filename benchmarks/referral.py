"""Referral list and submit-with-booking at scale (issue 5 acceptance), on PostgreSQL only.

Builds the demo county (if the database has none), adds ``--count`` referrals (default 1,000,000)
with one ``INSERT … SELECT generate_series`` per batch (reusing the demo organisation, residents and
doctors; about half of them received by or sent from the lead county hospital), ANALYZEs, then
measures through the real API (session login, DRF, data scope, serializers):

* the receiving institution's referral list, page 1, default filters
  (``GET /api/v1/referral/referrals?view=inbound``) as a doctor of the lead county hospital;
* submit with booking (``POST /api/v1/referral/referrals/{id}/submit`` taking a slot), each on a
  fresh draft;

printing p50/p95 and the query count per request, next to a naive baseline measured in the same
run: the same list with the list indexes dropped (inside a rolled-back transaction).

    DATABASE_URL=postgres://root@127.0.0.1:5432/h_bench .venv/bin/python benchmarks/referral.py \
        [--count 1000000] [--requests 60] [--submits 60] [--residents 3000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

LIST_INDEXES = ("referral_to_status_idx", "referral_from_status_idx")
COUNT_CAP = 10_000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def timed(fn: Callable[[], Any], n: int) -> tuple[list[float], list[int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times: list[float] = []
    queries: list[int] = []
    for _ in range(n):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(ctx.captured_queries))
    return times, queries


def report(label: str, times: list[float], queries: list[int]) -> None:
    print(
        f"{label:58} p50 {statistics.median(times):8.1f} ms   p95 {percentile(times, 0.95):8.1f} ms   "
        f"queries {min(queries)}–{max(queries)}"
    )


def bulk_referrals(count: int, batch: int) -> float:
    """INSERT … SELECT generate_series in batches; every NOT NULL column gets a value."""
    from django.db import connection, transaction

    from yigongti.centers.referral.models import Referral
    from yigongti.demo import places
    from yigongti.platform.accounts.models import User
    from yigongti.platform.org.models import Institution
    from yigongti.platform.registry.models import Resident

    institutions = Institution.objects.filter(community__code=places.COMMUNITY_CODE)
    counties = list(institutions.filter(type__in=("lead_hospital", "county_hospital")).order_by("sort", "pk"))
    towns = list(institutions.filter(type__in=("township_center", "community_center")).order_by("pk"))
    doctors: dict[int, int] = {}
    for user in User.objects.filter(staff__institution__in=counties + towns).order_by("pk"):
        doctors.setdefault(user.staff.institution_id, user.pk)  # type: ignore[union-attr]
    towns = [t for t in towns if t.pk in doctors]
    residents = list(Resident.objects.filter(home_institution__in=towns).values_list("pk", flat=True)[:5000])
    if not (counties and towns and residents):
        raise SystemExit("演示医共体不完整（缺县级医院、乡镇卫生院、医生账号或居民）。")
    lead = counties[0]
    columns, values = [], []
    fixed = {
        "number": "'BM' || lpad(g::text, 10, '0')",
        "direction": "CASE WHEN g % 10 < 7 THEN 'up' ELSE 'down' END",
        "kind": "(ARRAY['outpatient','outpatient','outpatient','exam','inpatient'])[1 + g % 5]",
        "urgency": "CASE WHEN g % 20 = 0 THEN 'urgent' ELSE 'normal' END",
        "status": "(ARRAY['closed','closed','closed','closed','feedback','received','arranged','submitted',"
        "'applicant_reviewed','receiver_reviewed','refused','cancelled'])[1 + (g / 7) % 12]",
        "resident_id": f"(ARRAY{residents})[1 + g % {len(residents)}]",
        "patient_name": "'演示患者' || (g % 997)",
        "patient_sex": "CASE WHEN g % 2 = 0 THEN '1' ELSE '2' END",
        # half of the rows involve the lead hospital; up: town → county, down: county → town
        "from_institution_id": "CASE WHEN g % 10 < 7 THEN t.town ELSE t.county END",
        "to_institution_id": "CASE WHEN g % 10 < 7 THEN t.county ELSE t.town END",
        "from_doctor_id": "CASE WHEN g % 10 < 7 THEN t.town_doctor ELSE t.county_doctor END",
        "reason": "'病情需要'",
        "diagnosis_code": "'I10.x00'",
        "diagnosis_name": "'原发性高血压'",
        "created_at": "now() - (g % 400) * interval '1 day'",
        "updated_at": "now() - (g % 400) * interval '1 day'",
        "submitted_at": "now() - (g % 400) * interval '1 day'",
    }
    for f in Referral._meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(f.column)
        if f.name in fixed or f.attname in fixed:
            values.append(fixed.get(f.name) or fixed[f.attname])
        elif f.null:
            values.append("NULL")
        elif f.get_internal_type() == "JSONField":
            values.append("'{}'::jsonb")
        elif f.get_internal_type() in ("BooleanField",):
            values.append("false")
        else:
            values.append("''")
    pairs = [(town.pk, doctors[town.pk], county.pk, doctors[county.pk]) for town in towns for county in counties]
    # weight the lead hospital: it appears in every other pair
    pairs += [(town.pk, doctors[town.pk], lead.pk, doctors[lead.pk]) for town in towns]
    table = ", ".join(f"({a}, {b}, {c}, {d})" for a, b, c, d in pairs)
    sql = (
        f"INSERT INTO referral_referral ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM generate_series(__LO__, __HI__) AS g "
        f"JOIN (SELECT row_number() OVER () - 1 AS k, * FROM (VALUES {table}) AS p(town, town_doctor, county, county_doctor)) t "
        f"ON t.k = g % {len(pairs)}"
    )
    start = Referral.objects.filter(number__startswith="BM").count() + 1
    started = time.perf_counter()
    with connection.cursor() as cursor:
        done = 0
        while done < count:
            n = min(batch, count - done)
            with transaction.atomic():
                bounded = sql.replace("__LO__", str(start + done)).replace("__HI__", str(start + done + n - 1))
                cursor.execute(bounded)  # no params: % is modulo here
            done += n
            print(f"  … {done:,} / {count:,}", end="\r", flush=True)
        cursor.execute("ANALYZE referral_referral")
    print()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--submits", type=int, default=60)
    parser.add_argument("--residents", type=int, default=3000)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("需要 PostgreSQL：设置 DATABASE_URL=postgres://…", file=sys.stderr)
        return 2
    os.environ.setdefault("YIGONGTI_VAR_DIR", tempfile.mkdtemp(prefix="yg-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yigongti.config.settings")
    os.environ.setdefault("YIGONGTI_FAST_HASHER", "1")

    import django

    django.setup()
    import datetime as dt

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from rest_framework.test import APIClient

    from yigongti.centers.referral import services
    from yigongti.centers.referral.config.models import ReferralSlot
    from yigongti.centers.referral.models import Referral
    from yigongti.demo import places
    from yigongti.platform.accounts.models import User
    from yigongti.platform.org.models import Institution
    from yigongti.platform.registry.models import Resident

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo-county", residents=args.residents, seed=1, if_empty=True, verbosity=0)
    print(f"demo county ready in {time.perf_counter() - started:.1f}s")
    existing = Referral.objects.filter(number__startswith="BM").count()
    if existing < args.count:
        seconds = bulk_referrals(args.count - existing, args.batch)
        print(f"inserted {args.count - existing:,} referrals in {seconds:.1f}s")
    total = Referral.objects.count()
    lead = Institution.objects.filter(community__code=places.COMMUNITY_CODE, type="lead_hospital").first()
    assert lead is not None
    receiving = Referral.objects.filter(to_institution=lead).count()
    print(f"referrals: {total:,}; received by {lead.name}: {receiving:,}")

    doctor = (
        User.objects.filter(staff__institution=lead, is_active=True).filter(username="doctor_county").first()
        or User.objects.filter(staff__institution=lead, is_active=True).order_by("pk").first()
    )
    assert doctor is not None
    api = APIClient()
    api.force_login(doctor)
    url = "/api/v1/referral/referrals?view=inbound"

    def list_page() -> None:
        response = api.get(url)
        assert response.status_code == 200, response.content[:300]

    list_page()  # warm caches (permissions, content types)
    print(f"\nGET {url} as {doctor.name}（{lead.name}）, {args.requests} requests")
    report("list, with indexes " + "+".join(LIST_INDEXES), *timed(list_page, args.requests))
    # the exact COUNT(*) of ~500k visible rows dominates (the page itself is a backward pk scan):
    # the same request with the paginator counting at most COUNT_CAP + 1 rows (proposed change)
    from django.core.paginator import Paginator
    from django.utils.functional import cached_property

    from yigongti.centers.referral.api.views import ReferralViewSet
    from yigongti.core.api.pagination import PagePagination

    class CappedPaginator(Paginator):
        @cached_property
        def count(self) -> int:
            return int(self.object_list[: COUNT_CAP + 1].count())  # type: ignore[attr-defined]  # a QuerySet

    class CappedPagination(PagePagination):
        django_paginator_class = CappedPaginator

    original = ReferralViewSet.pagination_class
    ReferralViewSet.pagination_class = CappedPagination
    try:
        list_page()
        report(f"proposed: same list, count capped at {COUNT_CAP:,}+1 rows", *timed(list_page, args.requests))
    finally:
        ReferralViewSet.pagination_class = original

    with transaction.atomic():
        with connection.cursor() as cursor:
            for name in LIST_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        list_page()
        report("baseline: list without those indexes", *timed(list_page, max(10, args.requests // 3)))
        transaction.set_rollback(True)

    # submit with booking: fresh drafts of a township doctor → the lead hospital, one slot each time
    town = Institution.objects.filter(community=lead.community, type="township_center").order_by("pk").first()
    applicant = User.objects.filter(staff__institution=town, is_active=True).order_by("pk").first()
    assert town is not None and applicant is not None
    assert doctor.staff is not None and doctor.staff.department is not None
    department = doctor.staff.department
    slot = ReferralSlot.objects.create(
        institution=lead, department=department, date=timezone.localdate() + dt.timedelta(days=3), period="am",
        start_time=dt.time(8), end_time=dt.time(11, 30), capacity=args.submits * 2 + 10, kind="outpatient",
    )  # fmt: skip
    residents = list(Resident.objects.filter(home_institution=town)[: args.submits + 1])
    drafts = [
        services.referral_create(
            resident=residents[i % len(residents)],
            data={"direction": "up", "to_institution": lead, "reason": "基准测试", "diagnosis_name": "原发性高血压"},
            actor=applicant,
        )[0]
        for i in range(args.submits + 1)
    ]
    applicant_api = APIClient()
    applicant_api.force_login(applicant)
    queue = iter(drafts)

    def submit() -> None:
        referral = next(queue)
        response = applicant_api.post(
            f"/api/v1/referral/referrals/{referral.pk}/submit", {"data": {"slot": slot.pk}}, format="json"
        )
        assert response.status_code == 200, response.content[:300]

    submit()  # warm-up
    print(f"\nPOST /api/v1/referral/referrals/{{id}}/submit with a slot, {args.submits} requests")
    report("submit with booking", *timed(submit, args.submits))
    slot.refresh_from_db()
    print(f"slot booked {slot.booked} of {slot.capacity}")
    print("\ntargets: list p95 < 100 ms, submit p95 < 50 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
