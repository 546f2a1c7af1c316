"""The chronic-disease reference list, shared by the data migration and the post-migrate check."""

SOURCE = "《国家基本公共卫生服务规范（第三版）》/ICD-10"

DISEASES = [
    ("hypertension", "高血压", "I10-I15"),
    ("diabetes", "2型糖尿病", "E11"),
    ("chd", "冠心病", "I25"),
    ("stroke", "脑卒中", "I60-I64"),
    ("copd", "慢性阻塞性肺疾病", "J44"),
    ("smi", "严重精神障碍", "F20-F31"),
    ("tb", "肺结核", "A15-A19"),
]
