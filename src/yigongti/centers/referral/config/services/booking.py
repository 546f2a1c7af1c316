"""在线预约模式 (REF-13/16): book at the receiving institution through its adapter.

``LocalBookingAdapter`` books against the institution's own published slots on this platform;
``HttpBookingAdapter`` speaks the JSON protocol of ``docs/centers/referral.md`` (配置 → 在线预约接口)
through ``core.http``. The adapter of an institution is its ``BookingAdapterConfig`` (local when
none). Every placed booking is recorded in ``OnlineBooking`` so a cancel is idempotent.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import IntegrityError, transaction
from django.utils import timezone

from yigongti.centers.referral.config import choices, error_codes
from yigongti.centers.referral.config.models import BookingAdapterConfig, OnlineBooking, ReferralSlot
from yigongti.centers.referral.config.services.settings import institution_settings
from yigongti.centers.referral.config.services.slots import _not_over_q, slot_release, slot_take
from yigongti.core import http
from yigongti.core.errors import BusinessError
from yigongti.platform.accounts.models import User
from yigongti.platform.org.models import Department, Institution


@dataclass(frozen=True)
class BookingRequest:
    institution: Institution
    department: Department | None
    doctor: User | None
    start: dt.datetime
    patient_name: str
    referral_number: str


@dataclass(frozen=True)
class Booked:
    booking_ref: str
    slot_id: int | None = None


class BookingAdapter(Protocol):
    kind: str

    def place(self, request: BookingRequest) -> Booked: ...

    def cancel(self, *, institution: Institution, booking_ref: str) -> None: ...


class LocalBookingAdapter:
    """Books the institution's own open slot that covers ``start`` (department, and doctor when given)."""

    kind: str = choices.AdapterKind.LOCAL

    def place(self, request: BookingRequest) -> Booked:
        local = timezone.localtime(request.start)
        candidates = ReferralSlot.objects.filter(
            _not_over_q(timezone.now()),
            institution=request.institution,
            date=local.date(),
            start_time__lte=local.time(),
            end_time__gt=local.time(),
            status=choices.SlotStatus.OPEN,
        )
        if request.department is not None:
            candidates = candidates.filter(department=request.department)
        if request.doctor is not None:
            candidates = candidates.filter(doctor=request.doctor)
        for slot in candidates.order_by("start_time", "id"):
            if slot.booked >= slot.capacity:
                continue
            try:
                taken = slot_take(slot_id=slot.pk, referral_kind=slot.kind, to_institution_id=request.institution.pk)
            except BusinessError:
                continue  # taken by someone else meanwhile: try the next slot of that time
            return Booked(booking_ref=f"L{taken.pk}-{secrets.token_hex(4).upper()}", slot_id=taken.pk)
        raise BusinessError(
            error_codes.BOOKING_NO_SLOT,
            f"{request.institution.name}在 {local:%Y-%m-%d %H:%M} 没有可预约的号源。",
            fields={"start": ["请选择其他时间。"]},
            status_code=409,
        )

    def cancel(self, *, institution: Institution, booking_ref: str) -> None:
        booking = OnlineBooking.objects.filter(institution=institution, booking_ref=booking_ref).first()
        if booking is not None and booking.slot_id is not None:
            slot_release(slot_id=booking.slot_id)


class HttpBookingAdapter:
    """Client of the 在线预约接口 JSON protocol (``POST {base}/bookings``, ``POST {base}/bookings/{ref}/cancel``)."""

    kind: str = choices.AdapterKind.HTTP

    def __init__(self, config: BookingAdapterConfig) -> None:
        self.config = config

    def _headers(self, idempotency_key: str) -> dict[str, str]:
        headers = {"Idempotency-Key": idempotency_key}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        return headers

    def _call(self, url: str, payload: dict[str, Any], key: str) -> http.HttpResponse:
        try:
            return http.post_json(url, payload, headers=self._headers(key), timeout=self.config.timeout_seconds)
        except http.OutboundError as exc:
            raise BusinessError(error_codes.BOOKING_UNAVAILABLE, f"预约接口暂不可用：{exc}", status_code=503) from None

    @staticmethod
    def _message(response: http.HttpResponse) -> str:
        try:
            body = response.json()
        except ValueError:
            return ""
        return str(body.get("message", "")) if isinstance(body, dict) else ""

    def place(self, request: BookingRequest) -> Booked:
        base = self.config.base_url.rstrip("/")
        payload = {
            "institution_code": request.institution.code,
            "department_code": request.department.code if request.department else None,
            "doctor_code": _doctor_code(request.doctor),
            "start": timezone.localtime(request.start).isoformat(),
            "patient_name": request.patient_name,
            "referral_number": request.referral_number,
        }
        response = self._call(f"{base}/bookings", payload, request.referral_number)
        if response.status in (200, 201):
            try:
                ref = response.json().get("booking_ref")
            except (ValueError, AttributeError):
                ref = None
            if isinstance(ref, str) and 0 < len(ref) <= 100:
                return Booked(booking_ref=ref)
            raise BusinessError(
                error_codes.BOOKING_UNAVAILABLE, "预约接口返回内容不符合约定（缺少 booking_ref）。", status_code=502
            )
        if response.status in (409, 422):
            reason = self._message(response) or "号源不可用"
            raise BusinessError(error_codes.BOOKING_REJECTED, f"接诊机构拒绝预约：{reason}", status_code=409)
        raise BusinessError(
            error_codes.BOOKING_UNAVAILABLE, f"预约接口返回错误（HTTP {response.status}）。", status_code=502
        )

    def cancel(self, *, institution: Institution, booking_ref: str) -> None:
        base = self.config.base_url.rstrip("/")
        response = self._call(f"{base}/bookings/{booking_ref}/cancel", {}, f"cancel-{booking_ref}")
        if response.ok or response.status == 404:
            return  # 404: the other side no longer knows it — already cancelled
        raise BusinessError(
            error_codes.BOOKING_UNAVAILABLE, f"取消预约失败（HTTP {response.status}）。", status_code=502
        )


