"""The referral-rule condition language (REF-17): validation and evaluation of a condition tree.

A condition is a tree of JSON objects:

* ``{"all": [c, ...]}`` — every child holds; ``{"any": [c, ...]}`` — at least one child holds;
* ``{"field": "<path>", "op": "<operator>", "value": <value>}`` — a test on the visit.

Fields (the visit's shape is documented in ``docs/centers/referral.md`` 配置 → 转诊规则):

* ``diagnosis`` (op ``prefix``, value: list of ICD-10 prefixes) — any diagnosis code of the visit
  starts with any prefix (``I10`` matches ``I10``, ``I10.x00``…);
* ``vitals.sbp|dbp|hr|rr|spo2|temperature`` (numeric ops) — mmHg, 次/分, %, ℃;
* ``vitals.consciousness`` (``==``, ``!=``, ``in``, ``not_in``) — ``alert`` 清醒 / ``changed`` 意识改变 /
  ``confused`` 意识模糊 / ``drowsy`` 嗜睡 / ``coma`` 昏迷;
* ``labs.<CODE>`` (numeric ops) — e.g. ``GLU`` 血糖, ``FPG`` 空腹血糖 (mmol/L), ``K`` 血钾 (mmol/L);
* ``symptoms`` / ``flags`` (op ``any_of``, value: list of strings) — reported symptoms; flags such as
  ``pregnant``, ``lactating``, ``adr_uncontrolled``, ``new_complication``, ``complication_worse``;
* ``age`` (numeric); ``previous_control`` (``==``/``!=``/``in``: ``controlled`` 控制满意 / ``uncontrolled``
  控制不满意 / ``adverse_reaction`` 不良反应 / ``complication`` 并发症 — the previous follow-up's class).

A test on a value the visit does not carry is false (never an error). Comparators are exact: ``>=``
and ``>`` differ at the boundary, as the sources do (e.g. 血糖≥16.7 vs 体温超过39℃).
"""

from __future__ import annotations

import re
from typing import Any

NUMERIC_OPS = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}
OP_LABELS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}
VITALS = {
    "sbp": "收缩压",
    "dbp": "舒张压",
    "hr": "心率",
    "rr": "呼吸频率",
    "spo2": "血氧饱和度",
    "temperature": "体温",
}
CONSCIOUSNESS = {"alert": "清醒", "changed": "意识改变", "confused": "意识模糊", "drowsy": "嗜睡", "coma": "昏迷"}
CONTROL = {
    "controlled": "控制满意",
    "uncontrolled": "控制不满意",
    "adverse_reaction": "不良反应",
    "complication": "并发症",
}
LAB_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,19}$")
ICD_PREFIX = re.compile(r"^[A-Z][0-9A-Z.]{0,7}$")
MAX_DEPTH = 6


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _field_kind(field: str) -> str | None:
    if field == "diagnosis":
        return "diagnosis"
    if field in {"symptoms", "flags"}:
        return "list"
    if field == "vitals.consciousness":
        return "consciousness"
    if field == "previous_control":
        return "control"
    if field == "age" or (field.startswith("vitals.") and field[7:] in VITALS):
        return "number"
    if field.startswith("labs.") and LAB_CODE.match(field[5:]):
        return "number"
    return None


