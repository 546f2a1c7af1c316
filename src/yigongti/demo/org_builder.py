"""Builds the organisation of the demo county: community, institutions, departments, staff,
family doctor teams, beds and equipment — all with ``bulk_create`` (one statement per table and
tree level), drawn from one seeded ``random.Random`` so a seed always gives the same county.

This is a bulk loader for an empty database, not a business write path: rows are built from
templates that are valid by construction (checked by the demo's tests), so it does not go
through the per-row services, and the whole run is summarised by one audit row (see
``generator``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from yigongti.demo import identifiers, places
from yigongti.demo.names import NameMaker
from yigongti.demo.org_data import (
    COMMUNITY_CENTER,
    COMMUNITY_EQUIPMENT,
    COUNTY_EQUIPMENT,
    COUNTY_HOSPITAL,
    POSTS,
    STAFF_KINDS,
    TCM_EQUIPMENT,
    TCM_HOSPITAL,
    TITLES,
    TOWNSHIP_EQUIPMENT,
    VILLAGE_CLINIC,
    VILLAGE_EQUIPMENT,
    DeptSpec,
    EquipmentSpec,
    township_center,
)
from yigongti.platform.org.models import (
    Bed,
    Community,
    Department,
    Equipment,
    FamilyDoctorTeam,
    Institution,
    Post,
    Staff,
    Title,
)


@dataclass
class StaffRow:
    staff: Staff
    kind: str  # key of STAFF_KINDS
    dept_code: str
    inst_key: str


@dataclass
class InstitutionNode:
    key: str  # "lead", "tcm", "town:0", "sub:1", "village:0:3"
    no: str  # 3-digit number used in 工号 and asset numbers
    tier: str  # county / township / village
    institution: Institution
    template: tuple[DeptSpec, ...]
    equipment: tuple[EquipmentSpec, ...] = ()
    departments: dict[str, Department] = field(default_factory=dict)


@dataclass
class OrgResult:
    community: Community
    nodes: dict[str, InstitutionNode]
    staff: list[StaffRow]
    teams: dict[int, list[FamilyDoctorTeam]]  # institution id → its teams
    counts: dict[str, int]

    def institution(self, key: str) -> Institution:
        return self.nodes[key].institution

    def department(self, key: str, name: str) -> Department:
        return next(d for d in self.nodes[key].departments.values() if d.name == name)


def _cert_category(kind_key: str, spec: DeptSpec, inst_key: str) -> str:
    """执业类别: 1 临床, 2 中医, 3 口腔, 4 公共卫生."""
    if kind_key == "ph":
        return "4"
    if spec.std.startswith("50") or inst_key == "tcm":
        return "2"
    return "3" if spec.name == "口腔科" else "1"


def _age_birth(rng: random.Random, today: dt.date, age: float) -> dt.date:
    return today - dt.timedelta(days=int(age * 365.25) + rng.randrange(0, 365))


def ensure_reference_rows() -> tuple[dict[str, Post], dict[tuple[str, str], Title]]:
    """Shared posts and titles (idempotent: existing rows with the same code or name are kept)."""
    posts: dict[str, Post] = {}
    for sort, (code, name, _) in enumerate(POSTS, start=1):
        post = Post.objects.filter(code=code).first()
        if post is None:
            post = Post.objects.create(code=code, name=name, sort=sort * 10)
        posts[code] = post
    titles: dict[tuple[str, str], Title] = {}
    for sort, (code, name, category, level) in enumerate(TITLES, start=1):
        title = Title.objects.filter(name=name).first() or Title.objects.filter(code=code).first()
        if title is None:
            title = Title.objects.create(code=code, name=name, category=category, level=level, sort=sort * 10)
        titles[(category, level)] = title
    return posts, titles


class OrgBuilder:
    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.names = NameMaker(rng)
        self._usccs: set[str] = set()

    # -- institutions ---------------------------------------------------------------------------
    def _uscc(self) -> str:
        while True:
            code = identifiers.uscc(self.rng, places.COUNTY_CODE)
            if code not in self._usccs:
                self._usccs.add(code)
                return code

    def _institution(self, community: Community, *, code: str, name: str, short: str, type: str, level: str,
                     address: str, sort: int, parent: Institution | None = None, mobile: bool = False) -> Institution:  # fmt: skip
        rng = self.rng
        return Institution(
            community=community,
            parent=parent,
            code=code,
            name=name,
            short_name=short,
            type=type,
            level=level,
            uscc=self._uscc(),
            division_code=places.COUNTY_CODE,
            address=address,
            contact_person=self.names.full("1" if rng.random() < 0.6 else "2", self.today.year - rng.randint(30, 55)),
            contact_phone=identifiers.mobile(rng) if mobile else identifiers.landline(rng, places.AREA_CODE),
            sort=sort,
        )

    def build_institutions(self, community: Community) -> dict[str, InstitutionNode]:
        rng, prefix = self.rng, places.county_prefix()
        subs, towns = places.SUBDISTRICTS, places.TOWNS
        lead = self._institution(
            community, code="YX001", name=f"{places.COUNTY_NAME}人民医院", short="县人民医院",
            type="lead_hospital", level="2", address=f"{prefix}{subs[0].name}人民路1号", sort=10,
        )  # fmt: skip
        tcm = self._institution(
            community, code="YX002", name=f"{places.COUNTY_NAME}中医院", short="县中医院",
            type="county_hospital", level="2", address=f"{prefix}{subs[1].name}健康路8号", sort=20,
        )  # fmt: skip
        Institution.objects.bulk_create([lead, tcm])
        nodes: dict[str, InstitutionNode] = {
            "lead": InstitutionNode("lead", "001", "county", lead, COUNTY_HOSPITAL, COUNTY_EQUIPMENT),
            "tcm": InstitutionNode("tcm", "002", "county", tcm, TCM_HOSPITAL, TCM_EQUIPMENT),
        }
        # 紧密型医共体: township and community centres are branches (分院) of the lead hospital.
        level2: list[InstitutionNode] = []
        for i, town in enumerate(towns):
            kind = "中心卫生院" if town.central else "卫生院"
            inst = self._institution(
                community, code=f"YX{11 + i:03d}", name=f"{places.COUNTY_NAME}{town.name}{kind}",
                short=f"{town.short}{kind}", type="township_center", level="1", parent=lead,
                address=f"{prefix}{town.name}{rng.choice(places.TOWN_STREETS)}{rng.randint(10, 199)}号", sort=100 + i,
            )  # fmt: skip
            level2.append(
                InstitutionNode(
                    f"town:{i}", f"{11 + i:03d}", "township", inst, township_center(town.central), TOWNSHIP_EQUIPMENT
                )
            )
        for i, sub in enumerate(subs):
            inst = self._institution(
                community, code=f"YX{31 + i:03d}", name=f"{places.COUNTY_NAME}{sub.name}社区卫生服务中心",
                short=f"{sub.name.removesuffix('街道')}社区卫生服务中心", type="community_center", level="1", parent=lead,
                address=f"{prefix}{sub.name}{rng.choice(sub.streets)}{rng.randint(10, 299)}号", sort=200 + i,
            )  # fmt: skip
            level2.append(
                InstitutionNode(f"sub:{i}", f"{31 + i:03d}", "township", inst, COMMUNITY_CENTER, COMMUNITY_EQUIPMENT)
            )
        Institution.objects.bulk_create([n.institution for n in level2])
        nodes.update((n.key, n) for n in level2)
        villages: list[InstitutionNode] = []
        for i, town in enumerate(towns):
            parent = nodes[f"town:{i}"].institution
            for j, village in enumerate(town.villages):
                inst = self._institution(
                    community, code=f"YX{101 + len(villages):03d}", name=f"{town.name}{village}卫生室",
                    short=f"{village}卫生室", type="village_clinic", level="0", parent=parent,
                    address=f"{prefix}{town.name}{village}村部", sort=1000 + i * 10 + j, mobile=True,
                )  # fmt: skip
                equipment = VILLAGE_EQUIPMENT if rng.random() < 0.5 else ()
                n = len(villages)
                villages.append(
                    InstitutionNode(f"village:{i}:{j}", f"{101 + n:03d}", "village", inst, VILLAGE_CLINIC, equipment)
                )
        Institution.objects.bulk_create([n.institution for n in villages])
        nodes.update((n.key, n) for n in villages)
        return nodes

    # -- departments ----------------------------------------------------------------------------
    def build_departments(self, nodes: Iterable[InstitutionNode]) -> None:
        rng = self.rng
        nodes = list(nodes)
        for parents_pass in (True, False):
            batch: list[Department] = []
            for node in nodes:
                for sort, spec in enumerate(node.template, start=1):
                    if (spec.parent == "") != parents_pass:
                        continue
                    inst = node.institution
                    phone = (
                        identifiers.mobile(rng)
                        if node.tier == "village"
                        else f"{inst.contact_phone[:-3]}{rng.randrange(1000):03d}"
                    )
                    dept = Department(
                        institution=inst,
                        parent=node.departments.get(spec.parent),
                        code=spec.code,
                        name=spec.name,
                        kind=spec.kind,
                        standard_code=spec.std,
                        phone=phone,
                        location=self._location(node, spec, sort),
                        sort=sort * 10,
                    )
                    node.departments[spec.code] = dept
                    batch.append(dept)
            Department.objects.bulk_create(batch)

    def _location(self, node: InstitutionNode, spec: DeptSpec, sort: int) -> str:
        if node.tier == "village":
            return "一楼"
        if node.tier == "township":
            return f"{'门诊楼' if spec.beds == 0 else '住院楼'}{1 + sort % 3}楼"
        if spec.kind == "admin":
            return f"行政楼{1 + sort % 4}楼"
        if spec.beds:
            return f"住院部{2 + sort % 12}楼"
        return f"门诊医技楼{1 + sort % 5}楼"

    # -- staff ----------------------------------------------------------------------------------
    def _title(self, titles: dict[tuple[str, str], Title], category: str, years: float, tier: str) -> Title | None:
        if not category:
            return None
        rng = self.rng
        years += rng.uniform(-3, 3)
        senior_share = {"county": 0.35, "township": 0.05, "village": 0.0}[tier]
        vice_share = {"county": 0.65, "township": 0.3, "village": 0.02}[tier]
        if tier == "village":
            level = "assistant" if rng.random() < 0.6 else "junior" if rng.random() < 0.8 else "intermediate"
        elif years < 2.5:
            # 新入职: 护士/药士/技士 for the first years; physicians start as 医师 (医士 in townships).
            assistant = category != "physician" or (tier == "township" and rng.random() < 0.4)
            level = "assistant" if assistant else "junior"
        elif years < 10:
            level = "junior"
        elif years < 20:
            level = "intermediate"
        elif years < 28:
            level = "vice_senior" if rng.random() < vice_share else "intermediate"
        else:
            r = rng.random()
            level = "senior" if r < senior_share else "vice_senior" if r < senior_share + vice_share else "intermediate"
        return titles[(category, level)]

    def build_staff(
        self, nodes: dict[str, InstitutionNode], posts: dict[str, Post], titles: dict[tuple[str, str], Title]
    ) -> list[StaffRow]:
        rng, today = self.rng, self.today
        rows: list[StaffRow] = []
        for node in nodes.values():
            seq = 0
            for spec in node.template:
                dept = node.departments[spec.code]
                for kind_key, count in spec.staff.items():
                    kind = STAFF_KINDS[kind_key]
                    for _ in range(count):
                        seq += 1
                        sex = "1" if rng.random() < kind.male_share else "2"
                        lo, hi = kind.age_range
                        age = rng.triangular(lo, hi, lo + (hi - lo) * 0.25)
                        birth = _age_birth(rng, today, age)
                        start = 22 if kind.title_category in ("nurse", "technician", "pharmacist") else 24
                        title = self._title(titles, kind.title_category, age - start, node.tier)
                        cert = ""
                        first_year = min(today.year, birth.year + start + 1)
                        if kind.certified == "n":  # 护士执业证书: year + division + serial (illustrative)
                            cert = f"{first_year:04d}{places.COUNTY_CODE}{rng.randrange(100_000):05d}"
                        elif kind.certified and title is not None:
                            category = _cert_category(kind_key, spec, node.key)
                            cert = identifiers.practising_cert_no(
                                rng, level="2" if title.level == "assistant" else "1", category=category,
                                division_code=places.COUNTY_CODE, year=first_year,
                            )  # fmt: skip
                        senior = title is not None and title.level in ("senior", "vice_senior")
                        shows_specialty = kind_key in ("d", "fd", "v") and (senior or node.tier != "county")
                        staff = Staff(
                            institution=node.institution,
                            department=dept,
                            code=f"{node.no}{seq:04d}",
                            name=self.names.full(sex, birth.year),
                            sex=sex,
                            birth_date=birth,
                            title=title,
                            post=posts[kind.post],
                            practising_cert_no=cert,
                            phone=identifiers.mobile(rng),
                            specialty=spec.specialty if shows_specialty else "",
                        )
                        rows.append(StaffRow(staff, kind_key, spec.code, node.key))
        Staff.objects.bulk_create([r.staff for r in rows])
        through = Staff.departments.through
        links = [through(staff_id=r.staff.pk, department_id=r.staff.department_id) for r in rows]
        # A few hospital doctors also work in 急诊科; half the township GPs also cover the 住院部.
        for r in rows:
            if r.kind == "d" and r.inst_key in ("lead", "tcm"):
                extra = nodes[r.inst_key].departments.get("3200" if r.inst_key == "lead" else "2000")
                chosen = rng.random() < 0.08
            elif r.kind in ("d", "fd") and r.dept_code == "0100" and r.inst_key.startswith("town:"):
                extra = nodes[r.inst_key].departments.get("0900")
                chosen = rng.random() < 0.5
            else:
                continue
            if chosen and extra is not None and extra.pk != r.staff.department_id:
                links.append(through(staff_id=r.staff.pk, department_id=extra.pk))
        Staff.departments.through.objects.bulk_create(links)
        return rows

    # -- family doctor teams --------------------------------------------------------------------
    def build_teams(self, nodes: dict[str, InstitutionNode], rows: list[StaffRow]) -> dict[int, list[FamilyDoctorTeam]]:
        rng = self.rng
        by_inst: dict[str, list[StaffRow]] = defaultdict(list)
        for r in rows:
            by_inst[r.inst_key].append(r)
        teams: dict[int, list[FamilyDoctorTeam]] = {}
        members: list[tuple[FamilyDoctorTeam, list[Staff]]] = []
        for key, node in nodes.items():
            if not key.startswith(("town:", "sub:")):
                continue
            staff = by_inst[key]
            leaders = [r.staff for r in staff if r.kind == "fd"] + [
                r.staff for r in staff if r.kind == "d" and r.dept_code == "0100"
            ]
            nurses = [r.staff for r in staff if r.kind == "n"]
            public_health = [r.staff for r in staff if r.kind == "ph"]
            n_teams = min(len(leaders), rng.randint(2, 4))
            village_doctors: list[Staff] = []
            if key.startswith("town:"):
                village_doctors = [r.staff for r in rows if r.inst_key.startswith(f"village:{key[5:]}:")]
            inst_teams = []
            for i in range(n_teams):
                leader = leaders[i]
                team = FamilyDoctorTeam(
                    institution=node.institution, code=f"T{i + 1:02d}", name=f"{leader.name}家庭医生团队", leader=leader
                )
                group = [leader, nurses[i % len(nurses)], public_health[i % len(public_health)]]
                group += village_doctors[i::n_teams]
                inst_teams.append(team)
                members.append((team, group))
            teams[node.institution.pk] = inst_teams
        FamilyDoctorTeam.objects.bulk_create([t for t, _ in members])
        through = FamilyDoctorTeam.members.through
        through.objects.bulk_create(
            [through(familydoctorteam_id=t.pk, staff_id=s.pk) for t, group in members for s in dict.fromkeys(group)]
        )
        return teams

    # -- beds and equipment ---------------------------------------------------------------------
    def build_beds(self, nodes: Iterable[InstitutionNode]) -> int:
        rng = self.rng
        beds: list[Bed] = []
        for node in nodes:
            occupancy = {"county": 0.85, "township": 0.6}.get(node.tier, 0.0)
            ward_no = 0
            for spec in node.template:
                if not spec.beds:
                    continue
                ward_no += 1
                dept = node.departments[spec.code]
                per_room = 1 if spec.bed_type == "icu" else 3
                ward = f"{dept.name}病区" if node.tier == "county" else dept.name
                for b in range(1, spec.beds + 1):
                    reserved = b == spec.beds and spec.beds >= 15  # one bed per ward kept for 上转/下转 referrals
                    r = rng.random()
                    if reserved:
                        status = "reserved"
                    elif r < 0.01:
                        status = "maintenance"
                    else:
                        status = "occupied" if r < occupancy else "free"
                    beds.append(
                        Bed(
                            institution=node.institution,
                            department=dept,
                            ward=ward,
                            room=f"{ward_no}{(b - 1) // per_room + 1:02d}",
                            code=f"{ward_no:02d}{b:02d}",
                            bed_type=spec.bed_type,
                            status=status,
                            referral_reserved=reserved,
                        )
                    )
        Bed.objects.bulk_create(beds, batch_size=1000)
        return len(beds)

    def build_equipment(self, nodes: Iterable[InstitutionNode]) -> int:
        rng = self.rng
        rows: list[Equipment] = []
        for node in nodes:
            seq = 0
            for dept_code, name, category, model, maker, count in node.equipment:
                for _ in range(count):
                    seq += 1
                    bought = dt.date(2014, 1, 1) + dt.timedelta(days=rng.randrange(12 * 365))
                    bought = min(bought, self.today)
                    rows.append(
                        Equipment(
                            institution=node.institution,
                            department=node.departments[dept_code],
                            code=f"ZC{node.no}{seq:04d}",
                            name=name,
                            category=category,
                            model_no=model,
                            manufacturer=maker,
                            serial_no=f"{bought:%Y%m}{rng.randrange(1_000_000):06d}",
                            purchase_date=bought,
                            status="maintenance" if rng.random() < 0.03 else "in_use",
                        )
                    )
        Equipment.objects.bulk_create(rows)
        return len(rows)

    # -- all ------------------------------------------------------------------------------------
    def build(self) -> OrgResult:
        posts, titles = ensure_reference_rows()
        community = Community.objects.create(
            code=places.COMMUNITY_CODE,
            name=places.COMMUNITY_NAME,
            division_code=places.COUNTY_CODE,
            description=(
                f"演示数据（虚构）：{places.COUNTY_NAME}县域医共体，由{places.COUNTY_NAME}人民医院牵头，"
                "成员包括县中医院、乡镇卫生院、社区卫生服务中心和村卫生室。"
            ),
        )
        nodes = self.build_institutions(community)
        self.build_departments(nodes.values())
        rows = self.build_staff(nodes, posts, titles)
        teams = self.build_teams(nodes, rows)
        bed_count = self.build_beds(nodes.values())
        equipment_count = self.build_equipment(nodes.values())
        counts = {
            "institutions": len(nodes),
            "departments": sum(len(n.departments) for n in nodes.values()),
            "staff": len(rows),
            "teams": sum(len(t) for t in teams.values()),
            "beds": bed_count,
            "equipment": equipment_count,
        }
        return OrgResult(community=community, nodes=nodes, staff=rows, teams=teams, counts=counts)
