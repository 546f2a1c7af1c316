from django.db import models


class Protocol(models.TextChoices):
    HL7V2 = "hl7v2", "HL7 v2"
    FHIR = "fhir", "FHIR"
    JSON = "json", "JSON"


class InboundStatus(models.TextChoices):
    RECEIVED = "received", "已接收"
    PROCESSED = "processed", "已处理"
    FAILED = "failed", "处理失败"


class SyncStatus(models.TextChoices):
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "成功"
    PARTIAL = "partial", "部分失败"
    FAILED = "failed", "失败"


class SyncTrigger(models.TextChoices):
    SCHEDULE = "schedule", "定时"
    COMMAND = "command", "命令行"
    MANUAL = "manual", "手工触发"
