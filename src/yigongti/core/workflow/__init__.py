"""Declarative workflows (状态流转): states, transitions, timeline, approval settings, timers.

Declare with ``yigongti.core.workflow.declarations``; change state only through
``yigongti.core.workflow.services.workflow_transition``; expose with
``yigongti.core.workflow.api.mixins.WorkflowActionsMixin``. See ``docs/services/workflow.md``.
"""
