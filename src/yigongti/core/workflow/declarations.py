"""How a center declares a workflow: states, transitions, approval steps and timers.

A declaration is a class with class attributes only; it is never instantiated::

    class ReferralFlow(Workflow):
        code = "referral"
        label = "双向转诊"
        model = "referral.Referral"
        state_field = "status"
        scopes = {"applicant": ScopeSpec(institution="from_institution_id"),
                  "receiver": ScopeSpec(institution="to_institution_id")}
        states = [State("draft", "草稿"), State("submitted", "已提交", stamp="submitted_at"), ...]
        transitions = [Transition("submit", source=["draft"], target="submitted", label="提交",
                                  permission="referral.referral.submit", actor_scope="applicant",
                                  message="referral.submitted"), ...]
        approval_steps = [ApprovalStep("applicant_review", "转出审核", state="submitted",
                                       approve="applicant_approve", institution="from_institution_id")]
        timers = [Timer("arranged", after=no_show_due, transition="expire_no_show")]

Declaring the class registers it (by ``code``); the mechanism in ``services`` does the rest.
Mistakes in the declaration raise ``ImproperlyConfigured`` at import time; mistakes against the
model (missing fields) are reported by ``manage.py check`` (``workflow.E00x``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from yigongti.core.scope import ScopeSpec, apply_scope, model_scope

if TYPE_CHECKING:
    from rest_framework import serializers

Guard = Callable[[Any, Any], "str | None"]
"""``guard(obj, actor)`` → ``None`` to allow, or the Chinese reason for refusing."""
ActorRule = Callable[[Any, Any], bool]
"""``rule(obj, actor)`` → whether ``actor`` is on the side that performs the transition."""
Effect = Callable[[Any, dict[str, Any], Any], "Sequence[str] | None"]
"""``effect(obj, data, actor)`` sets fields on ``obj`` from validated ``data`` and returns their names."""
InstitutionOf = str | Callable[[Any], "int | None"]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
RESERVED_NAMES = frozenset({"actions", "timeline"})


@dataclass(frozen=True)
class State:
    code: str
    label: str
    final: bool = False
    stamp: str | None = None
    """A ``DateTimeField`` set to the transition time whenever the object enters this state."""


@dataclass(frozen=True)
class Transition:
    name: str
    source: Sequence[str]
    target: str
    label: str
    permission: str | None = None
    """The action permission code; ``None`` means only the system may perform it (timers)."""
    actor_scope: str | ScopeSpec | ActorRule | None = None
    """Whose users may act, beyond seeing the record: a key of ``Workflow.scopes``, a
    ``ScopeSpec`` matched against the actor's data scope, or ``rule(obj, actor) -> bool``."""
    guard: Guard | None = None
    requires_comment: bool = False
    message: str = ""
    """Message type published on commit (e.g. ``referral.submitted``); empty for none."""
    approval_step: str | None = None
    """The approval step this transition decides (approve or reject); see ``ApprovalStep``."""
    data_serializer: type[serializers.Serializer[Any]] | None = None
    """Validates the request's ``data`` (e.g. planned time, department, doctor, bed)."""
    effect: Effect | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", tuple(self.source))

    @property
    def path(self) -> str:
        """The URL segment of the action endpoint: ``receiver_approve`` → ``receiver-approve``."""
        return self.name.replace("_", "-")

    @property
    def system_only(self) -> bool:
        return self.permission is None


@dataclass(frozen=True)
class ApprovalStep:
    """A review step that each institution may switch off (免审), restrict to a role, or
    approve automatically (``ApprovalSetting``). ``institution`` says which institution's setting
    applies to an object: a lookup path on the object (``"from_institution_id"``) or a callable."""

    code: str
    label: str
    state: str
    approve: str
    institution: InstitutionOf

    def institution_of(self, obj: Any) -> int | None:
        return follow(obj, self.institution)


