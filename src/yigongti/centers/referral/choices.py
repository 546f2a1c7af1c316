"""Choices of 双向转诊 (guide §3.1; REF-04)."""

from __future__ import annotations

from django.db import models


class Direction(models.TextChoices):
    UP = "up", "上转"
    DOWN = "down", "下转"


class Kind(models.TextChoices):
    OUTPATIENT = "outpatient", "门诊"
    INPATIENT = "inpatient", "住院"
    EXAM = "exam", "检查"


class Urgency(models.TextChoices):
    NORMAL = "normal", "普通"
    URGENT = "urgent", "加急"
    EMERGENCY = "emergency", "急诊"


class View(models.TextChoices):
    """The list views of the console (``?view=``)."""

    MINE = "mine", "我的转诊"
    OUTBOUND = "outbound", "转出"
    INBOUND = "inbound", "转入"


# States in which the receiving side may read the shared clinical data (REF-20): the referral is
# active from submission until it ends; after ``closed`` the institution's share window applies.
ACTIVE_STATES = ("submitted", "applicant_reviewed", "receiver_reviewed", "arranged", "received", "feedback")
ENDED_STATES = ("closed", "rejected", "refused", "cancelled", "no_show")
# Before reception the applicant may still cancel (issue 5 §2).
CANCELLABLE_STATES = ("draft", "submitted", "applicant_reviewed", "receiver_reviewed", "arranged")
