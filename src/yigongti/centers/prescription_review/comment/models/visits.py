"""Finished visits uploaded by the HIS (数据上报, guide §3.6.4.1): upserted by (institution, visit id)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yigongti.centers.prescription_review.comment.choices import UploadSource, VisitType
from yigongti.core.fields import BlindIndexField, EncryptedTextField
from yigongti.core.masking import mask_all_but_last4
from yigongti.core.scope import ScopeSpec


class Visit(models.Model):
    """患者就诊 + 患者基本信息 + 病历 of one finished visit."""

    institution = models.ForeignKey(
        "org.Institution", verbose_name="机构", on_delete=models.PROTECT, related_name="rx_comment_visits"
    )
    visit_no = models.CharField("就诊ID", max_length=64)
    visit_type = models.CharField("就诊类型", max_length=16, choices=VisitType.choices)
    visit_time = models.DateTimeField("就诊时间")
    discharge_time = models.DateTimeField("出院时间", null=True, blank=True)
    department = models.ForeignKey(
        "org.Department", verbose_name="科室", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department_code = models.CharField("科室编码", max_length=32, blank=True)
    department_name = models.CharField("科室名称", max_length=100, blank=True)
    doctor_code = models.CharField("医生工号", max_length=32, blank=True)
    doctor_name = models.CharField("医生姓名", max_length=50, blank=True)
    # patient identifiers: encrypted, searchable through their blind index only
    patient_no = EncryptedTextField("院内患者ID", blank=True, mask=mask_all_but_last4)
    patient_index = BlindIndexField(source="patient_no", purpose="rx_comment.patient_no")
    id_number = EncryptedTextField("身份证号", blank=True)
    id_number_index = BlindIndexField(source="id_number", purpose="rx_comment.id_number", normalizer=str.upper)
    phone = EncryptedTextField("联系电话", blank=True)
    patient_name = models.CharField("患者姓名", max_length=50, blank=True)
    sex = models.CharField("性别", max_length=1, blank=True)  # GB/T 2261.1: 0 未知, 1 男, 2 女, 9 未说明
    birth_date = models.DateField("出生日期", null=True, blank=True)
    age_days = models.PositiveIntegerField("年龄（天）", null=True, blank=True)
    height_cm = models.DecimalField("身高(cm)", max_digits=5, decimal_places=1, null=True, blank=True)
    weight_kg = models.DecimalField("体重(kg)", max_digits=5, decimal_places=2, null=True, blank=True)
    pregnant = models.BooleanField("妊娠期", default=False)
    lactating = models.BooleanField("哺乳期", default=False)
    allergies = models.JSONField("过敏史", default=list, blank=True)  # [{"code": "...", "name": "青霉素类"}]
    chief_complaint = models.TextField("主诉", blank=True)
    present_illness = models.TextField("现病史", blank=True)
    past_history = models.TextField("既往史", blank=True)
    source = models.CharField("来源", max_length=8, choices=UploadSource.choices, default=UploadSource.API)
    upload_count = models.PositiveIntegerField("上报次数", default=1)
    uploaded_at = models.DateTimeField("首次上报时间", auto_now_add=True)
    updated_at = models.DateTimeField("最近更新时间", auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_spec = ScopeSpec(institution="institution_id", department="department_id")

    class Meta:
        verbose_name = "点评就诊记录"
        verbose_name_plural = verbose_name
        ordering = ["-visit_time", "-id"]
        constraints = [models.UniqueConstraint(fields=["institution", "visit_no"], name="rx_comment_visit_unique")]
        indexes = [models.Index(fields=["institution", "visit_time"], name="rx_comment_visit_time")]

    def __str__(self) -> str:
        return f"{self.visit_no} {self.patient_name}"


class VisitDiagnosis(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="diagnoses")
    seq = models.PositiveSmallIntegerField("序号", default=0)
    code = models.CharField("诊断编码(ICD-10)", max_length=32, blank=True)
    name = models.CharField("诊断名称", max_length=200)
    kind = models.CharField("诊断类型", max_length=20, blank=True)

    scope_spec = ScopeSpec(institution="visit__institution_id")

    class Meta:
        verbose_name = "点评就诊诊断"
        verbose_name_plural = verbose_name
        ordering = ["visit_id", "seq"]

    def __str__(self) -> str:
        return self.name


class VisitPrescription(models.Model):
    """患者处方 with the indicators of guide §3.6.4.5 derived once at upload time."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="prescriptions")
    institution = models.ForeignKey("org.Institution", on_delete=models.PROTECT, related_name="+")
    rx_no = models.CharField("处方ID", max_length=64)
    kind = models.CharField("处方类型", max_length=16, choices=VisitType.choices)
    prescribed_at = models.DateTimeField("开具时间")
    department = models.ForeignKey(
        "org.Department", verbose_name="科室", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department_name = models.CharField("科室名称", max_length=100, blank=True)
    doctor = models.ForeignKey(
        "org.Staff", verbose_name="开方医生", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    doctor_code = models.CharField("医生工号", max_length=32, blank=True)
    doctor_name = models.CharField("医生姓名", max_length=50, blank=True)
    long_supply_reason = models.CharField("延长用量理由", max_length=200, blank=True)
    amount = models.DecimalField("处方金额", max_digits=12, decimal_places=2, default=0)
    # derived at upload (counted by statistics; definitions in statistics.py)
    drug_count = models.PositiveSmallIntegerField("药品品种数", default=0)
    generic_count = models.PositiveSmallIntegerField("通用名药品数", default=0)
    antibiotic_count = models.PositiveSmallIntegerField("抗菌药物品种数", default=0)
    essential_count = models.PositiveSmallIntegerField("基本药物品种数", default=0)
    injection_count = models.PositiveSmallIntegerField("注射剂品种数", default=0)
    ppi_count = models.PositiveSmallIntegerField("质子泵抑制剂品种数", default=0)

    scope_spec = ScopeSpec(institution="institution_id", department="department_id", staff="doctor_id")

    class Meta:
        verbose_name = "点评处方"
        verbose_name_plural = verbose_name
        ordering = ["-prescribed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["visit", "rx_no"], name="rx_comment_rx_unique")]
        indexes = [models.Index(fields=["institution", "prescribed_at"], name="rx_comment_rx_time")]

    def __str__(self) -> str:
        return self.rx_no


class PrescriptionItem(models.Model):
    """患者处方医嘱（药嘱）明细."""

    prescription = models.ForeignKey(VisitPrescription, on_delete=models.CASCADE, related_name="items")
    seq = models.PositiveSmallIntegerField("序号", default=0)
    order_no = models.CharField("药嘱ID", max_length=64, blank=True)
    drug_code = models.CharField("药品编码", max_length=64)
    drug_name = models.CharField("药品名称", max_length=200)
    generic_name = models.CharField("通用名", max_length=200, blank=True)
    spec = models.CharField("规格", max_length=100, blank=True)
    dose = models.DecimalField("单次剂量", max_digits=12, decimal_places=4, null=True, blank=True)
    dose_unit = models.CharField("剂量单位", max_length=20, blank=True)
    frequency = models.CharField("频次", max_length=20, blank=True)
    route = models.CharField("给药途径", max_length=20, blank=True)
    days = models.PositiveSmallIntegerField("天数", null=True, blank=True)
    quantity = models.DecimalField("数量", max_digits=12, decimal_places=2, null=True, blank=True)
    quantity_unit = models.CharField("数量单位", max_length=20, blank=True)
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2, default=0)
    group_no = models.CharField("组号", max_length=16, blank=True)
    solvent_ml = models.DecimalField("溶媒量(ml)", max_digits=8, decimal_places=1, null=True, blank=True)
    is_antibiotic = models.BooleanField("抗菌药物", default=False)
    is_essential = models.BooleanField("基本药物", default=False)
    is_injection = models.BooleanField("注射剂", default=False)
    is_ppi = models.BooleanField("质子泵抑制剂", default=False)

    scope_spec = ScopeSpec(institution="prescription__institution_id")

    class Meta:
        verbose_name = "点评处方明细"
        verbose_name_plural = verbose_name
        ordering = ["prescription_id", "seq"]

    def __str__(self) -> str:
        return self.drug_name

    @property
    def uses_generic_name(self) -> bool:
        return bool(self.generic_name) and self.drug_name.startswith(self.generic_name)


class LabReport(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="labs")
    report_no = models.CharField("检验单号", max_length=64, blank=True)
    name = models.CharField("检验项目", max_length=200)
    ordered_at = models.DateTimeField("开具时间", null=True, blank=True)
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)

    scope_spec = ScopeSpec(institution="visit__institution_id")

    class Meta:
        verbose_name = "点评检验报告"
        verbose_name_plural = verbose_name
        ordering = ["visit_id", "id"]

    def __str__(self) -> str:
        return self.name


class LabResult(models.Model):
    report = models.ForeignKey(LabReport, on_delete=models.CASCADE, related_name="results")
    code = models.CharField("指标编码", max_length=64, blank=True)
    name = models.CharField("指标名称", max_length=100)
    value = models.CharField("结果", max_length=64)
    unit = models.CharField("单位", max_length=20, blank=True)
    reference_range = models.CharField("参考范围", max_length=64, blank=True)
    measured_at = models.DateTimeField("检测时间", null=True, blank=True)

    scope_spec = ScopeSpec(institution="report__visit__institution_id")

    class Meta:
        verbose_name = "点评检验明细"
        verbose_name_plural = verbose_name
        ordering = ["report_id", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.value}"


class ExamReport(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="exams")
    exam_no = models.CharField("检查单号", max_length=64, blank=True)
    name = models.CharField("检查名称", max_length=200)
    exam_time = models.DateTimeField("检查时间", null=True, blank=True)
    findings = models.TextField("检查所见", blank=True)
    conclusion = models.TextField("检查结论", blank=True)

    scope_spec = ScopeSpec(institution="visit__institution_id")

    class Meta:
        verbose_name = "点评检查报告"
        verbose_name_plural = verbose_name
        ordering = ["visit_id", "id"]

    def __str__(self) -> str:
        return self.name
