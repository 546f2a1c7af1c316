/** Labels of the first-visit package (首诊信息包, server `api/package.py`) for display and the wizard. */

export const BASIC_LABELS: Record<string, string> = {
  name: '姓名',
  sex: '性别',
  sex_display: '性别',
  birth_date: '出生日期',
  age: '年龄',
  id_number: '身份证号',
  ethnicity: '民族',
  home_institution: '建档机构',
  chronic_diseases: '慢性病',
}

export const SUMMARY_FIELDS: { prop: string; label: string }[] = [
  { prop: 'chief_complaint', label: '主诉' },
  { prop: 'present_illness', label: '现病史' },
  { prop: 'past_history', label: '既往史' },
  { prop: 'allergy_history', label: '过敏史' },
  { prop: 'physical_exam', label: '体格检查' },
  { prop: 'blood_type', label: '血型' },
]

export const PUBLIC_HEALTH_FIELDS: { prop: string; label: string }[] = [
  { prop: 'chronic_management', label: '慢病管理情况' },
  { prop: 'followups', label: '近期随访' },
  { prop: 'vaccinations', label: '预防接种' },
  { prop: 'family_doctor', label: '家庭医生签约' },
]

/** The list sections: key, title, and the columns of one item (the first ones are required by the server). */
export const LIST_SECTIONS: { key: string; title: string; columns: { prop: string; label: string; type?: 'date' }[] }[] = [
  {
    key: 'outpatient',
    title: '门诊记录',
    columns: [
      { prop: 'visit_date', label: '就诊日期', type: 'date' },
      { prop: 'institution', label: '就诊机构' },
      { prop: 'department', label: '科室' },
      { prop: 'diagnosis', label: '诊断' },
      { prop: 'summary', label: '就诊摘要' },
    ],
  },
  {
    key: 'inpatient',
    title: '住院记录',
    columns: [
      { prop: 'admitted_at', label: '入院日期', type: 'date' },
      { prop: 'discharged_at', label: '出院日期', type: 'date' },
      { prop: 'institution', label: '住院机构' },
      { prop: 'diagnosis', label: '出院诊断' },
      { prop: 'summary', label: '出院小结' },
    ],
  },
  {
    key: 'surgery',
    title: '手术记录',
    columns: [
      { prop: 'date', label: '手术日期', type: 'date' },
      { prop: 'name', label: '手术名称' },
      { prop: 'result', label: '手术情况' },
    ],
  },
  {
    key: 'medication',
    title: '用药记录',
    columns: [
      { prop: 'name', label: '药品名称' },
      { prop: 'specification', label: '规格' },
      { prop: 'dosage', label: '单次剂量' },
      { prop: 'frequency', label: '频次' },
      { prop: 'route', label: '用法' },
      { prop: 'start_date', label: '开始日期', type: 'date' },
    ],
  },
  {
    key: 'lab',
    title: '检验记录',
    columns: [
      { prop: 'item', label: '检验项目' },
      { prop: 'result', label: '结果' },
      { prop: 'unit', label: '单位' },
      { prop: 'reference', label: '参考范围' },
      { prop: 'abnormal', label: '异常标识' },
    ],
  },
  {
    key: 'exam',
    title: '检查记录',
    columns: [
      { prop: 'item', label: '检查项目' },
      { prop: 'findings', label: '检查所见' },
      { prop: 'conclusion', label: '检查结论' },
    ],
  },
]

export const FEEDBACK_LABELS: Record<string, string> = {
  diagnosis_code: '确诊诊断编码',
  diagnosis_name: '确诊诊断',
  result: '诊疗结果',
  admitted_at: '入院日期',
  discharged_at: '出院日期',
  discharge_summary: '出院小结',
  exam_findings: '检查所见',
  exam_conclusion: '检查结论',
  advice: '后续治疗与康复建议',
  arrived: '患者已到位',
  arrived_at: '到位时间',
  recovery: '康复情况',
  health_status: '健康状况',
  stage: '阶段',
  stage_result: '阶段康复结果',
  at: '反馈时间',
  by: '反馈人',
  by_name: '反馈人',
}
