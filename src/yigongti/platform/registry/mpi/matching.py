"""Finding the resident a registration belongs to (reads only; the writes are in ``services``).

Order of precedence, first hit wins:

1. manual rules on any submitted identifier: force-link → that resident; never-link → that
   resident is removed from every later step;
2. the ID number (blind index on ``Resident``) → MATCH;
3. any other identifier (type, issuer, blind index on ``ResidentIdentifier``) → MATCH;
4. probabilistic: candidates from indexed blocking queries, scored field by field, decided with
   the configured probabilities (``MatchModel.decide``).

A merged (deactivated) resident found by steps 1–3 stands for the resident it was merged into.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import CharField, Q, TextField, Value
from django.db.models.functions import Cast

from yigongti.core.crypto import sm4_decrypt
from yigongti.core.fields import blind_index_for
from yigongti.platform.registry.models import (
    ManualLinkRule,
    Resident,
    ResidentIdentifier,
    ResidentMerge,
    normalize_phone_for_index,
)
from yigongti.platform.registry.mpi import config
from yigongti.platform.registry.mpi.choices import LOCAL_TYPES, IdentifierType, Method, Outcome, RuleKind
from yigongti.platform.registry.mpi.keys import resident_name_keys
from yigongti.platform.registry.mpi.scoring import Decision, MatchModel, PairScore, Person

CHEAP_COLUMNS = ("pk", "name", "sex", "birth_date", "phone_bidx", "id_number_bidx", "division_code")
ADDRESS_SHORTLIST = 20


@dataclass(frozen=True)
class IdentifierKey:
    type: str
    issuer_id: int | None
    value: str  # normalised plaintext (never stored by the matcher)

    @property
    def bidx(self) -> str:
        return blind_index_for(ResidentIdentifier, "value_bidx", self.value)


@dataclass(frozen=True)
class Submission:
    """What an institution submitted, validated and normalised (plaintext, in memory only)."""

    institution_id: int
    local_id: str
    name: str
    sex: str
    birth_date: dt.date | None
    id_number: str = ""
    phone: str = ""
    address: str = ""
    division_code: str = ""
    identifiers: tuple[IdentifierKey, ...] = ()

    def identifier_keys(self) -> list[IdentifierKey]:
        """Every identifier of the submission, the institution's own patient ID included."""
        keys = [IdentifierKey(IdentifierType.PATIENT_ID, self.institution_id, self.local_id)]
        if self.id_number:
            keys.append(IdentifierKey(IdentifierType.ID_CARD, None, self.id_number))
        return [*keys, *self.identifiers]

    def person(self) -> Person:
        return Person.chinese(
            name=self.name,
            birth_date=self.birth_date,
            sex=self.sex,
            phone=blind_index_for(Resident, "phone_bidx", normalize_phone_for_index(self.phone)) if self.phone else "",
            national_id=blind_index_for(Resident, "id_number_bidx", self.id_number) if self.id_number else "",
            address=self.address,
            area=self.division_code,
        )


@dataclass
class MatchResult:
    outcome: str
    method: str
    resident: Resident | None = None
    decision: Decision | None = None
    excluded: set[int] = field(default_factory=set)

    @property
    def score(self) -> float | None:
        return self.decision.best.score if self.decision and self.decision.best else None

    @property
    def probability(self) -> float | None:
        return self.decision.probability if self.decision and self.decision.best else None


def resolve_merged(resident: Resident | None) -> Resident | None:
    """The active resident a (possibly merged) resident stands for; None if it is just inactive."""
    for _ in range(10):
        if resident is None or resident.is_active:
            return resident
        merge = ResidentMerge.objects.filter(merged=resident, reversed_at__isnull=True).select_related("survivor")
        found = merge.first()
        resident = found.survivor if found is not None else None
    return None


def identifier_q(keys: Iterable[IdentifierKey]) -> Q:
    q = Q(pk__in=[])
    for key in keys:
        q |= Q(type=key.type, value_bidx=key.bidx) & (
            Q(issuer_id=key.issuer_id) if key.issuer_id is not None else Q(issuer__isnull=True)
        )
    return q


def rule_q(keys: Iterable[IdentifierKey]) -> Q:
    q = Q(pk__in=[])
    for key in keys:
        q |= Q(identifier_type=key.type, value_bidx=key.bidx) & (
            Q(issuer_id=key.issuer_id) if key.issuer_id is not None else Q(issuer__isnull=True)
        )
    return q


# -- probabilistic step ------------------------------------------------------------------------
def _swapped(day: dt.date) -> dt.date | None:
    try:
        other = day.replace(month=day.day, day=day.month)
    except ValueError:
        return None
    return other if other != day else None


