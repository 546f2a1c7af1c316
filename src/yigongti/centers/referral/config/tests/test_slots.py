"""REF-15/16: schedules generate slots; slot_take / slot_release are atomic and explain refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from yigongti.centers.referral.config import services
from yigongti.centers.referral.config.models import ReferralSlot
from yigongti.centers.referral.config.tests.helpers import make_schedule, make_slot, tomorrow
from yigongti.core.audit.models import AuditLog
from yigongti.core.errors import BusinessError

pytestmark = pytest.mark.django_db


def test_generate_creates_one_slot_per_listed_weekday_up_to_until(api_world: Any) -> None:
    today = timezone.localdate()
    monday = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)  # next Monday, never today
    schedule = make_schedule(api_world.home, api_world.home_department, weekdays=[0, 2], start_date=monday)

    created = services.schedule_generate_slots(schedule=schedule, until=monday + dt.timedelta(days=13), actor=None)

    slots = list(ReferralSlot.objects.filter(schedule=schedule).order_by("date"))
    assert created == 4
    assert [s.date for s in slots] == [monday + dt.timedelta(days=d) for d in (0, 2, 7, 9)]
    assert {(s.capacity, s.booked, s.period, s.status, s.institution_id) for s in slots} == {
        (5, 0, "am", "open", api_world.home.pk)
    }
    assert (
        AuditLog.objects.filter(object_type="referral_config.referralschedule", object_id=str(schedule.pk)).count() == 1
    )


def test_generate_twice_skips_dates_already_generated(api_world: Any) -> None:
    schedule = make_schedule(api_world.home, api_world.home_department, weekdays=[])  # every day
    until = timezone.localdate() + dt.timedelta(days=6)
    assert services.schedule_generate_slots(schedule=schedule, until=until, actor=None) == 7

    again = services.schedule_generate_slots(schedule=schedule, until=until + dt.timedelta(days=2), actor=None)

    assert again == 2
    assert ReferralSlot.objects.filter(schedule=schedule).count() == 9


def test_generate_respects_end_date_and_refuses_far_horizon(api_world: Any) -> None:
    today = timezone.localdate()
    schedule = make_schedule(
        api_world.home, api_world.home_department, weekdays=[], end_date=today + dt.timedelta(days=2)
    )
    assert services.schedule_generate_slots(schedule=schedule, until=today + dt.timedelta(days=30), actor=None) == 3

    with pytest.raises(BusinessError) as exc:
        services.schedule_generate_slots(schedule=schedule, until=today + dt.timedelta(days=121), actor=None)
    assert exc.value.error_code == "REFERRAL_SCHEDULE_HORIZON"


def test_take_increments_booked_until_full_then_refuses_with_409(api_world: Any) -> None:
    slot = make_slot(api_world.home, api_world.home_department, capacity=2)

    first = services.slot_take(slot_id=slot.pk, referral_kind="outpatient", to_institution_id=api_world.home.pk)
    second = services.slot_take(slot_id=slot.pk, referral_kind="outpatient", to_institution_id=api_world.home.pk)
    with pytest.raises(BusinessError) as exc:
        services.slot_take(slot_id=slot.pk, referral_kind="outpatient", to_institution_id=api_world.home.pk)

    assert (first.booked, second.booked) == (1, 2)
    assert exc.value.error_code == "REFERRAL_SLOT_FULL"
    assert exc.value.status_code == 409
    assert exc.value.message == "所选号源已约满，请选择其他号源。"
    assert ReferralSlot.objects.get(pk=slot.pk).booked == 2


@pytest.mark.parametrize(
    ("change", "kind", "institution", "code"),
    [
        ({"status": "closed"}, "outpatient", "home", "REFERRAL_SLOT_CLOSED"),
        ({"date": dt.date(2020, 1, 6)}, "outpatient", "home", "REFERRAL_SLOT_PAST"),
        ({}, "inpatient", "home", "REFERRAL_SLOT_WRONG_KIND"),
        ({}, "outpatient", "other", "REFERRAL_SLOT_WRONG_INSTITUTION"),
    ],
)
def test_take_refuses_closed_past_wrong_kind_and_wrong_institution(
    api_world: Any, change: dict[str, Any], kind: str, institution: str, code: str
) -> None:
    slot = make_slot(api_world.home, api_world.home_department, **change)

    with pytest.raises(BusinessError) as exc:
        services.slot_take(slot_id=slot.pk, referral_kind=kind, to_institution_id=getattr(api_world, institution).pk)

    assert exc.value.error_code == code
    assert ReferralSlot.objects.get(pk=slot.pk).booked == 0


def test_take_of_missing_slot_is_a_business_error(api_world: Any) -> None:
    with pytest.raises(BusinessError) as exc:
        services.slot_take(slot_id=999999, referral_kind="outpatient", to_institution_id=api_world.home.pk)
    assert exc.value.error_code == "REFERRAL_SLOT_NOT_FOUND"


def test_release_gives_back_one_place_and_never_goes_below_zero(api_world: Any) -> None:
    slot = make_slot(api_world.home, api_world.home_department, capacity=3, booked=1)

    services.slot_release(slot_id=slot.pk)
    services.slot_release(slot_id=slot.pk)

    assert ReferralSlot.objects.get(pk=slot.pk).booked == 0


def test_capacity_cannot_drop_below_booked(api_world: Any) -> None:
    slot = make_slot(api_world.home, api_world.home_department, capacity=5, booked=3)

    with pytest.raises(BusinessError) as exc:
        services.slot_set_capacity(slot=slot, capacity=2, actor=None)
    changed = services.slot_set_capacity(slot=slot, capacity=3, actor=None)

    assert exc.value.error_code == "REFERRAL_SLOT_CAPACITY_BELOW_BOOKED"
    assert exc.value.message == "号源数不能少于已预约数（3）。"
    assert (changed.capacity, changed.booked) == (3, 3)


def test_booked_slot_cannot_be_deleted_but_empty_one_can(api_world: Any) -> None:
    booked = make_slot(api_world.home, api_world.home_department, booked=1)
    empty = make_slot(api_world.home, api_world.home_department, date=tomorrow() + dt.timedelta(days=1))

    with pytest.raises(BusinessError):
        services.slot_delete(slot=booked, actor=None)
    services.slot_delete(slot=empty, actor=None)

    assert ReferralSlot.objects.filter(pk=booked.pk).exists()
    assert not ReferralSlot.objects.filter(pk=empty.pk).exists()


def test_two_hundred_sequential_bookings_against_ten_places_give_ten(api_world: Any) -> None:
    """The same invariant as the PostgreSQL concurrency test, on any database (SQLite included)."""
    slots = [
        make_slot(api_world.home, api_world.home_department, capacity=1, start_time=dt.time(8, n)) for n in range(10)
    ]
    successes = 0
    for attempt in range(200):
        try:
            services.slot_take(
                slot_id=slots[attempt % 10].pk, referral_kind="outpatient", to_institution_id=api_world.home.pk
            )
            successes += 1
        except BusinessError:
            pass
    for attempt in range(30):
        services.slot_release(slot_id=slots[attempt % 10].pk)

    assert successes == 10
    assert list(ReferralSlot.objects.filter(pk__in=[s.pk for s in slots]).values_list("booked", flat=True)) == [0] * 10
