"""HL7 v2 ADT over HTTP: fixtures replayed, ACKs, raw storage first, idempotency, no half-writes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from hl7apy.parser import parse_message

from yigongti.core.audit.models import AuditLog
from yigongti.core.testing.api import assert_error
from yigongti.platform.integration import registry_bridge
from yigongti.platform.integration.models import InboundMessage
from yigongti.platform.integration.services.inbound import inbound_retry_due
from yigongti.platform.integration.tests.helpers import fixture_text, post_hl7
from yigongti.platform.registry.models import Resident
from yigongti.platform.registry.selectors import id_number_index

pytestmark = pytest.mark.django_db
WANG = "320923195803120032"


def ack_of(response: Any) -> Any:
    assert response["Content-Type"].startswith("application/hl7-v2")
    return parse_message(response.content.decode("utf-8").replace("\n", "\r"))


def msa(response: Any) -> tuple[str, str]:
    ack = ack_of(response)
    return ack.msa.msa_1.to_er7(), ack.msa.msa_2.to_er7()


def resident(number: str) -> Resident | None:
    return Resident.objects.filter(id_number_bidx=id_number_index(number)).first()


@pytest.fixture
def his(hospital_for: Any) -> Any:
    return hospital_for(["hl7.adt"])


# fixture → (HTTP status, MSA-1, stored status, error code or resident action)
EXPECTED = [
    ("01_a04_v25_wang_register.hl7", 200, "AA", "processed", "created"),
    ("02_a04_v24_li_register.hl7", 200, "AA", "processed", "created"),
    ("03_a08_v25_wang_update.hl7", 200, "AA", "processed", "updated"),
    ("04_a04_v231_zhang_register.hl7", 200, "AA", "processed", "created"),
    ("06_a40_v25_merge.hl7", 422, "AE", "failed", "HL7_PATIENT_NOT_FOUND"),
    ("07_a04_v25_invalid_checksum.hl7", 422, "AE", "failed", "HL7_INVALID_DATA"),
    ("08_malformed.hl7", 400, "AR", "failed", "HL7_UNPARSEABLE"),
    ("09_a04_v25_no_id_card.hl7", 200, "AA", "processed", "created"),
    ("10_oru_r01_v25_unsupported.hl7", 400, "AR", "failed", "HL7_UNSUPPORTED_TYPE"),
    ("11_a08_v25_unknown_patient.hl7", 422, "AE", "failed", "HL7_PATIENT_NOT_FOUND"),
    ("12_a04_v25_sex_mismatch.hl7", 422, "AE", "failed", "HL7_INVALID_DATA"),
    ("13_a04_v25_ouyang_mllp.hl7", 200, "AA", "processed", "created"),
]


def test_replay_fixtures(his: Any) -> None:
    """Every fixture in order, as one HIS would send them in a day."""
    for name, status, code, stored, outcome in EXPECTED:
        raw = fixture_text(name)
        response = post_hl7(his.api, raw)
        assert response.status_code == status, (name, response.content)
        ack = ack_of(response)
        assert ack.msh.msh_18.to_er7() == "UNICODE UTF-8", name
        assert ack.msa.msa_1.to_er7() == code, name
        message = InboundMessage.objects.order_by("-id").first()
        assert message is not None
        assert message.payload == raw.decode("utf-8"), name  # stored raw, byte for byte
        assert message.status == stored, name
        assert message.client_id == his.client.pk and message.institution_id == his.client.institution_id
        assert message.attempts == 1
        if ack.msh.msh_12.to_er7() and message.control_id:
            assert ack.msa.msa_2.to_er7() == message.control_id, name
        if stored == "processed":
            assert message.result["action"] == outcome, name
            assert message.error == ""
            assert not any(s.name == "ERR" for s in ack.children), name
        else:
            assert message.error_code == outcome, name
            assert any("\u4e00" <= ch <= "\u9fff" for ch in message.error), name
            assert any(s.name == "ERR" for s in ack.children), name
            assert message.retryable is False, name
    wang = resident(WANG)
    assert wang is not None
    assert (wang.name, wang.sex, str(wang.birth_date)) == ("王建国", "1", "1958-03-12")
    assert wang.phone == "13805150000"  # updated by the A08
    assert wang.address == "江苏省盐城市阜宁县城关镇幸福路6号"
    assert wang.division_code == "320923100" and wang.ethnicity == "01"
    li = resident("32092319621105024X")
    assert li is not None and li.name == "李秀英" and li.sex == "2" and li.phone == "13862345678"
    zhang = resident("32092319850721015X")
    assert zhang is not None and zhang.id_number == "32092319850721015X"
    ouyang = resident("320923199002140429")
    assert ouyang is not None and ouyang.name == "欧阳娜娜" and "丽景A&B区" in ouyang.address
    assert resident("320923194901300083") is None  # 12: sex mismatch, nothing written
    assert resident("320923200109090375") is None  # 11: A08 does not create
    child = Resident.objects.get(name="周小梅")
    assert (child.id_number, child.sex, str(child.birth_date)) == ("", "2", "2019-03-06")
    assert Resident.objects.count() == 5
    assert InboundMessage.objects.count() == len(EXPECTED)


def test_invalid_checksum_answers_ae_with_err_location(his: Any) -> None:
    response = post_hl7(his.api, fixture_text("07_a04_v25_invalid_checksum.hl7"))
    ack = ack_of(response)
    err = next(s for s in ack.children if s.name == "ERR")
    assert err.err_2.to_er7() == "PID^1^3"
    assert err.err_3.to_er7().startswith("102^")
    assert "校验位" in err.err_8.to_er7()
    assert not AuditLog.objects.filter(object_type="registry.resident").exists()


def test_v24_ack_uses_err_1(his: Any) -> None:
    body = fixture_text("02_a04_v24_li_register.hl7").replace(b"32092319621105024X", b"320923196211050241")
    response = post_hl7(his.api, body)
    assert response.status_code == 422
    ack = ack_of(response)
    assert ack.msh.msh_12.to_er7() == "2.4"
    err = next(s for s in ack.children if s.name == "ERR")
    assert err.err_1.to_er7().startswith("PID^1^3^102&")


def test_same_message_twice_is_idempotent(his: Any) -> None:
    raw = fixture_text("01_a04_v25_wang_register.hl7")
    first = post_hl7(his.api, raw)
    second = post_hl7(his.api, raw)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content  # the stored ACK is answered again
    assert InboundMessage.objects.count() == 1
    assert InboundMessage.objects.get().attempts == 1
    assert Resident.objects.count() == 1
    assert AuditLog.objects.filter(category="create", object_type="registry.resident").count() == 1


def test_control_id_reused_for_other_content_is_refused_and_stored(his: Any) -> None:
    post_hl7(his.api, fixture_text("01_a04_v25_wang_register.hl7"))
    other = fixture_text("01_a04_v25_wang_register.hl7").replace("王建国".encode(), "王建军".encode())
    response = post_hl7(his.api, other)
    assert response.status_code == 409
    assert msa(response) == ("AR", "HIS202611250830150001")
    assert InboundMessage.objects.count() == 2
    assert InboundMessage.objects.order_by("-id").first().error_code == "HL7_CONTROL_ID_REUSED"  # type: ignore[union-attr]
    assert resident(WANG).name == "王建国"  # type: ignore[union-attr]


def test_second_institution_links_without_changing_the_file(api_world: Any, his: Any, hospital_for: Any) -> None:
    post_hl7(his.api, fixture_text("01_a04_v25_wang_register.hl7"))
    county = hospital_for(["hl7.adt"], institution=api_world.other, name="县人民医院 HIS")
    response = post_hl7(county.api, fixture_text("05_a04_v25_wang_county_hospital.hl7"))
    assert response.status_code == 200, response.content
    message = InboundMessage.objects.get(client=county.client)
    assert message.result["action"] == "linked"
    assert message.result["mrn"] == {"value": "H00098765", "authority": "FNXRMYY"}
    wang = resident(WANG)
    assert wang is not None and wang.home_institution_id == api_world.home.pk
    # an update from the county hospital may not change the township centre's file
    update = fixture_text("03_a08_v25_wang_update.hl7").replace(b"HIS202611251410070003", b"RMYY-A08-1")
    refused = post_hl7(county.api, update)
    assert refused.status_code == 422
    assert InboundMessage.objects.get(control_id="RMYY-A08-1").error_code == "HL7_OUT_OF_SCOPE"
    assert resident(WANG).phone == "13951234567"  # type: ignore[union-attr]


def test_raw_message_is_committed_before_processing_and_a_crash_leaves_no_half_write(
    his: Any, monkeypatch: pytest.MonkeyPatch, api_world: Any
) -> None:
    real_register = registry_bridge.register

    def crash_after_write(**kw: Any) -> Any:
        real_register(**kw)  # the resident row and its audit row are written…
        raise RuntimeError("数据库连接中断")  # …then processing dies

    monkeypatch.setattr(registry_bridge, "register", crash_after_write)
    response = post_hl7(his.api, fixture_text("01_a04_v25_wang_register.hl7"))
    assert response.status_code == 500
    assert msa(response)[0] == "AE"
    message = InboundMessage.objects.get()
    assert message.status == "failed" and message.retryable and message.next_attempt_at is not None
    assert message.error_code == "PROCESSING_ERROR" and "数据库连接中断" in message.error
    assert Resident.objects.count() == 0
    assert not AuditLog.objects.filter(object_type="registry.resident").exists()
    with connection.cursor() as cursor:  # encrypted at rest
        cursor.execute("SELECT payload FROM integration_inboundmessage WHERE id = %s", [message.pk])
        assert cursor.fetchone()[0].startswith("sm4gcm1:")

    monkeypatch.setattr(registry_bridge, "register", real_register)
    admin = api_world.client_for(["integration.message.view", "integration.message.retry"])
    retried = admin.post(f"/api/v1/integration/inbound-messages/{message.pk}/retry")
    assert retried.status_code == 200, retried.content
    assert retried.json()["status"] == "processed" and retried.json()["attempts"] == 2
    wang = resident(WANG)
    assert wang is not None and wang.created_by_id == his.client.service_user_id
    assert_error(admin.post(f"/api/v1/integration/inbound-messages/{message.pk}/retry"), 409, "INBOUND_NOT_FAILED")
    assert AuditLog.objects.filter(action="integration.inboundmessage.retry", object_id=str(message.pk)).exists()


def test_periodic_retry_processes_due_failures(his: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def down(**kw: Any) -> Any:
        raise ConnectionError("registry unavailable")

    monkeypatch.setattr(registry_bridge, "register", down)
    post_hl7(his.api, fixture_text("01_a04_v25_wang_register.hl7"))
    message = InboundMessage.objects.get()
    assert inbound_retry_due() == 0  # not due yet
    InboundMessage.objects.update(next_attempt_at=message.created_at)
    monkeypatch.undo()
    assert inbound_retry_due() == 1
    message.refresh_from_db()
    assert message.status == "processed" and message.attempts == 2
    assert resident(WANG) is not None
    log = AuditLog.objects.get(category="create", object_type="registry.resident")
    assert log.user_name == "城关镇卫生院 HIS（自动重试）"


def test_retries_stop_after_the_limit(his: Any, monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    settings.INBOUND_RETRY_MAX_ATTEMPTS = 2
    monkeypatch.setattr(registry_bridge, "register", lambda **kw: 1 / 0)
    post_hl7(his.api, fixture_text("01_a04_v25_wang_register.hl7"))
    InboundMessage.objects.update(next_attempt_at=InboundMessage.objects.get().created_at)
    assert inbound_retry_due() == 1
    message = InboundMessage.objects.get()
    assert (message.status, message.attempts, message.retryable, message.next_attempt_at) == ("failed", 2, False, None)
    assert inbound_retry_due() == 0


@pytest.mark.parametrize("content_type", ["x-application/hl7-v2+er7", "text/plain; charset=utf-8"])
def test_other_content_types(his: Any, content_type: str) -> None:
    response = post_hl7(his.api, fixture_text("01_a04_v25_wang_register.hl7"), content_type)
    assert response.status_code == 200
    assert msa(response)[0] == "AA"


def test_gb18030_body(his: Any) -> None:
    text = fixture_text("02_a04_v24_li_register.hl7").decode("utf-8")
    response = post_hl7(his.api, text.encode("gb18030"), "application/hl7-v2; charset=gb18030")
    assert response.status_code == 200, response.content
    assert resident("32092319621105024X").name == "李秀英"  # type: ignore[union-attr]


def test_json_body_and_empty_body_are_refused(his: Any) -> None:
    assert_error(his.api.post("/api/v1/integration/hl7/v2", {"a": 1}, format="json"), 415, "UNSUPPORTED_MEDIA_TYPE")
    assert_error(post_hl7(his.api, b"   "), 400, "HL7_EMPTY")
    assert not InboundMessage.objects.exists()


def test_authentication_and_scope(api_world: Any, hospital_for: Any) -> None:
    body = fixture_text("01_a04_v25_wang_register.hl7")
    assert_error(post_hl7(api_world.anonymous(), body), 401, "NOT_AUTHENTICATED")
    reader = hospital_for(["registry.read"])
    assert_error(post_hl7(reader.api, body), 403, "PERMISSION_DENIED")
    assert not InboundMessage.objects.exists()


def test_payload_reveal_needs_permission_and_is_audited(api_world: Any, his: Any) -> None:
    post_hl7(his.api, fixture_text("07_a04_v25_invalid_checksum.hl7"))
    message = InboundMessage.objects.get()
    viewer = api_world.client_for(["integration.message.view"])
    listed = viewer.get("/api/v1/integration/inbound-messages").json()["results"]
    assert [row["id"] for row in listed] == [message.pk] and "payload" not in listed[0]
    assert_error(viewer.post(f"/api/v1/integration/inbound-messages/{message.pk}/payload"), 403, "PERMISSION_DENIED")
    reader = api_world.client_for(["integration.message.view", "integration.message.view_sensitive"])
    body = reader.post(f"/api/v1/integration/inbound-messages/{message.pk}/payload").json()
    assert body["payload"].startswith("MSH|")
    assert AuditLog.objects.filter(category="reveal", object_id=str(message.pk)).count() == 1


def test_messages_of_other_institutions_are_invisible(api_world: Any, hospital_for: Any) -> None:
    county = hospital_for(["hl7.adt"], institution=api_world.other)
    post_hl7(county.api, fixture_text("08_malformed.hl7"))
    message = InboundMessage.objects.get()
    viewer = api_world.client_for(["integration.message.view", "integration.message.retry"])
    assert viewer.get("/api/v1/integration/inbound-messages").json()["count"] == 0
    assert_error(viewer.post(f"/api/v1/integration/inbound-messages/{message.pk}/retry"), 404, "NOT_FOUND")


def test_a40_merges_two_files(his: Any) -> None:
    """The HIS registered one person twice (two MRNs, two ID numbers), then merged them."""
    import datetime as dt

    from yigongti.platform.registry.models import ResidentMerge
    from yigongti.platform.registry.testing import make_id_number

    post_hl7(his.api, fixture_text("01_a04_v25_wang_register.hl7"))
    other_id = make_id_number(dt.date(1960, 5, 5), 71, sex="1")
    duplicate = (
        fixture_text("01_a04_v25_wang_register.hl7")
        .replace(b"HIS202611250830150001", b"HIS-DUP-1")
        .replace(b"0001234567", b"0001239999")
        .replace(WANG.encode(), other_id.encode())
        .replace("王建国".encode(), "刘德胜".encode())
        .replace(b"19580312", b"19600505")
        .replace(b"13951234567", b"13700001234")
        .replace("人民路88号".encode(), "新兴村二组7号".encode())
    )
    assert post_hl7(his.api, duplicate).status_code == 200
    assert InboundMessage.objects.get(control_id="HIS-DUP-1").result["action"] == "created"
    assert Resident.objects.count() == 2
    response = post_hl7(his.api, fixture_text("06_a40_v25_merge.hl7"))
    assert response.status_code == 200, response.content
    assert msa(response) == ("AA", "HIS202611251700300006")
    survivor, merged = resident(WANG), resident(other_id)
    assert survivor is not None and merged is not None
    assert survivor.is_active and not merged.is_active
    merge = ResidentMerge.objects.get()
    assert (merge.survivor_id, merge.merged_id) == (survivor.pk, merged.pk)
    assert "HL7 ADT^A40" in merge.reason
    assert InboundMessage.objects.get(control_id="HIS202611251700300006").result["action"] == "merged"


def test_registration_needs_a_local_patient_id(his: Any) -> None:
    body = fixture_text("01_a04_v25_wang_register.hl7").replace(b"0001234567^^^FNXZYY^MR~", b"")
    response = post_hl7(his.api, body)
    assert response.status_code == 422
    err = next(s for s in ack_of(response).children if s.name == "ERR")
    assert err.err_3.to_er7().startswith("101^") and "院内患者ID" in err.err_8.to_er7()
    assert not Resident.objects.exists()
