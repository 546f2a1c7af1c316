/** Display helpers (Asia/Shanghai is the browser's zone in practice; we format in local time). */

const pad = (n: number) => String(n).padStart(2, '0')

export function formatDateTime(value: unknown): string {
  if (value === null || value === undefined || value === '') return ''
  const date = value instanceof Date ? value : new Date(String(value))
  if (Number.isNaN(date.getTime())) return String(value)
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
}

export function formatDate(value: unknown): string {
  if (value === null || value === undefined || value === '') return ''
  const text = String(value)
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text
  return formatDateTime(value).slice(0, 10)
}

export function formatBool(value: unknown, yes = '是', no = '否'): string {
  if (value === null || value === undefined || value === '') return ''
  return value ? yes : no
}

/** Lists of names (`["a","b"]`, `[{name:"a"}]`) or a plain value, as one line. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.map(formatValue).filter(Boolean).join('、')
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>
    return String(obj.name ?? obj.label ?? JSON.stringify(obj))
  }
  if (typeof value === 'boolean') return formatBool(value)
  return String(value)
}

export function greeting(now = new Date()): string {
  const h = now.getHours()
  if (h < 6) return '凌晨好'
  if (h < 9) return '早上好'
  if (h < 12) return '上午好'
  if (h < 14) return '中午好'
  if (h < 18) return '下午好'
  return '晚上好'
}

/** Client-side check of the password policy (the server checks it again, plus the history rule). */
export function passwordProblems(password: string, username = ''): string[] {
  const problems: string[] = []
  if (password.length < 8) problems.push('长度至少 8 位')
  const classes = [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length
  if (classes < 3) problems.push('大写字母、小写字母、数字、特殊字符至少包含 3 类')
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push('不能包含用户名')
  return problems
}

export const PASSWORD_POLICY = '密码长度不少于 8 位，大写字母、小写字母、数字、特殊字符至少包含 3 类，不能包含用户名，不能与最近 5 次使用过的密码相同。'
