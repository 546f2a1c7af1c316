"""Writes and computations of 双向转诊配置 — the interface engineer A's referral flow calls.

* settings: ``institution_settings``, ``referral_settings_save``
* schedules and slots: ``schedule_generate_slots``, ``slot_set_status``, ``slot_take``, ``slot_release``
* 在线预约: ``online_booking_place``, ``online_booking_cancel``
* rules and paths: ``rules_evaluate``, ``paths_recommend``
"""

from yigongti.centers.referral.config.services.booking import online_booking_cancel, online_booking_place
from yigongti.centers.referral.config.services.paths import paths_recommend
from yigongti.centers.referral.config.services.rules import rule_new_version, rules_evaluate, rules_seed_defaults
from yigongti.centers.referral.config.services.settings import institution_settings, referral_settings_save
from yigongti.centers.referral.config.services.slots import (
    schedule_generate_slots,
    slot_delete,
    slot_release,
    slot_set_capacity,
    slot_set_status,
    slot_take,
)

__all__ = [
    "institution_settings",
    "online_booking_cancel",
    "online_booking_place",
    "paths_recommend",
    "referral_settings_save",
    "rule_new_version",
    "rules_evaluate",
    "rules_seed_defaults",
    "schedule_generate_slots",
    "slot_delete",
    "slot_release",
    "slot_set_capacity",
    "slot_set_status",
    "slot_take",
]
