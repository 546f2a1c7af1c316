import type { ResourceSchema } from '@/components/schema'

export const schema: ResourceSchema = {
  title: '家庭医生团队',
  api: '/org/doctor-teams',
  perm: 'org.team',
  search: [
    { prop: 'institution', label: '所属机构', type: 'remote', remote: '/org/institutions' },
    { prop: 'leader', label: '团队长', type: 'remote', remote: '/org/staff' },
  ],
  columns: [
    { prop: 'code', label: '团队编码', width: 140, sortable: true },
    { prop: 'name', label: '团队名称', minWidth: 180, sortable: true },
    { prop: 'institution_name', label: '所属机构', minWidth: 180 },
    { prop: 'leader_name', label: '团队长', width: 120 },
    {
      prop: 'members',
      label: '成员人数',
      width: 100,
      align: 'right',
      formatter: (row) => String(Array.isArray(row.members) ? row.members.length : 0),
    },
  ],
  form: [
    { prop: 'institution', label: '所属机构', type: 'remote', remote: '/org/institutions', labelProp: 'institution_name', required: true },
    { prop: 'code', label: '团队编码', required: true, maxlength: 32 },
    { prop: 'name', label: '团队名称', required: true, maxlength: 100 },
    {
      prop: 'leader',
      label: '团队长',
      type: 'remote',
      remote: '/org/staff',
      labelProp: 'leader_name',
      remoteParams: (m) => ({ institution: m.institution }),
    },
    {
      prop: 'members',
      label: '团队成员',
      type: 'remote-multi',
      remote: '/org/staff',
      remoteParams: (m) => ({ institution: m.institution }),
      wide: true,
    },
  ],
}
