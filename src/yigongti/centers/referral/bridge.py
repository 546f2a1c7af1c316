"""The one place that calls ``referral_config.services`` (engineer C's settings, slots, booking).

Kept apart so the workflow's effects read as the business rules they are, and so the interface
both apps agreed on is visible in one file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def settings_of(institution_id: int) -> Any:
    from yigongti.centers.referral.config.services import institution_settings

    return institution_settings(institution_id)


def no_show_grace(institution_id: int) -> dt.timedelta:
    return dt.timedelta(hours=float(settings_of(institution_id).no_show_grace_hours))


def share_window(institution_id: int) -> dt.timedelta:
    return dt.timedelta(days=float(settings_of(institution_id).share_window_days))


def take_slot(*, slot_id: int, kind: str, to_institution_id: int) -> Any:
    from yigongti.centers.referral.config.services import slot_take

    return slot_take(slot_id=slot_id, referral_kind=kind, to_institution_id=to_institution_id)


def release_slot(*, slot_id: int) -> None:
    from yigongti.centers.referral.config.services import slot_release

    slot_release(slot_id=slot_id)


def place_online(
    *,
    institution_id: int,
    department_id: int | None,
    doctor_id: int | None,
    start: dt.datetime,
    patient_name: str,
    referral_number: str,
) -> str:
    from yigongti.centers.referral.config.services import online_booking_place

    return str(
        online_booking_place(
            institution_id=institution_id,
            department_id=department_id,
            doctor_id=doctor_id,
            start=start,
            patient_name=patient_name,
            referral_number=referral_number,
        )
    )


def cancel_online(*, institution_id: int, booking_ref: str) -> None:
    from yigongti.centers.referral.config.services import online_booking_cancel

    online_booking_cancel(institution_id=institution_id, booking_ref=booking_ref)
