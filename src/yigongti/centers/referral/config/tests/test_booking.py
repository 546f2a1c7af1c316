"""REF-13/16: 在线预约 through the institution's adapter — local slots or the HTTP JSON protocol."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from yigongti.centers.referral.config import services
from yigongti.centers.referral.config.models import BookingAdapterConfig, OnlineBooking, ReferralSettings, ReferralSlot
from yigongti.centers.referral.config.tests.fake_booking_server import FakeBookingServer
from yigongti.centers.referral.config.tests.helpers import make_slot, tomorrow
from yigongti.core.errors import BusinessError

pytestmark = pytest.mark.django_db


def at(hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(tomorrow(), dt.time(hour, minute)))


def online(institution: Any, **kw: Any) -> None:
    ReferralSettings.objects.create(institution=institution, online_mode=True, **kw)


def place(world: Any, start: dt.datetime, number: str = "ZZ202611250001", **kw: Any) -> str:
    return services.online_booking_place(
        institution_id=world.home.pk,
        department_id=kw.get("department_id", world.home_department.pk),
        doctor_id=kw.get("doctor_id"),
        start=start,
        patient_name="张三",
        referral_number=number,
    )


def test_local_adapter_books_the_slot_covering_the_time_and_cancel_releases_it_once(api_world: Any) -> None:
    online(api_world.home)
    slot = make_slot(api_world.home, api_world.home_department, capacity=2)

    ref = place(api_world, at(9, 30))
    services.online_booking_cancel(institution_id=api_world.home.pk, booking_ref=ref)
    services.online_booking_cancel(institution_id=api_world.home.pk, booking_ref=ref)

    booking = OnlineBooking.objects.get(booking_ref=ref)
    assert ref.startswith(f"L{slot.pk}-")
    assert (booking.adapter, booking.status, booking.slot_id) == ("local", "cancelled", slot.pk)
    assert ReferralSlot.objects.get(pk=slot.pk).booked == 0


def test_local_adapter_same_referral_twice_books_once(api_world: Any) -> None:
    online(api_world.home)
    slot = make_slot(api_world.home, api_world.home_department, capacity=2)

    first = place(api_world, at(9))
    again = place(api_world, at(9))

    assert first == again
    assert ReferralSlot.objects.get(pk=slot.pk).booked == 1


def test_local_adapter_without_a_free_slot_refuses(api_world: Any) -> None:
    online(api_world.home)
    make_slot(api_world.home, api_world.home_department, capacity=1, booked=1)

    with pytest.raises(BusinessError) as exc:
        place(api_world, at(9))
    with pytest.raises(BusinessError) as outside:
        place(api_world, at(14), number="ZZ202611250002")

    assert exc.value.error_code == "REFERRAL_BOOKING_NO_SLOT"
    assert outside.value.error_code == "REFERRAL_BOOKING_NO_SLOT"
    assert OnlineBooking.objects.count() == 0


def test_online_mode_off_is_refused(api_world: Any) -> None:
    make_slot(api_world.home, api_world.home_department)
    with pytest.raises(BusinessError) as exc:
        place(api_world, at(9))
    assert exc.value.error_code == "REFERRAL_ONLINE_MODE_OFF"
    assert exc.value.message == "接诊机构未开通在线预约模式。"


def test_http_adapter_speaks_the_json_protocol(api_world: Any) -> None:
    online(api_world.home)
    with FakeBookingServer() as server:
        BookingAdapterConfig.objects.create(
            institution=api_world.home, kind="http", base_url=server.base_url, api_key="s3cret"
        )

        ref = place(api_world, at(9, 30))
        services.online_booking_cancel(institution_id=api_world.home.pk, booking_ref=ref)

    assert ref == "HIS0001"
    create, cancel = server.requests
    assert create["path"] == "/api/bookings"
    assert create["headers"]["Authorization"] == "Bearer s3cret"
    assert create["headers"]["Idempotency-Key"] == "ZZ202611250001"
    assert create["body"] == {
        "institution_code": api_world.home.code,
        "department_code": api_world.home_department.code,
        "doctor_code": None,
        "start": timezone.localtime(at(9, 30)).isoformat(),
        "patient_name": "张三",
        "referral_number": "ZZ202611250001",
    }
    assert cancel["path"] == "/api/bookings/HIS0001/cancel"
    assert server.bookings["HIS0001"]["status"] == "cancelled"
    assert OnlineBooking.objects.get(booking_ref="HIS0001").status == "cancelled"


def test_http_adapter_full_is_a_409_with_the_remote_reason(api_world: Any) -> None:
    online(api_world.home)
    with FakeBookingServer(full=True) as server:
        BookingAdapterConfig.objects.create(institution=api_world.home, kind="http", base_url=server.base_url)
        with pytest.raises(BusinessError) as exc:
            place(api_world, at(9))

    assert exc.value.error_code == "REFERRAL_BOOKING_REJECTED"
    assert exc.value.status_code == 409
    assert exc.value.message == "接诊机构拒绝预约：该时段号源已满"
    assert OnlineBooking.objects.count() == 0


def test_http_adapter_server_error_and_unreachable_are_reported_not_raised_as_500(api_world: Any) -> None:
    online(api_world.home)
    with FakeBookingServer(status=500) as server:
        config = BookingAdapterConfig.objects.create(institution=api_world.home, kind="http", base_url=server.base_url)
        with pytest.raises(BusinessError) as failed:
            place(api_world, at(9))
    config.base_url = server.base_url  # the server is gone now: connection refused
    config.save()
    with pytest.raises(BusinessError) as down:
        place(api_world, at(9))

    assert (failed.value.error_code, failed.value.status_code) == ("REFERRAL_BOOKING_UNAVAILABLE", 502)
    assert (down.value.error_code, down.value.status_code) == ("REFERRAL_BOOKING_UNAVAILABLE", 503)
    assert OnlineBooking.objects.count() == 0


def test_booking_in_the_past_is_refused(api_world: Any) -> None:
    online(api_world.home)
    with pytest.raises(BusinessError) as exc:
        place(api_world, timezone.now() - dt.timedelta(hours=1))
    assert exc.value.error_code == "REFERRAL_SLOT_PAST"
