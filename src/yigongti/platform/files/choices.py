"""Choices of the attachment service."""

from __future__ import annotations

from django.db import models


class AttachmentCategory(models.TextChoices):
    MEDICAL_RECORD = "medical_record", "病历附件"
    IMAGING = "imaging", "影像"
    ECG_WAVEFORM = "ecg_waveform", "心电波形"
    LAB_REPORT = "lab_report", "检验报告"
    OTHER = "other", "其他"


class StorageBackend(models.TextChoices):
    LOCAL = "local", "本地磁盘"
    S3 = "s3", "S3 兼容对象存储"
