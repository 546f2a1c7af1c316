/** Enumerations mirrored from the backend `choices.py` files (value → Chinese label). */
import { options, type Column, type Option } from '@/components/schema'

export const INSTITUTION_TYPES = options([
  ['lead_hospital', '牵头医院'],
  ['county_hospital', '县级医院'],
  ['township_center', '乡镇卫生院'],
  ['community_center', '社区卫生服务中心'],
  ['village_clinic', '村卫生室'],
  ['public_health', '公共卫生机构'],
])

export const INSTITUTION_LEVELS = options([
  ['3', '三级'],
  ['2', '二级'],
  ['1', '一级'],
  ['0', '未定级'],
])

/** GB/T 2261.1-2003 */
export const SEXES = options([
  ['1', '男性'],
  ['2', '女性'],
  ['0', '未知的性别'],
  ['9', '未说明的性别'],
])

export const TITLE_CATEGORIES = options([
  ['physician', '医师'],
  ['nurse', '护理'],
  ['pharmacist', '药学'],
  ['technician', '技师'],
  ['other', '其他'],
])

export const TITLE_LEVELS = options([
  ['senior', '正高级'],
  ['vice_senior', '副高级'],
  ['intermediate', '中级'],
  ['junior', '初级（师级）'],
  ['assistant', '初级（士级）'],
])

export const DEPARTMENT_KINDS = options([
  ['clinical', '临床科室'],
  ['medical_tech', '医技科室'],
  ['nursing', '护理单元'],
  ['public_health', '公共卫生'],
  ['admin', '职能科室'],
])

export const BED_STATUSES = options([
  ['free', '空闲'],
  ['occupied', '占用'],
  ['reserved', '预留'],
  ['maintenance', '维修'],
  ['disabled', '停用'],
])

export const BED_TYPES = options([
  ['general', '普通床位'],
  ['icu', '重症监护'],
  ['rehab', '康复床位'],
  ['observation', '观察床位'],
])

export const EQUIPMENT_STATUSES = options([
  ['in_use', '在用'],
  ['idle', '闲置'],
  ['maintenance', '维修'],
  ['scrapped', '报废'],
])

export const EQUIPMENT_CATEGORIES = options([
  ['ct', 'CT'],
  ['mr', '磁共振'],
  ['dr', 'DR/X线'],
  ['ultrasound', '超声'],
  ['ecg', '心电图机'],
  ['lab_analyzer', '检验分析仪'],
  ['sterilizer', '灭菌设备'],
  ['ambulance', '救护车车载设备'],
  ['other', '其他'],
])

export const DATA_SCOPES = options([
  ['self', '本人'],
  ['department', '本科室'],
  ['department_tree', '本科室及下级'],
  ['institution', '本机构'],
  ['community', '本医共体'],
  ['all', '全部'],
  ['custom', '自定义机构集'],
])

/** 三员分立 */
export const ADMIN_KINDS = options([
  ['system', '系统管理员'],
  ['security', '安全保密管理员'],
  ['auditor', '安全审计员'],
])

export const LOG_TYPES = options([
  ['business', '业务日志'],
  ['data', '数据日志'],
  ['user', '用户日志'],
])

export const AUDIT_CATEGORIES = options([
  ['login', '登录'],
  ['login_failed', '登录失败'],
  ['logout', '退出'],
  ['locked', '账号锁定'],
  ['password', '密码变更'],
  ['otp', '双因素认证'],
  ['forced_logout', '强制下线'],
  ['create', '新增'],
  ['update', '修改'],
  ['delete', '删除'],
  ['restore', '恢复'],
  ['read', '查看'],
  ['list', '查询'],
  ['reveal', '查看敏感信息'],
  ['export', '导出'],
  ['import', '导入'],
  ['grant', '授权'],
  ['system', '系统'],
])

export const LOGIN_CATEGORIES: Option[] = AUDIT_CATEGORIES.filter((o) =>
  ['login', 'login_failed', 'logout', 'locked', 'otp', 'forced_logout', 'password'].includes(String(o.value)),
)

/** The usual 启用/停用 column of `is_active`. */
export function activeColumn(label = '状态'): Column {
  return {
    prop: 'is_active',
    label,
    type: 'bool',
    width: 80,
    tags: { true: { label: '启用', type: 'success' }, false: { label: '停用', type: 'info' } },
  }
}

export const CREATED_AT: Column = { prop: 'created_at', label: '创建时间', type: 'datetime', width: 170, sortable: true, detailOnly: true }
export const UPDATED_AT: Column = { prop: 'updated_at', label: '更新时间', type: 'datetime', width: 170, detailOnly: true }

export const PHONE_RE = /^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/
export function checkPhone(value: unknown): string {
  return PHONE_RE.test(String(value)) ? '' : '请输入正确的手机号或固定电话（如 0510-12345678）'
}

/** GB/T 2261.2-2003 婚姻状况 */
export const MARITAL_STATUSES = options([
  ['10', '未婚'],
  ['20', '已婚'],
  ['21', '初婚'],
  ['22', '再婚'],
  ['23', '复婚'],
  ['30', '丧偶'],
  ['40', '离婚'],
  ['90', '未说明的婚姻状况'],
])

/** GB/T 3304-1991 民族代码 01–56 */
export const ETHNICITIES: Option[] = [
  '汉族', '蒙古族', '回族', '藏族', '维吾尔族', '苗族', '彝族', '壮族', '布依族', '朝鲜族', '满族', '侗族', '瑶族', '白族',
  '土家族', '哈尼族', '哈萨克族', '傣族', '黎族', '傈僳族', '佤族', '畲族', '高山族', '拉祜族', '水族', '东乡族', '纳西族',
  '景颇族', '柯尔克孜族', '土族', '达斡尔族', '仫佬族', '羌族', '布朗族', '撒拉族', '毛南族', '仡佬族', '锡伯族', '阿昌族',
  '普米族', '塔吉克族', '怒族', '乌孜别克族', '俄罗斯族', '鄂温克族', '德昂族', '保安族', '裕固族', '京族', '塔塔尔族',
  '独龙族', '鄂伦春族', '赫哲族', '门巴族', '珞巴族', '基诺族',
].map((label, i) => ({ value: String(i + 1).padStart(2, '0'), label }))

export const DICTIONARY_TYPES = options([
  ['system', '系统字典'],
  ['business', '业务字典'],
  ['standard', '标准字典'],
])

export const HANDLING_TYPES = options([
  ['local', '本地维护'],
  ['sync', '平台同步'],
  ['mapping', '对照转换'],
])

export const VALUE_TYPES = options([
  ['string', '字符串'],
  ['int', '整数'],
  ['decimal', '小数'],
  ['bool', '布尔'],
  ['json', 'JSON'],
  ['choice', '选项'],
])

/** WS/T 303 数据元值的数据类型 */
export const DATA_TYPES = options([
  ['S1', 'S1 字符型（不可枚举）'],
  ['S2', 'S2 字符型（可枚举，直接列出）'],
  ['S3', 'S3 字符型（代码表）'],
  ['L', 'L 布尔型'],
  ['N', 'N 数值型'],
  ['D', 'D 日期型'],
  ['DT', 'DT 日期时间型'],
  ['T', 'T 时间型'],
  ['BY', 'BY 二进制'],
])

export const VALUE_STATUSES = options([
  ['生效中', '生效中'],
  ['未生效', '未生效'],
  ['已失效', '已失效'],
])

/** Nullable unique text fields (e.g. 统一社会信用代码): an empty box means no value, not "". */
export function blankToNull(value: unknown): unknown {
  return value === '' || value === undefined ? null : value
}
