import type { ResourceSchema } from '@/components/schema'
import { YES_NO } from '@/components/schema'
import { BED_STATUSES, BED_TYPES } from '../../choices'

export const schema: ResourceSchema = {
  title: '床位',
  api: '/org/beds',
  perm: 'org.bed',
  keyword: '床位号、病区或病房',
  rowLabel: (row) => `${row.ward ?? ''}${row.room ?? ''} ${row.code}`.trim(),
  search: [
    { prop: 'institution', label: '所属机构', type: 'remote', remote: '/org/institutions' },
    { prop: 'status', label: '状态', type: 'select', options: BED_STATUSES },
    { prop: 'bed_type', label: '床位类型', type: 'select', options: BED_TYPES },
    { prop: 'referral_reserved', label: '转诊预留', type: 'bool', options: YES_NO },
  ],
  columns: [
    { prop: 'code', label: '床位号', width: 110, sortable: true },
    { prop: 'institution_name', label: '所属机构', minWidth: 180 },
    { prop: 'department_name', label: '科室', width: 130 },
    { prop: 'ward', label: '病区', width: 120 },
    { prop: 'room', label: '病房', width: 90 },
    { prop: 'bed_type_display', label: '床位类型', width: 110 },
    {
      prop: 'status',
      label: '状态',
      type: 'tag',
      width: 90,
      sortable: true,
      tags: {
        free: { label: '空闲', type: 'success' },
        occupied: { label: '占用', type: 'warning' },
        reserved: { label: '预留', type: 'primary' },
        maintenance: { label: '维修', type: 'danger' },
        disabled: { label: '停用', type: 'info' },
      },
    },
    { prop: 'referral_reserved', label: '转诊预留', type: 'bool', width: 100 },
  ],
  form: [
    { prop: 'institution', label: '所属机构', type: 'remote', remote: '/org/institutions', labelProp: 'institution_name', required: true },
    {
      prop: 'department',
      label: '科室',
      type: 'remote',
      remote: '/org/departments',
      labelProp: 'department_name',
      remoteParams: (m) => ({ institution: m.institution }),
      required: true,
    },
    { prop: 'ward', label: '病区', maxlength: 50 },
    { prop: 'room', label: '病房', maxlength: 20 },
    { prop: 'code', label: '床位号', required: true, maxlength: 20 },
    { prop: 'bed_type', label: '床位类型', type: 'select', options: BED_TYPES, required: true, default: 'general' },
    { prop: 'status', label: '状态', type: 'select', options: BED_STATUSES, required: true, default: 'free' },
    { prop: 'referral_reserved', label: '转诊预留', type: 'switch', default: false, help: '预留给上转/下转患者的床位' },
  ],
}
