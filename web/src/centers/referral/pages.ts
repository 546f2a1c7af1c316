/** The pages of 双向转诊中心; paths equal the menu paths of the server's `referral` and `referral_config` apps. */
import type { Page } from '@/router/page'

export const pages: Page[] = [
  { path: '/referral/referrals', title: '转诊管理', perm: 'referral.referral', component: () => import('./ReferralList.vue') },
  { path: '/referral/referrals/new', title: '新建转诊', perm: 'referral.referral', component: () => import('./ReferralCreate.vue'), hidden: true },
  { path: '/referral/referrals/:id(\\d+)', title: '转诊详情', perm: 'referral.referral', component: () => import('./ReferralDetail.vue'), hidden: true },
  { path: '/referral/settings', title: '转诊设置', perm: 'referral.settings', component: () => import('./SettingsPage.vue') },
  { path: '/referral/schedules', title: '转诊排班', perm: 'referral.schedule', component: () => import('./SchedulesPage.vue') },
  { path: '/referral/rules', title: '转诊规则', perm: 'referral.rule', component: () => import('./RulesPage.vue') },
  { path: '/referral/paths', title: '转诊路径', perm: 'referral.path', component: () => import('./PathsPage.vue') },
  { path: '/referral/stats', title: '转诊统计', perm: 'referral.stats', component: () => import('./StatsPage.vue') },
]
