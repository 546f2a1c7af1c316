from django.db import models


class IdentifierType(models.TextChoices):
    ID_CARD = "id_card", "居民身份证"
    MEDICAL_INSURANCE = "medical_insurance", "医保卡号"
    HEALTH_CARD = "health_card", "居民健康卡号"
    PATIENT_ID = "patient_id", "患者ID"
    MRN = "mrn", "病案号"
    VISIT_CARD = "visit_card", "就诊卡号"
    OTHER = "other", "其他证件"


# Numbers issued by one institution: unique only together with the issuer.
LOCAL_TYPES = frozenset({IdentifierType.PATIENT_ID, IdentifierType.MRN, IdentifierType.VISIT_CARD})


class Source(models.TextChoices):
    API = "api", "接口"
    HL7 = "hl7", "HL7 v2 ADT"
    MANUAL = "manual", "人工登记"


class Outcome(models.TextChoices):
    MATCH = "match", "匹配"
    POSSIBLE_MATCH = "possible_match", "疑似匹配"
    NO_MATCH = "no_match", "未匹配"


class Method(models.TextChoices):
    """How the registration was linked (or why it waits)."""

    ID_NUMBER = "id_number", "身份证号一致"
    IDENTIFIER = "identifier", "证件/患者号一致"
    FORCE_LINK = "force_link", "人工强制关联"
    PROBABILISTIC = "probabilistic", "概率匹配"
    NEW_RESIDENT = "new_resident", "新建居民档案"
    REVIEW = "review", "人工审核"


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    LINKED = "linked", "已关联"


class CandidateStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    LINKED = "linked", "已关联"
    REJECTED = "rejected", "已排除"


class RuleKind(models.TextChoices):
    FORCE_LINK = "force_link", "强制关联"
    NEVER_LINK = "never_link", "禁止关联"