def _doctor_code(doctor: User | None) -> str | None:
    if doctor is None:
        return None
    staff = getattr(doctor, "staff", None)
    return staff.code if staff is not None else doctor.username


def adapter_for(institution_id: int) -> BookingAdapter:
    config = BookingAdapterConfig.objects.filter(institution_id=institution_id, is_active=True).first()
    if config is not None and config.kind == choices.AdapterKind.HTTP:
        return HttpBookingAdapter(config)
    return LocalBookingAdapter()


def online_booking_place(
    *,
    institution_id: int,
    department_id: int | None,
    doctor_id: int | None,
    start: dt.datetime,
    patient_name: str,
    referral_number: str,
) -> str:
    """Book at the receiving institution (在线预约模式) and return its booking number."""
    settings = institution_settings(institution_id)
    if not settings.online_mode:
        raise BusinessError(error_codes.ONLINE_MODE_OFF, "接诊机构未开通在线预约模式。")
    institution = Institution.objects.get(pk=institution_id)
    department = (
        Department.objects.filter(pk=department_id, institution_id=institution_id).first() if department_id else None
    )
    if department_id and department is None:
        raise BusinessError(
            error_codes.BOOKING_NO_SLOT, "预约科室不属于接诊机构。", fields={"department": ["请重新选择科室。"]}
        )
    doctor = User.objects.select_related("staff").filter(pk=doctor_id).first() if doctor_id else None
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    if start <= timezone.now():
        raise BusinessError(
            error_codes.SLOT_PAST, "预约时间已过，请选择将来的时间。", fields={"start": ["请选择将来的时间。"]}
        )
    existing = OnlineBooking.objects.filter(
        institution_id=institution_id, referral_number=referral_number, status=choices.BookingStatus.BOOKED
    ).first()
    if existing is not None:
        return existing.booking_ref  # the same referral asking again (retry): one booking only
    adapter = adapter_for(institution_id)
    with transaction.atomic():  # a local booking's slot is given back if the record cannot be written
        booked = adapter.place(BookingRequest(institution, department, doctor, start, patient_name, referral_number))
        try:
            with transaction.atomic():
                OnlineBooking.objects.create(
                    institution=institution,
                    adapter=adapter.kind,
                    booking_ref=booked.booking_ref,
                    referral_number=referral_number,
                    department=department,
                    doctor=doctor,
                    start=start,
                    slot_id=booked.slot_id,
                )
        except IntegrityError:
            raise BusinessError(error_codes.BOOKING_REJECTED, "预约号重复，请重试。", status_code=409) from None
    return booked.booking_ref


def online_booking_cancel(*, institution_id: int, booking_ref: str) -> None:
    """Cancel a booking placed by ``online_booking_place``; cancelling twice does nothing the second time."""
    with transaction.atomic():
        changed = OnlineBooking.objects.filter(
            institution_id=institution_id, booking_ref=booking_ref, status=choices.BookingStatus.BOOKED
        ).update(status=choices.BookingStatus.CANCELLED, cancelled_at=timezone.now(), updated_at=timezone.now())
        if not changed:
            if OnlineBooking.objects.filter(institution_id=institution_id, booking_ref=booking_ref).exists():
                return
            raise BusinessError(error_codes.BOOKING_NOT_FOUND, "预约记录不存在。")
        institution = Institution.objects.get(pk=institution_id)
        adapter = adapter_for(institution_id)
        adapter.cancel(institution=institution, booking_ref=booking_ref)