def follow(obj: Any, path: InstitutionOf) -> int | None:
    """An id read from ``obj``: ``path(obj)``, or a lookup path such as ``"from_institution_id"``
    or ``"department__institution_id"``."""
    if callable(path):
        return path(obj)
    value: Any = obj
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part)
    if isinstance(value, models.Model):
        value = value.pk
    return int(value) if value is not None else None


@dataclass(frozen=True)
class Param:
    """A timeout read from a configurable parameter (see ``hooks.register_parameter_resolver``).

    ``unit`` is the unit of the parameter's number; ``base(obj)`` the moment it counts from
    (default: when the state was entered); ``institution`` which institution's value applies."""

    code: str
    unit: str = "minutes"
    default: float | None = None
    base: Callable[[Any], dt.datetime | None] | None = None
    institution: InstitutionOf | None = None

    def __post_init__(self) -> None:
        if self.unit not in {"seconds", "minutes", "hours", "days", "weeks"}:
            raise ImproperlyConfigured(f"Param '{self.code}': unit must be seconds/minutes/hours/days/weeks")


@dataclass(frozen=True)
class Timer:
    """Fire ``transition`` (as the system) when the object has stayed in ``state`` long enough.

    ``after``: a ``timedelta`` from entering the state, a ``Param``, or ``after(obj)`` returning a
    ``datetime`` (absolute), a ``timedelta`` (from entering) or ``None`` (no timer this time)."""

    state: str
    after: dt.timedelta | Param | Callable[[Any], dt.datetime | dt.timedelta | None]
    transition: str
    comment: str = "超时自动执行"


