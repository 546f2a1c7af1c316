from django.db import models


class InstitutionType(models.TextChoices):
    """成员机构类别 (guide §3.1.1.1, §3.12.1)."""

    LEAD_HOSPITAL = "lead_hospital", "牵头医院"
    COUNTY_HOSPITAL = "county_hospital", "县级医院"
    TOWNSHIP_CENTER = "township_center", "乡镇卫生院"
    COMMUNITY_CENTER = "community_center", "社区卫生服务中心"
    VILLAGE_CLINIC = "village_clinic", "村卫生室"
    PUBLIC_HEALTH = "public_health", "公共卫生机构"


class InstitutionLevel(models.TextChoices):
    LEVEL_3 = "3", "三级"
    LEVEL_2 = "2", "二级"
    LEVEL_1 = "1", "一级"
    UNRATED = "0", "未定级"


class Sex(models.TextChoices):
    """GB/T 2261.1-2003 人的性别代码 (china-standards.md §9.3 [C])."""

    UNKNOWN = "0", "未知的性别"
    MALE = "1", "男性"
    FEMALE = "2", "女性"
    UNSTATED = "9", "未说明的性别"


class TitleCategory(models.TextChoices):
    PHYSICIAN = "physician", "医师"
    NURSE = "nurse", "护理"
    PHARMACIST = "pharmacist", "药学"
    TECHNICIAN = "technician", "技师"
    OTHER = "other", "其他"


class TitleLevel(models.TextChoices):
    SENIOR = "senior", "正高级"
    VICE_SENIOR = "vice_senior", "副高级"
    INTERMEDIATE = "intermediate", "中级"
    JUNIOR = "junior", "初级（师级）"
    ASSISTANT = "assistant", "初级（士级）"


class DepartmentKind(models.TextChoices):
    CLINICAL = "clinical", "临床科室"
    MEDICAL_TECH = "medical_tech", "医技科室"
    NURSING = "nursing", "护理单元"
    PUBLIC_HEALTH = "public_health", "公共卫生"
    ADMIN = "admin", "职能科室"


class BedStatus(models.TextChoices):
    FREE = "free", "空闲"
    OCCUPIED = "occupied", "占用"
    RESERVED = "reserved", "预留"
    MAINTENANCE = "maintenance", "维修"
    DISABLED = "disabled", "停用"


class BedType(models.TextChoices):
    GENERAL = "general", "普通床位"
    ICU = "icu", "重症监护"
    REHAB = "rehab", "康复床位"
    OBSERVATION = "observation", "观察床位"


class EquipmentStatus(models.TextChoices):
    IN_USE = "in_use", "在用"
    IDLE = "idle", "闲置"
    MAINTENANCE = "maintenance", "维修"
    SCRAPPED = "scrapped", "报废"


class EquipmentCategory(models.TextChoices):
    CT = "ct", "CT"
    MR = "mr", "磁共振"
    DR = "dr", "DR/X线"
    ULTRASOUND = "ultrasound", "超声"
    ECG = "ecg", "心电图机"
    LAB_ANALYZER = "lab_analyzer", "检验分析仪"
    STERILIZER = "sterilizer", "灭菌设备"
    AMBULANCE = "ambulance", "救护车车载设备"
    OTHER = "other", "其他"
