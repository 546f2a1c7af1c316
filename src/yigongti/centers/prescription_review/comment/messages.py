"""Message types of 处方点评: results to the doctor, appeals to the pharmacist, answers to the doctor."""

from __future__ import annotations

from yigongti.platform.notify.declarations import GroupSpec, TypeSpec, declare_message_types


def declare() -> None:
    declare_message_types(
        GroupSpec("rx_comment", "处方点评", sort=62),
        TypeSpec(
            "rx_comment.result",
            "处方点评结果",
            variables={"rx_no": "处方号", "result": "点评结果", "reasons": "不合理理由"},
            title="您开具的处方 {{ rx_no }} 点评结果：{{ result }}",
            body="不合理理由：{{ reasons }}。如有异议可在点评结果中提出申诉。",
            topic="rx_comment",
        ),
        TypeSpec(
            "rx_comment.appeal",
            "点评申诉待处理",
            variables={"rx_no": "处方号", "doctor": "申诉医生"},
            title="{{ doctor }} 对处方 {{ rx_no }} 的点评结果提出申诉",
            handling_mode="must_handle",
            topic="rx_comment",
        ),
        TypeSpec(
            "rx_comment.appeal_replied",
            "点评申诉处理结果",
            variables={"rx_no": "处方号", "status": "处理结果", "reply": "处理意见"},
            title="处方 {{ rx_no }} 的申诉已处理：{{ status }}",
            body="处理意见：{{ reply }}",
            topic="rx_comment",
        ),
    )
