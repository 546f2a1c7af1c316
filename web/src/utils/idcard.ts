/** GB 11643-1999 居民身份证号码: format, birth date and ISO 7064 MOD 11-2 check character. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

export function idNumberProblem(value: string): string {
  const number = value.trim().toUpperCase()
  if (/^\d{15}$/.test(number)) return ''
  if (!/^\d{17}[\dX]$/.test(number)) return '身份证号码应为 18 位（末位可为 X）或 15 位旧号码'
  const y = Number(number.slice(6, 10))
  const m = Number(number.slice(10, 12))
  const d = Number(number.slice(12, 14))
  const birth = new Date(y, m - 1, d)
  if (birth.getFullYear() !== y || birth.getMonth() !== m - 1 || birth.getDate() !== d || birth > new Date() || y < 1880) {
    return '身份证号码中的出生日期无效'
  }
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(number[i]), 0)
  return CHECK[sum % 11] === number[17] ? '' : '身份证号码校验位错误，请核对'
}
