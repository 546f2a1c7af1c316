"""Prescription review (RX-03): in-process engine latency on a scaled knowledge base, then HTTP.

In-process part (engineer E): generates a synthetic knowledge base in memory (default 5,000 drugs,
50,000 interaction pairs, dose limits, indications, contraindications, renal/hepatic/lab/age/
pregnancy rules, allergy crosses), then reviews a typical county prescription (5 drugs, 3
diagnoses, 10 lab values, 1 allergy) N times through ``engine.core.run`` — the code path of
``engine.api.check`` minus the cached settings lookup — and prints p50/p99. Next to it, in the same
run, a naive baseline: the same rules evaluated by linear scans over the rule lists (what a
checker without precomputed indexes does). Target: p99 ≤ 2 ms.

HTTP part (engineer P): ``bench_http()`` from ``benchmarks/rx_review_http.py`` when present.

    PYTHONPATH=. .venv/bin/python benchmarks/rx_review.py --drugs 5000 --interactions 50000 -n 5000
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yigongti.config.test_settings")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src"))

SYNTHETIC = "合成数据（仅用于性能测试）"


def build_scaled_kb(drugs: int, interactions: int, seed: int) -> Any:
    from yigongti.centers.prescription_review.engine import kb as k

    rng = random.Random(seed)
    n_classes = max(50, drugs // 25)
    classes = {
        f"C{i:04d}": k.ClassInfo(f"C{i:04d}", f"合成类别{i}", kind="duplication" if i % 10 == 0 else "pharmacological")
        for i in range(n_classes)
    }
    class_codes = list(classes)
    drug_map: dict[str, Any] = {}
    for i in range(drugs):
        code = f"D{i:05d}"
        cls = frozenset(rng.sample(class_codes, 2))
        drug_map[code] = k.DrugInfo(
            code=code,
            name=f"合成药品{i}",
            classes=cls,
            routes=frozenset({"po"}) if i % 3 else frozenset({"iv", "ivgtt"}),
            frequencies=frozenset({"qd", "bid", "tid"}),
            is_injection=i % 3 == 0,
            antibiotic_grade=(i % 3) + 1 if i % 17 == 0 else None,
            max_course_days=14 if i % 5 == 0 else None,
            chronic=i % 4 == 0,
        )
    codes = list(drug_map)
    pairs: set[frozenset[str]] = set()
    inter: list[Any] = []
    while len(inter) < interactions:
        if rng.random() < 0.9:
            a, b = rng.sample(codes, 2)
        else:
            a, b = rng.sample(class_codes, 2)
        key = frozenset((a, b))
        if key in pairs:
            continue
        pairs.add(key)
        sev = rng.choice(("contraindicated", "not_recommended", "caution", "info"))
        inter.append(
            k.InteractionRule(a, b, sev, "合成机制", "合成处理建议", source=SYNTHETIC, rule_id=f"I{len(inter)}")
        )
    icd = [f"{chr(65 + i % 26)}{j:02d}" for i in range(26) for j in range(0, 99, 7)]
    return k.KnowledgeBase(
        version=f"synthetic-{drugs}-{interactions}-{seed}",
        drugs=drug_map,
        classes=classes,
        indications=[k.IndicationRule(c, tuple(rng.sample(icd, 3)), source=SYNTHETIC) for c in codes[::2]],
        interactions=inter,
        contraindications=[
            k.ContraRule(
                c,
                "diagnosis" if i % 2 else "history",
                icd_prefixes=tuple(rng.sample(icd, 2)),
                keywords=("合成病史",),
                source=SYNTHETIC,
            )
            for i, c in enumerate(codes[::3])
        ],
        allergy_crosses=[
            k.AllergyCross(a, b, source=SYNTHETIC) for a, b in zip(class_codes[::2], class_codes[1::2], strict=False)
        ],
        age_rules=[k.AgeRule(c, "age", min_age_days=65 * 365, severity="caution", source=SYNTHETIC) for c in codes[::7]]
        + [k.AgeRule(c, "child", max_age_days=14 * 365, source=SYNTHETIC) for c in codes[1::7]],
        population_rules=[k.PopulationRule(c, "pregnancy", "contraindicated", source=SYNTHETIC) for c in codes[::9]],
        hepatic_rules=[k.HepaticRule(c, "B", "caution", source=SYNTHETIC) for c in codes[::11]],
        renal_rules=[k.RenalRule(c, 45, "caution", source=SYNTHETIC, max_daily_dose=1000) for c in codes[::6]],
        lab_rules=[k.LabRule(c, "K", ">", 5.5, "mmol/L", source=SYNTHETIC) for c in codes[::13]],
        dose_limits=[
            k.DoseLimit(
                c, min_age_days=18 * 365, usual_single_max=500, max_single=1000, max_daily=3000, source=SYNTHETIC
            )
            for c in codes
        ]
        + [k.DoseLimit(c, max_age_days=18 * 365, per_kg=True, max_daily=40, source=SYNTHETIC) for c in codes],
        warnings=[k.DrugWarning(c, "合成警示", source=SYNTHETIC) for c in codes[::20]],
        lab_aliases={"k+": "K", "scr": "CR"},
        ppi_indication_prefixes=("K21",),
        chronic_disease_prefixes=("I10", "E11"),
    )


def typical_prescription(kb: Any, rng: random.Random) -> Any:
    """5 drugs (2 of them an interacting pair), 3 diagnoses, 10 labs, 1 allergy."""
    from yigongti.centers.prescription_review.engine.types import (
        Allergy,
        Diagnosis,
        LabResult,
        PatientInfo,
        PrescriptionInput,
        PrescriptionItem,
        PrescriptionMeta,
    )

    drug_pairs = [r for r in kb.interactions if r.a in kb.drugs and r.b in kb.drugs]
    pair = rng.choice(drug_pairs)
    others = rng.sample([c for c in kb.drugs if c not in (pair.a, pair.b)], 3)
    codes = [pair.a, pair.b, *others]
    items = [PrescriptionItem(drug_code=c, dose=500.0, unit="mg", frequency="tid", route="po", days=7) for c in codes]
    labs = [
        LabResult(code, name, value, unit)
        for code, name, value, unit in (
            ("K+", "血钾", 4.1, "mmol/L"), ("NA", "血钠", 139.0, "mmol/L"), ("SCR", "肌酐", 88.0, "umol/L"),
            ("ALT", "谷丙转氨酶", 32.0, "U/L"), ("AST", "谷草转氨酶", 28.0, "U/L"), ("GLU", "血糖", 7.8, "mmol/L"),
            ("HBA1C", "糖化血红蛋白", 7.2, "%"), ("WBC", "白细胞", 6.5, "10^9/L"), ("PLT", "血小板", 210.0, "10^9/L"),
            ("INR", "INR", 1.1, ""),
        )
    ]  # fmt: skip
    return PrescriptionInput(
        patient=PatientInfo(age_days=67 * 365, sex="M", weight_kg=68.0, allergies=[Allergy(code="C0001", text="")]),
        diagnoses=[Diagnosis("I10", "原发性高血压"), Diagnosis("E11.9", "2型糖尿病"), Diagnosis("M19.9", "骨关节炎")],
        prescription=PrescriptionMeta(kind="outpatient", antibiotic_level=2),
        items=items,
        labs=labs,
    )


def naive_review(kb: Any, rx: Any) -> int:
    """The same rules by linear scans over the rule lists (no indexes); returns the finding count."""
    from yigongti.centers.prescription_review.engine.context import build_context

    ctx = build_context(kb, rx)
    found = 0
    keys = [v.keys for v in ctx.items]
    for rule in kb.interactions:
        for i in range(len(keys)):
            for j in range(i + 1, len(keys)):
                if (rule.a in keys[i] and rule.b in keys[j]) or (rule.b in keys[i] and rule.a in keys[j]):
                    found += 1
    for rules in (
        kb.indications, kb.contraindications, kb.age_rules, kb.population_rules, kb.hepatic_rules,
        kb.renal_rules, kb.lab_rules, kb.warnings,
    ):  # fmt: skip
        for rule in rules:
            for ks in keys:
                if rule.target in ks:
                    found += 1
    for lim in kb.dose_limits:
        for view in ctx.items:
            if lim.drug_code == view.code and lim.max_daily is not None and (view.daily_dose or 0) > lim.max_daily:
                found += 1
    return found


def percentiles(samples_ns: list[int]) -> tuple[float, float, float]:
    ordered = sorted(samples_ns)
    p50 = ordered[len(ordered) // 2] / 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] / 1000
    return p50, p99, statistics.fmean(ordered) / 1000


def timed(fn: Callable[[], Any], n: int) -> tuple[list[int], list[int]]:
    """Wall-clock and thread CPU time per call (CPU time excludes preemption on a loaded host)."""
    wall: list[int] = []
    cpu: list[int] = []
    for _ in range(n):
        start_cpu = time.thread_time_ns()
        start = time.perf_counter_ns()
        fn()
        wall.append(time.perf_counter_ns() - start)
        cpu.append(time.thread_time_ns() - start_cpu)
    return wall, cpu


def bench_in_process(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--drugs", type=int, default=5000)
    parser.add_argument("--interactions", type=int, default=50000)
    parser.add_argument("-n", "--iterations", type=int, default=5000)
    parser.add_argument("--baseline-iterations", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20260101)
    args, _ = parser.parse_known_args(argv)

    import django

    django.setup()
    from yigongti.centers.prescription_review.engine.core import run

    started = time.perf_counter()
    kb = build_scaled_kb(args.drugs, args.interactions, args.seed)
    built = time.perf_counter() - started
    # The long-lived snapshot is moved out of the cyclic GC's generations, as current_knowledge()
    # does: otherwise every full collection walks ~10^6 knowledge objects (a p99 spike of ~15 ms).
    gc.collect()
    gc.freeze()
    rng = random.Random(args.seed)
    rx = typical_prescription(kb, rng)
    result = run(kb, rx)
    print(f"knowledge base: {len(kb.drugs)} drugs, {len(kb.interactions)} interaction pairs, "
          f"{len(kb.dose_limits)} dose limits — built in memory in {built:.2f} s")  # fmt: skip
    print(f"typical prescription: {len(rx.items)} drugs, {len(rx.diagnoses)} diagnoses, {len(rx.labs)} labs, "
          f"{len(rx.patient.allergies)} allergy → {len(result.findings)} findings, verdict {result.verdict}")  # fmt: skip
    for _ in range(200):  # warm-up
        run(kb, rx)
    wall, cpu = timed(lambda: run(kb, rx), args.iterations)
    bwall, bcpu = timed(lambda: naive_review(kb, rx), args.baseline_iterations)
    p50, p99, mean = percentiles(wall)
    c50, c99, cmean = percentiles(cpu)
    b50, b99, bmean = percentiles(bwall)
    bc50, bc99, bcmean = percentiles(bcpu)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"host: {os.cpu_count()} CPUs, load average {load:.1f}")
    print(f"{'variant':<40}{'n':>7}{'p50 µs':>10}{'p99 µs':>10}{'mean µs':>10}")
    rows = (
        ("engine (indexed) — wall clock", args.iterations, p50, p99, mean),
        ("engine (indexed) — thread CPU time", args.iterations, c50, c99, cmean),
        ("naive baseline (linear scans) — wall", args.baseline_iterations, b50, b99, bmean),
        ("naive baseline (linear scans) — CPU", args.baseline_iterations, bc50, bc99, bcmean),
    )
    for name, n, a, b, c in rows:
        print(f"{name:<40}{n:>7}{a:>10.1f}{b:>10.1f}{c:>10.1f}")
    print(f"target p99 ≤ 2000 µs: wall {'OK' if p99 <= 2000 else 'MISSED'}, CPU {'OK' if c99 <= 2000 else 'MISSED'}; "
          f"speed-up over the baseline at p50 ×{b50 / p50:.0f}")  # fmt: skip
    return {"p50_us": p50, "p99_us": p99, "cpu_p99_us": c99, "baseline_p50_us": b50, "baseline_p99_us": b99}


def main() -> None:
    bench_in_process(sys.argv[1:])
    try:
        http = importlib.import_module("benchmarks.rx_review_http")
    except ModuleNotFoundError:
        print("HTTP part: benchmarks/rx_review_http.py not present — skipped")
        return
    bench_http = getattr(http, "bench_http", None)
    if bench_http is not None:
        bench_http()


if __name__ == "__main__":
    main()
