/** Helpers of FileUploader.vue. */
import type { Option } from './schema'

/** platform/files AttachmentCategory. */
export const ATTACHMENT_CATEGORIES: Option[] = [
  { value: 'medical_record', label: '病历附件' },
  { value: 'imaging', label: '影像' },
  { value: 'ecg_waveform', label: '心电波形' },
  { value: 'lab_report', label: '检验报告' },
  { value: 'other', label: '其他' },
]

export function formatSize(bytes: number | null | undefined): string {
  const n = Number(bytes ?? 0)
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

export function isImage(item: { kind?: string; mime_type?: string }): boolean {
  return item.kind === 'image' || (item.mime_type ?? '').startsWith('image/')
}
