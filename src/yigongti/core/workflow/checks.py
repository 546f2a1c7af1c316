"""``manage.py check`` for declarations against their models and the permission catalogue."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import models

from yigongti.core.catalog import all_codes
from yigongti.core.scope import ScopeSpec
from yigongti.core.workflow.registry import workflows


@checks.register(checks.Tags.models)
def check_workflows(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    problems: list[checks.CheckMessage] = []
    codes = all_codes()
    for flow in workflows():
        where = f"{flow.__module__}.{flow.__qualname__}"
        try:
            model = flow.get_model()
        except (LookupError, ValueError):
            problems.append(checks.Error(f"{where}: model '{flow.model}' is not installed", id="workflow.E001"))
            continue
        fields = {f.name: f for f in model._meta.concrete_fields}
        state = fields.get(flow.state_field)
        if not isinstance(state, models.CharField):
            problems.append(checks.Error(f"{where}: {flow.state_field} must be a CharField", id="workflow.E002"))
        elif state.max_length is not None and max(len(s.code) for s in flow.states) > state.max_length:
            problems.append(
                checks.Error(f"{where}: a state code is longer than {flow.state_field}", id="workflow.E003")
            )
        for s in flow.states:
            if s.stamp and not isinstance(fields.get(s.stamp), models.DateTimeField):
                problems.append(
                    checks.Error(f"{where}: stamp '{s.stamp}' of '{s.code}' is not a DateTimeField", id="workflow.E004")
                )
        if not isinstance(getattr(model, "scope_spec", None), ScopeSpec):
            problems.append(checks.Error(f"{where}: {model.__name__} declares no scope_spec", id="workflow.E005"))
        for t in flow.transitions:
            if t.permission and t.permission not in codes:
                problems.append(
                    checks.Warning(
                        f"{where}: permission '{t.permission}' of '{t.name}' is not in the catalogue",
                        hint="register it with MenuEntry(actions=(*CRUD_ACTIONS, *Flow.catalog_actions(base)))",
                        id="workflow.W001",
                    )
                )
    return problems
