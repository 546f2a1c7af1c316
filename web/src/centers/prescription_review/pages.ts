/**
 * Console pages of 县域审方中心 (rx.*) and 处方点评与监管 (rx.comment.*, rx.supervision.*). Paths are
 * the server's menu catalogue paths (prescription_review/permissions.py, knowledge/, engine/,
 * comment/permissions.py).
 */
import { defineComponent, h } from 'vue'
import ResourcePage from '@/components/ResourcePage.vue'
import type { ResourceSchema } from '@/components/schema'
import type { Page } from '@/router/page'
import * as d from './data'
import { knowledgeTabs } from './knowledge'
import TabbedResources from './TabbedResources.vue'

function resourcePage(name: string, schema: ResourceSchema) {
  return defineComponent({ name, setup: () => () => h(ResourcePage, { schema }) })
}

function tabbedPage(name: string, tabs: { label: string; schema: ResourceSchema }[]) {
  return defineComponent({ name, setup: () => () => h(TabbedResources, { tabs }) })
}

export const pages: Page[] = [
  // 县域审方中心
  { path: '/rx/prescriptions', title: '处方查询', perm: 'rx.prescription', component: () => import('./PrescriptionPage.vue') },
  { path: '/rx/checks', title: '审核记录', perm: 'rx.check', component: resourcePage('RxChecks', d.checkSchema) },
  { path: '/rx/tasks', title: '药师审方', perm: 'rx.task', component: () => import('./TaskWorkstation.vue') },
  { path: '/rx/duties', title: '药师排班', perm: 'rx.roster', component: resourcePage('RxDuties', d.dutySchema) },
  {
    path: '/rx/schemes',
    title: '审方方案',
    perm: 'rx.scheme',
    component: tabbedPage('RxSchemes', [
      { label: '审方方案', schema: d.schemeSchema },
      { label: '服务范围', schema: d.schemeItemSchema },
    ]),
  },
  { path: '/rx/quick-replies', title: '快捷回复', perm: 'rx.quick_reply', component: () => import('./QuickReplyPage.vue') },
  { path: '/rx/configs', title: '审方中心配置', perm: 'rx.config', component: resourcePage('RxConfigs', d.configSchema) },
  {
    path: '/rx/rule-configs',
    title: 'AI审方配置',
    perm: 'rx.rule_config',
    component: tabbedPage('RxRuleConfigs', [
      { label: '机构规则配置', schema: d.ruleConfigSchema },
      { label: '严重程度分级', schema: d.severityLevelSchema },
      ...knowledgeTabs.ruleSettings,
    ]),
  },
  { path: '/rx/knowledge/versions', title: '知识库版本', perm: 'rx.knowledge.version', component: () => import('./KnowledgeVersions.vue') },
  { path: '/rx/knowledge/drugs', title: '药品属性', perm: 'rx.knowledge.drug', component: tabbedPage('RxKbDrugs', knowledgeTabs.drugs) },
  { path: '/rx/knowledge/rules', title: '药品规则', perm: 'rx.knowledge.rule', component: tabbedPage('RxKbRules', knowledgeTabs.rules) },
  { path: '/rx/knowledge/pairs', title: '相互作用与配伍', perm: 'rx.knowledge.pair', component: tabbedPage('RxKbPairs', knowledgeTabs.pairs) },
  { path: '/rx/knowledge/dictionaries', title: '基础字典与错误码', perm: 'rx.knowledge.dictionary', component: tabbedPage('RxKbDicts', knowledgeTabs.dictionaries) },
  // 处方点评与监管
  { path: '/rx-comment/visits', title: '点评数据上报', perm: 'rx.comment.visit', component: resourcePage('RxVisits', d.visitSchema) },
  { path: '/rx-comment/projects', title: '点评项目', perm: 'rx.comment.project', component: resourcePage('RxProjects', d.projectSchema) },
  { path: '/rx-comment/tasks', title: '点评任务', perm: 'rx.comment.task', component: () => import('./CommentTasks.vue') },
  { path: '/rx-comment/templates', title: '点评条件模板', perm: 'rx.comment.template', component: resourcePage('RxCondTemplates', d.conditionTemplateSchema) },
  { path: '/rx-comment/groups', title: '药师任务组', perm: 'rx.comment.group', component: resourcePage('RxGroups', d.groupSchema) },
  { path: '/rx-comment/samples', title: '药师点评', perm: 'rx.comment.sample', component: () => import('./CommentWorkstation.vue') },
  { path: '/rx-comment/reasons', title: '不合理理由模板', perm: 'rx.comment.reason', component: resourcePage('RxReasons', d.reasonSchema) },
  { path: '/rx-comment/appeals', title: '点评申诉', perm: 'rx.comment.appeal', component: () => import('./AppealPage.vue') },
  { path: '/rx-comment/reply-templates', title: '申诉回复模板', perm: 'rx.comment.reply_template', component: resourcePage('RxReplyTemplates', d.replyTemplateSchema) },
  { path: '/rx-comment/policies', title: '点评抽样标准', perm: 'rx.comment.policy', component: resourcePage('RxPolicies', d.samplingPolicySchema) },
  { path: '/rx-comment/statistics', title: '点评统计报表', perm: 'rx.comment.statistics', component: () => import('./CommentStatistics.vue') },
  { path: '/rx-supervision', title: '前置审方成效监管', perm: 'rx.supervision.dashboard', component: () => import('./SupervisionDashboard.vue') },
]
