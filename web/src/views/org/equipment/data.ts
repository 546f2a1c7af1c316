import type { ResourceSchema } from '@/components/schema'
import { EQUIPMENT_CATEGORIES, EQUIPMENT_STATUSES } from '../../choices'

export const schema: ResourceSchema = {
  title: '设备',
  api: '/org/equipment',
  perm: 'org.equipment',
  keyword: '资产编号、名称、型号、厂家或出厂编号',
  search: [
    { prop: 'institution', label: '所属机构', type: 'remote', remote: '/org/institutions' },
    { prop: 'category', label: '类别', type: 'select', options: EQUIPMENT_CATEGORIES },
    { prop: 'status', label: '状态', type: 'select', options: EQUIPMENT_STATUSES },
  ],
  columns: [
    { prop: 'code', label: '资产编号', width: 130, sortable: true },
    { prop: 'name', label: '设备名称', minWidth: 160, sortable: true },
    { prop: 'category_display', label: '类别', width: 120 },
    { prop: 'institution_name', label: '所属机构', minWidth: 170 },
    { prop: 'department_name', label: '使用科室', width: 120 },
    { prop: 'model_no', label: '规格型号', width: 130 },
    { prop: 'manufacturer', label: '生产厂家', minWidth: 150 },
    { prop: 'serial_no', label: '出厂编号', width: 150, detailOnly: true },
    { prop: 'purchase_date', label: '购置日期', type: 'date', width: 110, sortable: true },
    {
      prop: 'status',
      label: '状态',
      type: 'tag',
      width: 80,
      tags: {
        in_use: { label: '在用', type: 'success' },
        idle: { label: '闲置', type: 'info' },
        maintenance: { label: '维修', type: 'warning' },
        scrapped: { label: '报废', type: 'danger' },
      },
    },
  ],
  form: [
    { prop: 'institution', label: '所属机构', type: 'remote', remote: '/org/institutions', labelProp: 'institution_name', required: true },
    {
      prop: 'department',
      label: '使用科室',
      type: 'remote',
      remote: '/org/departments',
      labelProp: 'department_name',
      remoteParams: (m) => ({ institution: m.institution }),
    },
    { prop: 'code', label: '资产编号', required: true, maxlength: 32 },
    { prop: 'name', label: '设备名称', required: true, maxlength: 100 },
    { prop: 'category', label: '类别', type: 'select', options: EQUIPMENT_CATEGORIES, required: true },
    { prop: 'status', label: '状态', type: 'select', options: EQUIPMENT_STATUSES, required: true, default: 'in_use' },
    { prop: 'model_no', label: '规格型号', maxlength: 100 },
    { prop: 'manufacturer', label: '生产厂家', maxlength: 100 },
    { prop: 'serial_no', label: '出厂编号', maxlength: 64 },
    { prop: 'purchase_date', label: '购置日期', type: 'date' },
  ],
}
