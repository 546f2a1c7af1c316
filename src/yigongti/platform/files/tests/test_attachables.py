"""Opting a model in to attachments."""

from __future__ import annotations

import pytest

from yigongti.core.audit.models import AuditChainHead
from yigongti.platform.accounts.models import UserSession
from yigongti.platform.files import attachables
from yigongti.platform.files.attachables import attachable_labels, get_attachable, register_attachable
from yigongti.platform.org.models import Community, Department, Institution
from yigongti.platform.registry.models import Resident


@pytest.fixture(autouse=True)
def _private_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registrations made here do not leak into other tests."""
    monkeypatch.setattr(attachables, "_REGISTRY", dict(attachables._REGISTRY))


def test_platform_records_are_registered() -> None:
    assert {"registry.resident", "org.institution"} <= set(attachable_labels())
    resident = get_attachable("Registry.Resident ")
    assert resident is not None
    assert (resident.model, resident.institution_path, resident.view_code) == (
        Resident,
        "home_institution_id",
        "registry.resident.view",
    )
    assert get_attachable("org.institution").institution_path == "id"  # type: ignore[union-attr]
    assert get_attachable("accounts.user") is None


def test_registration_checks_the_institution_path() -> None:
    with pytest.raises(TypeError, match="scope_spec"):
        register_attachable(AuditChainHead)
    with pytest.raises(ValueError, match="to-many"):
        register_attachable(Community)  # scope_spec.institution is institutions__id
    with pytest.raises(ValueError, match="not a forward lookup"):
        register_attachable(Department, institution="nowhere_id")
    entry = register_attachable(UserSession, view_code="accounts.session.view")
    assert entry.institution_path == "user__institution_id"
    assert get_attachable("accounts.usersession") is entry


@pytest.mark.django_db
def test_institution_is_followed_through_relations(api_world: object) -> None:
    entry = register_attachable(Department)
    department = Department.objects.select_related("institution").first()
    assert department is not None
    assert entry.institution_id_of(department) == department.institution_id
    assert register_attachable(Institution).institution_id_of(department.institution) == department.institution_id