def condition_errors(node: Any, depth: int = 0) -> list[str]:
    """Every problem of a condition tree, in Chinese; empty when the tree is valid."""
    if depth > MAX_DEPTH:
        return [f"条件嵌套不能超过 {MAX_DEPTH} 层"]
    if not isinstance(node, dict):
        return ["条件必须是对象"]
    groups = [k for k in ("all", "any") if k in node]
    if groups:
        if len(node) != 1:
            return ["条件组只能包含 all 或 any 之一"]
        children = node[groups[0]]
        if not isinstance(children, list) or not children:
            return [f"{groups[0]} 必须是非空列表"]
        problems: list[str] = []
        for child in children:
            problems.extend(condition_errors(child, depth + 1))
        return problems
    if set(node) != {"field", "op", "value"}:
        return ["条件须为 {field, op, value} 或 {all|any: [...]}"]
    field, op, value = node["field"], node["op"], node["value"]
    kind = _field_kind(field) if isinstance(field, str) else None
    if kind is None:
        return [f"不支持的字段：{field}"]
    if kind == "number":
        if op not in NUMERIC_OPS:
            return [f"字段 {field} 不支持运算符 {op}"]
        if not _is_number(value):
            return [f"字段 {field} 的比较值必须是数字"]
    elif kind == "diagnosis":
        if op != "prefix":
            return ["diagnosis 只支持 prefix 运算符"]
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and ICD_PREFIX.match(v) for v in value)
        ):
            return ["diagnosis 的值必须是 ICD-10 编码前缀列表（大写，如 I10）"]
    elif kind == "list":
        if op != "any_of":
            return [f"{field} 只支持 any_of 运算符"]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            return [f"{field} 的值必须是非空字符串列表"]
    else:
        allowed = CONSCIOUSNESS if kind == "consciousness" else CONTROL
        if op in {"==", "!="}:
            values = [value]
        elif op in {"in", "not_in"}:
            values = value if isinstance(value, list) and value else [None]
        else:
            return [f"字段 {field} 不支持运算符 {op}"]
        if not all(isinstance(v, str) and v in allowed for v in values):
            return [f"字段 {field} 的值必须取自：{'、'.join(allowed)}"]
    return []


def _lookup(visit: dict[str, Any], field: str) -> Any:
    if "." in field:
        group, key = field.split(".", 1)
        container = visit.get(group)
        return container.get(key) if isinstance(container, dict) else None
    return visit.get(field)


def _label(field: str) -> str:
    if field.startswith("vitals."):
        return VITALS.get(field[7:], "意识状态")
    if field.startswith("labs."):
        return f"检验 {field[5:]}"
    return {"age": "年龄", "previous_control": "上次随访分类", "symptoms": "症状", "flags": "情况"}.get(field, field)


def evaluate(node: dict[str, Any], visit: dict[str, Any]) -> tuple[bool, list[str]]:
    """Whether ``node`` holds for ``visit``, and the evidence (the leaf tests that held)."""
    if "all" in node:
        evidence: list[str] = []
        for child in node["all"]:
            ok, found = evaluate(child, visit)
            if not ok:
                return False, []
            evidence.extend(found)
        return True, evidence
    if "any" in node:
        evidence = []
        for child in node["any"]:
            ok, found = evaluate(child, visit)
            if ok:
                evidence.extend(found)
        return bool(evidence), evidence
    return _leaf(node["field"], node["op"], node["value"], visit)


def _leaf(field: str, op: str, expected: Any, visit: dict[str, Any]) -> tuple[bool, list[str]]:
    kind = _field_kind(field)
    if kind == "diagnosis":
        codes = [c.strip().upper() for c in visit.get("diagnosis_codes") or [] if isinstance(c, str)]
        hits = [c for c in codes if any(c.startswith(p) for p in expected)]
        return (True, [f"诊断 {hits[0]}"]) if hits else (False, [])
    if kind == "list":
        present = {str(v) for v in visit.get(field) or []}
        hits = [v for v in expected if v in present]
        return (True, [f"{_label(field)}：{'、'.join(hits)}"]) if hits else (False, [])
    actual = _lookup(visit, field)
    if actual is None:
        return False, []
    if kind == "number":
        if not _is_number(actual):
            return False, []
        ok = NUMERIC_OPS[op](actual, expected)
        return (True, [f"{_label(field)} {actual:g} {OP_LABELS[op]} {expected:g}"]) if ok else (False, [])
    names = CONSCIOUSNESS if kind == "consciousness" else CONTROL
    if op == "==":
        ok = actual == expected
    elif op == "!=":
        ok = actual != expected
    elif op == "in":
        ok = actual in expected
    else:
        ok = actual not in expected
    return (True, [f"{_label(field)}：{names.get(str(actual), str(actual))}"]) if ok else (False, [])
