/** Helpers of WorkflowTimeline.vue (core/workflow timeline rows). */

/** One row of the workflow timeline (core/workflow TimelineEntrySerializer). */
export interface TimelineItem {
  id: number
  transition: string
  transition_label: string
  from_state?: string
  from_state_label?: string
  to_state?: string
  to_state_label?: string
  actor_name?: string
  actor_institution_name?: string
  is_system?: boolean
  at: string
  comment?: string
  attachments?: number[]
}

/** Rejections, returns and cancellations in red, completions green, system steps grey. */
export function entryType(item: Pick<TimelineItem, 'transition' | 'is_system'>): 'danger' | 'info' | 'primary' | 'success' {
  if (/reject|return|cancel|revoke|withdraw|refuse/.test(item.transition)) return 'danger'
  if (item.is_system) return 'info'
  if (/complete|approve|accept|finish|close/.test(item.transition)) return 'success'
  return 'primary'
}

/** `待审核 → 已接收`, or just the new state when it did not change. */
export function stateText(item: Pick<TimelineItem, 'from_state' | 'from_state_label' | 'to_state' | 'to_state_label'>): string {
  const from = item.from_state_label || item.from_state
  const to = item.to_state_label || item.to_state
  const changed = item.from_state !== undefined && item.to_state !== undefined ? item.from_state !== item.to_state : from !== to
  return from && to && changed ? `${from} → ${to}` : to || ''
}
