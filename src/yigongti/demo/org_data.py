"""Reference rows and per-institution templates of the demo county: posts, titles, departments
with their staffing and beds, equipment.

诊疗科目 codes follow 《医疗机构诊疗科目名录》 (卫医发〔1994〕27号, with later additions such as
28 重症医学科): 01 预防保健科, 02 全科医疗科, 03 内科 (03.01 呼吸, 03.02 消化, 03.03 神经,
03.04 心血管, 03.06 肾病学, 03.07 内分泌), 04 外科 (04.01 普通外科, 04.02 神经外科, 04.03 骨科,
04.04 泌尿外科), 05 妇产科, 07 儿科, 10 眼科, 11 耳鼻咽喉科, 12 口腔科, 13 皮肤科, 16 传染科,
20 急诊医学科, 21 康复医学科, 26 麻醉科, 28 重症医学科, 30 医学检验科, 31 病理科, 32 医学影像科
(32.05 超声诊断, 32.06 心电诊断), 50 中医科 (50.01 内科 … 50.17 预防保健科).

Staff counts are per department: d 临床医生, fd 家庭医生, ph 公卫医生, n 护士, t 医技, p 药师,
dm/nm 管理人员 with a physician/nurse title, m 管理人员, it 信息管理员.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# -- posts ------------------------------------------------------------------------------------------
# (code, name, role code the post maps to for demo accounts)
POSTS: tuple[tuple[str, str, str], ...] = (
    ("clinician", "临床医生", "doctor"),
    ("nurse", "护士", "nurse"),
    ("pharmacist", "药师", "pharmacist"),
    ("medtech", "医技", "technician"),
    ("public_health", "公卫医生", "public_health"),
    ("family_doctor", "家庭医生", "doctor"),
    ("manager", "管理人员", "institution_admin"),
    ("it_admin", "信息管理员", "institution_admin"),
)
POST_ROLE = {code: role for code, _, role in POSTS}

# -- titles -----------------------------------------------------------------------------------------
# 卫生系列专业技术职务, codes after GB/T 8561-2001 专业技术职务代码 (23x 医师, 24x 药剂, 25x 护理, 26x 技师).
TITLES: tuple[tuple[str, str, str, str], ...] = (
    ("231", "主任医师", "physician", "senior"),
    ("232", "副主任医师", "physician", "vice_senior"),
    ("233", "主治医师", "physician", "intermediate"),
    ("234", "医师", "physician", "junior"),
    ("235", "医士", "physician", "assistant"),
    ("241", "主任药师", "pharmacist", "senior"),
    ("242", "副主任药师", "pharmacist", "vice_senior"),
    ("243", "主管药师", "pharmacist", "intermediate"),
    ("244", "药师", "pharmacist", "junior"),
    ("245", "药士", "pharmacist", "assistant"),
    ("251", "主任护师", "nurse", "senior"),
    ("252", "副主任护师", "nurse", "vice_senior"),
    ("253", "主管护师", "nurse", "intermediate"),
    ("254", "护师", "nurse", "junior"),
    ("255", "护士", "nurse", "assistant"),
    ("261", "主任技师", "technician", "senior"),
    ("262", "副主任技师", "technician", "vice_senior"),
    ("263", "主管技师", "technician", "intermediate"),
    ("264", "技师", "technician", "junior"),
    ("265", "技士", "technician", "assistant"),
)


@dataclass(frozen=True)
class StaffKind:
    post: str
    title_category: str  # "" = no title
    male_share: float
    age_range: tuple[int, int]
    certified: str = ""  # practising certificate category digit ("" = none)


STAFF_KINDS: dict[str, StaffKind] = {
    "d": StaffKind("clinician", "physician", 0.58, (25, 60), "1"),
    "fd": StaffKind("family_doctor", "physician", 0.55, (25, 58), "1"),
    "ph": StaffKind("public_health", "physician", 0.42, (24, 58), "4"),
    "n": StaffKind("nurse", "nurse", 0.04, (21, 55), "n"),
    "t": StaffKind("medtech", "technician", 0.5, (22, 58)),
    "p": StaffKind("pharmacist", "pharmacist", 0.38, (22, 58)),
    "dm": StaffKind("manager", "physician", 0.6, (32, 58), "1"),
    "nm": StaffKind("manager", "nurse", 0.02, (35, 55), "n"),
    "m": StaffKind("manager", "", 0.5, (26, 58)),
    "it": StaffKind("it_admin", "", 0.75, (24, 50)),
    "v": StaffKind("clinician", "physician", 0.82, (32, 68), "1"),  # 乡村医生
}


@dataclass(frozen=True)
class DeptSpec:
    code: str
    name: str
    kind: str = "clinical"
    std: str = ""
    staff: dict[str, int] = field(default_factory=dict)
    beds: int = 0
    bed_type: str = "general"
    parent: str = ""
    specialty: str = ""


def _d(code: str, name: str, kind: str = "clinical", std: str = "", beds: int = 0, bed_type: str = "general",
       parent: str = "", specialty: str = "", **staff: int) -> DeptSpec:  # fmt: skip
    return DeptSpec(code, name, kind, std, dict(staff), beds, bed_type, parent, specialty)


# fmt: off
COUNTY_HOSPITAL: tuple[DeptSpec, ...] = (
    _d("1000", "内科", std="03"),
    _d("1001", "心血管内科", std="03.04", beds=40, parent="1000", specialty="高血压、冠心病、心律失常、心力衰竭", d=9, n=14),
    _d("1002", "呼吸内科", std="03.01", beds=35, parent="1000", specialty="慢阻肺、哮喘、肺部感染", d=7, n=13),
    _d("1003", "消化内科", std="03.02", beds=30, parent="1000", specialty="消化道出血、胃肠镜诊疗", d=6, n=9),
    _d("1004", "神经内科", std="03.03", beds=35, parent="1000", specialty="脑卒中、癫痫、头晕头痛", d=8, n=13),
    _d("1005", "内分泌科", std="03.07", beds=20, parent="1000", specialty="糖尿病、甲状腺疾病", d=4, n=6),
    _d("1006", "肾内科", std="03.06", beds=15, parent="1000", specialty="慢性肾病、血液透析", d=4, n=7),
    _d("2000", "外科", std="04"),
    _d("2001", "普外科", std="04.01", beds=40, parent="2000", specialty="胆囊、疝、胃肠肿瘤手术", d=9, n=14),
    _d("2002", "骨科", std="04.03", beds=40, parent="2000", specialty="创伤骨科、关节置换、脊柱外科", d=9, n=14),
    _d("2003", "泌尿外科", std="04.04", beds=20, parent="2000", specialty="泌尿系结石、前列腺疾病", d=4, n=6),
    _d("2004", "神经外科", std="04.02", beds=20, parent="2000", specialty="颅脑外伤、脑出血手术", d=4, n=6),
    _d("3000", "妇产科", std="05", beds=35, specialty="高危妊娠、妇科肿瘤", d=9, n=14),
    _d("3100", "儿科", std="07", beds=25, specialty="小儿呼吸道感染、新生儿疾病", d=6, n=8),
    _d("3200", "急诊科", std="20", beds=8, bed_type="observation", specialty="急危重症救治、胸痛卒中绿色通道", d=8, n=12),
    _d("3300", "重症医学科", std="28", beds=10, bed_type="icu", specialty="危重症监护、机械通气", d=4, n=12),
    _d("3400", "眼科", std="10", specialty="白内障、青光眼", d=3, n=1),
    _d("3500", "耳鼻喉科", std="11", specialty="鼻窦炎、听力障碍", d=3, n=1),
    _d("3600", "口腔科", std="12", specialty="牙体牙髓、口腔修复", d=4, n=2),
    _d("3700", "皮肤科", std="13", specialty="湿疹、银屑病", d=2, n=1),
    _d("3800", "康复医学科", std="21", beds=15, bed_type="rehab", specialty="脑卒中康复、骨科术后康复", d=3, n=3, t=3),
    _d("3900", "中医科", std="50", specialty="中医内科调理、针灸", d=4, n=1),
    _d("4000", "感染科", std="16", beds=12, specialty="病毒性肝炎、发热待查", d=3, n=5),
    _d("4100", "麻醉科", std="26", specialty="临床麻醉、疼痛治疗", d=8, n=10),
    _d("4200", "预防保健科", kind="public_health", std="01", ph=3),
    _d("5000", "放射科", kind="medical_tech", std="32", specialty="CT、磁共振影像诊断", d=5, t=7),
    _d("5100", "超声科", kind="medical_tech", std="32.05", specialty="腹部、心脏及血管超声", d=6, n=1),
    _d("5200", "心电图室", kind="medical_tech", std="32.06", specialty="常规心电图、动态心电图", d=2, t=1),
    _d("5300", "检验科", kind="medical_tech", std="30", t=16),
    _d("5400", "病理科", kind="medical_tech", std="31", d=2, t=2),
    _d("5500", "药剂科", kind="medical_tech", p=16),
    _d("5600", "消毒供应中心", kind="medical_tech", n=5),
    _d("9000", "医务科", kind="admin", dm=4),
    _d("9100", "护理部", kind="admin", nm=3),
    _d("9200", "信息科", kind="admin", it=5),
    _d("9300", "院办公室", kind="admin", m=4),
)

TCM_HOSPITAL: tuple[DeptSpec, ...] = (
    _d("1000", "中医内科", std="50.01", beds=40, specialty="脾胃病、心脑血管病中医调治", d=14, n=18),
    _d("1100", "中医外科", std="50.02", beds=10, specialty="疮疡、乳腺病", d=4, n=4),
    _d("1200", "中医妇科", std="50.03", beds=10, specialty="月经病、不孕症", d=4, n=3),
    _d("1300", "中医儿科", std="50.04", specialty="小儿咳喘、厌食", d=3, n=2),
    _d("1400", "骨伤科", std="50.10", beds=25, specialty="骨折手法复位、颈腰椎病", d=8, n=10),
    _d("1500", "针灸科", std="50.13", beds=10, specialty="中风后遗症、面瘫、颈肩腰腿痛", d=5, n=3),
    _d("1600", "推拿科", std="50.14", specialty="颈椎病、小儿推拿", d=4, n=1),
    _d("1700", "肛肠科", std="50.11", beds=10, specialty="痔、肛瘘", d=3, n=4),
    _d("1800", "康复科", std="50.15", beds=15, bed_type="rehab", specialty="中西医结合康复", d=3, n=4, t=2),
    _d("1900", "治未病科", std="50.17", specialty="体质辨识、膏方调理", d=3, n=1),
    _d("2000", "急诊科", std="50.16", specialty="急诊急救", d=5, n=8),
    _d("5000", "放射科", kind="medical_tech", std="32", d=2, t=4),
    _d("5100", "超声科", kind="medical_tech", std="32.05", d=3),
    _d("5200", "心电图室", kind="medical_tech", std="32.06", d=1, t=1),
    _d("5300", "检验科", kind="medical_tech", std="30", t=6),
    _d("5500", "中药房", kind="medical_tech", p=8),
    _d("9000", "医务科", kind="admin", dm=3),
    _d("9100", "护理部", kind="admin", nm=2),
    _d("9200", "信息科", kind="admin", it=2),
)

# fmt: on


def township_center(central: bool) -> tuple[DeptSpec, ...]:
    """A 乡镇卫生院 (~18 staff; a 中心卫生院 has more beds and two more nurses)."""
    return (
        _d("0100", "全科医疗科", std="02", specialty="常见病、多发病诊治，慢病管理", d=2, fd=2),
        _d("0200", "中医科", std="50", specialty="针灸推拿、中药调理", d=2),
        _d("0300", "预防保健科", kind="public_health", std="01", ph=1),
        _d("0400", "公共卫生科", kind="public_health", ph=2),
        _d("0500", "检验科", kind="medical_tech", std="30", t=1),
        _d("0600", "放射科", kind="medical_tech", std="32", t=1),
        _d("0700", "药房", kind="medical_tech", p=1),
        _d("0800", "护理", kind="nursing", n=4 if central else 2),
        _d("0900", "住院部", beds=30 if central else 20, d=1, n=2),
        _d("9000", "院办公室", kind="admin", m=1),
    )


COMMUNITY_CENTER: tuple[DeptSpec, ...] = (
    _d("0100", "全科医疗科", std="02", specialty="常见病诊治，家庭医生签约服务", d=2, fd=2, n=2),
    _d("0200", "中医科", std="50", specialty="中医体质辨识、针灸", d=1),
    _d("0300", "预防保健科", kind="public_health", std="01", ph=1),
    _d("0400", "公共卫生科", kind="public_health", ph=2),
    _d("0500", "检验科", kind="medical_tech", std="30", t=1),
    _d("0600", "药房", kind="medical_tech", p=1),
)

VILLAGE_CLINIC: tuple[DeptSpec, ...] = (_d("0100", "诊室", std="02", v=1),)


# -- equipment ------------------------------------------------------------------------------------
# (department code, name, category, model, manufacturer, count). Models are illustrative.
EquipmentSpec = tuple[str, str, str, str, str, int]

COUNTY_EQUIPMENT: tuple[EquipmentSpec, ...] = (
    ("5000", "64排螺旋CT", "ct", "uCT 550", "上海联影医疗科技股份有限公司", 1),
    ("5000", "16排螺旋CT", "ct", "NeuViz 16", "东软医疗系统股份有限公司", 1),
    ("5000", "1.5T磁共振成像系统", "mr", "uMR 560", "上海联影医疗科技股份有限公司", 1),
    ("5000", "数字化X射线摄影系统（DR）", "dr", "uDR 596j", "上海联影医疗科技股份有限公司", 2),
    ("5000", "移动式DR", "dr", "新东方1000", "北京万东医疗科技股份有限公司", 1),
    ("5100", "彩色多普勒超声诊断仪", "ultrasound", "Resona 7", "深圳迈瑞生物医疗电子股份有限公司", 4),
    ("3000", "彩色多普勒超声诊断仪（妇产）", "ultrasound", "S60", "深圳开立生物医疗科技股份有限公司", 1),
    ("3200", "便携式超声诊断仪", "ultrasound", "M9", "深圳迈瑞生物医疗电子股份有限公司", 1),
    ("5200", "十二导联心电图机", "ecg", "SE-1201", "深圳市理邦精密仪器股份有限公司", 3),
    ("5200", "动态心电图记录仪", "ecg", "SE-2003", "深圳市理邦精密仪器股份有限公司", 4),
    ("3200", "十二导联心电图机", "ecg", "SE-1201", "深圳市理邦精密仪器股份有限公司", 1),
    ("1001", "十二导联心电图机", "ecg", "SE-1201", "深圳市理邦精密仪器股份有限公司", 1),
    ("5300", "全自动生化分析仪", "lab_analyzer", "BS-2000M", "深圳迈瑞生物医疗电子股份有限公司", 2),
    ("5300", "全自动血细胞分析仪", "lab_analyzer", "BC-6800", "深圳迈瑞生物医疗电子股份有限公司", 2),
    ("5300", "全自动化学发光免疫分析仪", "lab_analyzer", "CL-6000i", "深圳迈瑞生物医疗电子股份有限公司", 1),
    ("5300", "全自动凝血分析仪", "lab_analyzer", "CX-9000", "深圳迈瑞生物医疗电子股份有限公司", 1),
    ("5600", "脉动真空压力蒸汽灭菌器", "sterilizer", "XG1.DMD-1.2", "山东新华医疗器械股份有限公司", 3),
    ("5600", "过氧化氢低温等离子体灭菌器", "sterilizer", "PS-100", "山东新华医疗器械股份有限公司", 1),
    ("3200", "车载除颤监护仪", "ambulance", "BeneHeart D6", "深圳迈瑞生物医疗电子股份有限公司", 2),
    ("3300", "呼吸机", "other", "SV600", "深圳迈瑞生物医疗电子股份有限公司", 6),
    ("4100", "麻醉机", "other", "WATO EX-65", "深圳迈瑞生物医疗电子股份有限公司", 4),
)

TCM_EQUIPMENT: tuple[EquipmentSpec, ...] = (
    ("5000", "16排螺旋CT", "ct", "NeuViz 16", "东软医疗系统股份有限公司", 1),
    ("5000", "数字化X射线摄影系统（DR）", "dr", "新东方1000", "北京万东医疗科技股份有限公司", 1),
    ("5100", "彩色多普勒超声诊断仪", "ultrasound", "DC-70", "深圳迈瑞生物医疗电子股份有限公司", 2),
    ("5200", "十二导联心电图机", "ecg", "SE-1201", "深圳市理邦精密仪器股份有限公司", 2),
    ("5300", "全自动生化分析仪", "lab_analyzer", "BS-800", "深圳迈瑞生物医疗电子股份有限公司", 1),
    ("5300", "全自动血细胞分析仪", "lab_analyzer", "BC-5390", "深圳迈瑞生物医疗电子股份有限公司", 1),
    ("2000", "车载除颤监护仪", "ambulance", "BeneHeart D3", "深圳迈瑞生物医疗电子股份有限公司", 1),
)

TOWNSHIP_EQUIPMENT: tuple[EquipmentSpec, ...] = (
    ("0600", "数字化X射线摄影系统（DR）", "dr", "新东方1000", "北京万东医疗科技股份有限公司", 1),
    ("0100", "彩色多普勒超声诊断仪", "ultrasound", "DC-40", "深圳迈瑞生物医疗电子股份有限公司", 1),
    ("0100", "十二导联心电图机", "ecg", "SE-1201", "深圳市理邦精密仪器股份有限公司", 1),
    ("0900", "十二导联心电图机", "ecg", "SE-601", "深圳市理邦精密仪器股份有限公司", 1),
    ("0500", "全自动生化分析仪", "lab_analyzer", "BS-240", "深圳迈瑞生物医疗电子股份有限公司", 1),
    ("0500", "全自动血细胞分析仪", "lab_analyzer", "BC-5000", "深圳迈瑞生物医疗电子股份有限公司", 1),
    ("0800", "台式压力蒸汽灭菌器", "sterilizer", "MOST-T 45", "山东新华医疗器械股份有限公司", 1),
)

COMMUNITY_EQUIPMENT: tuple[EquipmentSpec, ...] = (
    ("0100", "彩色多普勒超声诊断仪", "ultrasound", "DC-40", "深圳迈瑞生物医疗电子股份有限公司", 1),
    ("0100", "十二导联心电图机", "ecg", "SE-1201", "深圳市理邦精密仪器股份有限公司", 1),
    ("0500", "全自动血细胞分析仪", "lab_analyzer", "BC-5000", "深圳迈瑞生物医疗电子股份有限公司", 1),
)

# Village clinics with a networked ECG machine for 远程心电 (about half of them).
VILLAGE_EQUIPMENT: tuple[EquipmentSpec, ...] = (
    ("0100", "远程十二导联心电图机", "ecg", "SE-301", "深圳市理邦精密仪器股份有限公司", 1),
)
