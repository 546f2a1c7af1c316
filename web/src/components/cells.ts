/** How a column value is turned into text or a tag. */
import type { Row } from '@/api/types'
import { formatBool, formatDate, formatDateTime, formatValue } from '@/utils/format'
import type { Column } from './schema'

export function cellText(column: Column, row: Row): string {
  if (column.formatter) return column.formatter(row)
  const value = row[column.prop]
  switch (column.type) {
    case 'datetime':
      return formatDateTime(value)
    case 'date':
      return formatDate(value)
    case 'bool':
      return column.tags?.[String(value)]?.label ?? formatBool(value)
    case 'tag':
      return column.tags?.[String(value)]?.label ?? formatValue(value)
    default:
      return formatValue(value)
  }
}

export function cellTagType(column: Column, row: Row): 'primary' | 'success' | 'warning' | 'danger' | 'info' {
  const value = row[column.prop]
  const configured = column.tags?.[String(value)]?.type
  if (configured) return configured
  if (column.type === 'bool') return value ? 'success' : 'info'
  return 'primary'
}

export function isTagColumn(column: Column, row: Row): boolean {
  if (column.formatter) return false
  if (column.type === 'tag') return row[column.prop] !== null && row[column.prop] !== undefined && row[column.prop] !== ''
  return column.type === 'bool' && row[column.prop] !== null && row[column.prop] !== undefined
}
