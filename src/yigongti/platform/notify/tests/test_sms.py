"""SMS: Alibaba Cloud signing (published vectors + a local fake provider that re-checks every
signature), delivery status, retries, failures with the provider's message, the SMS API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from yigongti.core.testing.api import assert_error
from yigongti.platform.notify.models import SmsMessage
from yigongti.platform.notify.services import notify
from yigongti.platform.notify.services.sms import sms_deliver, sms_poll_status, sms_queue, sms_sweep
from yigongti.platform.notify.sms.aliyun import AliyunSmsBackend, signature, string_to_sign
from yigongti.platform.notify.tests.conftest import CONTEXT, make_type
from yigongti.platform.notify.tests.fake_aliyun import FakeAliyunSms
from yigongti.platform.testing import make_user

PHONE = "13800000001"


# -- the signing algorithm against the provider's own published examples -----------------------
def test_signature_matches_alibaba_clouds_published_rpc_example() -> None:
    """ECS "签名机制" example: DescribeRegions, AccessKeySecret ``testsecret``."""
    params = {
        "AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML", "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0",
        "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26",
    }  # fmt: skip
    assert string_to_sign("GET", params) == (
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1"
        "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0"
        "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
    )
    assert signature("GET", params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_signature_matches_the_sms_documentation_example() -> None:
    """SMS "HTTP 协议及签名" example (SendSms with a Chinese SignName), AccessKeySecret ``testSecret``."""
    params = {
        "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
        "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
    }  # fmt: skip
    assert signature("GET", params, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


# -- against the local fake provider ------------------------------------------------------------
@pytest.fixture
def provider() -> Iterator[FakeAliyunSms]:
    with FakeAliyunSms() as fake:
        yield fake


@pytest.fixture
def aliyun(provider: FakeAliyunSms) -> Iterator[FakeAliyunSms]:
    options = {
        "endpoint": provider.url,
        "access_key_id": "testId",
        "access_key_secret": "testSecret",
        "sign_name": "医共体平台",
    }
    with override_settings(NOTIFY_SMS_BACKEND="aliyun", NOTIFY_SMS_ALIYUN=options):
        yield provider


def sms_type() -> None:
    make_type(
        channels=["in_app", "sms"],
        sms_template="【医共体】{{ institution }}转来患者{{ patient }}，请及时处理。",
        sms_template_code="SMS_123456789",
    )


@pytest.mark.django_db
def test_message_sms_is_signed_sent_and_recorded(
    api_world: Any, aliyun: FakeAliyunSms, django_capture_on_commit_callbacks: Any
) -> None:
    sms_type()
    user = make_user(api_world.home, phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        message = notify("test.notice", recipients=[user], context=CONTEXT)
    assert aliyun.rejected == []
    [request] = aliyun.requests
    assert (request["Action"], request["PhoneNumbers"], request["SignName"], request["TemplateCode"]) == (
        "SendSms", PHONE, "医共体平台", "SMS_123456789",
    )  # fmt: skip
    assert request["TemplateParam"] == '{"institution":"城关镇卫生院","patient":"张三"}'
    sms = SmsMessage.objects.get()
    assert (sms.status, sms.provider, sms.provider_message_id, sms.attempts, sms.message_id) == (
        "sent", "aliyun", "900619746936498440^0", 1, message.pk,  # type: ignore[union-attr]
    )  # fmt: skip
    assert sms.text == "【医共体】城关镇卫生院转来患者张三，请及时处理。" and sms.sent_at is not None
    # delivery report
    assert sms_poll_status() == 1
    sms.refresh_from_db()
    assert sms.status == "delivered"
    assert sms.delivered_at == dt.datetime(2026, 3, 10, 2, 0, 5, tzinfo=dt.UTC)
    query = aliyun.requests[-1]
    assert (query["Action"], query["BizId"], query["PhoneNumber"]) == (
        "QuerySendDetails",
        "900619746936498440^0",
        PHONE,
    )
    assert query["SendDate"] == timezone.localdate(sms.sent_at).strftime("%Y%m%d")


@pytest.mark.django_db
def test_provider_refusal_fails_with_the_providers_message(api_world: Any, aliyun: FakeAliyunSms) -> None:
    aliyun.send_answer = lambda params: (
        200, {"Message": "手机号码格式错误", "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990",
              "Code": "isv.MOBILE_NUMBER_ILLEGAL"},
    )  # fmt: skip
    sms = sms_queue(phone=PHONE, text="测试", template_code="SMS_1")
    assert sms_deliver(sms.pk) == "failed"
    sms.refresh_from_db()
    assert (sms.status, sms.error, sms.attempts) == ("failed", "isv.MOBILE_NUMBER_ILLEGAL：手机号码格式错误", 1)
    assert sms_deliver(sms.pk) is None  # a failed row is never sent again
    assert len(aliyun.requests) == 1


@pytest.mark.django_db
def test_wrong_secret_is_refused_by_the_provider(api_world: Any, provider: FakeAliyunSms) -> None:
    options = {"endpoint": provider.url, "access_key_id": "testId", "access_key_secret": "wrong", "sign_name": "x"}
    with override_settings(NOTIFY_SMS_BACKEND="aliyun", NOTIFY_SMS_ALIYUN=options):
        sms = sms_queue(phone=PHONE, text="测试", template_code="SMS_1")
        assert sms_deliver(sms.pk) == "failed"
    sms.refresh_from_db()
    assert provider.rejected == ["SignatureDoesNotMatch"]
    assert sms.error.startswith("SignatureDoesNotMatch：Specified signature is not matched")


@pytest.mark.django_db
def test_busy_provider_is_retried_with_backoff_then_fails(
    api_world: Any, aliyun: FakeAliyunSms, django_capture_on_commit_callbacks: Any
) -> None:
    aliyun.send_answer = lambda params: (
        200, {"Message": "触发分钟级流控Permits:1", "RequestId": "x", "Code": "isv.BUSINESS_LIMIT_CONTROL"},
    )  # fmt: skip
    sms = sms_queue(phone=PHONE, text="测试", template_code="SMS_1")
    HUEY.flush()
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert sms_deliver(sms.pk) == "queued"
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == ("queued", 1)
    assert sms.scheduled_at > before + dt.timedelta(seconds=50)
    assert sms.error == "isv.BUSINESS_LIMIT_CONTROL：触发分钟级流控Permits:1"
    assert len(HUEY.scheduled()) == 1  # the retry waits in the schedule
    assert sms_deliver(sms.pk) is None  # not due yet
    for expected in ("queued", "failed"):
        SmsMessage.objects.filter(pk=sms.pk).update(scheduled_at=timezone.now())
        assert sms_deliver(sms.pk) == expected
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, len(aliyun.requests)) == ("failed", 3, 3)


@pytest.mark.django_db
def test_unreachable_provider_is_a_temporary_failure(api_world: Any) -> None:
    fake = FakeAliyunSms().start()
    url = fake.url
    fake.stop()  # nothing listens there any more
    options = {"endpoint": url, "access_key_id": "testId", "access_key_secret": "testSecret", "sign_name": "x"}
    with override_settings(NOTIFY_SMS_BACKEND="aliyun", NOTIFY_SMS_ALIYUN=options):
        sms = sms_queue(phone=PHONE, text="测试", template_code="SMS_1")
        assert sms_deliver(sms.pk) == "queued"
    sms.refresh_from_db()
    assert sms.error.startswith("短信平台无法连接")


@pytest.mark.django_db
def test_aliyun_needs_a_template_code(api_world: Any, aliyun: FakeAliyunSms) -> None:
    sms = sms_queue(phone=PHONE, text="测试")
    assert sms_deliver(sms.pk) == "failed"
    sms.refresh_from_db()
    assert sms.error == "阿里云短信只能按模板发送：消息类型未配置短信平台模板编号。"
    assert aliyun.requests == []


@pytest.mark.django_db
def test_failed_delivery_report(api_world: Any, aliyun: FakeAliyunSms) -> None:
    aliyun.report = {"SendStatus": 2, "ErrCode": "MOBILE_NOT_ON_SERVICE", "ReceiveDate": ""}
    sms = sms_queue(phone=PHONE, text="测试", template_code="SMS_1")
    sms_deliver(sms.pk)
    assert sms_poll_status() == 1
    sms.refresh_from_db()
    assert (sms.status, sms.error) == ("failed", "MOBILE_NOT_ON_SERVICE")


@pytest.mark.django_db
def test_backend_refuses_missing_configuration() -> None:
    with pytest.raises(Exception, match="未配置 AccessKey"):
        AliyunSmsBackend(access_key_id="", access_key_secret="", sign_name="")


@pytest.mark.django_db
def test_sweep_requeues_rows_left_sending_by_a_dead_worker(api_world: Any) -> None:
    sms = sms_queue(phone=PHONE, text="测试")
    long_ago = timezone.now() - dt.timedelta(hours=1)
    SmsMessage.objects.filter(pk=sms.pk).update(status="sending", claimed_at=long_ago, updated_at=long_ago)
    sms_sweep()
    sms.refresh_from_db()
    assert sms.status == "queued"
    SmsMessage.objects.filter(pk=sms.pk).update(updated_at=long_ago)
    assert sms_sweep() == 1  # due and idle: enqueued again (sent at once by the immediate test queue)


# -- the SMS API ----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_sms_records_are_listed_with_masked_phones_and_scoped(api_world: Any) -> None:
    home_user = make_user(api_world.home, phone=PHONE)
    sms_queue(phone=PHONE, text="本院", user=home_user, institution_id=api_world.home.pk)
    sms_queue(phone="13900000002", text="他院", institution_id=api_world.other.pk)
    client = api_world.client_for(["notify.sms.view"])
    rows = client.get("/api/v1/notify/sms-messages").json()["results"]
    assert [(r["text"], r["phone"], r["status"]) for r in rows] == [("本院", "138****0001", "queued")]
    assert PHONE not in client.get(f"/api/v1/notify/sms-messages/{rows[0]['id']}").content.decode()
    summary = client.get("/api/v1/notify/sms-messages/summary").json()
    assert summary["total"] == 1
    assert {r["status"]: r["count"] for r in summary["by_status"]}["queued"] == 1
    assert_error(api_world.client_for([]).get("/api/v1/notify/sms-messages"), 403, "PERMISSION_DENIED")


@pytest.mark.django_db
def test_manual_sending(api_world: Any, django_capture_on_commit_callbacks: Any) -> None:
    with_phone, without = make_user(api_world.home, phone=PHONE), make_user(api_world.home, name="无手机")
    client = api_world.client_for(["notify.sms.view", "notify.sms.send"])
    payload = {"users": [with_phone.pk, without.pk], "phones": ["13900000002", PHONE], "text": "今晚八点停电"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/notify/sms-messages/send", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json() == {"queued": 2, "skipped": ["无手机"]}
    assert sorted(SmsMessage.objects.values_list("status", flat=True)) == ["sent", "sent"]
    assert_error(
        api_world.client_for(["notify.sms.view"]).post("/api/v1/notify/sms-messages/send", payload, format="json"),
        403,
        "PERMISSION_DENIED",
    )
    body = assert_error(
        client.post("/api/v1/notify/sms-messages/send", {"phones": ["12345"], "text": "x"}, format="json"),
        400,
        "VALIDATION_ERROR",
    )
    assert body["fields"]["phones"]