class Workflow:
    """Base class of declarations. Subclasses that set ``code`` are registered."""

    code: ClassVar[str]
    label: ClassVar[str] = ""
    model: ClassVar[str]
    """``"app_label.ModelName"``."""
    state_field: ClassVar[str] = "status"
    project: ClassVar[str] = ""
    """The 项目 column of the audit log (default: the model's app verbose name)."""
    states: ClassVar[Sequence[State]] = ()
    transitions: ClassVar[Sequence[Transition]] = ()
    approval_steps: ClassVar[Sequence[ApprovalStep]] = ()
    timers: ClassVar[Sequence[Timer]] = ()
    scopes: ClassVar[Mapping[str, ScopeSpec | ActorRule]] = {}

    _states: ClassVar[dict[str, State]]
    _transitions: ClassVar[dict[str, Transition]]
    _steps: ClassVar[dict[str, ApprovalStep]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "code" not in cls.__dict__:
            return
        _validate(cls)
        cls._states = {s.code: s for s in cls.states}
        cls._transitions = {t.name: t for t in cls.transitions}
        cls._steps = {s.code: s for s in cls.approval_steps}
        from yigongti.core.workflow.registry import register

        register(cls)

    # -- lookups -----------------------------------------------------------------------------
    @classmethod
    def get_model(cls) -> type[models.Model]:
        return apps.get_model(cls.model)

    @classmethod
    def state(cls, code: str) -> State:
        return cls._states[code]

    @classmethod
    def state_label(cls, code: str) -> str:
        found = cls._states.get(code)
        return found.label if found else code

    @classmethod
    def transition(cls, name: str) -> Transition:
        return cls._transitions[name]

    @classmethod
    def has_transition(cls, name: str) -> bool:
        return name in cls._transitions

    @classmethod
    def step(cls, code: str) -> ApprovalStep:
        return cls._steps[code]

    @classmethod
    def step_waiting_in(cls, state: str) -> ApprovalStep | None:
        return next((s for s in cls.approval_steps if s.state == state), None)

    @classmethod
    def state_choices(cls) -> list[tuple[str, str]]:
        """For the model field: ``status = CharField(choices=ReferralFlow.state_choices())``."""
        return [(s.code, s.label) for s in cls.states]

    @classmethod
    def catalog_actions(cls, base: str) -> tuple[tuple[str, str], ...]:
        """The ``(action, label)`` pairs of transitions whose code is ``<base>.<action>``, for the
        center's ``MenuEntry(actions=(*CRUD_ACTIONS, *Flow.catalog_actions("referral.referral")))``."""
        seen: dict[str, str] = {}
        for t in cls.transitions:
            if t.permission and t.permission.startswith(f"{base}.") and t.permission not in seen:
                seen[t.permission] = t.label
        return tuple((code.removeprefix(f"{base}."), label) for code, label in seen.items())

    # -- who may act -------------------------------------------------------------------------
    @classmethod
    def visible(cls, queryset: models.QuerySet[Any], actor: Any) -> models.QuerySet[Any]:
        """The rows ``actor`` may see. Override when visibility is wider than the model's
        ``scope_spec`` (a referral is visible to both institutions); keep it equal to the
        center's selector so the API and the mechanism agree."""
        return apply_scope(queryset, model_scope(queryset.model), actor.scope_context())

    @classmethod
    def actor_allowed(cls, transition: Transition, obj: Any, actor: Any) -> bool:
        rule = transition.actor_scope
        if rule is None:
            return True
        if isinstance(rule, str):
            rule = cls.scopes[rule]
        if isinstance(rule, ScopeSpec):
            qs = type(obj)._default_manager.filter(pk=obj.pk)
            return apply_scope(qs, rule, actor.scope_context(), for_write=True).exists()
        return bool(rule(obj, actor))


def _fail(cls: type, message: str) -> None:
    raise ImproperlyConfigured(f"{cls.__name__}: {message}")


def _validate(cls: type[Workflow]) -> None:
    if not getattr(cls, "model", "") or "." not in cls.model:
        _fail(cls, "model must be 'app_label.ModelName'")
    states = [s.code for s in cls.states]
    if not states:
        _fail(cls, "declares no states")
    if len(set(states)) != len(states):
        _fail(cls, "duplicate state codes")
    names = [t.name for t in cls.transitions]
    if len(set(names)) != len(names):
        _fail(cls, "duplicate transition names")
    for t in cls.transitions:
        if not _NAME.match(t.name) or t.name in RESERVED_NAMES:
            _fail(cls, f"transition name '{t.name}' must be snake_case and not {sorted(RESERVED_NAMES)}")
        unknown = [s for s in (*t.source, t.target) if s not in states]
        if unknown or not t.source:
            _fail(cls, f"transition '{t.name}' uses unknown states {unknown}")
        finals = [s for s in t.source if next(x for x in cls.states if x.code == s).final]
        if finals:
            _fail(cls, f"transition '{t.name}' leaves final states {finals}")
        if isinstance(t.actor_scope, str) and t.actor_scope not in cls.scopes:
            _fail(cls, f"transition '{t.name}' uses undeclared scope '{t.actor_scope}'")
        if t.approval_step and t.approval_step not in {s.code for s in cls.approval_steps}:
            _fail(cls, f"transition '{t.name}' names undeclared approval step '{t.approval_step}'")
        if t.effect is not None and t.data_serializer is None:
            _fail(cls, f"transition '{t.name}' has an effect but no data_serializer")
    by_name = {t.name: t for t in cls.transitions}
    for step in cls.approval_steps:
        approve = by_name.get(step.approve)
        if step.state not in states:
            _fail(cls, f"approval step '{step.code}' waits in unknown state '{step.state}'")
        if approve is None or approve.approval_step != step.code or step.state not in approve.source:
            _fail(cls, f"approval step '{step.code}': '{step.approve}' must leave '{step.state}' for this step")
    if len({s.state for s in cls.approval_steps}) != len(cls.approval_steps):
        _fail(cls, "two approval steps wait in the same state")
    for timer in cls.timers:
        target = by_name.get(timer.transition)
        if timer.state not in states or target is None or timer.state not in target.source:
            _fail(cls, f"timer on '{timer.state}' must fire a transition leaving that state")
