"""Status webhooks: registered per client, published in the transition's transaction, signed,
ordered, and delivered by the outbox dispatcher to a local fake receiver."""

from __future__ import annotations

from typing import Any

import pytest

from yigongti.centers.referral import webhooks
from yigongti.centers.referral.tests.test_his_support import (
    RefWorld,
    build_ref_world,
    create_body,
    make_referral,
)
from yigongti.core.errors import ConflictError
from yigongti.core.outbox.dispatcher import outbox_dispatch
from yigongti.core.outbox.models import OutboxDestination, OutboxMessage
from yigongti.core.outbox.testing import FakeReceiver
from yigongti.core.workflow.services import workflow_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref_world(api_world: Any) -> RefWorld:
    return build_ref_world(api_world)


HOOK = "/api/v1/referral/his/webhook"


@pytest.fixture
def receiver() -> Any:
    with FakeReceiver() as fake:
        yield fake


def test_registering_creates_the_clients_destination_and_returns_the_signing_secret(
    ref_world: RefWorld, receiver: FakeReceiver
) -> None:
    his = ref_world.hospital()

    response = his.api.put(HOOK, {"url": receiver.url}, format="json")
    state = his.api.get(HOOK)

    assert response.status_code == 200
    assert response.json() == {
        "url": receiver.url,
        "enabled": True,
        "destination": f"referral.client-{his.client.pk}",
        "signature_alg": "hmac-sha256",
        "signing_secret": webhooks.signing_secret(his.client),
    }
    assert "signing_secret" not in state.json()
    destination = OutboxDestination.objects.get(code=f"referral.client-{his.client.pk}")
    assert (destination.url, destination.enabled) == (receiver.url, True)


def test_a_host_outside_the_allow_list_is_refused(ref_world: RefWorld) -> None:
    his = ref_world.hospital()

    response = his.api.put(HOOK, {"url": "https://his.example.com/hook"}, format="json")

    assert response.status_code == 400
    assert not OutboxDestination.objects.filter(code__startswith="referral.client-").exists()


def test_each_status_change_is_published_signed_and_in_order_to_both_institutions(
    ref_world: RefWorld, receiver: FakeReceiver
) -> None:
    applicant = ref_world.hospital()
    target = ref_world.hospital(["referral.read"], institution=ref_world.other)
    webhooks.webhook_register(client=applicant.client, url=receiver.url, actor=None)
    webhooks.webhook_register(client=target.client, url=receiver.url, actor=None)

    created = applicant.api.post(
        "/api/v1/referral/his/referrals", create_body(ref_world), format="json", HTTP_IDEMPOTENCY_KEY="HK-1"
    ).json()
    from yigongti.centers.referral.models import Referral

    referral = Referral.objects.get(pk=created["id"])
    workflow_transition(referral, "cancel", actor=ref_world.doctor, comment="患者改变主意")

    mine = list(
        OutboxMessage.objects.filter(destination__code=f"referral.client-{applicant.client.pk}").order_by("sequence")
    )
    theirs = list(
        OutboxMessage.objects.filter(destination__code=f"referral.client-{target.client.pk}").order_by("sequence")
    )
    assert [(m.sequence, m.payload["from_status"], m.payload["to_status"]) for m in mine] == [
        (1, "draft", "submitted"),
        (2, "submitted", "cancelled"),
    ]
    assert [m.payload["to_status"] for m in theirs] == ["submitted", "cancelled"]
    assert mine[0].payload["external_key"] == "HK-1" and theirs[0].payload["external_key"] == ""
    assert mine[1].payload["referral"]["number"] == created["number"]
    assert webhooks.verify(mine[0].payload, webhooks.signing_secret(applicant.client))
    assert not webhooks.verify(mine[0].payload, webhooks.signing_secret(target.client))
    assert webhooks.verify(theirs[1].payload, webhooks.signing_secret(target.client))


def test_an_uninvolved_institutions_client_receives_nothing(ref_world: RefWorld, receiver: FakeReceiver) -> None:
    uninvolved = ref_world.hospital(["referral.read"], institution=ref_world.third)
    webhooks.webhook_register(client=uninvolved.client, url=receiver.url, actor=None)

    make_referral(ref_world, to="submitted")

    assert OutboxMessage.objects.count() == 0


def test_a_refused_transition_publishes_nothing(ref_world: RefWorld, receiver: FakeReceiver) -> None:
    his = ref_world.hospital()
    webhooks.webhook_register(client=his.client, url=receiver.url, actor=None)
    referral = make_referral(ref_world, to="submitted")
    before = OutboxMessage.objects.count()

    with pytest.raises(ConflictError):  # arrange is not allowed from 待转出审核
        workflow_transition(referral, "arrange", actor=ref_world.receiver, data={})

    assert (before, OutboxMessage.objects.count()) == (1, 1)


def test_the_dispatcher_delivers_the_signed_bodies_in_sequence(ref_world: RefWorld, receiver: FakeReceiver) -> None:
    his = ref_world.hospital()
    webhooks.webhook_register(client=his.client, url=receiver.url, actor=None)
    referral = make_referral(ref_world, to="applicant_reviewed")

    report = outbox_dispatch()

    assert report.delivered == 2
    bodies = [r.json() for r in receiver.requests]
    assert [b["to_status"] for b in bodies] == ["submitted", "applicant_reviewed"]
    assert [r.sequence for r in receiver.requests] == [1, 2]
    assert [r.key for r in receiver.requests] == [b["id"] for b in bodies]
    assert all(webhooks.verify(b, webhooks.signing_secret(his.client)) for b in bodies)
    assert {b["referral"]["id"] for b in bodies} == {referral.pk}
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"delivered"}
