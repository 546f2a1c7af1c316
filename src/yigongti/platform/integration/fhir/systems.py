"""Identifier and code systems of the FHIR facade and the regional sync.

National OIDs (china-standards.md §9.3, from WS/T 500 CDA templates): 2.16.156.10011.1.3 患者身份证号,
1.4 医务人员, 1.5 医疗卫生机构, 1.13 病案号, 1.26 科室; 2.16.156.10011.2.3.3.4 生理性别代码表
(GB/T 2261.1). No national OID was found for the 统一社会信用代码 (GB 32100), so it and our internal
ids use our own ``urn:yigongti:`` names.
"""

ID_CARD = "urn:oid:2.16.156.10011.1.3"  # 居民身份证号
STAFF = "urn:oid:2.16.156.10011.1.4"  # 医务人员（工号）
INSTITUTION_CODE = "urn:oid:2.16.156.10011.1.5"  # 医疗卫生机构编码
MRN = "urn:oid:2.16.156.10011.1.13"  # 病案号 / 院内患者ID (Identifier.assigner = the issuing institution)
DEPARTMENT_CODE = "urn:oid:2.16.156.10011.1.26"  # 科室编码
USCC = "urn:yigongti:id:uscc"  # 统一社会信用代码
PRACTISING_CERT = "urn:yigongti:id:practising-cert"  # 医师/护士执业证书编码
RESIDENT = "urn:yigongti:id:resident"  # 本平台居民档案编号
STAFF_ID = "urn:yigongti:id:staff"  # 本平台人员编号
INSTITUTION_ID = "urn:yigongti:id:institution"  # 本平台机构编号
DEPARTMENT_ID = "urn:yigongti:id:department"  # 本平台科室编号

GB_SEX = "urn:oid:2.16.156.10011.2.3.3.4"  # GB/T 2261.1
GB_SEX_EXTENSION = "urn:yigongti:fhir:StructureDefinition:gb-sex"
ORGANIZATION_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"  # prov, dept
INSTITUTION_TYPE = "urn:yigongti:CodeSystem:institution-type"  # our InstitutionType values
TITLE = "urn:yigongti:CodeSystem:title"  # 专业技术职称 (our Title.code)

FHIR_GENDER = {"1": "male", "2": "female", "0": "unknown", "9": "unknown"}
GB_SEX_FROM_GENDER = {"male": "1", "female": "2", "unknown": "0", "other": "9"}
