from django.db import models


class SeverityAction(models.TextChoices):
    INTERCEPT = "intercept", "自动拦截"
    PHARMACIST = "pharmacist", "转药师审核"
    DOUBLE_SIGN = "double_sign", "医生双签可放行"
    INFORM = "inform", "仅提示"
