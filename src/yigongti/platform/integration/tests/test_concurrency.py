"""PostgreSQL: the same HL7 message sent concurrently is stored and processed exactly once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from yigongti.platform.integration.models import InboundMessage
from yigongti.platform.integration.tests.helpers import bearer, fixture_text, post_hl7
from yigongti.platform.registry.models import PatientRegistration, Resident

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_duplicates_are_processed_once(hospital_for: Any) -> None:
    token = hospital_for(["hl7.adt"]).token
    body = fixture_text("01_a04_v25_wang_register.hl7")
    answers: list[tuple[int, bytes]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def send() -> None:
        try:
            barrier.wait(timeout=30)
            response = post_hl7(bearer(token), body)
            answers.append((response.status_code, response.content))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert {status for status, _ in answers} == {200}
    assert len({content for _, content in answers}) == 1  # everyone gets the one stored ACK
    message = InboundMessage.objects.get()
    assert (message.status, message.attempts) == ("processed", 1)
    assert Resident.objects.count() == 1
    assert PatientRegistration.objects.count() == 1
