"""Multi-sheet Excel reports: every sheet exactly as the list export's build_workbook makes it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from yigongti.core.api.export import build_workbook
from yigongti.core.documents import Sheet, excel_workbook
from yigongti.core.documents.excel import sheet_title
from yigongti.core.errors import BusinessError

STAFF = Sheet(
    "医护人员",
    [("code", "工号"), ("name", "姓名"), ("active", "在职"), ("departments", "所在科室"), ("hired", "入职时间")],
    [
        {
            "code": "S001",
            "name": "王医生",
            "active": True,
            "departments": ["全科", "内科"],
            "hired": dt.datetime(2026, 1, 2, 8, 30),
        },
        {"code": "S002", "name": "李护士", "active": False, "departments": [], "hired": None},
    ],
)
DEPARTMENTS = Sheet("科室", [("code", "科室编码"), ("name", "科室名称")], [{"code": "D01", "name": "全科"}])


def test_each_sheet_matches_the_list_export() -> None:
    report = load_workbook(io.BytesIO(excel_workbook([STAFF, DEPARTMENTS])))
    assert report.sheetnames == ["医护人员", "科室"]
    for sheet in (STAFF, DEPARTMENTS):
        alone = load_workbook(io.BytesIO(build_workbook(sheet.title, sheet.columns, [dict(r) for r in sheet.rows])))
        expected, actual = alone.active, report[sheet.title]
        assert expected is not None
        assert list(actual.values) == list(expected.values)
        assert actual.freeze_panes == expected.freeze_panes == "A2"
        for got, want in zip(actual[1], expected[1], strict=True):
            assert got.font.b is want.font.b is True
            assert got.fill.fgColor.rgb == want.fill.fgColor.rgb
        assert {k: d.width for k, d in actual.column_dimensions.items()} == {
            k: d.width for k, d in expected.column_dimensions.items()
        }
    staff = report["医护人员"]
    assert [c.value for c in staff[2]] == ["S001", "王医生", "是", "全科、内科", dt.datetime(2026, 1, 2, 8, 30)]
    assert [c.value for c in staff[3]][:3] == ["S002", "李护士", "否"]


def test_sheet_titles_are_made_valid_and_unique() -> None:
    used: set[str] = set()
    assert sheet_title("转诊/会诊 [2026]: 汇总?", used) == "转诊_会诊 _2026__ 汇总_"
    assert sheet_title("科室", used) == "科室"
    assert sheet_title("科室", used) == "科室(2)"
    assert sheet_title("", used) == "数据"
    assert len(sheet_title("很长的工作表名称" * 5, used)) == 31
    report = load_workbook(io.BytesIO(excel_workbook([DEPARTMENTS, DEPARTMENTS])))
    assert report.sheetnames == ["科室", "科室(2)"]


def test_a_report_needs_at_least_one_sheet() -> None:
    with pytest.raises(BusinessError) as caught:
        excel_workbook([])
    assert caught.value.error_code == "DOCUMENT_REPORT_SHEETS_INVALID"