def _year_window(day: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(max(day.year - 1, 1), 1, 1), dt.date(min(day.year + 1, 9999), 12, 31)


@dataclass(frozen=True)
class Block:
    """One blocking query. A ``broad`` block that comes back full (a very common name) is not
    selective: its rows are scored only when another block found them too."""

    label: str
    queryset: Any
    limit: int
    broad: bool = False


def blocking_queries(submission: Submission, person: Person) -> list[Block]:
    base = Resident.objects.filter(is_active=True)
    limit, broad_limit = config.candidate_limit(), config.broad_block_limit()
    name_key, initials_key = resident_name_keys(submission.name, submission.sex)
    blocks = []
    if submission.birth_date:
        dates = [submission.birth_date, *filter(None, [_swapped(submission.birth_date)])]
        blocks.append(Block("birth", base.filter(birth_date__in=dates), limit))
    window = _year_window(submission.birth_date) if submission.birth_date else None
    if name_key and window:
        blocks.append(Block("name_year", base.filter(mpi_name_key=name_key, birth_date__range=window), limit))
    if name_key:
        blocks.append(Block("name", base.filter(mpi_name_key=name_key), broad_limit, broad=True))
    if initials_key and window:
        initials = base.filter(mpi_initials_key=initials_key, birth_date__range=window)
        blocks.append(Block("initials_year", initials, broad_limit, broad=True))
    if person.phone:
        blocks.append(Block("phone", base.filter(phone_bidx=person.phone), limit))
    return blocks


def fetch_blocks(blocks: list[Block]) -> list[dict[str, Any]]:
    """Every block's rows with a ``block`` label and the address still encrypted (``address_raw``):
    one UNION ALL round trip where the database can limit inside it (PostgreSQL), else one query
    per block."""
    shaped = [
        b.queryset.annotate(block=Value(b.label, output_field=CharField()), address_raw=Cast("address", TextField()))
        .values(*CHEAP_COLUMNS, "block", "address_raw")
        .order_by()[: b.limit]
        for b in blocks
    ]
    if not shaped:
        return []
    if connection.features.supports_slicing_ordering_in_compound and len(shaped) > 1:
        return list(shaped[0].union(*shaped[1:], all=True))
    return [row for qs in shaped for row in qs]


def _person_of(row: dict[str, Any], address: str = "") -> Person:
    return Person.chinese(
        name=row["name"],
        birth_date=row["birth_date"],
        sex=row["sex"],
        phone=row["phone_bidx"],
        national_id=row["id_number_bidx"],
        address=address,
        area=row["division_code"],
        ref=row["pk"],
    )


def score_candidates(submission: Submission, model: MatchModel, excluded: set[int]) -> list[PairScore]:
    person = submission.person()
    blocks = blocking_queries(submission, person)
    fetched = fetch_blocks(blocks)
    counts = Counter(row["block"] for row in fetched)
    full = {b.label for b in blocks if b.broad and counts[b.label] >= b.limit}
    rows: dict[int, dict[str, Any]] = {}
    seen_in: dict[int, set[str]] = defaultdict(set)
    for row in fetched:
        if row["pk"] not in excluded:
            rows.setdefault(row["pk"], row)
            seen_in[row["pk"]].add(row["block"])
    rows = {pk: row for pk, row in rows.items() if seen_in[pk] - full}
    if not rows:
        return []
    # Cheap fields first; only the shortlist has its address decrypted and compared.
    rough = sorted((model.score(person, _person_of(r)) for r in rows.values()), key=lambda s: -s.score)
    scored = []
    for pair in rough[:ADDRESS_SHORTLIST]:
        raw = rows[pair.ref]["address_raw"]
        scored.append(model.score(person, _person_of(rows[pair.ref], sm4_decrypt(raw) if raw else "")))
    return sorted(scored, key=lambda s: -s.score)


# -- all steps ---------------------------------------------------------------------------------
def find_match(submission: Submission, *, model: MatchModel | None = None) -> MatchResult:
    model = model or config.match_model(submission.institution_id)
    keys = submission.identifier_keys()
    excluded: set[int] = set()
    forced: Resident | None = None
    for rule in ManualLinkRule.objects.filter(rule_q(keys), is_active=True).select_related("resident").order_by("-id"):
        if rule.kind == RuleKind.NEVER_LINK:
            excluded.add(rule.resident_id)
        elif forced is None:
            forced = resolve_merged(rule.resident)
    if forced is not None and forced.pk not in excluded:
        return MatchResult(Outcome.MATCH, Method.FORCE_LINK, forced, excluded=excluded)

    def usable(resident: Resident | None) -> Resident | None:
        resident = resolve_merged(resident)
        return resident if resident is not None and resident.pk not in excluded else None

    if submission.id_number:
        index = blind_index_for(Resident, "id_number_bidx", submission.id_number)
        hit = usable(Resident.objects.filter(id_number_bidx=index).first())
        if hit is not None:
            return MatchResult(Outcome.MATCH, Method.ID_NUMBER, hit, excluded=excluded)
    for identifier in ResidentIdentifier.objects.filter(identifier_q(keys)).select_related("resident").order_by("id"):
        hit = usable(identifier.resident)
        if hit is not None:
            return MatchResult(Outcome.MATCH, Method.IDENTIFIER, hit, excluded=excluded)

    decision = model.decide(score_candidates(submission, model, excluded))
    resident = None
    if decision.outcome == Outcome.MATCH and decision.best is not None:
        resident = Resident.objects.get(pk=decision.best.ref)
    return MatchResult(decision.outcome, Method.PROBABILISTIC, resident, decision, excluded)


def is_local(identifier_type: str) -> bool:
    return identifier_type in LOCAL_TYPES
