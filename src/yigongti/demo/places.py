"""Geography of the demo county 云溪县 (FICTIONAL).

云溪县 does not exist. Its division code ``320999`` has the Jiangsu prefix (32) but is not
assigned to any real county in GB/T 2260; township codes follow the statistical convention
county code + 3 digits, with 街道 in 001–099 and 镇 in 100–199. Every town, village and street name
below is invented (some names are common enough that a real place somewhere shares them).
"""

from __future__ import annotations

from dataclasses import dataclass

PROVINCE = "江苏省"
COUNTY_NAME = "云溪县"
COUNTY_CODE = "320999"  # fictional
AREA_CODE = "0515"  # telephone area code used for the demo's landlines (illustrative)
COMMUNITY_CODE = "YXYGT"
COMMUNITY_NAME = "云溪县医共体"
HEALTH_COMMISSION = "云溪县卫生健康委员会"


@dataclass(frozen=True)
class Subdistrict:
    """街道 in the county seat, served by a 社区卫生服务中心."""

    suffix: str  # 3 digits appended to COUNTY_CODE
    name: str
    weight: float  # share of the county's residents
    estates: tuple[str, ...]  # 小区
    streets: tuple[str, ...]

    @property
    def division_code(self) -> str:
        return COUNTY_CODE + self.suffix


@dataclass(frozen=True)
class Town:
    """镇, served by a 乡镇卫生院; its villages each have a 村卫生室."""

    suffix: str
    name: str
    weight: float
    villages: tuple[str, ...]
    central: bool = False  # 中心卫生院

    @property
    def division_code(self) -> str:
        return COUNTY_CODE + self.suffix

    @property
    def short(self) -> str:
        return self.name.removesuffix("镇")


SUBDISTRICTS: tuple[Subdistrict, ...] = (
    Subdistrict(
        "001", "城东街道", 0.10,
        ("锦绣家园", "阳光花园", "东方名城", "金色港湾", "幸福里"),
        ("人民路", "迎宾大道", "建设路", "东门街", "长江路"),
    ),
    Subdistrict(
        "002", "城西街道", 0.08,
        ("云溪花苑", "世纪新城", "翰林苑", "桂花园", "西园小区"),
        ("解放路", "文化路", "西园路", "健康路", "黄河路"),
    ),
    Subdistrict(
        "003", "云溪街道", 0.07,
        ("御景湾", "滨河新村", "紫薇苑", "星河湾", "府前小区"),
        ("云溪大道", "府前街", "新华路", "中山路", "滨河路"),
    ),
)  # fmt: skip

TOWNS: tuple[Town, ...] = (
    Town("101", "青石镇", 0.085, ("石桥村", "青龙村", "王庄村", "河口村", "前进村"), central=True),
    Town("102", "柳河镇", 0.075, ("柳堤村", "新河村", "李集村", "东湖村", "丰收村"), central=True),
    Town("103", "桃源镇", 0.065, ("桃花村", "南庄村", "永丰村", "红星村", "团结村")),
    Town("104", "白马镇", 0.065, ("白马村", "胜利村", "高墩村", "陈集村", "光明村"), central=True),
    Town("105", "双桥镇", 0.06, ("双桥村", "五星村", "刘圩村", "西湖村", "幸福村")),
    Town("106", "龙湾镇", 0.06, ("龙湾村", "太平村", "周家村", "中兴村", "新庄村"), central=True),
    Town("107", "新集镇", 0.055, ("新集村", "杨河村", "马庄村", "东风村", "北庄村")),
    Town("108", "梅园镇", 0.055, ("梅园村", "朱湾村", "胡桥村", "长青村", "联合村")),
    Town("109", "沙溪镇", 0.055, ("沙溪村", "许庄村", "徐庄村", "红旗村", "沿河村")),
    Town("110", "杨庄镇", 0.05, ("杨庄村", "孙圩村", "大桥村", "三合村", "友谊村")),
    Town("111", "芦荡镇", 0.045, ("芦荡村", "渔湾村", "沈垛村", "兴隆村", "和平村")),
    Town("112", "荷塘镇", 0.045, ("荷塘村", "莲花村", "曹庄村", "吉祥村", "龙泉村")),
)

TOWN_STREETS = ("人民路", "健康路", "振兴路", "新华街", "文化路", "工业路", "通湖路", "幸福路")
GROUP_NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")


def county_prefix() -> str:
    return PROVINCE + COUNTY_NAME
