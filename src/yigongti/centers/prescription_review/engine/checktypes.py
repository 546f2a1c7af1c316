"""Check types of guide §3.6.2.1 (用药质检) and the 规范性 checks of 处方审核规范 2018."""

from __future__ import annotations

from dataclasses import dataclass

GROUP_LEGALITY = "legality"  # 合法性
GROUP_NORM = "norm"  # 规范性
GROUP_SUITABILITY = "suitability"  # 适宜性


@dataclass(frozen=True, slots=True)
class CheckType:
    code: str
    name: str
    group: str
    source: str


GUIDE = "江苏省县域医共体信息化建设指南 §3.6.2.1 用药质检"
RULES_2018 = "《医疗机构处方审核规范》(国卫办医发〔2018〕14号)"
COMMENT_2010 = "《医院处方点评管理规范（试行）》(卫医管发〔2010〕28号)"

CHECK_TYPES: tuple[CheckType, ...] = (
    CheckType("indication", "适应症", GROUP_SUITABILITY, f"{GUIDE}; {RULES_2018} 适宜性: 处方用药与诊断是否相符"),
    CheckType("contraindication", "禁忌症", GROUP_SUITABILITY, f"{GUIDE}; {RULES_2018} 适宜性: 诊断禁忌"),
    CheckType("incompatibility", "配伍", GROUP_SUITABILITY, f"{GUIDE}; {RULES_2018} 适宜性: 配伍禁忌、溶媒选择"),
    CheckType("concentration", "配伍浓度", GROUP_SUITABILITY, f"{GUIDE}; {RULES_2018} 适宜性: 溶媒选择、用法用量"),
    CheckType("ion_concentration", "注射剂离子浓度", GROUP_SUITABILITY, GUIDE),
    CheckType("allergy", "过敏史", GROUP_SUITABILITY, f"{GUIDE}; {RULES_2018} 适宜性: 过敏史禁忌"),
    CheckType(
        "skin_test", "皮试", GROUP_SUITABILITY, f"{RULES_2018} 适宜性: 规定必须做皮试的药品是否注明过敏试验及结果判定"
    ),
    CheckType("age", "年龄", GROUP_SUITABILITY, f"{GUIDE}; {RULES_2018} 适宜性: 老年人用药禁忌"),
    CheckType("sex", "性别", GROUP_SUITABILITY, f"{GUIDE}; {RULES_2018} 适宜性: 性别禁忌"),
    CheckType("child", "儿童", GROUP_SUITABILITY, f"{GUIDE}; {RULES_2018} 适宜性: 儿童用药禁忌"),
    CheckType("pregnancy", "妊娠期", GROUP_SUITABILITY, f"{GUIDE}; {RULES_2018} 适宜性: 孕妇用药禁忌"),
    CheckType("lactation", "哺乳期", GROUP_SUITABILITY, f"{GUIDE}; {RULES_2018} 适宜性: 哺乳期妇女用药禁忌"),
    CheckType("hepatic", "肝功能不全", GROUP_SUITABILITY, f"{GUIDE}; {RULES_2018} 适宜性: 脏器功能不全患者用药禁忌"),
    CheckType("renal", "肾功能不全", GROUP_SUITABILITY, f"{GUIDE}; {RULES_2018} 适宜性: 脏器功能不全患者用药禁忌"),
    CheckType(
        "chronic", "慢病用药", GROUP_SUITABILITY, f"{GUIDE}; 《长期处方管理规范（试行）》(国卫办医发〔2021〕17号)"
    ),
    CheckType("history_contra", "病史相关禁忌", GROUP_SUITABILITY, f"{GUIDE}; {RULES_2018} 适宜性: 疾病史禁忌"),
    CheckType(
        "duplication", "重复用药", GROUP_SUITABILITY, f"{GUIDE}; {RULES_2018} 适宜性: 重复给药; {COMMENT_2010} 2-7、3-4"
    ),
    CheckType(
        "interaction", "相互作用", GROUP_SUITABILITY, f"{GUIDE}; {RULES_2018} 适宜性: 相互作用; {COMMENT_2010} 2-8"
    ),
    CheckType("warning", "用药警示", GROUP_SUITABILITY, GUIDE),
    CheckType("dose_unusual", "超常规用量", GROUP_SUITABILITY, f"{GUIDE}; {RULES_2018} 适宜性: 剂量、用法"),
    CheckType("dose_over", "超剂量", GROUP_SUITABILITY, f"{GUIDE}; {COMMENT_2010} 1-9 超剂量使用未注明原因和再次签名"),
    CheckType("frequency", "给药频次", GROUP_SUITABILITY, f"{GUIDE}; {RULES_2018} 适宜性: 用法"),
    CheckType("route", "给药途径", GROUP_SUITABILITY, f"{GUIDE}; {RULES_2018} 适宜性: 剂型与给药途径"),
    CheckType("course", "疗程", GROUP_SUITABILITY, GUIDE),
    CheckType("ppi", "质子泵抑制剂", GROUP_SUITABILITY, f"{GUIDE}; 《质子泵抑制剂临床应用指导原则（2020年版）》"),
    CheckType(
        "antibiotic",
        "抗菌药",
        GROUP_LEGALITY,
        f"{GUIDE}; 《抗菌药物临床应用管理办法》(卫生部令第84号) 分级管理; {RULES_2018} 合法性",
    ),
    CheckType("narcotic", "麻醉药品", GROUP_LEGALITY, f"{GUIDE}; 《处方管理办法》第二十三条; {RULES_2018} 合法性"),
    CheckType(
        "psychotropic", "精神药品", GROUP_LEGALITY, f"{GUIDE}; 《处方管理办法》第二十三、二十四条; {RULES_2018} 合法性"
    ),
    CheckType("lab_contra", "检验结果用药禁忌", GROUP_SUITABILITY, GUIDE),
    CheckType(
        "norm_item_count",
        "药品品种数",
        GROUP_NORM,
        f"{RULES_2018} 规范性: 每张处方不得超过5种药品; {COMMENT_2010} 1-11",
    ),
    CheckType("norm_supply_days", "处方用量天数", GROUP_NORM, f"《处方管理办法》第十九条; {COMMENT_2010} 1-12"),
    CheckType(
        "norm_infant_age",
        "新生儿婴幼儿日月龄",
        GROUP_NORM,
        f"{RULES_2018} 规范性: 新生儿/婴幼儿写日、月龄，必要时注明体重; {COMMENT_2010} 1-4",
    ),
    CheckType(
        "norm_vague_usage",
        "用法用量含糊",
        GROUP_NORM,
        f'{RULES_2018} 规范性: 不得使用"遵医嘱""自用"等; {COMMENT_2010} 1-8',
    ),
    CheckType("norm_diagnosis", "临床诊断缺项", GROUP_NORM, f"{COMMENT_2010} 1-10 开具处方未写临床诊断"),
    CheckType(
        "unknown_drug", "知识库未收录药品", GROUP_NORM, f"{RULES_2018}: 对信息系统不能审核的部分，应由药师进行人工审核"
    ),
)
CHECK_TYPE_BY_CODE: dict[str, CheckType] = {ct.code: ct for ct in CHECK_TYPES}
CHECK_TYPE_CHOICES: list[tuple[str, str]] = [(ct.code, ct.name) for ct in CHECK_TYPES]
