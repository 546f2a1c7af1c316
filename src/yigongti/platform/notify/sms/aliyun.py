"""Alibaba Cloud SMS (dysmsapi, API version 2017-05-25), RPC style with signature version 1.0.

Signing, exactly as the provider publishes it ("签名机制", RPC APIs):

1. Take every request parameter except ``Signature`` (common parameters and the action's own),
   sort them by name, and percent-encode names and values with UTF-8 per RFC 3986 (unreserved
   ``A-Z a-z 0-9 - _ . ~`` stay; space → ``%20``, ``*`` → ``%2A``, ``~`` unchanged).
2. Join as ``name=value`` with ``&``: the canonicalized query string.
3. ``StringToSign = HTTPMethod + "&" + percentEncode("/") + "&" + percentEncode(canonicalized)``.
4. ``Signature = Base64(HMAC-SHA1(key = AccessKeySecret + "&", StringToSign))``.

Requests are POSTed as ``application/x-www-form-urlencoded`` to the endpoint (default
``https://dysmsapi.aliyuncs.com/``) through ``core.http`` (timeouts, host allow-list: add
``dysmsapi.aliyuncs.com`` to ``OUTBOUND_ALLOWED_HOSTS`` in production). ``SendSms`` answers
``{"Code": "OK", "BizId": …}`` or ``{"Code": "isv.…", "Message": …}``; ``QuerySendDetails``
gives the delivery report (``SendStatus`` 1 waiting, 2 failed, 3 delivered).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import uuid
import zoneinfo
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from yigongti.core import http
from yigongti.platform.notify.choices import SmsStatus
from yigongti.platform.notify.sms.base import DeliveryStatus, SendResult, SmsError, SmsTransientError

API_VERSION = "2017-05-25"
DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com/"
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
# Codes after which a later attempt may succeed (flow control, provider-side faults).
TRANSIENT_CODES = frozenset({"isv.BUSINESS_LIMIT_CONTROL", "isp.SYSTEM_ERROR", "ServiceUnavailable", "Throttling"})


def percent_encode(value: str) -> str:
    return quote(str(value), safe="~")


def canonicalized_query(params: Mapping[str, str]) -> str:
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))


def string_to_sign(method: str, params: Mapping[str, str]) -> str:
    return f"{method.upper()}&{percent_encode('/')}&{percent_encode(canonicalized_query(params))}"


def signature(method: str, params: Mapping[str, str], access_key_secret: str) -> str:
    digest = hmac.new(
        f"{access_key_secret}&".encode(), string_to_sign(method, params).encode("utf-8"), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode("ascii")


class AliyunSmsBackend:
    name = "aliyun"

    def __init__(
        self,
        *,
        access_key_id: str,
        access_key_secret: str,
        sign_name: str,
        endpoint: str = DEFAULT_ENDPOINT,
        region_id: str = "cn-hangzhou",
        timeout: float | None = None,
    ) -> None:
        if not access_key_id or not access_key_secret or not sign_name:
            raise SmsError("阿里云短信未配置 AccessKey 或短信签名（NOTIFY_SMS_ALIYUN）。")
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.sign_name = sign_name
        self.endpoint = endpoint
        self.region_id = region_id
        self.timeout = timeout

    # -- protocol ------------------------------------------------------------------------------
    def signed_params(
        self, action: str, params: Mapping[str, str], *, now: dt.datetime | None = None
    ) -> dict[str, str]:
        moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        all_params = {
            "AccessKeyId": self.access_key_id,
            "Action": action,
            "Format": "JSON",
            "RegionId": self.region_id,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
            **params,
        }
        all_params["Signature"] = signature("POST", all_params, self.access_key_secret)
        return all_params

    def call(self, action: str, params: Mapping[str, str]) -> dict[str, Any]:
        body = canonicalized_query(self.signed_params(action, params)).encode("ascii")
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": "application/json"}
        try:
            response = http.request("POST", self.endpoint, body=body, headers=headers, timeout=self.timeout)
        except http.HostNotAllowed as exc:
            raise SmsError(str(exc)) from None
        except http.OutboundError as exc:
            raise SmsTransientError(f"短信平台无法连接：{exc}") from None
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            error = SmsTransientError if response.status >= 500 else SmsError
            raise error(f"短信平台返回无法识别的内容（HTTP {response.status}）。")
        code = str(data.get("Code", ""))
        if code == "OK":
            return data
        message = f"{code or f'HTTP {response.status}'}：{data.get('Message', '')}".strip("：")
        if response.status >= 500 or code in TRANSIENT_CODES or code.startswith("Throttling"):
            raise SmsTransientError(message)
        raise SmsError(message)

    # -- interface -----------------------------------------------------------------------------
    def send(
        self, phone: str, text: str, *, template_code: str | None = None, params: dict[str, str] | None = None
    ) -> SendResult:
        if not template_code:
            raise SmsError("阿里云短信只能按模板发送：消息类型未配置短信平台模板编号。")
        request = {"PhoneNumbers": phone, "SignName": self.sign_name, "TemplateCode": template_code}
        if params:
            request["TemplateParam"] = json.dumps(params, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        data = self.call("SendSms", request)
        return SendResult(provider_id=str(data.get("BizId", "")), status=SmsStatus.SENT)

    def query_status(self, provider_id: str, *, phone: str, sent_at: dt.datetime) -> DeliveryStatus:
        data = self.call(
            "QuerySendDetails",
            {
                "PhoneNumber": phone,
                "BizId": provider_id,
                "SendDate": sent_at.astimezone(BEIJING).strftime("%Y%m%d"),
                "PageSize": "10",
                "CurrentPage": "1",
            },
        )
        details = (data.get("SmsSendDetailDTOs") or {}).get("SmsSendDetailDTO") or []
        if not details:
            return DeliveryStatus(status=SmsStatus.SENT)
        detail = details[0]
        state = int(detail.get("SendStatus") or 1)
        if state == 3:
            return DeliveryStatus(status=SmsStatus.DELIVERED, delivered_at=_beijing(detail.get("ReceiveDate")))
        if state == 2:
            return DeliveryStatus(status=SmsStatus.FAILED, error=str(detail.get("ErrCode") or "运营商回执：发送失败"))
        return DeliveryStatus(status=SmsStatus.SENT)


def _beijing(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S").replace(tzinfo=BEIJING)
    except ValueError:
        return None
