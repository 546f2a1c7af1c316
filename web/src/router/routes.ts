/**
 * Console pages. Paths match the `path` of the server's menu catalogue (`core.catalog`), so the
 * side menu from /auth/me links straight here. `perm` is the menu code; the server lists a menu
 * when the user holds its `.view` action, and so does the guard (the bare menu code also counts).
 */
import type { RouteRecordRaw } from 'vue-router'
import type { Page } from './page'

export type { Page }

const centerModules = import.meta.glob<{ pages: Page[] }>('../centers/*/pages.ts', { eager: true })
const centerPages: Page[] = Object.values(centerModules).flatMap((m) => m.pages)

const platformPages: Page[] = [
  { path: '/org/communities', title: '医共体', perm: 'org.community', component: () => import('@/views/org/community/index.vue') },
  { path: '/org/institutions', title: '成员机构', perm: 'org.institution', component: () => import('@/views/org/institution/index.vue') },
  { path: '/org/departments', title: '科室', perm: 'org.department', component: () => import('@/views/org/department/index.vue') },
  { path: '/org/staff', title: '医护人员', perm: 'org.staff', component: () => import('@/views/org/staff/index.vue') },
  { path: '/org/posts', title: '岗位', perm: 'org.post', component: () => import('@/views/org/post/index.vue') },
  { path: '/org/titles', title: '职称', perm: 'org.title', component: () => import('@/views/org/title/index.vue') },
  { path: '/org/beds', title: '床位', perm: 'org.bed', component: () => import('@/views/org/bed/index.vue') },
  { path: '/org/equipment', title: '设备', perm: 'org.equipment', component: () => import('@/views/org/equipment/index.vue') },
  { path: '/org/teams', title: '家庭医生团队', perm: 'org.team', component: () => import('@/views/org/team/index.vue') },
  { path: '/system/users', title: '用户管理', perm: 'accounts.user', component: () => import('@/views/system/user/index.vue') },
  { path: '/system/roles', title: '角色与授权', perm: 'accounts.role', component: () => import('@/views/system/role/index.vue') },
  { path: '/system/online', title: '在线用户', perm: 'accounts.session', component: () => import('@/views/system/online/index.vue') },
  { path: '/codes/dictionaries', title: '字典配置', perm: 'codes.dictionary', component: () => import('@/views/codes/dictionary/index.vue') },
  { path: '/codes/entries', title: '字典项', perm: 'codes.entry', component: () => import('@/views/codes/entry/index.vue') },
  { path: '/codes/parameters', title: '参数限定配置', perm: 'codes.parameter', component: () => import('@/views/codes/parameter/index.vue') },
  { path: '/codes/parameter-values', title: '参数配置', perm: 'codes.parameter_value', component: () => import('@/views/codes/parameter-value/index.vue') },
  { path: '/codes/data-elements', title: '数据元', perm: 'codes.data_element', component: () => import('@/views/codes/data-element/index.vue') },
  { path: '/registry/residents', title: '居民档案', perm: 'registry.resident', component: () => import('@/views/registry/resident/index.vue') },
  { path: '/audit/logs', title: '审计日志', perm: 'audit.log', component: () => import('@/views/audit/log/index.vue') },
  { path: '/audit/logins', title: '登录日志', perm: 'audit.login', component: () => import('@/views/audit/login/index.vue') },
  { path: '/registry/mpi', title: '主索引', perm: 'registry.mpi', component: () => import('@/views/registry/mpi/index.vue') },
  { path: '/notify/types', title: '消息类型', perm: 'notify.message_type', component: () => import('@/views/notify/type/index.vue') },
  { path: '/notify/messages', title: '消息管理', perm: 'notify.message', component: () => import('@/views/notify/message/index.vue') },
  { path: '/notify/announcements', title: '公告管理', perm: 'notify.announcement', component: () => import('@/views/notify/announcement/index.vue') },
  { path: '/notify/contacts', title: '通讯录', perm: 'notify.contact', component: () => import('@/views/notify/contact/index.vue') },
  { path: '/system/failed-tasks', title: '失败任务', perm: 'jobs.failed_task', component: () => import('@/views/system/failed-task/index.vue') },
  { path: '/integration/clients', title: '接口客户端', perm: 'integration.client', component: () => import('@/views/integration/client/index.vue') },
  // Every signed-in user's own pages (no permission code; the server returns only their rows).
  { path: '/notify/inbox', title: '站内消息', perm: '', component: () => import('@/views/notify/inbox/index.vue'), hidden: true },
  { path: '/notify/bulletins', title: '通知公告', perm: '', component: () => import('@/views/notify/bulletin/index.vue'), hidden: true },
  { path: '/notify/subscriptions', title: '消息订阅', perm: '', component: () => import('@/views/notify/subscription/index.vue'), hidden: true },
  { path: '/notify/contact-groups', title: '个人通讯组', perm: '', component: () => import('@/views/notify/contact-group/index.vue'), hidden: true },
]

export const pages: Page[] = [...platformPages, ...centerPages]

/** The codes that open a page: the menu code or its view action. */
export function pagePerms(perm: string): string[] {
  return [perm, `${perm}.view`]
}

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/login/LoginView.vue'), meta: { public: true, title: '登录' } },
  {
    path: '/',
    component: () => import('@/layouts/MainLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('@/views/home/HomeView.vue'), meta: { title: '工作台' } },
      ...pages.map((p) => ({ path: p.path.slice(1), component: p.component!, meta: { title: p.title, perm: p.perm } })),
      { path: '403', name: 'forbidden', component: () => import('@/views/error/NotFound.vue'), props: { forbidden: true }, meta: { title: '无权访问' } },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/views/error/NotFound.vue'), meta: { title: '页面不存在' } },
    ],
  },
]
